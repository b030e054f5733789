/**
 * UTC timestamp parsing for CSV time columns, read from a span of the line without substrings.
 * Rows in a file share a handful of dates, so the day's epoch is cached and each row pays only
 * for its time of day.
 *
 * Both sources publish UTC with no zone suffix: MarineCadastre's data dictionary defines
 * BaseDateTime as "Full UTC date and time" (e.g. 2017-02-01T20:05:07); the DMA aisdk readme
 * gives "# Timestamp" as "31/12/2015 23:59:59", the AIS base station's UTC time.
 */

export class UtcTimeParser {
  private dayKey = -1;
  private dayMs = 0;

  /**
   * ISO-like `YYYY-MM-DDTHH:MM:SS` (MarineCadastre). Also accepts a space for the `T`, a
   * fraction of a second and a trailing `Z`. Returns epoch ms, or NaN when malformed.
   */
  iso(line: string, start: number, end: number): number {
    while (start < end && line.charCodeAt(start) === 32) start++;
    while (end > start && line.charCodeAt(end - 1) === 32) end--;
    if (end - start < 19) return NaN;
    const c = line.charCodeAt(start + 10);
    if (
      line.charCodeAt(start + 4) !== 45 ||
      line.charCodeAt(start + 7) !== 45 ||
      (c !== 84 && c !== 32 && c !== 116)
    ) {
      return NaN;
    }
    const y = digits(line, start, 4);
    const mo = digits(line, start + 5, 2);
    const d = digits(line, start + 8, 2);
    const t = this.timeOfDay(line, start + 11);
    if (y < 0 || mo < 0 || d < 0 || t < 0) return NaN;
    const frac = fractionAndZone(line, start + 19, end);
    if (frac < 0) return NaN;
    const day = this.day(y, mo, d);
    return day < 0 ? NaN : day + t + frac;
  }

  /** DMA `dd/mm/yyyy HH:MM:SS`. Returns epoch ms, or NaN when malformed. */
  dmy(line: string, start: number, end: number): number {
    while (start < end && line.charCodeAt(start) === 32) start++;
    while (end > start && line.charCodeAt(end - 1) === 32) end--;
    if (end - start !== 19) return NaN;
    if (line.charCodeAt(start + 2) !== 47 || line.charCodeAt(start + 5) !== 47 || line.charCodeAt(start + 10) !== 32) {
      return NaN;
    }
    const d = digits(line, start, 2);
    const mo = digits(line, start + 3, 2);
    const y = digits(line, start + 6, 4);
    const t = this.timeOfDay(line, start + 11);
    if (y < 0 || mo < 0 || d < 0 || t < 0) return NaN;
    const day = this.day(y, mo, d);
    return day < 0 ? NaN : day + t;
  }

  /** `HH:MM:SS` at p → ms since midnight, or -1. Leap second 60 is not representable in epoch ms: rejected. */
  private timeOfDay(line: string, p: number): number {
    if (line.charCodeAt(p + 2) !== 58 || line.charCodeAt(p + 5) !== 58) return -1;
    const h = digits(line, p, 2);
    const m = digits(line, p + 3, 2);
    const s = digits(line, p + 6, 2);
    if (h < 0 || m < 0 || s < 0 || h > 23 || m > 59 || s > 59) return -1;
    return ((h * 60 + m) * 60 + s) * 1000;
  }

  private day(y: number, mo: number, d: number): number {
    const key = (y * 100 + mo) * 100 + d;
    if (key === this.dayKey) return this.dayMs;
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return -1;
    this.dayKey = key;
    this.dayMs = Date.UTC(y, mo - 1, d);
    // Date.UTC maps years 0–99 to 1900–1999; an AIS file never has them, checkPosition rejects them anyway.
    return this.dayMs;
  }
}

/** Unsigned decimal of exactly n digits at p, or -1. */
function digits(line: string, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(p + i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Optional `.fff…` then optional `Z` up to end → ms (truncated), or -1 when anything else follows. */
function fractionAndZone(line: string, p: number, end: number): number {
  let ms = 0;
  if (p < end && line.charCodeAt(p) === 46) {
    p++;
    let scale = 100;
    const first = p;
    while (p < end) {
      const c = line.charCodeAt(p) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale /= 10;
      p++;
    }
    if (p === first) return -1;
    ms = Math.floor(ms);
  }
  if (p < end && (line.charCodeAt(p) === 90 || line.charCodeAt(p) === 122)) p++;
  return p === end ? ms : -1;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}
