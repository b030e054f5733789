/**
 * Runs and merging (DESIGN.md; GFW pipe-encounters `compute_encounters` and `merge_encounters`):
 * consecutive close grid steps of one pair form a run; a run lasting ≥ minRun is kept (GFW's raw
 * encounter); kept runs of the same pair less than mergeGap apart are merged into one candidate
 * event, which is then judged on its total close time and median speeds (see events.ts). As in
 * GFW, the duration/speed test comes after merging, so two 75-minute runs split by a 90-minute
 * silence become one event with 2 h 30 min of close time.
 */

/** A run: indices [first, last] into a pair's step arrays; steps k[first..last] are consecutive. */
export interface Run {
  first: number;
  last: number;
}

/** Splits a pair's (sorted) close steps into runs of consecutive grid indices and keeps those ≥ minRun. */
export function splitRuns(k: readonly number[], stepMs: number, minRunMs: number): Run[] {
  const runs: Run[] = [];
  let first = 0;
  for (let i = 1; i <= k.length; i++) {
    if (i < k.length && k[i] === k[i - 1]! + 1) continue;
    const last = i - 1;
    // A run needs two steps (a single step has no duration) and minRun of close time.
    if (last > first && (k[last]! - k[first]!) * stepMs >= minRunMs) runs.push({ first, last });
    first = i;
  }
  return runs;
}

/** Groups kept runs whose gap (next first step − previous last step) is < mergeGap. */
export function mergeRuns(k: readonly number[], runs: readonly Run[], stepMs: number, mergeGapMs: number): Run[][] {
  const groups: Run[][] = [];
  let cur: Run[] = [];
  for (const r of runs) {
    const prev = cur[cur.length - 1];
    if (prev !== undefined && (k[r.first]! - k[prev.last]!) * stepMs >= mergeGapMs) {
      groups.push(cur);
      cur = [];
    }
    cur.push(r);
  }
  if (cur.length > 0) groups.push(cur);
  return groups;
}

/** Close time of a group: the sum of its runs' durations (the gaps between runs do not count). */
export function closeTimeMs(k: readonly number[], group: readonly Run[], stepMs: number): number {
  let total = 0;
  for (const r of group) total += (k[r.last]! - k[r.first]!) * stepMs;
  return total;
}
