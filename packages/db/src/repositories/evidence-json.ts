/**
 * JSON text of an evidence track, byte-identical to `JSON.stringify(track)`, built by hand for
 * the shape the detector writes: an array of rows [epoch ms, lon, lat, sog | null]. Anything
 * else (not an array, a row that is not a plain array of numbers and nulls, a toJSON hook) is
 * handed to JSON.stringify whole, so the output never differs from it.
 *
 * Why: JSON.stringify of the evidence took 41–46 ms of every detector job at 2,000 vessels
 * (CPU profile), nearly all of it formatting doubles. Most of the numbers have a cheaper exact
 * form: the times are safe integers, and lon/lat are rounded to 1e-7 degrees (score-stage's
 * roundDeg), so their shortest round-trip text is an integer's digits with a decimal point put
 * in (see writeFixed7); sog is a float32 widened to a double, with few distinct values (cached).
 * The digits are written as bytes into one reused buffer and turned into a string once (string
 * concatenation of the pieces measured slower than JSON.stringify itself).
 */
export function evidenceTrackJson(track: unknown): string {
  if (track instanceof EvidenceTrack) return columnarJson(track);
  if (!Array.isArray(track) || (track as { toJSON?: unknown }).toJSON !== undefined) return JSON.stringify(track);
  let b = buf;
  let p = 0;
  b[p++] = OPEN;
  for (let i = 0; i < track.length; i++) {
    const row: unknown = track[i];
    if (!Array.isArray(row) || (row as { toJSON?: unknown }).toJSON !== undefined) return JSON.stringify(track);
    // Room for the row's brackets and commas and each number's longest text (24 bytes, e.g.
    // -1.2345678901234567e-123); a longer row is refused to the fallback.
    if (row.length > 64) return JSON.stringify(track);
    if (p + 3 + row.length * 25 > b.length) b = grow(p + 3 + row.length * 25);
    if (i > 0) b[p++] = COMMA;
    b[p++] = OPEN;
    for (let j = 0; j < row.length; j++) {
      const v: unknown = row[j];
      if (j > 0) b[p++] = COMMA;
      if (typeof v === 'number') p = writeNumber(b, v, p);
      // A hole or undefined in an array is written as null by JSON.stringify too.
      else if (v === null || v === undefined) p = writeAscii(b, 'null', p);
      else return JSON.stringify(track);
    }
    b[p++] = CLOSE;
  }
  b[p++] = CLOSE; // room left by the row check (or the initial size, for no rows)
  return b.toString('latin1', 0, p);
}

/**
 * evidenceTrackJson's text as UTF-8 bytes, for a `json` column's query parameter: node-postgres
 * sends a Buffer parameter as is (binary format, which for `json` is the text itself; the server
 * validates it as it does text), where a string is measured and encoded to UTF-8 again. An
 * EvidenceTrack's bytes are copied out of the buffer they were written in, never turned into a
 * string: the evidence of an 8,000-vessel job is about 13 MB of text, and the string (one copy)
 * and pg's UTF-8 encoding of it (another, addInt32PrefixedString 60-70 ms of a job's CPU
 * profile) were two passes over it.
 */
export function evidenceTrackJsonBytes(track: unknown): Buffer {
  if (track instanceof EvidenceTrack) {
    const n = columnarBytes(track);
    return Buffer.from(buf.subarray(0, n));
  }
  return Buffer.from(evidenceTrackJson(track), 'utf8');
}

/**
 * An evidence track as the detector builds it: the reports [from, to) of a vessel's columns
 * (views, not copies), each written as the row [epoch ms, lon, lat, sog | null] with lon/lat
 * rounded to 1e-7 degrees (1 cm; see the detector's score stage) and a NaN sog as null.
 * Instead of an array of 4-element arrays per track: those rows (an array and three or four
 * boxed doubles each) were the largest allocation of a warm detector job, built only to be
 * serialized here. toJSON gives the rows, so JSON.stringify (and anything else that serializes
 * the evidence) writes what evidenceTrackJson writes.
 */
export class EvidenceTrack {
  readonly t: Float64Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  /** Knots; NaN when not reported (written as null). */
  readonly sog: Float64Array;
  readonly from: number;
  readonly to: number;
  constructor(t: Float64Array, lon: Float64Array, lat: Float64Array, sog: Float64Array, from: number, to: number) {
    this.t = t;
    this.lon = lon;
    this.lat = lat;
    this.sog = sog;
    this.from = from;
    this.to = to;
  }
  get length(): number {
    return this.to - this.from;
  }
  toJSON(): [number, number, number, number | null][] {
    const out: [number, number, number, number | null][] = [];
    for (let i = this.from; i < this.to; i++) out.push([this.t[i]!, roundDeg(this.lon[i]!), roundDeg(this.lat[i]!), Number.isNaN(this.sog[i]!) ? null : this.sog[i]!]);
    return out;
  }
}

/** 1e-7 degrees: the evidence's precision (see EvidenceTrack). */
export const roundDeg = (x: number) => Math.round(x * 1e7) / 1e7;

/**
 * evidenceTrackJson of an EvidenceTrack: the same text as JSON.stringify of its rows. Each
 * number takes writeNumber's path, but with the column and index handed on (or its int32 parts),
 * not the double: a double passed to a call V8 does not inline is boxed, which was 9 MB of a
 * 2,000-vessel job's allocations (heap sampling profile). Rare values (not on these paths) go
 * to writeNumber itself.
 */
function columnarJson(track: EvidenceTrack): string {
  const n = columnarBytes(track);
  return buf.toString('latin1', 0, n);
}

/** Writes columnarJson's text into `buf` (grown as needed) and returns its length in bytes. */
function columnarBytes(track: EvidenceTrack): number {
  const { t, lon, lat, sog, from, to } = track;
  // Each row's longest text: 4 numbers of at most 24 bytes, 3 commas, 2 brackets, a comma.
  const need = 2 + (to - from) * 102;
  const b = need > buf.length ? grow(need) : buf;
  let p = 0;
  b[p++] = OPEN;
  for (let i = from; i < to; i++) {
    if (i > from) b[p++] = COMMA;
    b[p++] = OPEN;
    p = writeTimeAt(b, t, i, p);
    b[p++] = COMMA;
    p = writeDegAt(b, lon, i, p);
    b[p++] = COMMA;
    p = writeDegAt(b, lat, i, p);
    b[p++] = COMMA;
    p = writeSogAt(b, sog, i, p);
    b[p++] = CLOSE;
  }
  b[p++] = CLOSE;
  return p;
}

/** writeNumber(b, a[i], p) for a time: a non-negative safe integer split in int32 parts (writeDigits). */
function writeTimeAt(b: Buffer, a: Float64Array, i: number, p: number): number {
  const x = a[i]!;
  if (!(Number.isInteger(x) && x >= 0 && x < TWO_53)) return writeNumber(b, x, p);
  if (x < 1e9) return writeSmall(b, x | 0, p, 0);
  const hi = Math.floor(x / 1e9);
  p = writeSmall(b, hi | 0, p, 0); // < 2^53 / 1e9: an int32
  return writeSmall(b, (x - hi * 1e9) | 0, p, 9);
}

/** writeNumber(b, roundDeg(a[i]), p): its writeFixed7 path with k's int32 parts. */
function writeDegAt(b: Buffer, a: Float64Array, i: number, p: number): number {
  const x = roundDeg(a[i]!);
  const k = Math.round(x * 1e7);
  if (Number.isInteger(x) || !(k / 1e7 === x && x < 1e6 && x > -1e6 && (k >= 10 || k <= -10))) return writeNumber(b, x, p);
  const neg = k < 0;
  const ak = neg ? -k : k;
  const int = Math.floor(ak / 1e7);
  return writeFixed7Parts(b, neg, int, (ak - int * 1e7) | 0, p);
}

/** writeNumber(b, a[i], p) for a sog (NaN: null): integers and float32 tenths without the double. */
function writeSogAt(b: Buffer, a: Float64Array, i: number, p: number): number {
  const x = a[i]!;
  if (x !== x) return writeAscii(b, 'null', p);
  if (Number.isInteger(x)) {
    if (x >= 0 && x < 1e9) return writeSmall(b, x | 0, p, 0);
    return writeNumber(b, x, p);
  }
  const j = Math.round(x * 10);
  if (j >= 0 && j < 1024 && Math.fround(j / 10) === x) {
    // writeNumber tries writeFixed7 first (0.5 passes it): left to writeNumber, which writes the same text.
    const k = Math.round(x * 1e7);
    if (!(k / 1e7 === x && x < 1e6 && x > -1e6 && (k >= 10 || k <= -10))) return writeAscii(b, TENTHS[j]!, p);
  }
  return writeNumber(b, x, p);
}

const OPEN = 0x5b;
const CLOSE = 0x5d;
const COMMA = 0x2c;
const ZERO = 0x30;

/** Reused between calls (the detector writes a few hundred tracks per job). */
let buf: Buffer = Buffer.allocUnsafeSlow(1 << 16);
function grow(min: number): Buffer {
  let n = buf.length * 2;
  while (n < min) n *= 2;
  const b = Buffer.allocUnsafeSlow(n);
  buf.copy(b);
  buf = b;
  return b;
}

/** Formatted values that have no cheaper exact form (sog: few distinct float32 values). */
const cache = new Map<number, string>();
const CACHE_MAX = 4096;
const TWO_53 = 2 ** 53;
/** Text of sog values i / 10 stored as float32 (AIS sends tenths of a knot, 0–102.3), by i. */
const TENTHS: string[] = Array.from({ length: 1024 }, (_, i) => String(Math.fround(i / 10)));

/** Writes `JSON.stringify(x)` at p; returns the end. */
function writeNumber(b: Buffer, x: number, p: number): number {
  // A safe integer's shortest round-trip text is all its digits (ulp ≤ 1); -0 prints as 0.
  if (Number.isInteger(x) && x < TWO_53 && x > -TWO_53) {
    if (x < 0) {
      b[p++] = 0x2d;
      x = -x;
    }
    return writeDigits(b, x, p, 0);
  }
  if (x !== x || x === Infinity || x === -Infinity) return writeAscii(b, 'null', p);
  const k = Math.round(x * 1e7);
  if (k / 1e7 === x && x < 1e6 && x > -1e6 && (k >= 10 || k <= -10)) return writeFixed7(b, k, p);
  const i = Math.round(x * 10);
  if (i >= 0 && i < 1024 && Math.fround(i / 10) === x) return writeAscii(b, TENTHS[i]!, p);
  let s = cache.get(x);
  if (s === undefined) {
    s = String(x);
    if (cache.size < CACHE_MAX) cache.set(x, s);
  }
  return writeAscii(b, s, p);
}

function writeAscii(b: Buffer, s: string, p: number): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

/**
 * n a non-negative safe integer, written with at least minDigits digits (leading zeros); returns
 * the end. Cut into int32 parts below 1e9: a double `%` is a call into C, int32 division is not.
 */
function writeDigits(b: Buffer, n: number, p: number, minDigits: number): number {
  if (n < 1e9) return writeSmall(b, n | 0, p, minDigits);
  const hi = Math.floor(n / 1e9);
  p = writeDigits(b, hi, p, minDigits - 9);
  return writeSmall(b, (n - hi * 1e9) | 0, p, 9);
}

/** n an int32 ≥ 0. */
function writeSmall(b: Buffer, n: number, p: number, minDigits: number): number {
  let len = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : 9;
  if (len < minDigits) len = minDigits;
  const end = p + len;
  let q = end;
  while (q - p >= 2) {
    const m = (n / 100) | 0;
    const r = (n - m * 100) << 1;
    b[--q] = PAIRS[r + 1]!;
    b[--q] = PAIRS[r]!;
    n = m;
  }
  if (q > p) b[--q] = ZERO + n;
  return end;
}

/** "00" … "99" as bytes. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/**
 * The shortest round-trip text of x = k / 1e7 (k an integer, 10 ≤ |k|, |x| < 1e6), which is k's
 * digits with the point 7 places from the right and trailing zeros dropped: the double nearest
 * k·10⁻⁷ round-trips to that decimal, and no decimal with fewer significant digits is within
 * half an ulp of it (any such one lies on a coarser grid, at least 1e-7 away, while an ulp below
 * 1e6 is under 2.4e-10). |x| ≥ 1e-6, so JavaScript prints it without an exponent.
 */
function writeFixed7(b: Buffer, k: number, p: number): number {
  const neg = k < 0;
  if (neg) k = -k;
  const int = Math.floor(k / 1e7);
  return writeFixed7Parts(b, neg, int, (k - int * 1e7) | 0, p);
}

/** writeFixed7 of k = ±(int · 1e7 + frac), 0 ≤ frac < 1e7. */
function writeFixed7Parts(b: Buffer, neg: boolean, int: number, frac: number, p: number): number {
  if (neg) b[p++] = 0x2d;
  p = writeDigits(b, int, p, 0);
  if (frac === 0) return p;
  let digits = 7;
  while (frac % 10 === 0) {
    frac = (frac / 10) | 0;
    digits--;
  }
  b[p++] = 0x2e;
  return writeSmall(b, frac, p, digits);
}
