import { mulberry32 } from '@rendezvous/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadShoreIndex, readLandRings, type Ring, type ShoreIndex } from '../src/index.ts';
import { bruteDistanceM } from './brute.ts';

let ix: ShoreIndex;
let rings: Ring[];
beforeAll(() => {
  ix = loadShoreIndex();
  rings = readLandRings();
}, 60_000);

const NM = 1852;

describe('shore index (Natural Earth 1:10m land)', () => {
  it('mid-Atlantic is far from shore', () => {
    expect(ix.isOnLand(-35, 35)).toBe(false);
    expect(ix.distanceToShoreM(-35, 35)).toBeGreaterThan(500_000);
  });
  it("Hurd's Bank off Malta is a few nautical miles out", () => {
    expect(ix.isOnLand(14.68, 35.85)).toBe(false);
    const d = ix.distanceToShoreM(14.68, 35.85);
    expect(d).toBeGreaterThan(1 * NM);
    expect(d).toBeLessThan(15 * NM);
  });
  it('inland Paris is on land, distance 0', () => {
    expect(ix.isOnLand(2.35, 48.86)).toBe(true);
    expect(ix.distanceToShoreM(2.35, 48.86)).toBe(0);
  });
  it('a port entrance (Rotterdam, Maasvlakte) is within a few km', () => {
    const d = ix.distanceToShoreM(3.95, 51.99);
    expect(d).toBeLessThan(5_000);
  });
  it('Singapore Strait is sea within ~10 km of shore', () => {
    expect(ix.isOnLand(103.85, 1.2)).toBe(false);
    expect(ix.distanceToShoreM(103.85, 1.2)).toBeLessThan(10_000);
  });
  it('is seamless across ±180° (Fiji, Chukotka)', () => {
    expect(ix.isOnLand(178.45, -17.8)).toBe(true); // Viti Levu
    expect(ix.isOnLand(-179.9, 66)).toBe(true); // Chukotka, east of the antimeridian
    expect(ix.isOnLand(179.9, 66.5)).toBe(true); // Chukotka, west of it
    const a = ix.distanceToShoreM(179.999, -17.2);
    const b = ix.distanceToShoreM(179.999 - 360, -17.2); // same point, other spelling
    expect(Math.abs(a - b)).toBeLessThan(500);
    expect(ix.distanceToShoreM(180, 0)).toBeCloseTo(ix.distanceToShoreM(-180, 0), 3);
  });
  it('handles the poles: south pole on land (Antarctica), north pole at sea', () => {
    expect(ix.isOnLand(0, -90)).toBe(true);
    expect(ix.isOnLand(123, -89.99)).toBe(true);
    expect(ix.isOnLand(0, 90)).toBe(false);
    const d = ix.distanceToShoreM(0, 90);
    expect(d).toBeGreaterThan(600_000); // northern Greenland ~ 83.6°N → ~710 km
    expect(d).toBeLessThan(800_000);
    expect(ix.distanceToShoreM(90, 90)).toBeCloseTo(d, 0);
  });
  it('rejects non-positions', () => {
    expect(() => ix.distanceToShoreM(0, 91)).toThrow(RangeError);
  });
  it('matches a brute force over all coastline arcs (seeded random sea points, tolerance 1 m + 1e-6)', () => {
    // Both sides are spherical (mean radius); they differ only by formula rounding.
    const r = mulberry32(42);
    let checked = 0;
    while (checked < 6) {
      const lon = r() * 360 - 180;
      const lat = r() * 150 - 75;
      if (ix.isOnLand(lon, lat)) continue;
      const want = bruteDistanceM(rings, lon, lat);
      expect(Math.abs(ix.distanceToShoreM(lon, lat) - want)).toBeLessThan(1 + 1e-6 * want);
      checked++;
    }
    for (const [lon, lat] of [[14.68, 35.85], [103.85, 1.2], [179.999, -17.2]] as const) {
      const want = bruteDistanceM(rings, lon, lat);
      expect(Math.abs(ix.distanceToShoreM(lon, lat) - want)).toBeLessThan(1 + 1e-6 * want);
    }
  }, 60_000);
});
