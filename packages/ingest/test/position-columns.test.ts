import { describe, expect, it } from 'vitest';
import type { PositionObservation } from '@rendezvous/feeds';
import { PositionColumns } from '../src/position-columns.ts';
import { setRaw, type RawPosition } from '../src/raw-lines.ts';

// The pipeline's batches hold positions as columns (issue 16, ingest memory): what goes in must
// come out unchanged, whatever the batch did before (reuse), and whatever order or split the
// store asks for.
const position = (mmsi: number, ts: number, over: Partial<PositionObservation> = {}, raw?: string): RawPosition => {
  const p: PositionObservation = {
    kind: 'position', mmsi, ts, tsFromFeed: true, lon: 20.5 + mmsi / 1e9, lat: -35.25, sog: 12.3, cog: 359.9, heading: 511,
    navStatus: 15, msgType: 1, source: 'rx-a', dedupKey: null, mmsiInvalid: false, ...over,
  };
  if (raw !== undefined) setRaw(p, raw);
  return p;
};

const INPUT: RawPosition[] = [
  position(230_000_001, 1_000, {}, '\\s:rx-a,c:1*00\\!AIVDM,1,1,,A,13KF5P0P001KSH0D1g@000000000,0*1F'),
  position(230_000_001, 500, { sog: null, cog: null, heading: null, navStatus: null, source: null, tsFromFeed: false, mmsiInvalid: true }),
  position(1, 2_000, { source: 'Ørsted – 船', msgType: 27, lon: -180, lat: 90 }, 'latin1 ÿ¤, a NUL \0 byte, tab\t and\nnewline'),
  position(230_000_001, 1_000, { source: 'rx-b' }, '$PGHP,1,2025,1,15,0,0,0,0,,,,*00\n!AIVDM,1,1,,B,x,0*00'),
  position(999_999_999, 1.75, { heading: 0, navStatus: 0, sog: 0, cog: 0 }),
];
/** What the columns give back: a NUL byte of a line as U+2400 (what PostgreSQL stores), no dedup key. */
const expected = (p: RawPosition): RawPosition => {
  const { raw, ...rest } = p;
  return { ...rest, dedupKey: null, ...(raw === undefined ? {} : { raw: raw.replaceAll('\0', '\u2400') }) };
};

describe('PositionColumns', () => {
  it('gives back every value, NULL and raw line as pushed, growing past its capacity, with one entry per distinct source', () => {
    const c = new PositionColumns(2);
    for (let round = 0; round < 3; round++) for (const p of INPUT) c.push(p, p.raw);
    expect(c.length).toBe(INPUT.length * 3);
    for (let i = 0; i < c.length; i++) expect(c.get(i)).toEqual(expected(INPUT[i % INPUT.length]!));
    expect(c.sources.sort()).toEqual(['rx-a', 'rx-b', 'Ørsted – 船'].sort());
    expect(c.hasRaw(1)).toBe(false);
    expect(c.rawText(1)).toBeUndefined();
  });

  it('from() reads the raw lines set on the observations', () => {
    const c = PositionColumns.from(INPUT);
    expect(Array.from({ length: c.length }, (_, i) => c.get(i))).toEqual(INPUT.map(expected));
  });

  it('orders by (MMSI, time), equal keys in batch order', () => {
    const c = PositionColumns.from(INPUT);
    expect(Array.from(c.keyOrder())).toEqual([2, 1, 0, 3, 4]);
  });

  it('key order (radix passes for integer keys) equals the comparator sort on batches of every shape', () => {
    let seed = 42;
    const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const reference = (c: PositionColumns) =>
      Array.from({ length: c.length }, (_, i) => i).sort((a, b) => c.mmsi[a]! - c.mmsi[b]! || c.ts[a]! - c.ts[b]! || a - b);
    const shapes: Array<[string, (i: number) => [number, number]]> = [
      ['bench-like: 2,000 vessels, 10 s apart', (i) => [230_000_000 + (i % 2000), 1_736_899_200_000 + Math.floor(i / 2000) * 10_000 + (i % 2000)]],
      ['every MMSI, years apart', () => [rnd(1_000_000_000), 1_000_000_000_000 + rnd(2 ** 31) * 1000 + rnd(1000)]],
      ['few keys, many equal', () => [230_000_000 + rnd(3), 1_700_000_000_000 + rnd(4)]],
      ['one vessel', () => [230_000_001, 1_700_000_000_000 + rnd(100_000)]],
      ['time span beyond 2^32 ms, and negative times', () => [rnd(5), rnd(2) ? -rnd(2 ** 30) * 8192 : rnd(2 ** 30) * 8192 + rnd(8192)]],
      ['span up to 2^53 - 1', (i) => [rnd(2), i % 3 === 0 ? Number.MAX_SAFE_INTEGER - rnd(10) : i % 3 === 1 ? 0 : rnd(2 ** 30)]],
      ['fractional times (comparator path)', () => [rnd(50), 1_700_000_000_000 + rnd(1000) / 4]],
    ];
    for (const [name, make] of shapes) {
      for (const n of [0, 1, 63, 64, 65, 3_000, 20_000]) {
        const c = new PositionColumns(16);
        for (let i = 0; i < n; i++) {
          const [mmsi, ts] = make(i);
          c.push(position(mmsi, ts), undefined);
        }
        expect([name, n, Array.from(c.keyOrder())]).toEqual([name, n, reference(c)]);
      }
    }
  });

  it('slices and filters with their raw lines and sources', () => {
    const c = PositionColumns.from(INPUT);
    const tail = c.slice(2);
    expect(Array.from({ length: tail.length }, (_, i) => tail.get(i))).toEqual(INPUT.slice(2).map(expected));
    const kept = c.filter((i) => c.mmsi[i] === 230_000_001);
    expect(Array.from({ length: kept.length }, (_, i) => kept.get(i))).toEqual([INPUT[0]!, INPUT[1]!, INPUT[3]!].map(expected));
  });

  it('reused after reset(), holds only the new positions: no value, NULL, source or line of the previous batch shows through', () => {
    const c = PositionColumns.from(INPUT);
    c.reset();
    expect(c.length).toBe(0);
    const next = [INPUT[1]!, position(5, 7, { source: 'rx-c' })];
    for (const p of next) c.push(p, p.raw);
    expect([c.get(0), c.get(1)]).toEqual(next.map(expected));
    expect(c.sources).toEqual(['rx-c']);
  });
  it('writes the raw lines in groups: ASCII groups, groups with a non-ASCII or NUL line, positions without one, across reuse and slices', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const odd = ['é in a TAG', 'a NUL \0 here', '\u2603 snow', 'ÿ'];
    const c = new PositionColumns(16);
    for (let round = 0; round < 3; round++) {
      // Lines pushed and never read: reset() must drop them.
      for (let i = 0; i < 100; i++) c.push(position(1, i), `stale line ${i}`);
      c.reset();
      const input: RawPosition[] = [];
      for (let i = 0; i < 1_500; i++) {
        const kind = rnd(100);
        // ASCII lines of varying length, some positions without one; from round 1 on now and then a line that is not ASCII or holds a NUL.
        const raw = kind < 2 && round > 0 ? odd[rnd(odd.length)] + ` ${i}` : kind < 5 ? undefined : `!AIVDM,1,1,,A,${'x'.repeat(rnd(60))}${i},0*00`;
        input.push(position(230_000_000 + i, 1_000 + round, {}, raw));
      }
      for (const p of input) c.push(p, p.raw);
      // Read in an order that settles at different moments: a slice first, then every position.
      const part = c.slice(300, 700);
      for (let i = 0; i < part.length; i++) expect(part.get(i)).toEqual(expected(input[300 + i]!));
      for (let i = 0; i < c.length; i++) expect(c.get(i)).toEqual(expected(input[i]!));
    }
  });
});
