import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@rendezvous/test-support';
import { EvidenceTrack, evidenceTrackJson, evidenceTrackJsonBytes } from '../src/repositories/evidence-json.ts';

// The hand-built serializer must write exactly what JSON.stringify writes (the stored evidence
// text is compared byte for byte by the detector bench and read back by the API).
const EDGE = [
  0, -0, 1, -1, 0.1, -0.1, 1e21, -1e21, 1e21 - 65536, 1e20, 123456789012345680000, 1e-7, -1e-7, 1e-6, 9e-7, 1.5e-6, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE,
  Number.MIN_VALUE, Number.EPSILON, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 2 ** 53 - 1, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 999_999_999, 1_000_000_000, 1e9 - 0.5, NaN, Infinity,
  -Infinity, 1710028800000, 1710028800000.5, 999999.9999999, 1000000.0000001, -999999.9999999, 0.0000001, 0.000001, 0.0000015, 179.9999999, -180, 89.9999999, 12.3456789, 1.2345678e-5,
  0.30000000000000004, 10.199999809265137, Math.fround(10.2), Math.fround(102.3), Math.fround(102.4), Math.fround(0.1), 100, 1e7, 1e-7 * 3, 123.45, -0.5, 4.35, 1 / 3,
];

const roundDeg = (x: number) => Math.round(x * 1e7) / 1e7;

function randomNumber(r: () => number): number | null {
  const kind = Math.floor(r() * 10);
  switch (kind) {
    case 0:
      return EDGE[Math.floor(r() * EDGE.length)]!;
    case 1: {
      // Any double, from random bits.
      const v = new DataView(new ArrayBuffer(8));
      v.setUint32(0, Math.floor(r() * 2 ** 32));
      v.setUint32(4, Math.floor(r() * 2 ** 32));
      return v.getFloat64(0);
    }
    case 2:
      return null;
    case 3:
      return Math.fround(Math.round(r() * 1100) / 10) * (r() < 0.1 ? -1 : 1);
    case 4:
      return roundDeg((r() - 0.5) * 360);
    case 5:
      return roundDeg((r() - 0.5) * 2e-5);
    case 6:
      return Math.round((r() - 0.5) * 2 ** (r() * 60));
    case 7:
      return (r() - 0.5) * 10 ** Math.floor(r() * 60 - 30);
    case 8:
      return Math.round((r() - 0.5) * 2e13) / 1e7; // near-1e6 magnitudes with 7 decimals
    default:
      return Date.UTC(2024, 2, 10) + Math.floor(r() * 8.64e7);
  }
}

describe('evidenceTrackJson', () => {
  it('writes what JSON.stringify writes for random tracks of number and null rows', () => {
    const r = mulberry32(16);
    let rows = 0;
    for (let n = 0; n < 400; n++) {
      const track = Array.from({ length: Math.floor(r() * 300) }, () => Array.from({ length: r() < 0.9 ? 4 : Math.floor(r() * 8) }, () => randomNumber(r)));
      rows += track.length;
      expect(evidenceTrackJson(track)).toBe(JSON.stringify(track));
    }
    expect(rows).toBeGreaterThan(40_000);
  });

  it('writes every edge-case number as JSON.stringify does, alone and in rows', () => {
    for (const x of EDGE) expect(evidenceTrackJson([[x]])).toBe(JSON.stringify([[x]]));
    expect(evidenceTrackJson([EDGE, [...EDGE].reverse()])).toBe(JSON.stringify([EDGE, [...EDGE].reverse()]));
  });

  it('writes every float32 tenth of a knot and every 1e-7 step around edges as JSON.stringify does', () => {
    const row: number[] = [];
    for (let i = 0; i < 1100; i++) row.push(Math.fround(i / 10), -Math.fround(i / 10));
    const track = [];
    for (let i = 0; i < row.length; i += 50) track.push(row.slice(i, i + 50));
    for (const base of [0, 1e-6, 0.5, 1, 179.99999, 999_999.99999, -999_999.99999, 1e6]) {
      track.push(Array.from({ length: 40 }, (_, k) => base + (k - 20) * 1e-7), Array.from({ length: 40 }, (_, k) => roundDeg(base + (k - 20) * 1e-7)));
    }
    expect(evidenceTrackJson(track)).toBe(JSON.stringify(track));
  });

  it('writes empty tracks, empty rows, holes, undefined and a track longer than its buffer', () => {
    const holey: unknown[] = [1, , 3];
    const cases: unknown[] = [[], [[]], [[], [1]], [holey], [[undefined, null, 2]], Array.from({ length: 20_000 }, (_, i) => [1710028800000 + i * 60_000, roundDeg(-30 + i * 1e-4), 45.1234567, Math.fround(10.2)])];
    for (const c of cases) expect(evidenceTrackJson(c)).toBe(JSON.stringify(c));
  });

  it('hands other shapes to JSON.stringify', () => {
    const withHook = Object.assign([[1, 2]], { toJSON: () => 'hooked' });
    const rowHook = [Object.assign([1, 2], { toJSON: () => [3] })];
    const cases: unknown[] = [null, 5, 'text', { a: [1] }, [[1, 'x']], [[1, [2, 3]]], [{ t: 1 }], [null], [[1, () => 1]], [[new Number(4)]], withHook, rowHook, [Array.from({ length: 100 }, (_, i) => i / 7)]];
    for (const c of cases) expect(evidenceTrackJson(c)).toBe(JSON.stringify(c));
  });

  it('writes an EvidenceTrack (columns) as JSON.stringify writes its rows, lon/lat rounded to 1e-7 and NaN sog as null', () => {
    const r = mulberry32(17);
    const number = () => {
      const x = randomNumber(r);
      return x === null ? NaN : x;
    };
    let rows = 0;
    for (let n = 0; n < 300; n++) {
      const len = Math.floor(r() * 300);
      const cols = [0, 1, 2, 3].map(() => Float64Array.from({ length: len }, () => number()));
      const [from, to] = [Math.floor(r() * len), len - Math.floor(r() * (len / 4))].sort((a, b) => a - b) as [number, number];
      const track = new EvidenceTrack(cols[0]!, cols[1]!, cols[2]!, cols[3]!, from, to);
      // The rows as the detector built them before columns (score-stage's evidenceSlice).
      const expected: unknown[] = [];
      for (let i = from; i < to; i++) expected.push([cols[0]![i], roundDeg(cols[1]![i]!), roundDeg(cols[2]![i]!), Number.isNaN(cols[3]![i]!) ? null : cols[3]![i]]);
      rows += expected.length;
      expect(evidenceTrackJson(track)).toBe(JSON.stringify(expected));
      expect(JSON.stringify(track)).toBe(JSON.stringify(expected));
    }
    expect(rows).toBeGreaterThan(10_000);
    // Every edge value in every column, and the sog tenths.
    const edge = Float64Array.from(EDGE);
    const tenths = Float64Array.from({ length: 2200 }, (_, i) => (i % 2 ? -1 : 1) * Math.fround((i >> 1) / 10));
    for (const [c, len] of [[edge, edge.length], [tenths, tenths.length]] as const) {
      const track = new EvidenceTrack(c, c, c, c, 0, len);
      expect(evidenceTrackJson(track)).toBe(JSON.stringify(Array.from(c, (x) => [x, roundDeg(x), roundDeg(x), Number.isNaN(x) ? null : x])));
    }
  });

  it('gives the same text as UTF-8 bytes (evidenceTrackJsonBytes), each call its own copy', () => {
    const r = mulberry32(23);
    const tracks: unknown[] = [];
    for (let n = 0; n < 50; n++) {
      const len = 1 + Math.floor(r() * 2000);
      const cols = [0, 1, 2, 3].map(() => Float64Array.from({ length: len }, () => randomNumber(r) ?? NaN));
      tracks.push(new EvidenceTrack(cols[0]!, cols[1]!, cols[2]!, cols[3]!, Math.floor(r() * len), len));
    }
    // Not an EvidenceTrack: through JSON.stringify, non-ASCII text included.
    tracks.push([[1, 2.5, null]], [], { a: 'é€' });
    const bytes = tracks.map((t) => evidenceTrackJsonBytes(t));
    // Later calls reuse the writer's buffer: the earlier results must not change.
    tracks.forEach((t, i) => expect(bytes[i]!.equals(Buffer.from(evidenceTrackJson(t), 'utf8'))).toBe(true));
    tracks.forEach((t, i) => expect(bytes[i]!.toString('utf8')).toBe(JSON.stringify(t)));
  });
});
