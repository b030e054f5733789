import { describe, expect, it } from 'vitest';
import { geodesicMeters, haversineMeters } from '../src/index.ts';

const dms = (d: number, m: number, s: number) => Math.sign(d) * (Math.abs(d) + m / 60 + s / 3600);

describe('geodesicMeters (WGS-84)', () => {
  it("matches Vincenty's published test line: Flinders Peak → Buninyong = 54,972.271 m", () => {
    const d = geodesicMeters(dms(144, 25, 29.5244), dms(-37, 57, 3.7203), dms(143, 55, 35.3839), dms(-37, 39, 10.1561));
    expect(d).toBeCloseTo(54972.271, 2);
  });

  it('gives the ellipsoid arc lengths: 1° of longitude on the equator = a·π/180; 1° of latitude from the equator = 110,574.3 m', () => {
    expect(geodesicMeters(0, 0, 1, 0)).toBeCloseTo((6378137 * Math.PI) / 180, 2);
    expect(geodesicMeters(0, 0, 0, 1)).toBeCloseTo(110574.3, 0);
  });

  it('crosses the antimeridian the short way, in both directions', () => {
    const east = geodesicMeters(179.99, 10, -179.99, 10);
    expect(east).toBeGreaterThan(2100);
    expect(east).toBeLessThan(2300); // 0.02° of longitude at 10° N ≈ 2.19 km, not 39,000 km
    expect(geodesicMeters(-179.99, 10, 179.99, 10)).toBeCloseTo(east, 6);
    expect(geodesicMeters(180, 0, -180, 0)).toBe(0);
  });

  it('shrinks longitude with latitude and goes over the pole', () => {
    // At 80° N one degree of longitude is ~19.4 km.
    expect(geodesicMeters(10, 80, 11, 80) / 1000).toBeCloseTo(19.4, 0);
    // Two points 0.05° from the North Pole on opposite meridians are 0.1° of latitude apart.
    expect(geodesicMeters(0, 89.95, 180, 89.95)).toBeCloseTo(geodesicMeters(0, 89.9, 0, 90), -1);
  });

  it('agrees with the haversine sphere to within its 0.5 % and survives near-antipodal points', () => {
    for (const [a, b, c, d] of [
      [24.1, 36.5, 26.3, 37.9],
      [-70, -40, 120, 60],
      [37.8, 44.6, 37.9, 44.7],
    ] as const) {
      const g = geodesicMeters(a, b, c, d);
      expect(Math.abs(g - haversineMeters(a, b, c, d)) / g).toBeLessThan(0.005);
    }
    const anti = geodesicMeters(0, 0, 179.7, 0.5);
    expect(anti).toBe(haversineMeters(0, 0, 179.7, 0.5)); // Vincenty does not converge here: the fallback answers
    expect(anti / 1000).toBeGreaterThan(19900);
    expect(anti / 1000).toBeLessThan(20040);
  });
});
