/**
 * Detection profiles: every threshold of the rendezvous rule is a field here (DESIGN.md "Domain
 * rules": every threshold is configuration).
 */

export interface DetectionProfile {
  /** Reported on each event as `profile`. */
  name: string;
  /**
   * Which pairs the profile judges. Each pair is judged by the FIRST profile in the list that
   * applies to it: 'sensitive' applies to pairs with at least one vessel in `sensitiveMmsis`,
   * 'all' to every pair.
   */
  appliesTo: 'all' | 'sensitive';
  /** Resampling grid step (ms). The grid is aligned to the Unix epoch (so to midnight UTC). */
  gridStepMs: number;
  /** Interpolate between two reports only when they are less than this apart (ms). */
  maxInterpolationGapMs: number;
  /** A pair is "close" at a grid step when the geodesic distance is ≤ this (m). */
  maxDistanceM: number;
  /** A run of consecutive close steps is kept only if it lasts ≥ this (last − first step, ms). */
  minRunMs: number;
  /** Kept runs of one pair less than this apart (next start − previous end, ms) are merged. */
  mergeGapMs: number;
  /** An event needs ≥ this much close time: the sum of its runs' durations, gaps excluded (ms). */
  minDurationMs: number;
  /** Both vessels' median speeds over the event's close steps must be < this (knots). */
  maxMedianSpeedKn: number;
  /**
   * 'implied': speed from the resampled track (distance between neighbouring grid positions
   * over time), as GFW does; robust against GPS jitter at high report rates and against
   * missing/incorrect SOG. 'reported': the interpolated AIS SOG, falling back to implied.
   */
  speedSource: 'implied' | 'reported';
  /** Drop events whose centroid is near a port/anchorage (else keep them with inPort: true). */
  dropInPort: boolean;
  /** Radius (m) handed to the `isNearPort` hook for this profile. */
  portRadiusM: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Global Fishing Watch encounters (DESIGN.md; GFW pipe-encounters): 10-min grid, no
 * interpolation across ≥ 1 h, ≤ 500 m, ≥ 2 h, median speed < 2 kn, runs < 4 h apart merged,
 * ≥ 10 km from an anchorage. `minRunMs` = 1 h is GFW's raw-encounter minimum (their
 * `create_raw_encounters --min_encounter_time_minutes 60`, with 120 applied after merging).
 */
export const DEFAULT_PROFILE: Readonly<DetectionProfile> = Object.freeze({
  name: 'gfw-encounter',
  appliesTo: 'all',
  gridStepMs: 10 * MIN,
  maxInterpolationGapMs: HOUR,
  maxDistanceM: 500,
  minRunMs: HOUR,
  mergeGapMs: 4 * HOUR,
  minDurationMs: 2 * HOUR,
  maxMedianSpeedKn: 2,
  speedSource: 'implied',
  dropInPort: true,
  portRadiusM: 10_000,
});

/**
 * For pairs with a watchlisted/suspect vessel (DESIGN.md: "Watchlisted vessels deserve the more
 * sensitive profile"). Looser on every axis: distance ≤ 1 km (MarineTraffic's upper bound,
 * "< 3× the longer ship's length (≤ 1 km)"), duration ≥ 30 min (Skylight's "> 30 min"; the
 * 250 m of Skylight is tighter than GFW and so is not used for a *sensitive* rule), median speed
 * < 3 kn (our choice: DESIGN.md gives no speed for Skylight/MarineTraffic; 3 kn admits slow
 * drifting transfers that GFW's 2 kn misses). Same 10-min grid so resampling is shared; runs
 * must span ≥ 20 min (3 grid steps) so single-step brushes never merge into an event.
 */
export const SENSITIVE_PROFILE: Readonly<DetectionProfile> = Object.freeze({
  name: 'sensitive',
  appliesTo: 'sensitive',
  gridStepMs: 10 * MIN,
  maxInterpolationGapMs: HOUR,
  maxDistanceM: 1000,
  minRunMs: 20 * MIN,
  mergeGapMs: 4 * HOUR,
  minDurationMs: 30 * MIN,
  maxMedianSpeedKn: 3,
  speedSource: 'implied',
  dropInPort: true,
  portRadiusM: 10_000,
});

/** Sensitive first: a pair with a watchlisted vessel is judged by it, every other pair by GFW's rule. */
export const DEFAULT_PROFILES: readonly Readonly<DetectionProfile>[] = Object.freeze([SENSITIVE_PROFILE, DEFAULT_PROFILE]);

/** Throws a RangeError naming the field when a profile cannot work. */
export function validateProfile(p: DetectionProfile): void {
  const positive = ['gridStepMs', 'maxInterpolationGapMs', 'maxDistanceM', 'maxMedianSpeedKn'] as const;
  for (const k of positive) {
    if (!(Number.isFinite(p[k]) && p[k] > 0)) throw new RangeError(`profile ${p.name}: ${k} must be a positive number`);
  }
  const nonNegative = ['minRunMs', 'mergeGapMs', 'minDurationMs', 'portRadiusM'] as const;
  for (const k of nonNegative) {
    if (!(Number.isFinite(p[k]) && p[k] >= 0)) throw new RangeError(`profile ${p.name}: ${k} must be ≥ 0`);
  }
  if (!Number.isInteger(p.gridStepMs)) throw new RangeError(`profile ${p.name}: gridStepMs must be an integer`);
  if (p.maxDistanceM > 100_000) throw new RangeError(`profile ${p.name}: maxDistanceM above 100 km is not an encounter`);
  if (p.appliesTo !== 'all' && p.appliesTo !== 'sensitive') throw new RangeError(`profile ${p.name}: appliesTo must be 'all' or 'sensitive'`);
  if (p.speedSource !== 'implied' && p.speedSource !== 'reported') throw new RangeError(`profile ${p.name}: speedSource must be 'implied' or 'reported'`);
}

/**
 * Context margin (ms) a window needs on each side, beyond the event itself, for its events to be
 * final ("settled"): positions are exact only ≥ maxInterpolationGap + one step inside the data
 * (the bracketing report may lie outside it, and implied speed looks one step further), and a
 * run within mergeGap (+ a run cut to below minRun by the edge) could still merge in.
 */
export function settleMarginMs(p: DetectionProfile): number {
  return p.maxInterpolationGapMs + p.gridStepMs + p.mergeGapMs + p.minRunMs;
}

/**
 * The time range of tracks to load to detect over [from, to): the window widened on both sides
 * by `maxEventMs` (the longest meeting you expect to report in full; default 24 h) plus the
 * settle margin of the most demanding profile (GFW defaults: 1 h + 10 min + 4 h + 1 h = 6 h 10 min).
 * Events longer than `maxEventMs` that cross the window are still returned, flagged provisional.
 */
export function windowContext(
  profiles: readonly DetectionProfile[],
  from: number,
  to: number,
  maxEventMs = 24 * HOUR,
): { from: number; to: number } {
  let margin = 0;
  for (const p of profiles) margin = Math.max(margin, settleMarginMs(p));
  return { from: from - maxEventMs - margin, to: to + maxEventMs + margin };
}
