import { describe, expect, it } from 'vitest';
import { ecefInto } from '@rendezvous/geodesy';
import { SpatialHash } from '../src/spatial-hash.ts';
import { mulberry32 } from '@rendezvous/test-support';
import { offset } from './gen.ts';

/** Random clustered points: around seeds at the antimeridian, the poles and elsewhere. */
function cloud(seed: number, n: number) {
  const r = mulberry32(seed);
  const seeds = [
    { lon: 179.9995, lat: 0 },
    { lon: -179.9995, lat: 60 },
    { lon: 0, lat: 89.999 },
    { lon: 45, lat: -89.998 },
    { lon: 10, lat: 75 },
    { lon: -70, lat: -30 },
  ];
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = seeds[i % seeds.length]!;
    const p = offset(s.lon, s.lat, r() * 360, r() * 3000);
    lon[i] = p.lon;
    lat[i] = p.lat;
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) ecefInto(lon[i]!, lat[i]!, x, y, z, i);
  return { lon, lat, x, y, z };
}

function brute(x: Float64Array, y: Float64Array, z: Float64Array, r: number, q?: Uint8Array): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < x.length; i++)
    for (let j = i + 1; j < x.length; j++) {
      if (q && !q[i] && !q[j]) continue;
      const d = Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!, z[i]! - z[j]!);
      if (d <= r) out.add(`${i},${j}`);
    }
  return out;
}

describe('SpatialHash (ECEF cubes)', () => {
  it('finds exactly the brute-force pairs within r, each once, at ±180° and at both poles (cells of 1–4 r)', () => {
    const { x, y, z } = cloud(11, 1200);
    const ids = Int32Array.from({ length: 1200 }, (_, i) => i);
    for (const [r, factor] of [[250, 1], [500, 1], [1000, 1], [250, 4], [500, 4], [1000, 3]] as const) {
      const h = new SpatialHash(r * factor);
      h.build(ids, 0, ids.length, x, y, z);
      const got: string[] = [];
      h.forEachPair(r, (i, j) => {
        expect(i).toBeLessThan(j);
        got.push(`${i},${j}`);
      });
      const want = brute(x, y, z, r);
      expect(want.size).toBeGreaterThan(100);
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(want);
    }
  });

  it('query mode returns exactly the pairs touching a queried point, each once', () => {
    const { x, y, z } = cloud(12, 900);
    const ids = Int32Array.from({ length: 900 }, (_, i) => i);
    const q = new Uint8Array(900);
    for (let i = 0; i < 900; i += 7) q[i] = 1;
    const h = new SpatialHash(4000); // cells 4 r: neighbour probes only near faces
    h.build(ids, 0, 900, x, y, z);
    const got: string[] = [];
    h.forEachPairOf(q, 1000, (i, j) => got.push(`${i},${j}`));
    expect(new Set(got).size).toBe(got.length);
    expect(new Set(got)).toEqual(brute(x, y, z, 1000, q));
  });

  it('is reusable: a second build replaces the first (sub-range of ids)', () => {
    const { x, y, z } = cloud(13, 600);
    const ids = Int32Array.from({ length: 600 }, (_, i) => i);
    const h = new SpatialHash(2000);
    h.build(ids, 0, 600, x, y, z);
    h.build(ids, 300, 600, x, y, z);
    expect(h.size).toBe(300);
    const got = new Set<string>();
    h.forEachPair(500, (i, j) => got.add(`${i + 300},${j + 300}`));
    const want = new Set([...brute(x, y, z, 500)].filter((k) => Number(k.split(',')[0]) >= 300));
    expect(got).toEqual(want);
  });
});
