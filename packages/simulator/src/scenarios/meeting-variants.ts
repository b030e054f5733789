/**
 * Meetings that stress a detector's time handling: a partner silent mid-meeting, a meeting across
 * midnight UTC, two very different reporting rates, and a meeting straddling 180° longitude.
 */
import { sphericalDestination } from '@rendezvous/geodesy';
import { iso } from '../truth.ts';
import { buildMeeting, randomPlan } from './meeting.ts';
import { HOUR, MINUTE, placeHold, tooShort, type Scenario } from './scenario.ts';

const DAY = 24 * HOUR;

export const silence: Scenario = {
  name: 'silence',
  hub: { label: 'Gulf of Tonkin', lat: 19.8, lon: 107.6 },
  jitterM: 10_000,
  build(ctx) {
    const holdMs = 3.5 * HOUR;
    const t = placeHold(ctx, holdMs);
    if (t === null) return tooShort(ctx, 5.5);
    // 45 min of silence centred in the hold: under GFW's 1 h no-interpolation limit, so still one encounter.
    const mid = t + holdMs / 2;
    const s = { startMs: mid - 22.5 * MINUTE, endMs: mid + 22.5 * MINUTE };
    const plan = { ...randomPlan(ctx, t, holdMs), reportingB: { silences: [s] } };
    return buildMeeting(ctx, plan, 'A 3.5 h meeting during which the partner is silent for 45 min: still one encounter.', {
      silentVessel: `${ctx.name}/partner`,
      silence: { start: iso(s.startMs), end: iso(s.endMs) },
    });
  },
};

export const midnight: Scenario = {
  name: 'midnight',
  hub: { label: 'Gulf of Guinea off Lomé', lat: 5.6, lon: 1.8 },
  jitterM: 10_000,
  build(ctx) {
    const holdMs = 3 * HOUR;
    // The first midnight that leaves ≥ 1 h of hold on each side and ≥ 1 h of data around the hold.
    for (let m = Math.ceil(ctx.window.startMs / DAY) * DAY; m < ctx.window.endMs; m += DAY) {
      const before = Math.round(ctx.rng.range(60, 120)) * MINUTE;
      const t = m - before;
      if (t - HOUR >= ctx.window.startMs && t + holdMs + HOUR <= ctx.window.endMs) {
        return buildMeeting(ctx, randomPlan(ctx, t, holdMs), 'A 3 h meeting spanning 00:00 UTC: one encounter, not two.', { midnight: iso(m) });
      }
    }
    return { skip: 'no 00:00 UTC in the window with 2 h of data on each side (start before 22:00 and run past 02:00)' };
  },
};

export const rates: Scenario = {
  name: 'rates',
  hub: { label: 'Gulf of Oman', lat: 24.9, lon: 58.0 },
  jitterM: 10_000,
  build(ctx) {
    const holdMs = 3 * HOUR;
    const t = placeHold(ctx, holdMs);
    if (t === null) return tooShort(ctx, 5);
    const plan = { ...randomPlan(ctx, t, holdMs), reportingA: { fixedS: 10 }, reportingB: { fixedS: 360 } };
    return buildMeeting(ctx, plan, 'A 3 h meeting where one ship reports every 10 s and the other every 6 min: one encounter.', {
      reportEveryS: { [`${ctx.name}/suspect`]: 10, [`${ctx.name}/partner`]: 360 },
    });
  },
};

export const antimeridian: Scenario = {
  name: 'antimeridian',
  hub: { label: 'South Fiji Basin on 180°', lat: -25.0, lon: 180 },
  jitterM: 0,
  build(ctx) {
    const holdMs = 3 * HOUR;
    const t = placeHold(ctx, holdMs);
    if (t === null) return tooShort(ctx, 5);
    const r = ctx.rng;
    // Start a few hundred metres west of 180° with the partner east of the first ship, drifting east:
    // the pair straddles the antimeridian and both cross it during the hold.
    const at = sphericalDestination({ lat: ctx.centre.lat + r.range(-0.2, 0.2), lon: 180 }, 270, r.range(250, 600));
    const plan = {
      ...randomPlan(ctx, t, holdMs),
      at,
      separationM: Math.round(r.range(150, 350)),
      offsetBearing: Math.round(r.range(80, 100)),
      driftBearing: Math.round(r.range(80, 100)),
      driftKn: Math.round(r.range(0.4, 0.8) * 100) / 100,
    };
    return buildMeeting(ctx, plan, 'A 3 h meeting straddling 180° longitude: one encounter, distances measured across the wrap.', {
      straddles: 180,
    });
  },
};
