import { describe, expect, it } from 'vitest';
import { geodesicDistanceM, wrapLon } from '@rendezvous/geodesy';
import { createPortIndex } from '../src/ports.ts';
import { mulberry32 } from '@rendezvous/test-support';
import { offset } from './gen.ts';

describe('createPortIndex', () => {
  const r = mulberry32(3);
  const ports = Array.from({ length: 3000 }, (_, i) =>
    i % 3 === 0
      ? { lon: wrapLon(179.9 + r() * 0.2), lat: -10 + r() * 20 } // around ±180
      : i % 3 === 1
        ? { lon: -180 + r() * 360, lat: 80 + r() * 9.9 } // Arctic
        : { lon: -10 + r() * 40, lat: 30 + r() * 30 },
  );
  const index = createPortIndex(ports, 10_000);

  it('agrees with a brute-force geodesic scan (antimeridian and Arctic included)', () => {
    const q = mulberry32(4);
    let near = 0;
    for (let i = 0; i < 300; i++) {
      const base = ports[Math.floor(q() * ports.length)]!;
      const p = offset(base.lon, base.lat, q() * 360, q() * 20_000);
      const brute = ports.some((s) => geodesicDistanceM(p.lon, p.lat, s.lon, s.lat) <= 10_000);
      const bruteNearest = Math.min(...ports.map((s) => geodesicDistanceM(p.lon, p.lat, s.lon, s.lat)));
      expect(index.isNearPort(p.lon, p.lat)).toBe(brute);
      const nearest = index.nearestWithin(p.lon, p.lat);
      if (brute) {
        near++;
        expect(nearest).toBeCloseTo(bruteNearest, 6);
      } else expect(nearest).toBeNull();
      const brute5 = bruteNearest <= 5_000;
      expect(index.isNearPort(p.lon, p.lat, 5_000)).toBe(brute5);
    }
    expect(near).toBeGreaterThan(50);
    expect(near).toBeLessThan(300);
  });

  it('finds a port across the antimeridian', () => {
    const idx = createPortIndex([{ lon: -179.99, lat: 0 }], 10_000);
    expect(idx.isNearPort(179.99, 0)).toBe(true); // 2.2 km
    expect(idx.isNearPort(179.8, 0)).toBe(false); // 23 km
  });

  it('refuses a radius above the one it was built for, and invalid points', () => {
    expect(() => index.isNearPort(0, 0, 20_000)).toThrow(RangeError);
    expect(() => createPortIndex([{ lon: 0, lat: 95 }], 1000)).toThrow(RangeError);
  });
});
