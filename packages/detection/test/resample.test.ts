import { describe, expect, it } from 'vitest';
import { geodesicDistanceM } from '@rendezvous/geodesy';
import { impliedSpeedKn, resample } from '../src/resample.ts';
import { normaliseTracks, type Track } from '../src/tracks.ts';
import { DAY0, HOUR, MIN, passage, positionAt, track } from './gen.ts';

const STEP = 10 * MIN;

function grid(tr: Track, gapMs = HOUR) {
  const norm = normaliseTracks([tr]);
  const r = resample(norm, STEP, gapMs);
  return { r, times: Array.from(r.k, (k) => k * STEP) };
}

describe('resample', () => {
  it('aligns 10 s and 6 min reporting onto the same epoch-aligned grid, positions within metres of the truth', () => {
    const wps = passage({ lon: 3, lat: 55 }, DAY0 + 6 * HOUR, 70, 11, 3 * HOUR);
    const fast = grid(track(1, wps, { everyMs: 10_000, phaseMs: 3_000 }));
    const slow = grid(track(2, wps, { everyMs: 6 * MIN, phaseMs: 137_000 }));
    for (const t of [...fast.times, ...slow.times]) expect(t % STEP).toBe(0);
    const common = fast.times.filter((t) => slow.times.includes(t));
    expect(common.length).toBeGreaterThan(30);
    for (const { r, times } of [fast, slow]) {
      for (let p = 0; p < r.n; p++) {
        const truth = positionAt(wps, times[p]!);
        // Linear interpolation between reports of a straight track: only the course change at tVia bends it.
        expect(geodesicDistanceM(r.lon[p]!, r.lat[p]!, truth.lon, truth.lat)).toBeLessThan(60);
      }
    }
    // Implied speed from the grid is the true 11 kn, whatever the report rate.
    for (const { r } of [fast, slow]) {
      const mid = r.n >> 1;
      expect(impliedSpeedKn(r, mid)).toBeCloseTo(11, 0);
    }
  });

  it('bridges a 45-minute silence but never a silence of 1 h or more', () => {
    const wps = passage({ lon: 3, lat: 55 }, DAY0 + 6 * HOUR, 0, 0.5, 4 * HOUR);
    const s45 = grid(track(1, wps, { everyMs: MIN, silences: [[DAY0 + 5 * HOUR, DAY0 + 5 * HOUR + 44 * MIN]] }));
    const s60 = grid(track(1, wps, { everyMs: MIN, silences: [[DAY0 + 5 * HOUR, DAY0 + 6 * HOUR]] }));
    const s90 = grid(track(1, wps, { everyMs: MIN, silences: [[DAY0 + 5 * HOUR, DAY0 + 6 * HOUR + 29 * MIN]] }));
    const full = grid(track(1, wps, { everyMs: MIN }));
    expect(s45.times).toEqual(full.times);
    // Reports at 4:59 and 6:00 (61 min apart): 5:00 … 5:50 have no position.
    const missing60 = full.times.filter((t) => !s60.times.includes(t));
    expect(missing60.map((t) => (t - DAY0) / MIN)).toEqual([300, 310, 320, 330, 340, 350]);
    const missing90 = full.times.filter((t) => !s90.times.includes(t));
    expect(missing90.length).toBe(9); // 5:00 … 6:20
  });

  it('interpolates longitude the short way across the antimeridian', () => {
    const tr: Track = {
      mmsi: 5,
      points: [
        { t: DAY0, lon: 179.99, lat: 10, sog: 1 },
        { t: DAY0 + 20 * MIN, lon: -179.99, lat: 10, sog: 1 },
      ],
    };
    const { r } = grid(tr);
    expect(r.n).toBe(3);
    expect(Math.abs(Math.abs(r.lon[1]!) - 180)).toBeLessThan(1e-9);
    expect(r.lon[2]).toBeCloseTo(-179.99, 9);
  });

  it('uses a report that falls exactly on a grid time as is, and interpolates SOG', () => {
    const tr: Track = {
      mmsi: 6,
      points: [
        { t: DAY0 + 10 * MIN, lon: 1, lat: 1, sog: 4 },
        { t: DAY0 + 30 * MIN, lon: 1.01, lat: 1, sog: 8 },
      ],
    };
    const { r, times } = grid(tr);
    expect(times).toEqual([DAY0 + 10 * MIN, DAY0 + 20 * MIN, DAY0 + 30 * MIN]);
    expect(r.lon[0]).toBe(1);
    expect(r.lon[1]).toBeCloseTo(1.005, 12);
    expect(Array.from(r.sog)).toEqual([4, 6, 8]);
  });

  it('rejects unsorted tracks and skips invalid positions', () => {
    expect(() =>
      normaliseTracks([{ mmsi: 1, points: [{ t: 2, lon: 0, lat: 0, sog: null }, { t: 1, lon: 0, lat: 0, sog: null }] }]),
    ).toThrow(RangeError);
    const n = normaliseTracks([{ mmsi: 1, points: [{ t: 1, lon: 181, lat: 0, sog: null }, { t: 2, lon: 0, lat: 91, sog: null }, { t: 3, lon: 0, lat: 0, sog: null }] }]);
    expect(n[0]!.n).toBe(1);
  });
});
