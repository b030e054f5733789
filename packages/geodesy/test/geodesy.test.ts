import { describe, expect, it } from 'vitest';
import {
  chordDistanceM,
  geodesicDistanceM,
  haversineM,
  initialBearingDeg,
  KN_TO_MS,
  METRES_PER_NM,
  MS_TO_KN,
  offsetEastNorth,
  sphericalDestination,
  sphericalIntermediate,
  SphereMean,
  wrapLon,
} from '../src/index.ts';
import { mulberry32 } from '@rendezvous/test-support';

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
    const r = mulberry32(7); // seeded: the random cases are the same on every run
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

describe('spherical track functions (the simulator’s)', () => {
  it('wrap longitude into [-180, 180) and cross the antimeridian the short way', () => {
    expect(wrapLon(180)).toBe(-180);
    expect(wrapLon(-180)).toBe(-180);
    expect(wrapLon(181)).toBeCloseTo(-179, 9);
    expect(wrapLon(-190)).toBeCloseTo(170, 9);
    // 0.002° of longitude either side of 180° at 25° S is ~400 m, not 360°.
    expect(haversineM(179.998, -25, -179.998, -25)).toBeCloseTo(403, 0);
    const east = sphericalDestination({ lat: -25, lon: 179.999 }, 90, 1000);
    expect(east.lon).toBeLessThan(-179.99);
    const mid = sphericalIntermediate({ lat: -25, lon: 179.99 }, { lat: -25, lon: -179.99 }, 0.5);
    expect(Math.abs(mid.lon)).toBeGreaterThan(179.999);
    expect(mid.lon).toBeGreaterThanOrEqual(-180);
    expect(mid.lon).toBeLessThan(180);
  });

  it('destination and bearing agree with distance (1 m over 100 km)', () => {
    const a = { lat: 57.7, lon: 10.6 };
    const b = sphericalDestination(a, 37, 100_000);
    expect(haversineM(a.lon, a.lat, b.lon, b.lat)).toBeCloseTo(100_000, 3);
    expect(initialBearingDeg(a, b)).toBeCloseTo(37, 6);
  });

  it('offsetEastNorth moves by metres east and north', () => {
    const p = { lat: 52, lon: 3.6 };
    const q = offsetEastNorth(p, 30, 40);
    expect(haversineM(p.lon, p.lat, q.lon, q.lat)).toBeCloseTo(50, 6);
    expect(initialBearingDeg(p, q)).toBeCloseTo((Math.atan2(30, 40) * 180) / Math.PI, 4);
    expect(offsetEastNorth(p, 0, 0)).toEqual(p);
  });

  it('knots and metres per second use the international nautical mile', () => {
    expect(METRES_PER_NM).toBe(1852);
    expect(10 * KN_TO_MS * MS_TO_KN).toBeCloseTo(10, 12);
  });
});

const dms = (d: number, m: number, s: number) => Math.sign(d) * (Math.abs(d) + m / 60 + s / 3600);

describe('geodesicDistanceM: published line, arc lengths, seam, poles, antipodes', () => {
  it("matches Vincenty's published test line: Flinders Peak → Buninyong = 54,972.271 m", () => {
    const d = geodesicDistanceM(dms(144, 25, 29.5244), dms(-37, 57, 3.7203), dms(143, 55, 35.3839), dms(-37, 39, 10.1561));
    expect(d).toBeCloseTo(54972.271, 2);
  });

  it('gives the ellipsoid arc lengths: 1° of longitude on the equator = a·π/180; 1° of latitude from the equator = 110,574.3 m', () => {
    expect(geodesicDistanceM(0, 0, 1, 0)).toBeCloseTo((6378137 * Math.PI) / 180, 2);
    expect(geodesicDistanceM(0, 0, 0, 1)).toBeCloseTo(110574.3, 0);
  });

  it('crosses the antimeridian the short way, in both directions', () => {
    const east = geodesicDistanceM(179.99, 10, -179.99, 10);
    expect(east).toBeGreaterThan(2100);
    expect(east).toBeLessThan(2300); // 0.02° of longitude at 10° N ≈ 2.19 km, not 39,000 km
    expect(geodesicDistanceM(-179.99, 10, 179.99, 10)).toBeCloseTo(east, 6);
    expect(geodesicDistanceM(180, 0, -180, 0)).toBe(0);
  });

  it('shrinks longitude with latitude and goes over the pole', () => {
    // At 80° N one degree of longitude is ~19.4 km.
    expect(geodesicDistanceM(10, 80, 11, 80) / 1000).toBeCloseTo(19.4, 0);
    // Two points 0.05° from the North Pole on opposite meridians are 0.1° of latitude apart.
    expect(geodesicDistanceM(0, 89.95, 180, 89.95)).toBeCloseTo(geodesicDistanceM(0, 89.9, 0, 90), -1);
  });

  it('agrees with the haversine sphere to within its 0.5 % and survives near-antipodal points', () => {
    for (const [a, b, c, d] of [
      [24.1, 36.5, 26.3, 37.9],
      [-70, -40, 120, 60],
      [37.8, 44.6, 37.9, 44.7],
    ] as const) {
      const g = geodesicDistanceM(a, b, c, d);
      expect(Math.abs(g - haversineM(a, b, c, d)) / g).toBeLessThan(0.005);
    }
    const anti = geodesicDistanceM(0, 0, 179.7, 0.5);
    expect(anti).toBe(haversineM(0, 0, 179.7, 0.5)); // Vincenty does not converge here: the fallback answers
    expect(anti / 1000).toBeGreaterThan(19900);
    expect(anti / 1000).toBeLessThan(20040);
  });
});
