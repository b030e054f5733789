/**
 * `voyage_irregularity` (issue 15; packages/detection voyages.ts and destination-match.ts): two
 * tankers trading between three Korean east-coast ports defined here (the truth's `ports`, to be
 * given to the detector as PORTS_FILE: 3 km entry radius, 4 km exit), each call ~3 h at anchor.
 *
 * - `drifter`: Busan → Ulsan → Pohang at cruise speed (two regular legs: its usual speed), then
 *   Pohang → Busan with a 30 h drift at 0.3 kn 6–8 nm off the coast mid-leg, AIS on: ≥ 2.5× and
 *   ≥ 24 h longer than the leg's distance at its usual speed — a hidden stop. The drift stays
 *   within 20 nm of shore, so it is no loitering alert (GFW loitering counts from 20 nm).
 * - `declarer`: Ulsan → Busan → Ulsan → Pohang, declaring each leg's destination (type 5) 30 min
 *   after anchoring at the previous port: "FOR ORDERS" (free text, no mismatch), "CNDLC" (a
 *   Chinese UN/LOCODE on a leg from one Korean port to another: a mismatch), "POHNAG" (a typo of
 *   the port reached: no mismatch).
 *
 * Port points are in each harbour's water in Natural Earth 1:10m (Busan's WPI town point is ashore
 * at that scale); routes keep 5–15 km off the coast (the tests check every position is at sea).
 */
import { haversineM, initialBearingDeg, METRES_PER_NM, sphericalDestination, type LatLon } from '@rendezvous/geodesy';
import { NAV } from '../kinematics.ts';
import { PORTS_FILE_RADIUS_M, readStays, type Stay } from '../port-truth.ts';
import { iso, type ExpectedAlert, type PortCallTruth, type ScenarioPort } from '../truth.ts';
import { Route } from './route.ts';
import { HOUR, MINUTE, scripted, tooShort, type Scenario, type ScenarioContext, type ScenarioVessel } from './scenario.ts';

export const BUSAN: ScenarioPort = { id: 'sim-busan', name: 'Busan', country: 'KOR', lon: 129.05, lat: 35.09 };
export const ULSAN: ScenarioPort = { id: 'sim-ulsan', name: 'Ulsan', country: 'KOR', lon: 129.41, lat: 35.45 };
export const POHANG: ScenarioPort = { id: 'sim-pohang', name: 'Pohang', country: 'KOR', lon: 129.4, lat: 36.05 };
const PORTS = [BUSAN, ULSAN, POHANG];

const p = (lon: number, lat: number): LatLon => ({ lon, lat });
/** Sea lanes between the ports' approaches, 5–15 km off the coast. */
const B_TO_U = [p(129.15, 35.05), p(129.35, 35.15), p(129.45, 35.35), p(129.47, 35.44)];
const U_TO_P = [p(129.47, 35.44), p(129.55, 35.5), p(129.62, 35.7), p(129.66, 35.95), p(129.64, 36.1), p(129.48, 36.1)];
const DRIFT_FROM = p(129.66, 35.86);
const DRIFT_TO = p(129.63, 35.71);
const rev = (xs: LatLon[]) => [...xs].reverse();

/** voyages.ts DEFAULT_VOYAGE_OPTIONS (the figures the truth applies). */
const RULE = { factor: 2.5, minExcessMs: 24 * HOUR, floorKn: 8, ceilingKn: 16, minLegs: 3, minKn: 3, maxKn: 30 };
const round1 = (x: number) => Math.round(x * 10) / 10;
const minutes = (ms: number) => Math.round(ms / MINUTE) * MINUTE;

/** The anchor spot of a vessel at a port: 700 m from the point, on its own side (drifter NE, declarer SW). */
const spot = (port: ScenarioPort, side: number) => sphericalDestination(port, side, 700);

interface Call {
  port: ScenarioPort;
  holdStart: number;
  holdEnd: number;
}

class Voyage {
  readonly route: Route;
  readonly calls: Call[] = [];
  readonly destinations: { fromMs: number; destination: string | null }[] = [];
  readonly kn: number;
  private readonly side: number;
  private readonly rng: ScenarioContext['rng'];
  constructor(start: LatLon, t0: number, kn: number, side: number, rng: ScenarioContext['rng']) {
    this.route = new Route(start, t0);
    this.kn = kn;
    this.side = side;
    this.rng = rng;
  }
  /** Sail the lanes, the last 1.85 km at 3 kn, lie ~3 h at anchor, declare `next` 30 min in, and sail back out to the lane's end. */
  call(lanes: LatLon[], port: ScenarioPort, next: string | undefined, outTo: LatLon): this {
    const at = spot(port, this.side);
    const last = lanes[lanes.length - 1]!;
    const slow = sphericalDestination(at, initialBearingDeg(at, last), 1852);
    this.route.sail([...lanes, slow], this.kn).sail(at, 3);
    const holdStart = this.route.t;
    this.route.hold(minutes(this.rng.range(2.8, 3.2) * HOUR), sphericalDestination(at, 90, 30), NAV.atAnchor);
    this.calls.push({ port, holdStart, holdEnd: this.route.t });
    if (next !== undefined) this.destinations.push({ fromMs: holdStart + 30 * MINUTE, destination: next });
    this.route.sail(slow, 3).sail(outTo, this.kn);
    return this;
  }
}

interface Leg {
  from: ScenarioPort;
  to: ScenarioPort;
  departure: number;
  arrival: number;
  distanceNm: number;
  impliedKn: number;
}

/** The vessel's calls (stays with ≥ 2 h slow) at the ports, in time order, and the legs between them. */
function legsOf(ctx: ScenarioContext, v: ScenarioVessel): { calls: (Stay & { port: ScenarioPort; closestM: number })[]; legs: Leg[] } {
  const calls = PORTS.flatMap((port) => {
    const read = readStays(v.track, { ...port, radiusM: PORTS_FILE_RADIUS_M }, v.reporting.silences ?? [], ctx.window.startMs, ctx.window.endMs);
    return read.stays.filter((s) => s.slowMs >= 2 * HOUR).map((s) => ({ ...s, port, closestM: Math.round(read.closestM) }));
  }).sort((a, b) => a.arrival - b.arrival);
  const legs: Leg[] = [];
  for (let i = 1; i < calls.length; i++) {
    const [a, b] = [calls[i - 1]!, calls[i]!];
    const distanceNm = haversineM(a.port.lon, a.port.lat, b.port.lon, b.port.lat) / METRES_PER_NM;
    legs.push({ from: a.port, to: b.port, departure: a.departure, arrival: b.arrival, distanceNm, impliedKn: distanceNm / ((b.arrival - a.departure) / HOUR) });
  }
  return { calls, legs };
}

const isHidden = (l: Leg, kn: number) => {
  const expMs = (l.distanceNm / kn) * HOUR;
  const dur = l.arrival - l.departure;
  return dur >= RULE.factor * expMs && dur - expMs >= RULE.minExcessMs;
};

/** usualSpeedKn of voyages.ts: the median of the plausible legs that are no hidden stop at the first median, clamped with < 3 legs. */
function usualKn(legs: Leg[]): number {
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const plausible = legs.filter((l) => l.impliedKn >= RULE.minKn && l.impliedKn <= RULE.maxKn);
  if (plausible.length === 0) return RULE.floorKn;
  const first = med(plausible.map((l) => l.impliedKn));
  const regular = plausible.filter((l) => !isHidden(l, first));
  const speeds = (regular.length > 0 ? regular : plausible).map((l) => l.impliedKn);
  const m = med(speeds);
  return speeds.length >= RULE.minLegs ? m : Math.min(RULE.ceilingKn, Math.max(RULE.floorKn, m));
}

export const voyageIrregularity: Scenario = {
  name: 'voyage_irregularity',
  hub: { label: 'Korean east coast: Busan, Ulsan, Pohang', lat: 35.45, lon: 129.41 },
  jitterM: 0,
  namedOnly: 'needs a PORTS_FILE with the truth ports and a ~62 h run',
  build(ctx) {
    const r = ctx.rng;
    const T = ctx.window.startMs;
    const until = ctx.window.endMs + HOUR;
    const kn = () => round1(r.range(11.5, 12.5));

    const d = new Voyage(p(129.45, 34.8), T - HOUR, kn(), 45, r);
    d.call([B_TO_U[0]!], BUSAN, 'ULSAN', B_TO_U[0]!)
      .call(B_TO_U, ULSAN, 'KRKPO', U_TO_P[0]!)
      .call(U_TO_P, POHANG, 'BUSAN', U_TO_P[U_TO_P.length - 1]!);
    // The hidden stop: round the cape, drift 30 h at ~0.3 kn 6–8 nm off the coast, then on to Busan.
    d.route.sail([p(129.64, 36.1), p(129.66, 35.95), DRIFT_FROM], d.kn);
    const tDrift = d.route.t;
    d.route.hold(30 * HOUR, DRIFT_TO, NAV.underWayEngine);
    const tDriftEnd = d.route.t;
    d.call([p(129.55, 35.5), ...rev(B_TO_U).slice(1)], BUSAN, undefined, B_TO_U[0]!);
    d.route.patrol(p(129.3, 34.95), B_TO_U[0]!, d.kn, until);
    const drifter = scripted(ctx, 'drifter', 'tanker', d.route.waypoints(), { shadowFlag: true });
    drifter.identity = { ...drifter.identity, destination: 'BUSAN' };
    drifter.destinations = d.destinations;

    const c = new Voyage(p(129.62, 35.3), T - HOUR, kn(), 225, r);
    c.call([p(129.55, 35.4), B_TO_U[3]!], ULSAN, 'FOR ORDERS', B_TO_U[3]!)
      .call(rev(B_TO_U), BUSAN, 'CNDLC', B_TO_U[0]!)
      .call(B_TO_U, ULSAN, 'POHNAG', U_TO_P[0]!)
      .call(U_TO_P, POHANG, undefined, U_TO_P[U_TO_P.length - 1]!);
    c.route.patrol(p(129.64, 36.1), p(129.7, 36.35), c.kn, until);
    const declarer = scripted(ctx, 'declarer', 'tanker', c.route.waypoints(), { watchlisted: true, shadowFlag: true });
    declarer.identity = { ...declarer.identity, destination: 'ULSAN' };
    declarer.destinations = c.destinations;

    const lastHoldEnd = Math.max(...d.calls.map((x) => x.holdEnd), ...c.calls.map((x) => x.holdEnd));
    if (ctx.window.endMs < lastHoldEnd + HOUR) return tooShort(ctx, Math.ceil((lastHoldEnd + HOUR - T) / HOUR));

    const portCalls: PortCallTruth[] = [];
    const expectedAlerts: ExpectedAlert[] = [];
    const legsByVessel = new Map<string, Leg[]>();
    for (const v of [drifter, declarer]) {
      const { calls, legs } = legsOf(ctx, v);
      legsByVessel.set(v.role, legs);
      for (const k of calls) {
        portCalls.push({
          vessel: v.key,
          mmsi: v.identity.mmsi,
          portId: k.port.id,
          port: k.port.name,
          country: k.port.country,
          radiusM: PORTS_FILE_RADIUS_M,
          sanctioned: false,
          arrival: iso(k.arrival),
          departure: iso(k.departure),
          slowHours: round1(k.slowMs / HOUR),
          closestM: k.closestM,
          expected: true,
          why: `~3 h at anchor 700 m from ${k.port.name}'s port point (slow ${round1(k.slowMs / HOUR)} h ≥ 2 h)`,
        });
      }
    }
    const dLegs = legsByVessel.get('drifter')!;
    const usual = usualKn(dLegs);
    dLegs.forEach((l, i) => {
      const expH = l.distanceNm / usual;
      const durH = (l.arrival - l.departure) / HOUR;
      const hidden = isHidden(l, usual);
      expectedAlerts.push({
        type: 'voyage_irregularity',
        kind: 'hidden_stop',
        vessels: [drifter.key],
        mmsis: [drifter.identity.mmsi],
        start: iso(l.departure),
        end: iso(l.arrival),
        expected: hidden,
        why: hidden
          ? `${l.from.name} → ${l.to.name}: ${round1(l.distanceNm)} nm in ${round1(durH)} h, ${round1(expH)} h expected at the usual ${round1(usual)} kn (${round1(durH / expH)}×, ${round1(durH - expH)} h over: ≥ 2.5× and ≥ 24 h) — it drifted 30 h mid-leg`
          : `${l.from.name} → ${l.to.name}: ${round1(l.distanceNm)} nm in ${round1(durH)} h at ${round1(l.impliedKn)} kn: a regular leg`,
        details: { kind: 'hidden_stop', legIndex: i, from: l.from.id, to: l.to.id, distanceNm: round1(l.distanceNm), durationH: round1(durH), expectedH: round1(expH), usualSpeedKn: round1(usual), impliedSpeedKn: round1(l.impliedKn) },
      });
    });
    const declared = ['FOR ORDERS', 'CNDLC', 'POHNAG'];
    legsByVessel.get('declarer')!.forEach((l, i) => {
      const text = declared[i]!;
      const mismatch = text === 'CNDLC';
      expectedAlerts.push({
        type: 'voyage_irregularity',
        kind: 'destination_mismatch',
        vessels: [declarer.key],
        mmsis: [declarer.identity.mmsi],
        start: iso(l.departure),
        end: iso(l.arrival),
        expected: mismatch,
        why: mismatch
          ? `declared "CNDLC" (a UN/LOCODE in China) at ${l.from.name} after arriving, then sailed to ${l.to.name} (KOR)`
          : text === 'FOR ORDERS'
            ? `declared "FOR ORDERS": free text, names no port`
            : `declared "POHNAG": a typo of ${l.to.name}, the port reached`,
        details: { kind: 'destination_mismatch', legIndex: i, from: l.from.id, to: l.to.id, declared: text, declaredAt: iso(declarer.destinations![i]!.fromMs) },
      });
    });
    return {
      description:
        'Two tankers trade between Busan, Ulsan and Pohang (3 h calls): one sails two regular legs, then drifts 30 h mid-leg (a hidden stop); the other declares "FOR ORDERS", "CNDLC" (China, while sailing between Korean ports: a mismatch) and "POHNAG" (a typo) for its three legs.',
      vessels: [drifter, declarer],
      pairs: [{ a: 'drifter', b: 'declarer' }],
      params: { drift: { start: iso(tDrift), end: iso(tDriftEnd), fromLonLat: DRIFT_FROM, toLonLat: DRIFT_TO }, usualSpeedKn: round1(usual), runHoursNeeded: Math.ceil((lastHoldEnd + HOUR - T) / HOUR) },
      extra: { expectedAlerts, ports: PORTS, portCalls },
    };
  },
};
