/**
 * Timestamps and station ids carried outside the AIS sentence:
 *  - Gatehouse `$PGHP,1,yyyy,m,d,h,m,s,ms,…*hh` on the line before a
 *    sentence (DMA AisLib streams); applies to the next sentence.
 *  - USCG NAIS trailers after the checksum: `…*hh,b003669794,1272412827`
 *    (station, unix time) and the aisdb variant
 *    `…*hh,d-109,S2105,t050056.00,T56.13…,r003669946,1325394060,1325394001`
 *    (first unix time wins; `b…`/`r…` is the station).
 *  - A bare `,<unix>` after the checksum (AisLib small_cb_example).
 *  - A leading `<unix epoch> ` before the sentence (simpleais).
 * Epoch values ≥ 1e11 are taken as milliseconds, smaller ones as seconds.
 */
import { hexValue } from './checksum.ts';

/** Seconds or milliseconds since the epoch → ms (rounded). */
export function epochToMs(v: number): number {
  return Math.round(v >= 1e11 ? v : v * 1000);
}

/** Non-negative decimal ("123", "123.45") in [from, to); null if anything else. */
export function parseDecimal(s: string, from: number, to: number): number | null {
  if (from >= to || to - from > 24) return null;
  let v = 0;
  let i = from;
  let digits = 0;
  for (; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    digits++;
  }
  if (digits === 0) return null;
  if (i === to) return v;
  if (s.charCodeAt(i) !== 46) return null; // '.'
  let scale = 0.1;
  for (i++; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    v += d * scale;
    scale /= 10;
  }
  return v;
}

/** Result of scanning a USCG-style trailer. */
export class TrailerScan {
  timestampMs: number | null = null;
  station: string | null = null;
  /** Index where scanning stopped (start of a following sentence, or end). */
  end = 0;
  garbage = false;
}

/**
 * Scan `,field,field…` from `start` (which must be ','). Stops at `end` or
 * at a '\' / '!' that begins another sentence on the same line.
 */
export function scanTrailer(line: string, start: number, end: number, out: TrailerScan): void {
  out.timestampMs = null;
  out.station = null;
  out.garbage = false;
  let i = start;
  while (i < end && line.charCodeAt(i) === 44) {
    let j = i + 1;
    while (j < end) {
      const c = line.charCodeAt(j);
      if (c === 44 || c === 92 || c === 33) break;
      j++;
    }
    const f0 = line.charCodeAt(i + 1);
    if (j > i + 1) {
      if (f0 >= 48 && f0 <= 57) {
        if (out.timestampMs === null) {
          const v = parseDecimal(line, i + 1, j);
          // ≥ 1e8 s excludes small counters; USCG times are 10 digits.
          if (v !== null && v >= 1e8) out.timestampMs = epochToMs(v);
        }
      } else if ((f0 === 98 || f0 === 114) && out.station === null && j > i + 2) {
        out.station = line.substring(i + 1, j); // 'b…' base station / 'r…' receiver id
      }
    }
    i = j;
  }
  out.end = i;
}

/**
 * Leading "<epoch> " prefix (simpleais). Returns the index of the first
 * character after the prefix and whitespace, or −1 if the line does not
 * start with a number followed by a space/tab. Epoch in `outMs[0]`.
 */
export function scanLeadingEpoch(line: string, start: number, end: number, outMs: Float64Array): number {
  let i = start;
  while (i < end) {
    const c = line.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 46) i++;
    else break;
  }
  if (i === start || i >= end) return -1;
  const sp = line.charCodeAt(i);
  if (sp !== 32 && sp !== 9) return -1;
  const v = parseDecimal(line, start, i);
  if (v === null) return -1;
  outMs[0] = epochToMs(v);
  while (i < end && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return i;
}

/** True if the line at `start` is `$PGHP,`. */
export function isPghpAt(line: string, start: number): boolean {
  return (
    line.charCodeAt(start) === 36 &&
    line.charCodeAt(start + 1) === 80 &&
    line.charCodeAt(start + 2) === 71 &&
    line.charCodeAt(start + 3) === 72 &&
    line.charCodeAt(start + 4) === 80 &&
    line.charCodeAt(start + 5) === 44
  );
}

/**
 * Parse `$PGHP,1,yyyy,m,d,h,m,s,ms,…*hh` (Gatehouse proprietary, message 1
 * = timestamp of the following sentence). Returns epoch ms, `-1` for a
 * checksum/format failure, or `-2` for a valid PGHP that is not message 1.
 */
export function parsePghp(line: string, start: number, end: number): number {
  let x = 0;
  let star = -1;
  for (let i = start + 1; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === 42) {
      star = i;
      break;
    }
    x ^= c;
  }
  if (star < 0 || star + 3 > end) return -1;
  const h1 = hexValue(line.charCodeAt(star + 1));
  const h2 = hexValue(line.charCodeAt(star + 2));
  if (h1 < 0 || h2 < 0 || ((h1 << 4) | h2) !== x) return -1;
  // Fields after "$PGHP,": msg, year, month, day, hour, minute, second, ms
  const vals = [0, 0, 0, 0, 0, 0, 0, 0];
  let i = start + 6;
  for (let f = 0; f < 8; f++) {
    let v = 0;
    let digits = 0;
    while (i < star) {
      const d = line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 4) return -1;
    vals[f] = v;
    if (f < 7) {
      if (line.charCodeAt(i) !== 44) return -1;
      i++;
    } else if (i < star && line.charCodeAt(i) !== 44) return -1;
  }
  if (vals[0] !== 1) return -2;
  const [, y, mo, d, h, mi, s, ms] = vals as [number, number, number, number, number, number, number, number];
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || ms > 999) return -1;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}
