/**
 * Dark activity with ground truth for the gap / loitering / dark-rendezvous detector (DESIGN.md,
 * "Dark activity"): a loiterer whose partner goes dark (`dark_partner`), two ships dark at once whose
 * off positions are close (`dark_dark`), and a silence in a place where nobody else is heard either
 * (`coverage_hole_gap`, a negative). Every gap is 12.5 h or more (Welch et al. 2022 call ≥ 12 h
 * "suspected disabling") and starts far offshore (> 50 nm); where the silence is the vessel's, ships
 * patrolling nearby keep transmitting, so a detector can tell the vessel's silence from the receiver's.
 */
import { KN_TO_MS, METRES_PER_NM, haversineM, sphericalDestination, type LatLon } from '@rendezvous/geodesy';
import { LaneTrack, NAV, WaypointTrack, type Track, type Waypoint } from '../kinematics.ts';
import type { ShipKind } from '../vessel-factory.ts';
import { evaluatePair, iso, medianSpeed, type ExpectedAlert } from '../truth.ts';
import { around, drift, loiterWithPartner } from './choreography.ts';
import { HOUR, MINUTE, placeHold, scripted, tooShort, type Scenario, type ScenarioContext, type ScenarioVessel } from './scenario.ts';

/** The silences of these scenarios: over the 12 h of Welch et al. with half an hour to spare. */
export const DARK_GAP_MS = 13 * HOUR;

const round1 = (x: number) => Math.round(x * 10) / 10;
const km = (a: LatLon, b: LatLon) => round1(haversineM(a.lon, a.lat, b.lon, b.lat) / 1000);
const nm = (a: LatLon, b: LatLon) => round1(haversineM(a.lon, a.lat, b.lon, b.lat) / METRES_PER_NM);

/**
 * Ships patrolling short straight lanes near `centre` (fishing, survey, supply traffic) for the whole
 * run: always 8–12 kn (never loitering, never in an encounter), reporting every 1–3 min, each lane
 * passing `minOffM`–`maxOffM` from the centre and `halfLenM` long each way, so every one of them
 * stays within √(maxOff² + halfLen²) of it.
 */
export function neighbours(ctx: ScenarioContext, centre: LatLon, n: number, o: { minOffM: number; maxOffM: number; halfLenM: number }): ScenarioVessel[] {
  const r = ctx.rng;
  const kinds: ShipKind[] = ['fishing', 'cargo', 'tug', 'tanker'];
  const out: ScenarioVessel[] = [];
  for (let i = 0; i < n; i++) {
    // Spread the lanes round the centre so the neighbours are not all on one side.
    const along = (i * (360 / n) + r.range(0, 360 / n)) % 360;
    const mid = sphericalDestination(centre, (along + 90) % 360, r.range(o.minOffM, o.maxOffM));
    const lane = { name: `${ctx.name} patrol ${i + 1}`, points: [sphericalDestination(mid, (along + 180) % 360, o.halfLenM), sphericalDestination(mid, along, o.halfLenM)] };
    const track = new LaneTrack(lane, { startFraction: r.next(), speedKn: round1(r.range(8, 12)), direction: r.chance(0.5) ? 1 : -1, offsetM: 0, t0Ms: ctx.window.startMs });
    out.push(scripted(ctx, `neighbour_${i + 1}`, r.pick(kinds), track, { reporting: { fixedS: r.int(60, 180) } }));
  }
  return out;
}

/** Waypoints of a ship that cruises in, goes dark at `off`, holds from hold0 to hold1, and reappears at `on`. */
function darkWaypoints(p: {
  ctx: ScenarioContext;
  off: LatLon;
  tOff: number;
  hold0: LatLon;
  tHold0: number;
  hold1: LatLon;
  tHold1: number;
  on: LatLon;
  tOn: number;
  arriveFrom: number;
  departTo: number;
  cruiseKn: number;
}): Waypoint[] {
  const v = p.cruiseKn * KN_TO_MS;
  const t0 = p.ctx.window.startMs - HOUR;
  const t1 = p.ctx.window.endMs + HOUR;
  return [
    { ...sphericalDestination(p.off, p.arriveFrom, (v * (p.tOff - t0)) / 1000), tMs: t0 },
    { ...p.off, tMs: p.tOff },
    { ...p.hold0, tMs: p.tHold0, navStatus: NAV.restricted },
    { ...p.hold1, tMs: p.tHold1 },
    { ...p.on, tMs: p.tOn },
    { ...sphericalDestination(p.on, p.departTo, (v * (t1 - p.tOn)) / 1000), tMs: t1 },
  ];
}

/** Median true speed of a track over each whole hour of [from, to]: the worst hour (GFW loitering is per hour). */
function worstHourKn(track: Track, from: number, to: number): number {
  let worst = 0;
  for (let h = from; h + HOUR <= to; h += HOUR) worst = Math.max(worst, medianSpeed(track, h, h + HOUR));
  return worst;
}

/** The partner goes dark this far from the loiterer, and reappears as far. */
const PARTNER_DARK_RADIUS_M = 12_000;

export const darkPartner: Scenario = {
  name: 'dark_partner',
  // Central Gulf of Mexico over the Sigsbee Deep. Nearest land: Cayo Arenas (22.1° N 91.4° W) and
  // Arrecife Alacranes (22.4° N 89.7° W) on the Campeche Bank ~320–350 km south, the Mississippi
  // delta and the Louisiana coast (≈ 29° N) ~400 km north; Texas and Florida are farther. With the
  // 10 km jitter and the drift every position is > 150 nm from any coast (DESIGN: loitering ≥ 20 nm,
  // gaps > 50 nm). The background Gulf lane passes ~110 km north-east; it is not needed for reception.
  hub: { label: 'Central Gulf of Mexico (Sigsbee Deep)', lat: 25.3, lon: -91.0 },
  jitterM: 10_000,
  build(ctx) {
    const r = ctx.rng;
    const loiterMs = DARK_GAP_MS + 2 * HOUR;
    const needH = (loiterMs + 2 * HOUR) / HOUR;
    const tL = placeHold(ctx, loiterMs);
    if (tL === null) return tooShort(ctx, needH);
    const darkStart = Math.round((tL + HOUR) / MINUTE) * MINUTE;
    const darkEnd = darkStart + DARK_GAP_MS;
    const slowKn = 3;
    const slowMin = 20;
    const cruiseKn = r.range(10, 12);
    const approachMs = slowMin * MINUTE + ((PARTNER_DARK_RADIUS_M - slowKn * KN_TO_MS * slowMin * 60) / (cruiseKn * KN_TO_MS)) * 1000;
    const tK0 = darkStart + approachMs;
    const tK1 = darkEnd - approachMs;
    // ≤ 0.25 kn for 15 h: the loiterer stays within 7 km of the centre, inside the neighbours' lanes.
    const { loiterer, partner, driftKn, sepM } = loiterWithPartner(ctx, r, { tL, loiterMs, tK0, tK1, driftKn: [0.1, 0.25], partnerCruiseKn: cruiseKn, slowKn, slowMin });
    const vL = scripted(ctx, 'loiterer', 'tanker', loiterer);
    const vP = scripted(ctx, 'dark_partner', 'tanker', partner, { watchlisted: true, shadowFlag: true, reporting: { silences: [{ startMs: darkStart, endMs: darkEnd }] } });
    // Lanes 10–15 km off the centre, 15 km each way: within 21 km of it, so within 50 km of the
    // partner's off and on positions (≤ 12 km from the loiterer, itself ≤ 7 km from the centre).
    const near = neighbours(ctx, ctx.centre, 3, { minOffM: 10_000, maxOffM: 15_000, halfLenM: 15_000 });
    const off = partner.at(darkStart);
    const on = partner.at(darkEnd);
    const spotOff = loiterer.at(darkStart);
    const spotOn = loiterer.at(darkEnd);
    const pair = evaluatePair({ scenario: ctx.name, a: { key: vL.key, mmsi: vL.identity.mmsi, track: loiterer }, b: { key: vP.key, mmsi: vP.identity.mmsi, track: partner, silences: vP.reporting.silences! }, from: ctx.window.startMs, to: ctx.window.endMs });
    const alongMin = Math.round((tK1 - tK0) / MINUTE);
    const mmsis = [vL.identity.mmsi, vP.identity.mmsi];
    const reachHours = round1((km(off, spotOff) + km(on, spotOn)) / (cruiseKn * 1.852));
    const expectedAlerts: ExpectedAlert[] = [
      {
        type: 'loitering',
        vessels: [vL.key],
        mmsis: [vL.identity.mmsi],
        start: iso(tL),
        end: iso(tL + loiterMs),
        expected: true,
        why: `below 2 kn for ${loiterMs / HOUR} h (drifting ${driftKn} kn), > 150 nm from shore`,
        details: { hours: loiterMs / HOUR, medianSpeedKn: medianSpeed(loiterer, tL, tL + loiterMs), worstHourKn: worstHourKn(loiterer, tL, tL + loiterMs), coastNmAtLeast: 150 },
      },
      {
        type: 'ais_gap',
        vessels: [vP.key],
        mmsis: [vP.identity.mmsi],
        start: iso(darkStart),
        end: iso(darkEnd),
        expected: true,
        why: `no position for ${DARK_GAP_MS / HOUR} h from > 150 nm offshore while ${near.length} ships within 50 km kept reporting: the silence is the vessel's`,
        details: { hours: DARK_GAP_MS / HOUR, neighbours: near.length, coastNmAtLeast: 150 },
      },
      {
        type: 'dark_rendezvous',
        kind: 'loiter_gap',
        vessels: [vL.key, vP.key],
        mmsis,
        start: iso(darkStart),
        end: iso(darkEnd),
        expected: true,
        why: `the partner goes dark ${km(off, spotOff)} km from the loiterer and reappears ${km(on, spotOn)} km from it; the ${DARK_GAP_MS / HOUR} h gap lies inside the loitering, and ${reachHours} h at its cruise speed would cover both legs (time to spare for a stop)`,
        details: { offKmFromLoiterer: km(off, spotOff), onKmFromLoiterer: km(on, spotOn), hoursNeededAtCruise: reachHours, gapHours: DARK_GAP_MS / HOUR },
      },
      {
        type: 'rendezvous',
        vessels: [vL.key, vP.key],
        mmsis,
        start: iso(tK0),
        end: iso(tK1),
        expected: false,
        why: `alongside ${sepM} m for ${alongMin} min while the partner transmitted nothing: no AIS encounter (${pair.why})`,
      },
    ];
    return {
      description: 'A tanker loiters > 150 nm offshore for 15 h while its partner goes dark 12 km out for 13 h, lies alongside unseen and reappears; three ships nearby keep reporting. A dark rendezvous, no AIS encounter.',
      vessels: [vL, vP, ...near],
      pairs: [
        { a: 'loiterer', b: 'dark_partner', override: { expected: false, why: `alongside for ${alongMin} min while the partner transmitted nothing: a dark rendezvous, not an AIS encounter` } },
        ...near.map((n) => ({ a: 'loiterer', b: n.role })),
      ],
      params: { loiterHours: loiterMs / HOUR, gapHours: DARK_GAP_MS / HOUR, driftKn, alongside: { start: iso(tK0), end: iso(tK1), separationM: sepM }, darkRadiusKm: PARTNER_DARK_RADIUS_M / 1000, neighbours: near.map((n) => n.key) },
      extra: {
        loitering: { vessel: vL.key, mmsi: vL.identity.mmsi, start: iso(tL), end: iso(tL + loiterMs), medianSpeedKn: medianSpeed(loiterer, tL, tL + loiterMs) },
        gap: { vessel: vP.key, mmsi: vP.identity.mmsi, start: iso(darkStart), end: iso(darkEnd), hours: DARK_GAP_MS / HOUR, kmFromLoiterAtStart: km(off, spotOff), kmFromLoiterAtEnd: km(on, spotOn) },
        darkRendezvous: true,
        expectedAlerts,
      },
    };
  },
};

export const darkDark: Scenario = {
  name: 'dark_dark',
  // Central Mediterranean south of Malta, over the Ionian abyssal plain's western edge. Nearest land:
  // Malta (35.9° N 14.4° E) ~190 km north, the Libyan coast at Misrata (32.4° N 15.1° E) ~200 km
  // south, Lampedusa ~260 km west-north-west, Sicily's Capo Passero ~280 km north. With the 8 km
  // jitter and the ≤ 25 km the ships run while visible near the gap, > 90 nm from every coast.
  hub: { label: 'Central Mediterranean south of Malta', lat: 34.2, lon: 15.0 },
  jitterM: 8000,
  build(ctx) {
    const r = ctx.rng;
    // A's gap is 13 h; B goes dark 20–40 min after A and reappears 15–30 min after A leaves.
    const tA0 = placeHold(ctx, DARK_GAP_MS + HOUR);
    if (tA0 === null) return tooShort(ctx, (DARK_GAP_MS + 3 * HOUR) / HOUR);
    const lagOff = Math.round(r.range(20, 40)) * MINUTE;
    const lagOn = Math.round(r.range(15, 30)) * MINUTE;
    const tB0 = tA0 + lagOff;
    const approach = 40 * MINUTE;
    const tHoldA0 = tA0 + approach;
    const tHoldB0 = tB0 + approach;
    const tHoldA1 = tA0 + DARK_GAP_MS - approach;
    const tHoldB1 = tHoldA1 + lagOn;
    const tA1 = tA0 + DARK_GAP_MS;
    const tB1 = tHoldB1 + approach;
    const R = ctx.centre;
    const driftBearing = Math.round(r.range(0, 360));
    const driftKn = Math.round(r.range(0.1, 0.3) * 100) / 100;
    const D = (t: number) => drift(R, driftBearing, driftKn, t - tHoldA0);
    const side = Math.round(r.range(0, 360));
    const sepM = Math.round(r.range(60, 250));
    const B = (t: number) => sphericalDestination(D(t), side, sepM);
    // They come from and leave towards directions 90–150° apart, going dark 2.5–4 km out: the off
    // positions are 3.5–8 km apart (< 5 nm), and while both transmit they are kilometres apart.
    const fromA = Math.round(r.range(0, 360));
    const fromB = (fromA + Math.round(r.range(90, 150))) % 360;
    const toA = around(r, fromA, 20);
    const toB = around(r, fromB, 20);
    const [dOffA, dOffB, dOnA, dOnB] = [r.range(2500, 4000), r.range(2500, 4000), r.range(2500, 4000), r.range(2500, 4000)];
    const offA = sphericalDestination(D(tHoldA0), fromA, dOffA);
    const offB = sphericalDestination(B(tHoldB0), fromB, dOffB);
    const onA = sphericalDestination(D(tHoldA1), toA, dOnA);
    const onB = sphericalDestination(B(tHoldB1), toB, dOnB);
    const trackA = new WaypointTrack(darkWaypoints({ ctx, off: offA, tOff: tA0, hold0: D(tHoldA0), tHold0: tHoldA0, hold1: D(tHoldA1), tHold1: tHoldA1, on: onA, tOn: tA1, arriveFrom: fromA, departTo: toA, cruiseKn: r.range(10, 12) }));
    const trackB = new WaypointTrack(darkWaypoints({ ctx, off: offB, tOff: tB0, hold0: B(tHoldB0), tHold0: tHoldB0, hold1: B(tHoldB1), tHold1: tHoldB1, on: onB, tOn: tB1, arriveFrom: fromB, departTo: toB, cruiseKn: r.range(10, 12) }));
    const vA = scripted(ctx, 'dark_a', 'tanker', trackA, { watchlisted: true, shadowFlag: true, reporting: { silences: [{ startMs: tA0, endMs: tA1 }] } });
    const vB = scripted(ctx, 'dark_b', 'tanker', trackB, { shadowFlag: true, reporting: { silences: [{ startMs: tB0, endMs: tB1 }] } });
    // Lanes 6–12 km off the meeting spot, 15 km each way: every neighbour stays within 20 km of it,
    // so within 30 km of both ships' off and on positions (≤ 4 km from the drifting spot, itself
    // ≤ 7 km from the centre) throughout the gaps.
    const near = neighbours(ctx, R, 3, { minOffM: 6000, maxOffM: 12_000, halfLenM: 15_000 });
    const mmsis = [vA.identity.mmsi, vB.identity.mmsi];
    const pair = evaluatePair({
      scenario: ctx.name,
      a: { key: vA.key, mmsi: vA.identity.mmsi, track: trackA, silences: vA.reporting.silences! },
      b: { key: vB.key, mmsi: vB.identity.mmsi, track: trackB, silences: vB.reporting.silences! },
      from: ctx.window.startMs,
      to: ctx.window.endMs,
    });
    const offSepNm = nm(offA, offB);
    const onSepNm = nm(onA, onB);
    const gapAlert = (v: ScenarioVessel, s: number, e: number): ExpectedAlert => ({
      type: 'ais_gap',
      vessels: [v.key],
      mmsis: [v.identity.mmsi],
      start: iso(s),
      end: iso(e),
      expected: true,
      why: `no position for ${round1((e - s) / HOUR)} h from > 90 nm offshore while ${near.length} ships within 50 km kept reporting`,
      details: { hours: round1((e - s) / HOUR), neighbours: near.length, coastNmAtLeast: 90 },
    });
    const expectedAlerts: ExpectedAlert[] = [
      gapAlert(vA, tA0, tA1),
      gapAlert(vB, tB0, tB1),
      {
        type: 'dark_rendezvous',
        kind: 'dark_dark',
        vessels: [vA.key, vB.key],
        mmsis,
        start: iso(tB0),
        end: iso(tA1),
        expected: true,
        why: `both dark at once for ${round1((tA1 - tB0) / HOUR)} h; off positions ${offSepNm} nm apart (< 5 nm: the closest band), on positions ${onSepNm} nm apart`,
        details: { offSeparationNm: offSepNm, onSeparationNm: onSepNm, overlapHours: round1((tA1 - tB0) / HOUR) },
      },
      {
        type: 'rendezvous',
        vessels: [vA.key, vB.key],
        mmsis,
        start: iso(tHoldB0),
        end: iso(tHoldA1),
        expected: false,
        why: `alongside ${sepM} m for ${round1((tHoldA1 - tHoldB0) / HOUR)} h while both transmitted nothing: no AIS encounter (${pair.why})`,
      },
    ];
    return {
      description: 'Two tankers go dark 20–40 min apart with off positions < 5 nm apart, > 90 nm offshore, lie alongside unseen and reappear; three ships nearby keep reporting. A dark-dark rendezvous, no AIS encounter.',
      vessels: [vA, vB, ...near],
      pairs: [
        { a: 'dark_a', b: 'dark_b', override: { expected: false, why: 'alongside only while both were dark: a dark rendezvous, not an AIS encounter' } },
        ...near.flatMap((n) => [{ a: 'dark_a', b: n.role }, { a: 'dark_b', b: n.role }]),
      ],
      params: {
        gaps: { dark_a: { start: iso(tA0), end: iso(tA1) }, dark_b: { start: iso(tB0), end: iso(tB1) } },
        alongside: { start: iso(tHoldB0), end: iso(tHoldA1), separationM: sepM },
        offSeparationNm: offSepNm,
        onSeparationNm: onSepNm,
        driftKn,
        neighbours: near.map((n) => n.key),
      },
      extra: { expectedAlerts },
    };
  },
};

export const coverageHoleGap: Scenario = {
  name: 'coverage_hole_gap',
  // South-east Pacific, ~1,340 km from Easter Island (27.1° S 109.4° W), ~1,460 km from Pitcairn,
  // ~3,500 km from Chile; no background lane or anchorage comes within 5,000 km (they are all in the
  // northern hemisphere or the Malacca Strait), and no other scenario is near: nobody else is heard.
  hub: { label: 'South-east Pacific', lat: -35.0, lon: -120.0 },
  jitterM: 20_000,
  build(ctx) {
    const r = ctx.rng;
    // 1.5 h of reports before the gap (Welch et al. want ≥ 14 positions in the 12 h before).
    const tG = placeHold(ctx, DARK_GAP_MS, 1.5 * HOUR);
    if (tG === null) return tooShort(ctx, DARK_GAP_MS / HOUR + 3);
    const course = Math.round(r.range(0, 180));
    // A 400 km lane through the centre, run back and forth: it stays in open ocean however long the run.
    const lane = { name: `${ctx.name} passage`, points: [sphericalDestination(ctx.centre, (course + 180) % 360, 200_000), sphericalDestination(ctx.centre, course, 200_000)] };
    const track = new LaneTrack(lane, { startFraction: r.range(0.2, 0.8), speedKn: round1(r.range(11, 13)), direction: r.chance(0.5) ? 1 : -1, offsetM: 0, t0Ms: ctx.window.startMs });
    const v = scripted(ctx, 'silent', r.pick(['cargo', 'tanker'] as const), track, { watchlisted: true, reporting: { silences: [{ startMs: tG, endMs: tG + DARK_GAP_MS }] } });
    const off = track.at(tG);
    const on = track.at(tG + DARK_GAP_MS);
    return {
      description: 'A ship under way in the empty south-east Pacific sends nothing for 13 h, and nobody else is heard within 50 km either: a reception hole, not a vessel going dark; no alert.',
      vessels: [v],
      pairs: [],
      params: { gap: { start: iso(tG), end: iso(tG + DARK_GAP_MS) }, off: { lat: round1e5(off.lat), lon: round1e5(off.lon) }, on: { lat: round1e5(on.lat), lon: round1e5(on.lon) } },
      extra: {
        expectedAlerts: [
          {
            type: 'ais_gap',
            vessels: [v.key],
            mmsis: [v.identity.mmsi],
            start: iso(tG),
            end: iso(tG + DARK_GAP_MS),
            expected: false,
            why: `${DARK_GAP_MS / HOUR} h without a position, but no other vessel is heard within 50 km during it (> 1,000 km from any coast, lane or port): nothing shows that reception was possible, so the silence may be the receiver's`,
            details: { hours: DARK_GAP_MS / HOUR, neighbours: 0 },
          },
          {
            type: 'loitering',
            vessels: [v.key],
            mmsis: [v.identity.mmsi],
            start: iso(ctx.window.startMs),
            end: iso(ctx.window.endMs),
            expected: false,
            why: 'under way at 11–13 kn whenever it reports',
          },
        ],
      },
    };
  },
};

const round1e5 = (x: number) => Math.round(x * 1e5) / 1e5;
