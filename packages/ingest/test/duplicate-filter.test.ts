// Pure tests of the ingest service (no database): they stay with the service (integration tier). The COPY
// encodings' tests are in packages/db/test/copy-encoding.test.ts (unit tier).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// The oracle: cyrb53 over the text's char codes (packages/ais), the key hash53 must give.
import { cyrb53 as cyrb53Chars } from '@rendezvous/ais';
import { hash53 } from '../src/feed-readers.ts';

describe('payload hash of the duplicate filter', () => {
  it('hash53 separates payloads that differ in one character', () => {
    const seen = new Set<number>();
    const base = '13u?etPv2;0n:dDPwUM1U1Cb069D';
    for (let i = 0; i < base.length; i++) for (const c of '0123456789') seen.add(hash53(base.slice(0, i) + c + base.slice(i + 1)));
    expect(seen.size).toBeGreaterThan(base.length * 9);
  });
});

describe('hash53', () => {
  it('equals cyrb53 over char codes: payloads of the real captures (as sliced strings), generated ASCII, non-ASCII and long texts', () => {
    const texts: string[] = ['', 'a', '0'.repeat(1024), 'w'.repeat(1025), 'x'.repeat(5000), 'é', 'payload é', '\u2603 snow', 'a\u0000b', '\u00ff'.repeat(10)];
    let seed = 3;
    const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    for (let i = 0; i < 2000; i++) texts.push(Array.from({ length: rnd(90) }, () => String.fromCharCode(32 + rnd(95))).join(''));
    const data = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
    for (const rel of ['nmea-gpsd/ais-raw-messages.log', 'nmea-gpsd/ais-18-27.log', 'nmea-aisdb/test_data_20211101.nm4']) {
      if (!existsSync(data + rel)) continue;
      // Sliced from a sliced line, as the decoder's payloads are.
      for (const line of readFileSync(data + rel, 'latin1').split('\n')) {
        const bang = line.indexOf('!');
        const fields = bang < 0 ? [] : line.slice(bang).split(',');
        if (fields.length < 7) continue;
        const start = line.indexOf(fields[5]!, bang);
        texts.push(line.substring(start, start + fields[5]!.length));
      }
    }
    expect(texts.length).toBeGreaterThan(2010);
    for (const t of texts) expect([t, hash53(t)]).toEqual([t, cyrb53Chars(t)]);
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

describe('DuplicateFilter against two Maps', () => {
  /** The filter as it was written with a Map per generation (before its tables, bitmaps and pending inserts). */
  function mapFilter(generationSize: number) {
    let current = new Map<number, number>();
    let previous = new Map<number, number>();
    return (payload: string, ts: number): boolean => {
      const key = hash53(payload);
      const first = current.get(key) ?? previous.get(key);
      if (first !== undefined && Math.abs(ts - first) < 30_000) return true;
      if (current.size >= generationSize && !current.has(key)) {
        previous = current;
        current = new Map();
      }
      current.set(key, ts);
      return false;
    };
  }

  it('gives its answers: copies, reports minutes apart, retirements, many distinct payloads (bitmap false positives)', async () => {
    const { DuplicateFilter } = await import('../src/feed-readers.ts');
    for (const [generationSize, distinct, steps] of [
      [50, 180, 20_000],
      [5_000, 30_000, 100_000],
    ] as const) {
      const filter = new DuplicateFilter(generationSize);
      const reference = mapFilter(generationSize);
      let seed = 16;
      const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
      let ts = 0;
      let copies = 0;
      const recent: number[] = [];
      for (let step = 0; step < steps; step++) {
        ts += rnd(3) === 0 ? rnd(20_000) : 0;
        // Half the time a payload of the last 20 steps (another receiver's copy, or a report resent), else any.
        const p = `p${rnd(2) === 0 && recent.length > 0 ? recent[rnd(recent.length)]! : rnd(distinct)}`;
        recent.push(Number(p.slice(1)));
        if (recent.length > 20) recent.shift();
        const t = ts - rnd(40_000);
        const expected = reference(p, t);
        if (expected) copies++;
        const got = filter.seen(p, t);
        if (got !== expected) expect({ generationSize, step, got }).toEqual({ generationSize, step, got: expected });
      }
      // Both answers are common: the comparison covers copies and first sightings.
      expect(copies).toBeGreaterThan(steps / 20);
      expect(copies).toBeLessThan(steps * 0.95);
    }
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
