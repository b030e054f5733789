/**
 * Text encodings for COPY into `positions` (time as ISO text, the point as hex EWKB), fast enough
 * for the ingest hot path: one string per value, no Date or Buffer per row. Used by ingest's
 * position store and the detector bench's loader.
 */

// UTC time text for COPY. Positions come roughly in time order, so the 'YYYY-MM-DDTHH:MM:'
// prefix is formatted once per minute instead of building a Date per row.
let cachedMinute = NaN;
let cachedPrefix = '';
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const minute = Math.floor(ms / 60_000);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
  }
  const rest = ms - minute * 60_000; // 0–59999 ms into the minute
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${cachedPrefix}${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

// Hex EWKB of a 2-D point with SRID 4326: little-endian, type 0x20000001 (point + SRID flag).
const EWKB_PREFIX = '0101000020E6100000';
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase());
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
function hexDouble(value: number): string {
  f64[0] = value; // platform order: little-endian on every architecture Node supports here
  let out = '';
  for (let i = 0; i < 8; i++) out += HEX[f64Bytes[i]!]!;
  return out;
}
export function ewkbPoint(lon: number, lat: number): string {
  return EWKB_PREFIX + hexDouble(lon) + hexDouble(lat);
}
