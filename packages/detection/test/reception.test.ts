import { geodesicDistanceM } from '@rendezvous/geodesy';
import { mulberry32 } from '@rendezvous/test-support';
import { describe, expect, it } from 'vitest';
import { createReceptionIndex } from '../src/reception.ts';
import type { Track } from '../src/tracks.ts';
import { DAY0, HOUR, MIN } from './dark-fixtures.ts';

/** Random reports clustered around a few centres (±180°, 89°N, the equator) so that radii bite. */
function randomTracks(seed: number, n: number): Track[] {
  const r = mulberry32(seed);
  const centres = [
    { lon: 179.8, lat: -10 },
    { lon: 10, lat: 89.5 },
    { lon: 0, lat: 0 },
  ];
  const out: Track[] = [];
  for (let v = 0; v < n; v++) {
    const c = centres[v % centres.length]!;
    const points = [];
    let t = DAY0 + r() * HOUR;
    for (let k = 0; k < 20; k++) {
      let lon = c.lon + (r() - 0.5) * 2;
      if (lon >= 180) lon -= 360;
      points.push({ t, lon, lat: Math.max(-90, Math.min(90, c.lat + (r() - 0.5) * 1.5)), sog: null });
      t += r() * 40 * MIN;
    }
    out.push({ mmsi: 200000000 + Math.floor(v / 2), segment: v % 2 ? 'b' : undefined, points });
  }
  return out;
}

function brute(tracks: Track[], lon: number, lat: number, from: number, to: number, r: number, exclude: number): number {
  const s = new Set<number>();
  for (const tr of tracks) {
    if (tr.mmsi === exclude) continue;
    for (const p of tr.points) if (p.t >= from && p.t <= to && geodesicDistanceM(lon, lat, p.lon, p.lat) <= r) s.add(tr.mmsi);
  }
  return s.size;
}

describe('createReceptionIndex', () => {
  it('equals brute force (distinct MMSIs, inclusive span, excluded MMSI), at ±180° and near the pole', () => {
    const tracks = randomTracks(7, 300);
    const idx = createReceptionIndex(tracks);
    expect(idx.reports).toBe(300 * 20);
    const r = mulberry32(99);
    let nonZero = 0;
    for (let q = 0; q < 300; q++) {
      const tr = tracks[Math.floor(r() * tracks.length)]!;
      const p = tr.points[Math.floor(r() * tr.points.length)]!;
      const from = p.t - r() * 3 * HOUR;
      const to = from + r() * 6 * HOUR;
      const radius = [5_000, 50_000, 120_000][q % 3]!;
      const want = brute(tracks, p.lon, p.lat, from, to, radius, tr.mmsi);
      expect(idx.neighboursHeard(p.lon, p.lat, from, to, radius, tr.mmsi)).toBe(want);
      if (want > 0) nonZero++;
    }
    expect(nonZero).toBeGreaterThan(100);
  });

  it('hears across the antimeridian', () => {
    const idx = createReceptionIndex([{ mmsi: 1, points: [{ t: DAY0, lon: -179.9, lat: 0, sog: null }] }]);
    // 179.9°E to 179.9°W is 22 km.
    expect(idx.neighboursHeard(179.9, 0, DAY0, DAY0, 30_000, 2)).toBe(1);
    expect(idx.neighboursHeard(179.9, 0, DAY0, DAY0, 20_000, 2)).toBe(0);
    expect(idx.neighboursHeard(179.9, 0, DAY0 + 1, DAY0 + HOUR, 30_000, 2)).toBe(0);
    expect(idx.neighboursHeard(179.9, 0, DAY0, DAY0, 30_000, 1)).toBe(0);
  });

  it('accepts columnar tracks and radii larger than its cells', () => {
    const idx = createReceptionIndex([{ mmsi: 5, t: [DAY0, DAY0 + HOUR], lon: [0, 1.5], lat: [0, 0] }], { cellM: 10_000 });
    expect(idx.neighboursHeard(0, 0, DAY0, DAY0 + HOUR, 200_000, 1)).toBe(1);
    expect(idx.neighbourMmsis(1.4, 0, DAY0, DAY0 + 2 * HOUR, 20_000, 1)).toEqual(new Set([5]));
  });
});
