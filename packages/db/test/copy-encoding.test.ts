import { describe, expect, it } from 'vitest';
import { ewkbPoint, isoTime } from '../src/copy-encoding.ts';

describe('COPY encodings (pure)', () => {
  it('isoTime equals Date#toISOString for any instant, including minute and year boundaries', () => {
    const samples = [0, 1736899200001, 1736899259999, 1276256785336, Date.UTC(2009, 11, 31, 23, 59, 59, 5), 1e12 + 123];
    // 20,000 instants spread over 1970–2096 by a fixed stride (coprime to the range: every run
    // checks the same ones), each with its neighbour in the same minute (the cached prefix) and
    // the last millisecond before the next minute.
    for (let i = 0; i < 6_667; i++) {
      const t = (i * 12_345_678_901) % 4e12;
      samples.push(t, t + 1, Math.floor(t / 60_000) * 60_000 + 59_999);
    }
    for (const t of samples) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('ewkbPoint writes little-endian hex EWKB with SRID 4326', () => {
    // PostGIS: SELECT ST_AsEWKB(ST_SetSRID(ST_MakePoint(20, 35), 4326)) → \\x0101000020e6100000…
    expect(ewkbPoint(20, 35)).toBe('0101000020E610000000000000000034400000000000804140');
    expect(ewkbPoint(-180, -90)).toBe('0101000020E610000000000000008066C000000000008056C0');
  });
});
