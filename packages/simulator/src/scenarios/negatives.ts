/**
 * Close or slow — but not both for long enough: the traps that make a naive "near each other"
 * detector raise false alarms.
 */
import { iso } from '../truth.ts';
import { KN_TO_MS, sphericalDestination, type LatLon } from '@rendezvous/geodesy';
import type { Waypoint } from '../kinematics.ts';
import { around, drift, stationWaypoints } from './choreography.ts';
import { HOUR, MINUTE, placeHold, scripted, tooShort, type Scenario, type ScenarioContext } from './scenario.ts';

/** A straight great-circle run through `through` at time `tMs`, covering the window ± 1 h. */
function straightRun(ctx: ScenarioContext, through: LatLon, tMs: number, course: number, kn: number): Waypoint[] {
  const t0 = ctx.window.startMs - HOUR;
  const t1 = ctx.window.endMs + HOUR;
  const v = kn * KN_TO_MS;
  return [
    { ...sphericalDestination(through, (course + 180) % 360, (v * (tMs - t0)) / 1000), tMs: t0 },
    { ...through, tMs },
    { ...sphericalDestination(through, course, (v * (t1 - tMs)) / 1000), tMs: t1 },
  ];
}

export const passing: Scenario = {
  name: 'passing',
  hub: { label: 'Central North Sea', lat: 56.0, lon: 3.5 },
  jitterM: 20_000,
  build(ctx) {
    const r = ctx.rng;
    const tc = placeHold(ctx, 0);
    if (tc === null) return tooShort(ctx, 2);
    const courseA = Math.round(r.range(0, 360));
    const courseB = Math.round(around(r, courseA + 90, 30));
    const [kA, kB] = [r.range(12, 15), r.range(12, 15)];
    const cpaM = Math.round(r.range(150, 350));
    const a = straightRun(ctx, ctx.centre, tc, courseA, kA);
    const b = straightRun(ctx, sphericalDestination(ctx.centre, (courseB + 90) % 360, cpaM), tc, courseB, kB);
    return {
      description: 'Two ships cross at 12–15 kn a few hundred metres apart: close for a minute, never slow; no encounter.',
      vessels: [scripted(ctx, 'give_way', 'cargo', a, { watchlisted: true, shadowFlag: true }), scripted(ctx, 'stand_on', 'container', b)],
      pairs: [{ a: 'give_way', b: 'stand_on' }],
      params: { crossing: iso(tc), courses: [courseA, courseB], speedsKn: [round1(kA), round1(kB)], offsetM: cpaM },
    };
  },
};

export const convoy: Scenario = {
  name: 'convoy',
  hub: { label: 'Arabian Sea', lat: 18.0, lon: 62.0 },
  jitterM: 20_000,
  build(ctx) {
    const r = ctx.rng;
    const mid = (ctx.window.startMs + ctx.window.endMs) / 2;
    const course = Math.round(r.range(0, 360));
    const kn = r.range(10, 12);
    const abeamM = Math.round(r.range(280, 320));
    const lead = straightRun(ctx, ctx.centre, mid, course, kn);
    // The second ship keeps station abeam: same speed, offset at every waypoint.
    const second = lead.map((w) => ({ ...sphericalDestination(w, (course + 90) % 360, abeamM), tMs: w.tMs }));
    return {
      description: 'Two ships 300 m apart under way at 10–12 kn for the whole run: close for hours but never slow; no encounter.',
      vessels: [scripted(ctx, 'lead', 'tanker', lead, { watchlisted: true, shadowFlag: true }), scripted(ctx, 'escort', 'tanker', second)],
      pairs: [{ a: 'lead', b: 'escort' }],
      params: { course, speedKn: round1(kn), abeamM },
    };
  },
};

export const loiterApart: Scenario = {
  name: 'loiter_apart',
  hub: { label: 'Eastern OPL off Malaysia', lat: 1.6, lon: 104.75 },
  jitterM: 5000,
  build(ctx) {
    const r = ctx.rng;
    const holdMs = Math.round(r.range(4, 6) * 60) * MINUTE;
    const t = placeHold(ctx, holdMs);
    if (t === null) return tooShort(ctx, 8);
    const apartM = Math.round(r.range(800, 2000));
    const off = Math.round(r.range(0, 360));
    const driftBearing = Math.round(r.range(0, 360));
    const driftKn = round1(r.range(0.2, 0.7));
    const p0 = ctx.centre;
    const p1 = drift(p0, driftBearing, driftKn, holdMs);
    const common = { window: ctx.window, tHoldStart: t, tHoldEnd: t + holdMs };
    const a = stationWaypoints({ ...common, holdStart: p0, holdEnd: p1, arriveFrom: around(r, off + 180, 45), departTo: around(r, off + 180, 45), cruiseKn: r.range(9, 12) });
    const b = stationWaypoints({
      ...common,
      holdStart: sphericalDestination(p0, off, apartM),
      holdEnd: sphericalDestination(p1, off, apartM),
      arriveFrom: around(r, off, 45),
      departTo: around(r, off, 45),
      cruiseKn: r.range(9, 12),
    });
    return {
      description: 'Two ships loiter 800 m–2 km apart for hours: slow and long, but never within 500 m; no encounter.',
      vessels: [scripted(ctx, 'loiterer_a', 'tanker', a, { watchlisted: true, shadowFlag: true }), scripted(ctx, 'loiterer_b', 'tanker', b)],
      pairs: [{ a: 'loiterer_a', b: 'loiterer_b' }],
      params: { holdStart: iso(t), holdHours: holdMs / HOUR, apartM, driftKn },
    };
  },
};

const round1 = (x: number) => Math.round(x * 10) / 10;
