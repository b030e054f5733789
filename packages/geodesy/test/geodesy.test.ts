import { describe, expect, it } from 'vitest';
import { chordDistanceM, geodesicDistanceM, haversineM, SphereMean, wrapLon } from '../src/index.ts';

/** mulberry32: a small seeded PRNG, so the random cases are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Reference distances from GeographicLib (Karney), geographiclib-geodesic 2.2.0,
// Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2).s12, computed offline.
const REFERENCE: [number, number, number, number, number][] = [
  [0, 0, 1, 0, 111319.49079327357],
  [0, 0, 0, 1, 110574.38855779878],
  [179.999, 10, -179.999, 10.001, 245.59538275006472],
  [179.999, 0, -179.999, 0, 222.6389815876102],
  [10, 75, 10.0104, 75, 300.58086003735616],
  [10, 75, 10, 75.0027, 301.36967284081936],
  [-20, 89.999, 160, 89.999, 223.38795911909236],
  [144.42486788888888, -37.95103341666667, 143.92649552777777, -37.65282113888889, 54972.27113920008],
  [5, 60, 5.001, 60.001, 124.6043574609078],
  [179.9993, -65, -179.9997, -65.0004, 64.9183635243664],
  [30, 0, 30.000001, 0, 0.11131949090770514],
];

describe('geodesicDistanceM (Vincenty on WGS-84)', () => {
  it.each(REFERENCE)('(%f, %f) → (%f, %f) matches GeographicLib to 0.1 mm', (lon1, lat1, lon2, lat2, s12) => {
    expect(Math.abs(geodesicDistanceM(lon1, lat1, lon2, lat2) - s12)).toBeLessThan(1e-4);
    expect(Math.abs(geodesicDistanceM(lon2, lat2, lon1, lat1) - s12)).toBeLessThan(1e-4);
  });

  it('is zero for coincident points, including at the pole and on the antimeridian seam', () => {
    expect(geodesicDistanceM(12, 34, 12, 34)).toBe(0);
    expect(geodesicDistanceM(0, 90, 123, 90)).toBeLessThan(1e-6);
    expect(geodesicDistanceM(180, 5, -180, 5)).toBeLessThan(1e-6);
  });

  it('does not use degree arithmetic: 0.002° of longitude across ±180 is ~220 m, not ~40 000 km', () => {
    const d = geodesicDistanceM(179.999, 0, -179.999, 0);
    expect(d).toBeGreaterThan(200);
    expect(d).toBeLessThan(250);
  });
});

describe('chord and haversine against the geodesic', () => {
  it('chord ≤ geodesic (to Vincenty’s µm precision), and within 1 mm of it up to 10 km, anywhere (random pairs incl. poles and ±180)', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const lat = -89.9 + r() * 179.8;
      const lon = -180 + r() * 360;
      const lat2 = Math.max(-90, Math.min(90, lat + (r() - 0.5) * 0.1));
      const lon2 = wrapLon(lon + (r() - 0.5) * 0.1 / Math.max(0.05, Math.cos((lat * Math.PI) / 180)));
      const g = geodesicDistanceM(lon, lat, lon2, lat2);
      if (g > 10_000) continue;
      const c = chordDistanceM(lon, lat, lon2, lat2);
      expect(c).toBeLessThanOrEqual(g + 1e-5); // Vincenty itself is good to ~µm here
      expect(g - c).toBeLessThan(1e-3);
    }
  });

  it('haversine is off by up to ~0.5 % (metres at 500 m) — why the detector decides on the ellipsoid', () => {
    // Meridian at the equator: the sphere overestimates by ~0.45 %.
    const g = geodesicDistanceM(0, 0, 0, 0.0045);
    const h = haversineM(0, 0, 0, 0.0045);
    expect(g).toBeCloseTo(497.58, 1);
    expect((h - g) / g).toBeGreaterThan(0.004);
    expect((h - g) / g).toBeLessThan(0.006);
  });
});

describe('SphereMean', () => {
  it('averages across the antimeridian on the unit sphere', () => {
    const m = new SphereMean();
    m.add(179.999, 10);
    m.add(-179.999, 10);
    const c = m.mean()!;
    expect(Math.abs(Math.abs(c.lon) - 180)).toBeLessThan(1e-6);
    expect(c.lat).toBeCloseTo(10, 6);
  });

  it('returns null when empty', () => {
    expect(new SphereMean().mean()).toBeNull();
  });
});
