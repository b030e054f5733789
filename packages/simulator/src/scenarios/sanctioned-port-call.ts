/**
 * `sanctioned_port_call` (issue 15): a tanker calls at DPRK's Nampho — AIS off from the estuary
 * mouth, ~30 km before the port's 10 km circle, back on at anchor inside it, ~10 h below 0.5 kn,
 * then out — and three look-alikes: a ship that steams into the circle and out again at
 * 10–12 kn without stopping, a ship lying ~10 h in the anchorage queue 11 km out (just outside
 * the radius), and a 10 h call at Dalian, a port that is not sanctioned (given to the detector
 * through PORTS_FILE: the truth's `ports`).
 *
 * Geography (Natural Earth 1:10m, the land the detector's shore index uses; the tests check every
 * position is at sea): the Taedong estuary is open water from the Korea Bay to Nampho along
 * 38.69–38.71° N; the anchorage spot (125.34° E 38.705° N) lies 5.4 km from the port's WPI point,
 * the queue spot (125.275° E 38.694° N) 11.2 km. Dalian's point is in Dalian Bay (the WPI town
 * point, 121.667° E 38.917° N, is ashore at that scale). After their calls ships patrol the open
 * sea at cruise speed, so a longer run never runs them aground or makes them loiter.
 */
import { METRES_PER_NM, initialBearingDeg, sphericalDestination, type LatLon } from '@rendezvous/geodesy';
import { PORTS_FILE_RADIUS_M, readStays } from '../port-truth.ts';
import { iso, type ExpectedAlert, type PortCallTruth, type ScenarioPort } from '../truth.ts';
import { Route } from './route.ts';
import { NAMPHO } from './sanctioned-places.ts';
import { HOUR, MINUTE, scripted, tooShort, type Scenario, type ScenarioContext, type ScenarioVessel } from './scenario.ts';

export const DALIAN: ScenarioPort = { id: 'sim-dalian', name: 'Dalian', country: 'CHN', lon: 121.69, lat: 38.93 };

const p = (lon: number, lat: number): LatLon => ({ lon, lat });
/** The estuary channel from the Korea Bay to Nampho (open water in Natural Earth 1:10m). */
const CHANNEL = [p(124.95, 38.66), p(125.2, 38.697)];
const ANCHORAGE = p(125.34, 38.705);
const QUEUE = p(125.275, 38.694);
const TURN = p(125.32, 38.7);
const round1 = (x: number) => Math.round(x * 10) / 10;
const minutes = (ms: number) => Math.round(ms / MINUTE) * MINUTE;

/** In at cruise, the last 20 min at 3 kn, lie `holdMs` (a 40 m anchor swing), out the same way, then patrol. */
function callRoute(o: { start: LatLon; t0: number; via: LatLon[]; spot: LatLon; holdMs: number; cruiseKn: number; patrol: [LatLon, LatLon]; untilMs: number }) {
  const slowM = 3 * (METRES_PER_NM / 60) * 20;
  const lastVia = o.via[o.via.length - 1] ?? o.start;
  const bearingIn = initialBearingDeg(o.spot, lastVia);
  const slowPoint = sphericalDestination(o.spot, bearingIn, slowM);
  const r = new Route(o.start, o.t0).sail([...o.via, slowPoint], o.cruiseKn).sail(o.spot, 3);
  const holdStart = r.t;
  r.hold(o.holdMs, sphericalDestination(o.spot, 90, 40));
  const holdEnd = r.t;
  r.sail(slowPoint, 3).sail([...o.via].reverse(), o.cruiseKn).patrol(o.patrol[0], o.patrol[1], o.cruiseKn, o.untilMs);
  return { waypoints: r.waypoints(), holdStart, holdEnd };
}

function stayTruth(ctx: ScenarioContext, v: ScenarioVessel, port: { id: string; name: string; country: string; lon: number; lat: number; radiusM: number }, sanctioned: boolean, why: (s: { hours: number; slowHours: number; closestKm: number }) => string): PortCallTruth {
  const silences = v.reporting.silences ?? [];
  const { stays, closestM } = readStays(v.track, port, silences, ctx.window.startMs, ctx.window.endMs);
  const call = stays.find((s) => s.slowMs >= 2 * HOUR) ?? null;
  const slowHours = round1(Math.max(0, ...stays.map((s) => s.slowMs)) / HOUR);
  const base = { vessel: v.key, mmsi: v.identity.mmsi, portId: port.id, port: port.name, country: port.country, radiusM: port.radiusM, sanctioned, closestM: Math.round(closestM), slowHours };
  const figures = { hours: call ? round1((call.departure - call.arrival) / HOUR) : 0, slowHours, closestKm: round1(closestM / 1000) };
  return { ...base, arrival: call ? iso(call.arrival) : null, departure: call ? iso(call.departure) : null, expected: call !== null, why: why(figures) };
}

export const sanctionedPortCall: Scenario = {
  name: 'sanctioned_port_call',
  hub: { label: 'Nampho (DPRK), Taedong estuary', lat: NAMPHO.lat, lon: NAMPHO.lon },
  jitterM: 0,
  namedOnly: 'needs the sanctioned ports and a PORTS_FILE with the truth ports',
  build(ctx) {
    const r = ctx.rng;
    const T = ctx.window.startMs;
    const until = ctx.window.endMs + HOUR;
    const hold = () => minutes(r.range(9.5, 10.5) * HOUR);
    const kn = () => round1(r.range(10.5, 11.5));

    // The caller: dark from the estuary mouth (~30 km before the circle) until 1.5 h after anchoring.
    const c = callRoute({ start: p(124.45, 38.4), t0: T - HOUR, via: CHANNEL, spot: ANCHORAGE, holdMs: hold(), cruiseKn: kn(), patrol: [p(124.45, 38.4), p(124.05, 38.62)], untilMs: until });
    const tDark = c.waypoints[1]!.tMs;
    const tLight = minutes(c.holdStart + 1.5 * HOUR);
    const caller = scripted(ctx, 'caller', 'tanker', c.waypoints, { watchlisted: true, shadowFlag: true, reporting: { silences: [{ startMs: tDark, endMs: tLight }] } });

    // The queue: ~10 h at anchor 11.2 km from the port point, never inside the 10 km circle.
    const q = callRoute({ start: p(124.55, 38.47), t0: T - HOUR, via: CHANNEL, spot: QUEUE, holdMs: hold(), cruiseKn: kn(), patrol: [p(124.55, 38.47), p(124.2, 38.75)], untilMs: until });
    const queue = scripted(ctx, 'queue', 'tanker', q.waypoints);

    // The passer: in along the channel to 6.9 km from the port point and straight out, 10–12 kn throughout.
    const passKn = round1(r.range(10, 12));
    const pr = new Route(p(124.1, 38.3), T - HOUR).sail([...CHANNEL, TURN], passKn).sail([...CHANNEL].reverse(), passKn).patrol(p(124.4, 38.52), p(124.1, 38.8), passKn, until);
    const passer = scripted(ctx, 'passer', 'cargo', pr.waypoints());

    // The Dalian call: ~10 h at anchor 800 m from the port point.
    const dSpot = sphericalDestination(DALIAN, 80, 800);
    const d = callRoute({ start: p(122.4, 38.75), t0: T - HOUR, via: [p(121.78, 38.925)], spot: dSpot, holdMs: hold(), cruiseKn: kn(), patrol: [p(122.4, 38.75), p(122.7, 38.5)], untilMs: until });
    const dalian = scripted(ctx, 'dalian_caller', 'tanker', d.waypoints);

    const lastHoldEnd = Math.max(c.holdEnd, q.holdEnd, d.holdEnd);
    if (ctx.window.endMs < lastHoldEnd + 2 * HOUR) return tooShort(ctx, 17);

    const nampho = { ...NAMPHO };
    const dalianPort = { ...DALIAN, radiusM: PORTS_FILE_RADIUS_M };
    const portCalls: PortCallTruth[] = [
      stayTruth(ctx, caller, nampho, true, (s) => `anchored inside Nampho's 10 km circle (closest ${s.closestKm} km), slow ${s.slowHours} h of the ${s.hours} h seen in port; AIS off for the arrival, back on at anchor`),
      stayTruth(ctx, queue, nampho, true, (s) => `lay ${round1((q.holdEnd - q.holdStart) / HOUR)} h at anchor ${s.closestKm} km from Nampho's port point: outside its 10 km radius (an anchorage queue), never inside`),
      stayTruth(ctx, passer, nampho, true, (s) => `came within ${s.closestKm} km of Nampho's port point at ${passKn} kn and left without slowing (slow 0 h)`),
      stayTruth(ctx, dalian, dalianPort, false, (s) => `a ${s.hours} h call at Dalian (CHN, PORTS_FILE), slow ${s.slowHours} h: a port call, at a port that is not sanctioned`),
    ];
    const [callerCall, queueCall, passerCall, dalianCall] = portCalls as [PortCallTruth, PortCallTruth, PortCallTruth, PortCallTruth];
    const alertOf = (v: ScenarioVessel, call: PortCallTruth, expected: boolean, why: string, span: { start: number; end: number }): ExpectedAlert => ({
      type: 'port_call_sanctioned',
      vessels: [v.key],
      mmsis: [v.identity.mmsi],
      start: call.arrival ?? iso(span.start),
      end: call.departure ?? iso(span.end),
      expected,
      why,
      details: { port: call.port, country: call.country, portId: call.portId, closestKm: round1(call.closestM / 1000), slowHours: call.slowHours, radiusKm: call.radiusM / 1000 },
    });
    const expectedAlerts: ExpectedAlert[] = [
      alertOf(caller, callerCall, true, `a call at Nampho (PRK, sanctioned): ${callerCall.why}`, { start: c.holdStart, end: c.holdEnd }),
      alertOf(queue, queueCall, false, `no call: ${queueCall.why}`, { start: q.holdStart, end: q.holdEnd }),
      alertOf(passer, passerCall, false, `no call: ${passerCall.why}`, { start: T, end: ctx.window.endMs }),
      alertOf(dalian, dalianCall, false, `${dalianCall.why}: no sanctions alert`, { start: d.holdStart, end: d.holdEnd }),
    ];
    return {
      description:
        "A tanker goes dark 30 km before the 10 km circle of DPRK's Nampho, reappears at anchor inside the port's 10 km circle and lies there ~10 h; look-alikes: a ship steaming into the circle and out at speed, one lying 10 h in the anchorage queue 11 km out, and a 10 h call at Dalian (not sanctioned).",
      vessels: [caller, queue, passer, dalian],
      pairs: [
        { a: 'caller', b: 'queue' },
        { a: 'caller', b: 'passer' },
        { a: 'queue', b: 'passer' },
      ],
      params: {
        silence: { start: iso(tDark), end: iso(tLight) },
        holds: { caller: { start: iso(c.holdStart), end: iso(c.holdEnd) }, queue: { start: iso(q.holdStart), end: iso(q.holdEnd) }, dalian_caller: { start: iso(d.holdStart), end: iso(d.holdEnd) } },
        anchorage: ANCHORAGE,
        queue: QUEUE,
        passKn,
      },
      extra: { expectedAlerts, ports: [DALIAN], portCalls },
    };
  },
};
