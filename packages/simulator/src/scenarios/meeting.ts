/**
 * Two ships come together, hold station alongside while drifting with the current, and part: the
 * canonical STS transfer. The variants (short stop, silence, midnight, mixed rates, antimeridian)
 * reuse the same choreography and change one thing each.
 */
import { iso } from '../truth.ts';
import type { ReportingProfile } from '../emitter.ts';
import { sphericalDestination, type LatLon } from '@rendezvous/geodesy';
import { NAV, WaypointTrack } from '../kinematics.ts';
import { around, drift, stationWaypoints } from './choreography.ts';
import { HOUR, MINUTE, placeHold, scripted, tooShort, type Scenario, type ScenarioBuild, type ScenarioContext } from './scenario.ts';

export interface MeetingPlan {
  tHoldStart: number;
  holdMs: number;
  separationM: number;
  driftKn: number;
  driftBearing: number;
  /** Bearing from the first ship to the second while alongside. */
  offsetBearing: number;
  /** Where the first ship starts holding (default: the scenario centre). */
  at?: LatLon;
  reportingA?: Partial<ReportingProfile>;
  reportingB?: Partial<ReportingProfile>;
}

/** The usual random draw: 50–400 m apart, drifting 0.2–0.8 kn (the brief's "drifting < 1 kn"). */
export function randomPlan(ctx: ScenarioContext, tHoldStart: number, holdMs: number): MeetingPlan {
  const r = ctx.rng;
  return {
    tHoldStart,
    holdMs,
    separationM: Math.round(r.range(50, 400)),
    driftKn: Math.round(r.range(0.2, 0.8) * 100) / 100,
    driftBearing: Math.round(r.range(0, 360)),
    offsetBearing: Math.round(r.range(0, 360)),
  };
}

/** Two ships meeting per `plan`: the watchlisted "suspect" tanker and its "partner". */
export function buildMeeting(ctx: ScenarioContext, plan: MeetingPlan, description: string, params: Record<string, unknown> = {}): ScenarioBuild {
  const r = ctx.rng;
  const tEnd = plan.tHoldStart + plan.holdMs;
  const p0 = plan.at ?? ctx.centre;
  const p1 = drift(p0, plan.driftBearing, plan.driftKn, plan.holdMs);
  const heading = Math.round(r.range(0, 360));
  const holdNav = r.pick([NAV.underWayEngine, NAV.underWayEngine, NAV.restricted]);
  const common = { window: ctx.window, tHoldStart: plan.tHoldStart, tHoldEnd: tEnd, holdNavStatus: holdNav, holdHeading: heading };
  const away = (plan.offsetBearing + 180) % 360;
  const a = stationWaypoints({
    ...common,
    holdStart: p0,
    holdEnd: p1,
    arriveFrom: around(r, away, 50),
    departTo: around(r, away, 60),
    cruiseKn: r.range(10, 13),
  });
  const b = stationWaypoints({
    ...common,
    holdStart: sphericalDestination(p0, plan.offsetBearing, plan.separationM),
    holdEnd: sphericalDestination(p1, plan.offsetBearing, plan.separationM),
    arriveFrom: around(r, plan.offsetBearing, 50),
    departTo: around(r, plan.offsetBearing, 60),
    cruiseKn: r.range(10, 13),
  });
  return {
    description,
    vessels: [
      scripted(ctx, 'suspect', 'tanker', new WaypointTrack(a), { watchlisted: true, shadowFlag: true, ...(plan.reportingA ? { reporting: plan.reportingA } : {}) }),
      scripted(ctx, 'partner', 'tanker', new WaypointTrack(b), plan.reportingB ? { reporting: plan.reportingB } : {}),
    ],
    pairs: [{ a: 'suspect', b: 'partner' }],
    params: {
      holdStart: iso(plan.tHoldStart),
      holdEnd: iso(tEnd),
      holdHours: plan.holdMs / HOUR,
      separationM: plan.separationM,
      driftKn: plan.driftKn,
      driftBearing: plan.driftBearing,
      ...params,
    },
  };
}

export const meeting: Scenario = {
  name: 'meeting',
  hub: { label: 'Laconian Gulf', lat: 36.45, lon: 22.75 },
  jitterM: 3000,
  build(ctx) {
    const holdMs = 3 * HOUR;
    const t = placeHold(ctx, holdMs);
    if (t === null) return tooShort(ctx, 5);
    return buildMeeting(ctx, randomPlan(ctx, t, holdMs), 'Two tankers meet, drift alongside < 1 kn for 3 h, then part: one encounter.');
  },
};

export const shortStop: Scenario = {
  name: 'short_stop',
  hub: { label: 'Messinian Gulf (Kalamata)', lat: 36.85, lon: 22.0 },
  jitterM: 3000,
  build(ctx) {
    const holdMs = Math.round(ctx.rng.range(55, 80)) * MINUTE;
    const t = placeHold(ctx, holdMs);
    if (t === null) return tooShort(ctx, 3.5);
    return buildMeeting(ctx, randomPlan(ctx, t, holdMs), 'A meeting shorter than 2 h: no encounter under the GFW rule.');
  },
};
