import { describe, expect, it } from 'vitest';
import { ewkbPoint, isoTime } from '@rendezvous/db';
import { hash53 } from '../src/feed-readers.ts';

describe('COPY encodings of the direct path', () => {
  it('isoTime equals Date#toISOString for any instant, including minute and year boundaries', () => {
    const samples = [0, 1736899200001, 1736899259999, 1276256785336, Date.UTC(2009, 11, 31, 23, 59, 59, 5), 1e12 + 123];
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor(Math.random() * 4e12));
    for (const t of samples) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('ewkbPoint writes little-endian hex EWKB with SRID 4326', () => {
    // PostGIS: SELECT ST_AsEWKB(ST_SetSRID(ST_MakePoint(20, 35), 4326)) → \\x0101000020e6100000…
    expect(ewkbPoint(20, 35)).toBe('0101000020E610000000000000000034400000000000804140');
    expect(ewkbPoint(-180, -90)).toBe('0101000020E610000000000000008066C000000000008056C0');
  });

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
