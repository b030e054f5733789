import { describe, expect, it } from 'vitest';
import { median } from '../src/events.ts';
import { closeTimeMs, mergeRuns, splitRuns } from '../src/runs.ts';

const S = 600_000; // 10 min

describe('runs', () => {
  it('splits consecutive grid indices into runs and keeps those ≥ minRun with ≥ 2 steps', () => {
    const k = [1, 2, 3, 4, 5, 6, 7, 10, 20, 21, 22];
    // [1..7] lasts 60 min, [10] is a single step, [20..22] lasts 20 min.
    expect(splitRuns(k, S, 60 * 60_000)).toEqual([{ first: 0, last: 6 }]);
    expect(splitRuns(k, S, 20 * 60_000)).toEqual([
      { first: 0, last: 6 },
      { first: 8, last: 10 },
    ]);
    expect(splitRuns(k, S, 0)).toHaveLength(2); // the lone step never forms a run
  });

  it('merges runs less than mergeGap apart (strictly), and counts only close time', () => {
    // Runs [0..6] and [30..36]: gap = 24 steps = 4 h exactly → not merged at 4 h, merged at 4 h + 1 step.
    const k = [0, 1, 2, 3, 4, 5, 6, 30, 31, 32, 33, 34, 35, 36];
    const runs = splitRuns(k, S, 0);
    expect(mergeRuns(k, runs, S, 4 * 3_600_000)).toHaveLength(2);
    const merged = mergeRuns(k, runs, S, 4 * 3_600_000 + S);
    expect(merged).toHaveLength(1);
    expect(closeTimeMs(k, merged[0]!, S)).toBe(2 * 60 * 60_000);
  });

  it('median is order-independent, averages the middle pair, ignores NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });
});
