/**
 * Draught as cargo evidence (DESIGN.md "Dark activity", Draught): type 5 draught (0.1 m steps,
 * 0 = not available, 25.5 = 25.5 m or more) is typed in by the crew, so it is corroboration only.
 * A change of at least 1 m for small tankers, 1.5 m for an Aframax, 2 m for a Suezmax and 3 m for
 * a VLCC, next to a meeting or a gap, means cargo moved. Pure: the series comes from
 * `draughtChanges` in @rendezvous/db (draught-repository.ts).
 */
import { duration, iso } from './format.ts';

/** One change of a vessel's reported draught: epoch ms of its first report, metres. */
export interface DraughtSample {
  t: number;
  draughtM: number;
}

export type TankerSizeClass = 'small' | 'aframax' | 'suezmax' | 'vlcc';

export interface DraughtRuleOptions {
  /**
   * A value replaced within this time is not a value the ship sailed with ("typo back and
   * forth", e.g. 10.5 → 15.0 → 10.5 within 40 min). Project choice: ~2 h, about 20 type 5
   * reports at the 6-min static interval (ITU-R M.1371).
   */
  stableMs: number;
  /** The new value must first be reported within this time after the event ends (crews update late). */
  afterWithinMs: number;
  /**
   * Minimum change (m) per size class, by length overall (DESIGN.md "Dark activity"): small
   * tankers (< 200 m, or length unknown) 1 m, Aframax (200–250 m) 1.5 m, Suezmax (250–300 m)
   * 2 m, VLCC (> 300 m) 3 m.
   */
  thresholdsM: Readonly<Record<TankerSizeClass, number>>;
  /**
   * Epoch ms up to which the series is complete (the end of the range read). A last value first
   * reported less than `stableMs` before it cannot be shown stable, and does not count.
   * Default: the series is complete for ever (a last change stands).
   */
  seriesEnd?: number;
}

export const DEFAULT_DRAUGHT_OPTIONS: Readonly<DraughtRuleOptions> = Object.freeze({
  stableMs: 2 * 3_600_000,
  afterWithinMs: 24 * 3_600_000,
  thresholdsM: Object.freeze({ small: 1, aframax: 1.5, suezmax: 2, vlcc: 3 }),
});

/** Size class by length overall (m): Aframax ~200–250 m, Suezmax ~250–300 m, VLCC > 300 m. */
export function tankerSizeClass(lengthM: number | null): TankerSizeClass {
  if (lengthM === null || !Number.isFinite(lengthM) || lengthM <= 0 || lengthM < 200) return 'small';
  if (lengthM < 250) return 'aframax';
  if (lengthM <= 300) return 'suezmax';
  return 'vlcc';
}

export interface DraughtChangeFinding {
  /** The value in force at the start of the event (last reported at or before it). */
  beforeM: number;
  afterM: number;
  /** Epoch ms of the first report of each value. */
  beforeAt: number;
  afterAt: number;
  /** afterM − beforeM: positive = deeper (loaded). A side at 25.5 m means "25.5 m or more". */
  deltaM: number;
  thresholdM: number;
  sizeClass: TankerSizeClass;
  /** Deeper after the event: cargo taken on. False: cargo discharged. */
  laden: boolean;
  reason: string;
}

const toMs = (t: number | Date) => (typeof t === 'number' ? t : t.getTime());
/** 0.1 m steps: compare the values typed in, not their float32 rounding. */
const dm = (m: number) => Math.round(m * 10);

/**
 * The draught change across an event (`start`–`end`, epoch ms or Dates), or null when there is
 * none worth reporting: no value before the event, no stable new value between its start and
 * `afterWithinMs` after its end, or a change smaller than the size-class threshold. Values that
 * are replaced within `stableMs` are skipped (typos), and so are 0 / not-a-number (not available).
 */
export function draughtChangeAcross(
  series: readonly DraughtSample[],
  at: { start: number | Date; end: number | Date },
  lengthM: number | null,
  options: Partial<DraughtRuleOptions> = {},
): DraughtChangeFinding | null {
  const opts = { ...DEFAULT_DRAUGHT_OPTIONS, ...options };
  const start = toMs(at.start);
  const end = toMs(at.end);
  if (!(Number.isFinite(start) && Number.isFinite(end) && end >= start)) return null;
  // Valid values only, time-ordered, consecutive equal values merged.
  const s: DraughtSample[] = [];
  for (const p of [...series].filter((p) => Number.isFinite(p.t) && Number.isFinite(p.draughtM) && p.draughtM > 0).sort((a, b) => a.t - b.t)) {
    if (s.length > 0 && dm(s[s.length - 1]!.draughtM) === dm(p.draughtM)) continue;
    s.push(p);
  }
  const stable = (i: number): boolean => {
    const next = s[i + 1];
    if (next) return next.t - s[i]!.t >= opts.stableMs;
    return opts.seriesEnd === undefined || opts.seriesEnd - s[i]!.t >= opts.stableMs;
  };
  // Before: the value in force at the start: the last one reported at or before it that stood
  // (a typo just before the start is skipped).
  let b = -1;
  for (let i = 0; i < s.length && s[i]!.t <= start; i++) if (stable(i)) b = i;
  if (b < 0) return null;
  const before = s[b]!;
  // After: the first stable value, first reported after the start and by end + afterWithin, that differs.
  let after: DraughtSample | null = null;
  for (let i = b + 1; i < s.length && s[i]!.t <= end + opts.afterWithinMs; i++) {
    if (s[i]!.t > start && stable(i) && dm(s[i]!.draughtM) !== dm(before.draughtM)) {
      after = s[i]!;
      break;
    }
  }
  if (!after) return null;
  const sizeClass = tankerSizeClass(lengthM);
  const thresholdM = opts.thresholdsM[sizeClass];
  const deltaM = (dm(after.draughtM) - dm(before.draughtM)) / 10;
  if (Math.abs(deltaM) < thresholdM) return null;
  const laden = deltaM > 0;
  const atLeast = dm(after.draughtM) >= 255 || dm(before.draughtM) >= 255 ? 'at least ' : '';
  const len = lengthM === null ? 'length unknown' : `${Math.round(lengthM)} m`;
  return {
    beforeM: before.draughtM,
    afterM: after.draughtM,
    beforeAt: before.t,
    afterAt: after.t,
    deltaM,
    thresholdM,
    sizeClass,
    laden,
    reason:
      `reported draught ${laden ? 'deepened' : 'decreased'} by ${atLeast}${Math.abs(deltaM).toFixed(1)} m ` +
      `(${before.draughtM.toFixed(1)} m since ${iso(before.t)} → ${after.draughtM.toFixed(1)} m from ${iso(after.t)}, ` +
      `${duration((after.t - end) / 3_600_000)} ${after.t >= end ? 'after' : 'before'} the event ended), ` +
      `≥ the ${thresholdM} m threshold for a ${sizeClass} tanker (${len}): cargo ${laden ? 'loaded' : 'discharged'}`,
  };
}
