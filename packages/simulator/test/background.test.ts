import { describe, expect, it } from 'vitest';
import { simulate } from '../src/index.ts';
import { HOUR, MIN, decodeLines, haversineM, resample, splitTracks, type Fix } from './support/tracks.ts';

describe('background traffic', () => {
  // 400 background vessels plus every scenario that fits 14 h; Class A every 30–60 s so the brute
  // force below stays quick (the 1-minute grid interpolates between fixes).
  const sim = simulate({ start: '2011-06-01T18:00:00Z', hours: 14, vessels: 400, seed: 11, rates: { classAUnderwayS: [30, 60] } });
  const decoded = decodeLines(sim.lines);
  const truth = sim.truth;

  it('has transiting, anchored, Class B and satellite-only vessels, with ports in the truth', () => {
    expect(decoded.rejected).toEqual({});
    expect(truth.background).toMatchObject({ vessels: 400, anchored: 80 });
    expect(truth.background.transiting).toBe(320);
    expect(truth.background.classB).toBeGreaterThan(15);
    expect(truth.background.satellite).toBeGreaterThan(20);
    expect(truth.ports.map((p) => p.anchored)).toEqual([16, 16, 16, 16, 16]);
    // Anchored vessels stay within their port's radius.
    for (const v of truth.vessels.filter((x) => x.motion === 'anchored')) {
      const port = truth.ports.find((p) => p.name === v.area)!;
      for (const f of decoded.fixes.get(v.mmsi) ?? []) expect(haversineM(f, port)).toBeLessThanOrEqual(port.radiusKm * 1000);
    }
    // Satellite-only vessels leave gaps of minutes to hours.
    const sat = truth.vessels.filter((v) => v.reporting.satellite);
    const gaps = sat.flatMap((v) => {
      const f = decoded.fixes.get(v.mmsi) ?? [];
      return f.slice(1).map((x, i) => x.t - f[i]!.t);
    });
    expect(Math.max(...gaps)).toBeGreaterThan(HOUR);
    expect(Math.min(...gaps)).toBeLessThan(10 * MIN);
  });

  it('anchored neighbours are > 2 km apart; vessels within 500 m of each other are under way (≥ 5 kn)', () => {
    const anchored = truth.vessels.filter((v) => v.motion === 'anchored').map((v) => decoded.fixes.get(v.mmsi)![0]!);
    for (let i = 0; i < anchored.length; i++) for (let j = i + 1; j < anchored.length; j++) expect(haversineM(anchored[i]!, anchored[j]!)).toBeGreaterThan(2000);
    for (const v of truth.vessels.filter((x) => x.motion === 'transit')) {
      const sogs = (decoded.fixes.get(v.mmsi) ?? []).map((f) => f.sog).sort((a, b) => a - b);
      expect(sogs[0], v.key).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('no unscripted pair is within 500 m at < 2 kn for ≥ 1 h (brute force over every pair, 1-minute grid)', () => {
    // Pairs the truth scripts (any two vessels of one scenario) are allowed to meet; nobody else.
    const scripted = new Set<string>();
    for (const s of truth.scenarios) for (const a of s.mmsis) for (const b of s.mmsis) scripted.add(`${a}:${b}`);
    const grids: { mmsi: number; grid: Map<number, Fix> }[] = [];
    for (const [mmsi, fixes] of decoded.fixes) for (const t of splitTracks(fixes)) grids.push({ mmsi, grid: resample(t) });
    const start = Date.parse(truth.start);
    const end = Date.parse(truth.end);
    const runs = new Map<string, number>();
    let longest = 0;
    let slowPairsSeen = 0;
    for (let t = start; t < end; t += MIN) {
      const slow = grids.flatMap((g, id) => {
        const f = g.grid.get(t);
        return f && f.sog < 2 ? [{ mmsi: g.mmsi, f, id }] : [];
      });
      const now = new Set<string>();
      for (let i = 0; i < slow.length; i++) {
        for (let j = i + 1; j < slow.length; j++) {
          const [a, b] = [slow[i]!, slow[j]!];
          slowPairsSeen++;
          if (a.mmsi === b.mmsi || scripted.has(`${a.mmsi}:${b.mmsi}`)) continue;
          if (haversineM(a.f, b.f) > 500) continue;
          const key = `${a.id}:${b.id}`;
          now.add(key);
          const n = (runs.get(key) ?? 0) + 1;
          runs.set(key, n);
          longest = Math.max(longest, n);
        }
      }
      for (const k of runs.keys()) if (!now.has(k)) runs.delete(k);
    }
    expect(slowPairsSeen).toBeGreaterThan(100_000); // the check did look at many slow pairs
    expect(longest).toBeLessThan(60);
  });
});
