// Pure tests of the ingest service (no database): they stay with the service (integration tier). The COPY
// encodings' tests are in packages/db/test/copy-encoding.test.ts (unit tier).
import { describe, expect, it } from 'vitest';
import { hash53 } from '../src/feed-readers.ts';

describe('payload hash of the duplicate filter', () => {
  it('hash53 separates payloads that differ in one character', () => {
    const seen = new Set<number>();
    const base = '13u?etPv2;0n:dDPwUM1U1Cb069D';
    for (let i = 0; i < base.length; i++) for (const c of '0123456789') seen.add(hash53(base.slice(0, i) + c + base.slice(i + 1)));
    expect(seen.size).toBeGreaterThan(base.length * 9);
  });
});

describe('DuplicateFilter', () => {
  it('drops copies stamped within 30 s by other receivers, but keeps an identical report minutes later', async () => {
    const { DuplicateFilter } = await import('../src/feed-readers.ts');
    const f = new DuplicateFilter(4);
    const p = '13u?etPv2;0n:dDPwUM1U1Cb069D';
    expect(f.seen(p, 1_000_000)).toBe(false);
    expect(f.seen(p, 1_001_500)).toBe(true); // second receiver, 1.5 s later
    expect(f.seen(p, 1_000_000 + 180_000)).toBe(false); // a moored ship's identical report 3 min later
    // Bounded: after two generations of other keys the first is forgotten.
    for (let i = 0; i < 10; i++) f.seen(`other${i}`, 1_200_000);
    expect(f.seen(p, 1_180_500)).toBe(false);
  });
});

describe('KeyTimeTable (the filter’s allocation-free generations)', () => {
  it('agrees with a Map on random keys, keys sharing their low 32 bits, and key 0; refuses to fill beyond half', async () => {
    const { KeyTimeTable } = await import('../src/feed-readers.ts');
    const table = new KeyTimeTable(1_000);
    const map = new Map<number, number>();
    let seed = 16;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const keys = [0, 2 ** 53 - 1, ...Array.from({ length: 300 }, () => Math.floor(rnd() * 2 ** 53)), ...Array.from({ length: 300 }, (_, i) => (i + 1) * 2 ** 32 + 7)];
    for (let step = 0; step < 5_000; step++) {
      const k = keys[Math.floor(rnd() * keys.length)]!;
      if (rnd() < 0.5) {
        table.set(k, step);
        map.set(k, step);
      }
      expect(table.get(k)).toBe(map.get(k));
      expect(table.has(k)).toBe(map.has(k));
    }
    expect(table.size).toBe(map.size);
    table.clear();
    expect(table.size).toBe(0);
    expect(keys.every((k) => table.get(k) === undefined)).toBe(true);
    const small = new KeyTimeTable(4); // capacity 16: at most 8 keys
    for (let k = 0; k < 8; k++) small.set(k, k);
    expect(() => small.set(99, 0)).toThrow(RangeError);
  });
});
