import { describe, expect, it } from 'vitest';
import { parsePlainCsv } from '@rendezvous/watchlists';
import { DEMO_HOURS, demoTraffic, simulate } from '../src/index.ts';
import { decodeLines } from './support/tracks.ts';

const HOUR = 3_600_000;

describe('name prefix', () => {
  it('every name, in the truth and on air (type 5 and 24 A), starts with the prefix and keeps AIS’s 20 characters', () => {
    // 600 names from a 30 × 30 vocabulary: numbered fallbacks happen, and stay unique and short.
    const big = simulate({ start: '2026-02-01T00:00:00Z', hours: 2, vessels: 600, seed: 5, scenarios: ['passing'], namePrefix: 'DEMO' });
    for (const v of big.truth.vessels) {
      expect(v.name).toMatch(/^DEMO \S/);
      expect(v.name.length).toBeLessThanOrEqual(20);
    }
    expect(new Set(big.truth.vessels.map((v) => v.name)).size).toBe(big.truth.vessels.length);
    const sim = simulate({ start: '2026-02-01T00:00:00Z', hours: 2, vessels: 30, seed: 5, scenarios: ['passing'], namePrefix: 'DEMO' });
    const decoded = decodeLines(sim.lines);
    expect(decoded.rejected).toEqual({});
    let named = 0;
    for (const d of decoded.statics) {
      const m = d.msg;
      if (m.type === 5 || (m.type === 24 && m.partNumber === 0)) {
        expect(sim.truth.vessels.map((v) => v.name)).toContain(m.name);
        expect(m.name).toMatch(/^DEMO /);
        named++;
      }
    }
    expect(named).toBeGreaterThan(300);
  });

  it('without a prefix, names are what they always were', () => {
    const opts = { start: '2026-02-01T00:00:00Z', hours: 6, vessels: 40, seed: 5, scenarios: ['meeting'] as const };
    const plain = simulate({ ...opts, scenarios: [...opts.scenarios] });
    const prefixed = simulate({ ...opts, scenarios: [...opts.scenarios], namePrefix: 'DEMO' });
    expect(plain.truth.vessels.some((v) => v.name.startsWith('DEMO'))).toBe(false);
    // Same draws: the prefixed name is the plain one behind "DEMO ", cut to 20 characters.
    for (const [i, v] of plain.truth.vessels.entries()) expect(prefixed.truth.vessels[i]!.name).toBe(`DEMO ${v.name}`.slice(0, 20).trimEnd());
  });

  it('a bad prefix is refused', () => {
    expect(() => simulate({ hours: 2, scenarios: ['passing'], namePrefix: 'demo' })).toThrow(/namePrefix/);
    expect(() => simulate({ hours: 2, scenarios: ['passing'], namePrefix: 'SEVENXX' })).toThrow(/namePrefix/);
  });
});

describe('holdAt', () => {
  const base = { start: '2026-02-01T00:00:00Z', hours: 12, vessels: 0, seed: 9 };

  it('pins a scenario’s hold and leaves its other draws alone', () => {
    const free = simulate({ ...base, scenarios: ['meeting'] });
    const pinned = simulate({ ...base, scenarios: ['meeting'], holdAt: { meeting: 2 } });
    expect(pinned.truth.scenarios[0]!.params['holdStart']).toBe('2026-02-01T02:00:00Z');
    expect(free.truth.scenarios[0]!.params['holdStart']).not.toBe('2026-02-01T02:00:00Z');
    for (const k of ['separationM', 'driftKn', 'driftBearing']) expect(pinned.truth.scenarios[0]!.params[k]).toBe(free.truth.scenarios[0]!.params[k]);
    expect(pinned.truth.vessels.map((v) => v.mmsi)).toEqual(free.truth.vessels.map((v) => v.mmsi));
    // The truth follows: together (within 500 m) from the hold start, give or take the approach.
    const m = pinned.truth.meetings[0]!;
    expect(Math.abs(Date.parse(m.start!) - Date.parse('2026-02-01T02:00:00Z'))).toBeLessThan(HOUR / 2);
  });

  it('refuses a hold that does not fit, a scenario without one, and a scenario not in the run', () => {
    expect(() => simulate({ ...base, scenarios: ['meeting'], holdAt: { meeting: 0.5 } })).toThrow(/holdAt\.meeting: .*1 h of run before and after/);
    expect(() => simulate({ ...base, scenarios: ['meeting'], holdAt: { meeting: 9 } })).toThrow(/holdAt\.meeting/);
    expect(() => simulate({ ...base, scenarios: ['convoy'], holdAt: { convoy: 3 } })).toThrow(/holdAt\.convoy: this scenario has no hold/);
    expect(() => simulate({ ...base, scenarios: ['meeting'], holdAt: { passing: 3 } })).toThrow(/holdAt\.passing: not a scenario of this run/);
    expect(() => simulate({ ...base, scenarios: ['meeting'], holdAt: { meeting: -1 } })).toThrow(/holdAt\.meeting must be/);
  });
});

describe('demoTraffic', () => {
  const endMs = Date.parse('2026-05-04T13:37:21.500Z');
  const demo = demoTraffic({ endMs });

  it('ends at the given time, names every ship DEMO, and pins its rendezvous early', () => {
    expect(demo.simulation.truth.end).toBe('2026-05-04T13:37:21Z');
    expect(Date.parse(demo.simulation.truth.start)).toBe(Date.parse('2026-05-04T13:37:21Z') - DEMO_HOURS * HOUR);
    expect(demo.simulation.truth.vessels.every((v) => v.name.startsWith('DEMO '))).toBe(true);
    // The listed tanker's meeting, then the mother ship's two.
    expect(demo.meetings.map((m) => m.vessels.join('+'))).toEqual([
      'meeting/suspect+meeting/partner',
      'mother_ship/mother+mother_ship/daughter_a',
      'mother_ship/mother+mother_ship/daughter_b',
    ]);
    const start = Date.parse(demo.simulation.truth.start);
    expect(Date.parse(demo.meetings[0]!.start!) - start).toBeLessThan(1.25 * HOUR);
    // The last meeting reaches close to the end: live, still ongoing when the feed stops.
    expect(endMs - Date.parse(demo.meetings[2]!.end!)).toBeLessThan(2 * HOUR);
    let last = 0;
    for (const line of demo.simulation.lines) {
      const c = /c:(\d+)/.exec(line); // second fragments of a group carry no c:
      if (c) last = Number(c[1]) * 1000;
    }
    expect(last).toBeLessThanOrEqual(endMs);
  });

  it('lists exactly one ship, the meeting’s suspect, in a plain CSV the list parser accepts', () => {
    const parsed = parsePlainCsv(demo.watchlistCsv);
    expect(parsed.vessels).toHaveLength(1);
    expect(parsed.vessels[0]).toMatchObject({ mmsi: demo.listed.mmsi, imo: demo.listed.imo, name: demo.listed.name });
    expect(demo.listed.key).toBe('meeting/suspect');
    expect(demo.simulation.truth.vessels.some((v) => v.watchlist)).toBe(false);
  });

  it('is the same fleet whatever the end time', () => {
    const later = demoTraffic({ endMs: endMs + 30 * 86_400_000 });
    expect(later.simulation.truth.vessels.map((v) => [v.mmsi, v.name])).toEqual(demo.simulation.truth.vessels.map((v) => [v.mmsi, v.name]));
  });
});
