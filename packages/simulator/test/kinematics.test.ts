import { describe, expect, it } from 'vitest';
import { isValidImo } from '@rendezvous/ais';
import { haversineM, sphericalDestination } from '@rendezvous/geodesy';
import { AnchorTrack, LaneTrack, WaypointTrack } from '../src/kinematics.ts';
import { Rng } from '../src/prng.ts';
import { imoCheckDigit } from '../src/vessel-factory.ts';

describe('tracks', () => {
  it('a waypoint track moves at distance ÷ time and lies still outside its waypoints', () => {
    const a = { lat: 10, lon: 20, tMs: 0 };
    const b = { ...sphericalDestination(a, 90, 18_520), tMs: 3_600_000 }; // 10 nm in 1 h
    const tr = new WaypointTrack([a, b]);
    const k = tr.at(1_800_000);
    expect(k.sogKn).toBeCloseTo(10, 6);
    expect(k.cogDeg).toBeCloseTo(90, 1);
    expect(haversineM(k.lon, k.lat, a.lon, a.lat)).toBeCloseTo(9260, 0);
    expect(tr.at(-5).sogKn).toBe(0);
    expect(tr.at(10_000_000)).toMatchObject({ lat: b.lat, lon: b.lon, sogKn: 0 });
    expect(() => new WaypointTrack([a, { ...b, tMs: 0 }])).toThrow(/not after/);
  });

  it('a lane track folds back at the lane ends and keeps its sideways offset', () => {
    const lane = { name: 'test', points: [{ lat: 0, lon: 0 }, { lat: 0, lon: 1 }] };
    const L = haversineM(0, 0, 1, 0);
    const speedKn = 20;
    const tr = new LaneTrack(lane, { startFraction: 0.9, speedKn, direction: 1, offsetM: 1000, t0Ms: 0 });
    const tEnd = ((0.1 * L) / (speedKn * 0.514444)) * 1000;
    const before = tr.at(tEnd - 60_000);
    const after = tr.at(tEnd + 60_000);
    expect(before.cogDeg).toBeCloseTo(90, 0);
    expect(after.cogDeg).toBeCloseTo(270, 0);
    expect(before.lon).toBeCloseTo(after.lon, 6); // one minute either side of the end, same place
    expect(before.lat).toBeCloseTo(-0.009, 3); // 1 km to starboard of an eastbound lane is south
    expect(after.lat).toBeCloseTo(-0.009, 3);
    expect(after.sogKn).toBe(speedKn);
  });

  it('a ship at anchor swings within its radius at a few hundredths of a knot', () => {
    const centre = { lat: 52, lon: 3.6 };
    const tr = new AnchorTrack(centre, 80, 1);
    for (let t = 0; t < 13 * 3_600_000; t += 600_000) {
      const k = tr.at(t);
      expect(haversineM(k.lon, k.lat, centre.lon, centre.lat)).toBeCloseTo(80, 3);
      expect(k.sogKn).toBeLessThan(0.1);
      expect(k.navStatus).toBe(1);
    }
  });
});

describe('prng and identities', () => {
  it('streams are reproducible and forks independent of draws from the parent', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const r1 = new Rng('x');
    const f1 = r1.fork('v');
    const r2 = new Rng('x');
    const f2 = r2.fork('v');
    expect(f1.next()).toBe(f2.next());
    const xs = Array.from({ length: 10_000 }, () => a.range(-1, 1));
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length)).toBeLessThan(0.03);
  });

  it('IMO check digits match the project validator', () => {
    const r = new Rng(9);
    for (let i = 0; i < 2000; i++) {
      const first6 = r.int(100_000, 999_999);
      expect(isValidImo(first6 * 10 + imoCheckDigit(first6))).toBe(true);
      expect(isValidImo(first6 * 10 + ((imoCheckDigit(first6) + 1) % 10))).toBe(false);
    }
    expect(imoCheckDigit(907472)).toBe(9); // IMO 9074729, the worked example of the IMO scheme
  });
});
