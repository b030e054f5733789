/**
 * `gap_near_sanctioned_area` (issue 15): "loaded while dark" next to DPRK waters. Three Suezmax
 * tankers (274 m: the 250–300 m size class, whose draught threshold is 2 m — identity
 * draught-rule.ts) each go dark for 30 h far offshore, with ships patrolling nearby that keep
 * reporting, so each silence is an `ais_gap` by the dark rule (≥ 12 h, off position > 50 nm
 * from shore, reported regularly before, neighbours heard within 50 km: dark-activity.ts does the same):
 *
 * - `loaded`, central Yellow Sea ~99 nm from the West Sea polygon (sanctioned-areas.geojson):
 *   while dark it sails to the area and back, and comes back 3.0 m deeper. Off → area → on at
 *   15 kn needs ~13 h of the 30: an alert.
 * - `unladen`, ~170 nm from the area (reachable: ~23 h of the 30) and ≥ 55 nm from `loaded`'s off
 *   position (beyond dark-dark's 50 nm band): the same gap with the same draught: no alert.
 * - `far`, East China Sea ~375 nm from the area (out of reach: 50 h at 15 kn): +3.0 m, no alert.
 *
 * Shore distances (Natural Earth 1:10m, as the detector's shore index): site A 73 nm, B ~80 nm,
 * C 112 nm; the tests check every off and on position is > 50 nm from shore.
 */
import { KN_TO_MS, METRES_PER_NM, haversineM, initialBearingDeg, sphericalDestination, type LatLon } from '@rendezvous/geodesy';
import { NAV } from '../kinematics.ts';
import { iso, type DraughtChangeTruth, type ExpectedAlert } from '../truth.ts';
import { neighbours } from './dark-activity.ts';
import { resized } from './draught.ts';
import { Route } from './route.ts';
import { DPRK_WEST_SEA, distanceToRingM } from './sanctioned-places.ts';
import { HOUR, MINUTE, scripted, tooShort, type Scenario, type ScenarioContext, type ScenarioVessel } from './scenario.ts';

export const SANCTION_GAP_MS = 30 * HOUR;
/** dark-profile.ts darkMaxSpeedKn: the reach speed of gapNearSanctionedArea. */
const REACH_KN = 15;
/** Draught threshold of a 250–300 m tanker (identity draught-rule.ts, voyages.ts draughtThresholdsM.suezmax). */
const SUEZMAX_THRESHOLD_M = 2;
const LENGTH_M = 274;

const round1 = (x: number) => Math.round(x * 10) / 10;
const nm = (a: LatLon, b: LatLon) => round1(haversineM(a.lon, a.lat, b.lon, b.lat) / METRES_PER_NM);

interface Site {
  role: 'loaded' | 'unladen' | 'far';
  centre: LatLon;
  /** Minutes after the run's start + 2 h at which the vessel goes dark (staggered: distinct alerts). */
  lagMin: number;
  deeperM: number;
  /** Where it goes while dark: to the area (and 5 km into it) or nowhere in particular. */
  visitsArea: boolean;
}

const SITES: readonly Site[] = [
  { role: 'loaded', centre: { lon: 123.9, lat: 36.4 }, lagMin: 0, deeperM: 3, visitsArea: true },
  { role: 'unladen', centre: { lon: 123.8, lat: 35.1 }, lagMin: 20, deeperM: 0, visitsArea: false },
  { role: 'far', centre: { lon: 124.5, lat: 31.5 }, lagMin: 40, deeperM: 3, visitsArea: false },
];

function darkVoyage(ctx: ScenarioContext, s: Site) {
  const r = ctx.rng;
  const T = ctx.window.startMs;
  const kn = round1(r.range(10.5, 11.5));
  const course = Math.round(r.range(0, 360));
  // Off 5 km before the site centre, on 5–15 km beyond it: both within 15 km of the neighbours' hub.
  const off = sphericalDestination(s.centre, (course + 180) % 360, 5000);
  const on = sphericalDestination(s.centre, course, r.range(5000, 15_000));
  const tOff = T + 2 * HOUR + s.lagMin * MINUTE;
  const tOn = tOff + SANCTION_GAP_MS;
  const start = sphericalDestination(off, (course + 180) % 360, kn * KN_TO_MS * ((tOff - (T - HOUR)) / 1000));
  const route = new Route(start, T - HOUR).sail(off, kn);
  // While dark: to the area's nearest point and 5 km in, lie there, and back (12 kn); or a slow loop nearby.
  const target = s.visitsArea ? sphericalDestination(distanceToRingM(off, DPRK_WEST_SEA.ring).nearest, initialBearingDeg(off, distanceToRingM(off, DPRK_WEST_SEA.ring).nearest), 5000) : sphericalDestination(s.centre, (course + 90) % 360, 30_000);
  const legMs = (a: LatLon, b: LatLon) => (haversineM(a.lon, a.lat, b.lon, b.lat) / (12 * KN_TO_MS)) * 1000;
  route.sail(target, 12);
  const lieMs = tOn - route.t - legMs(target, on);
  if (lieMs <= 0) throw new Error(`${ctx.name}/${s.role}: the dark voyage does not fit the gap`);
  route.hold(lieMs, sphericalDestination(target, 0, 200), NAV.atAnchor);
  route.sail(on, 12);
  // Back on: patrol 40 km out and back at cruise speed for the rest of the run (never slow).
  const lane = sphericalDestination(on, course, 40_000);
  route.patrol(lane, on, kn, ctx.window.endMs + HOUR);
  return { waypoints: route.waypoints(), off, on, tOff, tOn, kn };
}

export const gapNearSanctionedArea: Scenario = {
  name: 'gap_near_sanctioned_area',
  hub: { label: 'Central Yellow Sea', lat: 36.4, lon: 123.9 },
  jitterM: 0,
  namedOnly: 'needs a 34 h run; the detector reads the sanctioned areas',
  build(ctx) {
    const needH = 2 + 40 / 60 + SANCTION_GAP_MS / HOUR + 1.5;
    if (ctx.window.endMs - ctx.window.startMs < needH * HOUR) return tooShort(ctx, Math.ceil(needH));
    const r = ctx.rng;
    const vessels: ScenarioVessel[] = [];
    const expectedAlerts: ExpectedAlert[] = [];
    const draughtChanges: DraughtChangeTruth[] = [];
    const offs: Record<string, LatLon> = {};
    const gaps: Record<string, { start: string; end: string }> = {};
    for (const s of SITES) {
      const dv = darkVoyage(ctx, s);
      const v = scripted(ctx, s.role, 'tanker', dv.waypoints, { watchlisted: s.role === 'loaded', shadowFlag: s.role !== 'unladen', reporting: { silences: [{ startMs: dv.tOff, endMs: dv.tOn }] } });
      const before = round1(r.range(9, 10.5));
      const after = round1(before + s.deeperM);
      v.identity = resized(v.identity, LENGTH_M, 48, before);
      const tChange = dv.tOff + SANCTION_GAP_MS / 2;
      if (s.deeperM > 0) v.draughts = [{ fromMs: tChange, draughtM: after }];
      const near = neighbours(ctx, s.centre, 2, { minOffM: 8000, maxOffM: 15_000, halfLenM: 15_000 }).map((n) => ({ ...n, role: `${s.role}_${n.role}`, key: `${ctx.name}/${s.role}_${n.role}` }));
      vessels.push(v, ...near);
      offs[s.role] = dv.off;
      gaps[s.role] = { start: iso(dv.tOff), end: iso(dv.tOn) };

      const dOff = distanceToRingM(dv.off, DPRK_WEST_SEA.ring).distanceM;
      const dOn = distanceToRingM(dv.on, DPRK_WEST_SEA.ring).distanceM;
      const neededH = round1((dOff + dOn) / (REACH_KN * KN_TO_MS) / 3600);
      const gapH = SANCTION_GAP_MS / HOUR;
      const reachable = neededH < gapH;
      const loaded = s.deeperM >= SUEZMAX_THRESHOLD_M;
      const base = { vessels: [v.key], mmsis: [v.identity.mmsi], start: iso(dv.tOff), end: iso(dv.tOn) };
      const details = {
        gapHours: gapH,
        offNmToArea: round1(dOff / METRES_PER_NM),
        onNmToArea: round1(dOn / METRES_PER_NM),
        hoursNeededAt15Kn: neededH,
        draughtBeforeM: before,
        draughtAfterM: after,
        draughtIncreaseM: round1(after - before),
        thresholdM: SUEZMAX_THRESHOLD_M,
        lengthM: LENGTH_M,
        neighbours: near.length,
      };
      expectedAlerts.push({
        ...base,
        type: 'ais_gap',
        expected: true,
        why: `no position for ${gapH} h from > 50 nm offshore while ${near.length} ships within 50 km kept reporting`,
        details: { hours: gapH, neighbours: near.length, coastNmAtLeast: 50 },
      });
      expectedAlerts.push({
        ...base,
        type: 'gap_near_sanctioned_area',
        expected: reachable && loaded,
        why: !reachable
          ? `+${round1(after - before)} m after the gap, but off → ${DPRK_WEST_SEA.name} → on needs ${neededH} h at ${REACH_KN} kn, more than the ${gapH} h gap: out of reach`
          : !loaded
            ? `off → area → on fits (${neededH} h of ${gapH} h at ${REACH_KN} kn), but the draught is the same before and after (${before} m): nothing loaded`
            : `dark ${gapH} h; off ${details.offNmToArea} nm and on ${details.onNmToArea} nm from ${DPRK_WEST_SEA.name}, ${neededH} h at ${REACH_KN} kn; draught ${before} → ${after} m (+${round1(after - before)} m ≥ ${SUEZMAX_THRESHOLD_M} m for a ${LENGTH_M} m tanker): loaded while dark`,
        details,
      });
      if (s.deeperM > 0) {
        draughtChanges.push({
          vessel: v.key,
          mmsi: v.identity.mmsi,
          lengthM: LENGTH_M,
          at: iso(tChange),
          fromM: before,
          toM: after,
          revertedAt: null,
          expected: true,
          why: `+${round1(after - before)} m on a ${LENGTH_M} m tanker across a ${gapH} h AIS gap, kept to the end: cargo loaded while dark (first on air after the gap)`,
        });
      }
    }
    const [loaded, unladen] = [vessels.find((v) => v.role === 'loaded')!, vessels.find((v) => v.role === 'unladen')!];
    const sepNm = nm(offs['loaded']!, offs['unladen']!);
    expectedAlerts.push({
      type: 'dark_rendezvous',
      kind: 'dark_dark',
      vessels: [loaded.key, unladen.key],
      mmsis: [loaded.identity.mmsi, unladen.identity.mmsi],
      start: gaps['unladen']!.start,
      end: gaps['loaded']!.end,
      expected: false,
      why: `dark at the same time, but their off positions are ${sepNm} nm apart (beyond dark-dark's 50 nm)`,
      details: { offSeparationNm: sepNm },
    });
    return {
      description:
        'Three 274 m tankers go dark for 30 h far offshore with ships nearby still reporting: one within reach of DPRK waters comes back 3 m deeper (an alert); one within reach comes back at the same draught, one 375 nm away comes back 3 m deeper (no alert).',
      vessels,
      pairs: [],
      params: { gaps, offSeparationNm: sepNm, reachKn: REACH_KN, area: DPRK_WEST_SEA.name },
      extra: { expectedAlerts, draughtChanges },
    };
  },
};
