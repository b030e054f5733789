import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES, simulate } from '../src/index.ts';
import { decodeLines } from './support/tracks.ts';

const digest = (lines: Iterable<string>) => {
  const h = createHash('sha256');
  let n = 0;
  for (const l of lines) {
    h.update(l).update('\n');
    n++;
  }
  return { n, sha: h.digest('hex') };
};

describe('options and determinism', () => {
  const opts = { start: '2026-03-10T06:00:00Z', hours: 6, vessels: 25, seed: 42, scenarios: ['meeting', 'convoy', 'shared_mmsi'] as const };

  it('same options give the same bytes and truth; iterating twice replays the same stream', () => {
    const a = simulate({ ...opts, scenarios: [...opts.scenarios] });
    const b = simulate({ ...opts, scenarios: [...opts.scenarios] });
    const da = digest(a.lines);
    expect(da.n).toBeGreaterThan(10_000);
    expect(digest(b.lines)).toEqual(da);
    expect(digest(a.lines)).toEqual(da);
    expect(JSON.stringify(b.truth)).toBe(JSON.stringify(a.truth));
  }, 30_000);

  it('another seed gives other traffic', () => {
    const a = simulate({ ...opts, scenarios: [...opts.scenarios] });
    const c = simulate({ ...opts, scenarios: [...opts.scenarios], seed: 43 });
    expect(digest(c.lines).sha).not.toBe(digest(a.lines).sha);
    expect(c.truth.vessels.map((v) => v.mmsi)).not.toEqual(a.truth.vessels.map((v) => v.mmsi));
  });

  it('scenario vessels do not change when the background grows (each has its own random stream)', () => {
    const small = simulate({ ...opts, scenarios: ['meeting'], vessels: 5 });
    const big = simulate({ ...opts, scenarios: ['meeting'], vessels: 50 });
    expect(big.truth.scenarios).toEqual(small.truth.scenarios);
    const [a, b] = small.truth.scenarios[0]!.mmsis;
    const fixes = (lines: Iterable<string>) => {
      const f = decodeLines(lines).fixes;
      return [f.get(a!), f.get(b!)];
    };
    const fromSmall = fixes(small.lines);
    expect(fromSmall[0]!.length).toBeGreaterThan(1000);
    expect(fixes(big.lines)).toEqual(fromSmall);
  }, 30_000);

  it('any start time works: c: times follow it (2011 as well as 2026)', () => {
    const sim = simulate({ start: '2011-01-15T00:00:00Z', hours: 1, vessels: 5, scenarios: [] });
    const first = [...sim.lines][0]!;
    expect(first).toMatch(/c:12950496\d\d\*/); // 2011-01-15 = 1295049600
    expect(sim.truth.start).toBe('2011-01-15T00:00:00Z');
    expect(sim.truth.end).toBe('2011-01-15T01:00:00Z');
  });

  it("'all' skips what does not fit the window and says why; naming it explicitly is an error", () => {
    const sim = simulate({ start: '2026-01-01T00:00:00Z', hours: 24, vessels: 0 });
    expect(sim.truth.skippedScenarios).toEqual([{ name: 'midnight', reason: expect.stringMatching(/00:00 UTC/) }]);
    // The issue-15 port and voyage scenarios run only when named (README, "Scenarios and their truth").
    const namedOnly = ['sanctioned_port_call', 'gap_near_sanctioned_area', 'voyage_irregularity'];
    expect(sim.truth.scenarios.map((s) => s.name)).toEqual(SCENARIO_NAMES.filter((n) => n !== 'midnight' && !namedOnly.includes(n)));
    expect(() => simulate({ start: '2026-01-01T00:00:00Z', hours: 24, scenarios: ['midnight'] })).toThrow(/midnight: no 00:00 UTC/);
    const short = simulate({ hours: 3, vessels: 0 });
    expect(short.truth.skippedScenarios.map((s) => s.name)).toEqual(['meeting', 'short_stop', 'loiter_apart', 'mother_ship', 'silence', 'midnight', 'rates', 'antimeridian', 'dark_loiter', 'dark_partner', 'dark_dark', 'coverage_hole_gap', 'draught_after_meeting']);
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => simulate({ start: 'yesterday' })).toThrow(/start/);
    expect(() => simulate({ start: '1990-01-01T00:00:00Z' })).toThrow(/2002/);
    expect(() => simulate({ hours: 0 })).toThrow(/hours/);
    expect(() => simulate({ vessels: -1 })).toThrow(/vessels/);
    expect(() => simulate({ receivers: 4 })).toThrow(/receivers/);
    expect(() => simulate({ seed: 1.5 })).toThrow(/seed/);
    expect(() => simulate({ scenarios: ['rendezvous' as never] })).toThrow(/unknown scenario rendezvous/);
    expect(() => simulate({ rates: { classAUnderwayS: [10, 2] } })).toThrow(/classAUnderwayS/);
  });

  it('per-vessel reporting rates follow the configured ranges', () => {
    const sim = simulate({ hours: 1, vessels: 200, seed: 5, scenarios: [], rates: { classAUnderwayS: [4, 6], classBS: [40, 50], satelliteShare: 0 } });
    for (const v of sim.truth.vessels) {
      const [lo, hi] = v.aisClass === 'A' ? [4, 6] : [40, 50];
      expect(v.reporting.underwayS).toBeGreaterThanOrEqual(lo);
      expect(v.reporting.underwayS).toBeLessThanOrEqual(hi);
      expect(v.reporting.stationaryS).toBe(180);
      expect(v.reporting.satellite).toBeUndefined();
    }
  });
});
