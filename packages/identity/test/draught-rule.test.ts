import { describe, expect, it } from 'vitest';
import { draughtChangeAcross, tankerSizeClass, type DraughtSample } from '../src/index.ts';

const H = 3_600_000;
const MIN = 60_000;
const T = Date.UTC(2025, 5, 1, 12);
/** A meeting from T to T + 3 h. */
const EVENT = { start: T, end: T + 3 * H };
const pts = (...p: [number, number][]): DraughtSample[] => p.map(([t, draughtM]) => ({ t, draughtM }));

describe('draughtChangeAcross', () => {
  it('a Suezmax deeper by 5 m 40 min after the meeting, kept: laden', () => {
    const r = draughtChangeAcross(pts([T - 20 * H, 10.5], [EVENT.end + 40 * MIN, 15.5]), EVENT, 274);
    expect(r).toMatchObject({ beforeM: 10.5, afterM: 15.5, beforeAt: T - 20 * H, afterAt: EVENT.end + 40 * MIN, deltaM: 5, thresholdM: 2, sizeClass: 'suezmax', laden: true });
    expect(r!.reason).toContain('deepened by 5.0 m');
    expect(r!.reason).toContain('suezmax');
  });

  it('a change during the event counts; a shallower draught is a discharge (laden false)', () => {
    const r = draughtChangeAcross(pts([T - H * 30, 16.0], [T + H, 9.0]), EVENT, 330);
    expect(r).toMatchObject({ deltaM: -7, thresholdM: 3, sizeClass: 'vlcc', laden: false });
    expect(r!.reason).toContain('discharged');
  });

  it('thresholds by size class (DESIGN.md): at the threshold fires, 0.1 m below does not', () => {
    const cases: [number | null, number][] = [[null, 1], [150, 1], [199.9, 1], [200, 1.5], [245, 1.5], [250, 2], [300, 2], [301, 3], [380, 3]];
    for (const [len, th] of cases) {
      const at = draughtChangeAcross(pts([T - 10 * H, 10], [T + 4 * H, 10 + th]), EVENT, len);
      expect(at?.thresholdM, `length ${len}`).toBe(th);
      const below = draughtChangeAcross(pts([T - 10 * H, 10], [T + 4 * H, Math.round((10 + th - 0.1) * 10) / 10]), EVENT, len);
      expect(below, `length ${len} below`).toBeNull();
    }
    expect(tankerSizeClass(0)).toBe('small');
  });

  it('negative: a typo back and forth (10.5 → 15.0 → 10.5 within 40 min) is not a change', () => {
    const series = pts([T - 10 * H, 10.5], [EVENT.end + H, 15.0], [EVENT.end + H + 40 * MIN, 10.5]);
    expect(draughtChangeAcross(series, EVENT, 274)).toBeNull();
    // …nor a typo just before the start, reverted during the event.
    expect(draughtChangeAcross(pts([T - 10 * H, 10.5], [T - 10 * MIN, 15.0], [T + 30 * MIN, 10.5]), EVENT, 274)).toBeNull();
    // A typo then a real change: the stable value after it is taken.
    const r = draughtChangeAcross(pts([T - 10 * H, 10.5], [EVENT.end + H, 15.0], [EVENT.end + H + 10 * MIN, 14.0]), EVENT, 274);
    expect(r).toMatchObject({ afterM: 14.0, afterAt: EVENT.end + H + 10 * MIN, deltaM: 3.5 });
  });

  it('negative: below the threshold for each class', () => {
    expect(draughtChangeAcross(pts([T - H, 10.0], [T + 4 * H, 10.9]), EVENT, 120)).toBeNull(); // small: 0.9 < 1
    expect(draughtChangeAcross(pts([T - H, 10.0], [T + 4 * H, 11.4]), EVENT, 230)).toBeNull(); // Aframax: 1.4 < 1.5
    expect(draughtChangeAcross(pts([T - H, 10.0], [T + 4 * H, 11.9]), EVENT, 274)).toBeNull(); // Suezmax: 1.9 < 2
    expect(draughtChangeAcross(pts([T - H, 10.0], [T + 4 * H, 12.9]), EVENT, 333)).toBeNull(); // VLCC: 2.9 < 3
  });

  it('negative: not-available values (0) are ignored, not read as a change', () => {
    expect(draughtChangeAcross(pts([T - H, 10.0], [T + 4 * H, 0]), EVENT, 274)).toBeNull();
    expect(draughtChangeAcross(pts([T - H, 0], [T + 4 * H, 14.0]), EVENT, 274)).toBeNull(); // nothing known before
    // n/a between two equal values: no change.
    expect(draughtChangeAcross(pts([T - H, 10.0], [T + 4 * H, 0], [T + 8 * H, 10.0]), EVENT, 274)).toBeNull();
    expect(draughtChangeAcross(pts([T - H, Number.NaN], [T + 4 * H, 14.0]), EVENT, 274)).toBeNull();
  });

  it('negative: no data after the event, no data before, or the change comes later than 24 h', () => {
    expect(draughtChangeAcross(pts([T - H, 10.0]), EVENT, 274)).toBeNull();
    expect(draughtChangeAcross([], EVENT, 274)).toBeNull();
    expect(draughtChangeAcross(pts([T + H, 14.0]), EVENT, 274)).toBeNull();
    expect(draughtChangeAcross(pts([T - H, 10.0], [EVENT.end + 25 * H, 14.0]), EVENT, 274)).toBeNull();
    // A change before the event is the "before" value, not a change across it.
    expect(draughtChangeAcross(pts([T - 30 * H, 10.0], [T - 10 * H, 14.0]), EVENT, 274)).toBeNull();
  });

  it('a last value too recent to be shown stable (seriesEnd) does not count', () => {
    const series = pts([T - H, 10.0], [EVENT.end + H, 14.0]);
    expect(draughtChangeAcross(series, EVENT, 274, { seriesEnd: EVENT.end + H + 30 * MIN })).toBeNull();
    expect(draughtChangeAcross(series, EVENT, 274, { seriesEnd: EVENT.end + 4 * H })).not.toBeNull();
  });

  it('25.5 m means "25.5 m or more"; unsorted input and float32 values are handled', () => {
    const r = draughtChangeAcross(pts([EVENT.end + 2 * H, 25.5], [T - H, 20.0]), { start: new Date(EVENT.start), end: new Date(EVENT.end) }, 330);
    expect(r).toMatchObject({ deltaM: 5.5, laden: true });
    expect(r!.reason).toContain('at least 5.5 m');
    expect(draughtChangeAcross(pts([T - H, 10.100000381469727], [T + 4 * H, 11.100000381469727]), EVENT, 150)?.deltaM).toBe(1);
  });
});
