/**
 * NMEA 0183 v4 TAG blocks (IEC 61162-450 / NMEA 0183 v4.10 §7):
 *   \c:<unix time>,s:<source>,g:<n>-<m>-<id>,…*hh\
 * The checksum covers the characters between the leading '\' and '*'.
 * Only c (receiver time), s (source) and g (sentence grouping; also the
 * older IEC form `<n>G<m>:<id>`) are interpreted; other parameters (t, n, r,
 * d, q, T, …) are skipped.
 */
import { hexValue } from './checksum.ts';
import type { RejectReason } from './reasons.ts';
import { epochToMs, parseDecimal } from './timestamps.ts';

export class TagScan {
  timestampMs: number | null = null;
  source: string | null = null;
  /** Group id; null if the TAG block has no grouping parameter. */
  groupId: string | null = null;
  groupNumber = 0;
  groupTotal = 0;
  /** Index just after the closing '\'. */
  end = 0;

  reset(): void {
    this.timestampMs = null;
    this.source = null;
    this.groupId = null;
    this.groupNumber = 0;
    this.groupTotal = 0;
  }
}

/** Parse "<n>-<m>-<id>" (g) or "<n>G<m>:<id>" (key/value already split by the caller). Returns false if malformed. */
function parseGroup(n: string, m: string, id: string, out: TagScan): boolean {
  const ni = Number(n);
  const mi = Number(m);
  if (!(ni >= 1 && mi >= 1 && ni <= mi && mi <= 99) || !Number.isInteger(ni) || !Number.isInteger(mi)) return false;
  if (id === '' || !/^[0-9A-Za-z]+$/.test(id)) return false;
  out.groupNumber = ni;
  out.groupTotal = mi;
  out.groupId = id;
  return true;
}

/**
 * Parse the TAG block starting at `line[start] === '\'`. Merges fields into
 * `out` (a line may carry several blocks). Returns null or the reason.
 */
export function scanTagBlock(line: string, start: number, end: number, out: TagScan): RejectReason | null {
  let x = 0;
  let star = -1;
  for (let i = start + 1; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === 42) {
      star = i;
      break;
    }
    if (c === 92 || c === 33) return 'tagblock_malformed'; // closed or a sentence began before '*'
    x ^= c;
  }
  if (star < 0 || star + 3 >= end || line.charCodeAt(star + 3) !== 92) return 'tagblock_malformed';
  const h1 = hexValue(line.charCodeAt(star + 1));
  const h2 = hexValue(line.charCodeAt(star + 2));
  if (h1 < 0 || h2 < 0) return 'tagblock_malformed';
  if (((h1 << 4) | h2) !== x) return 'tagblock_checksum';
  out.end = star + 4;

  // Fields: key:value separated by ','.
  let i = start + 1;
  while (i < star) {
    let comma = line.indexOf(',', i);
    if (comma < 0 || comma > star) comma = star;
    const colon = line.indexOf(':', i);
    if (colon > i && colon < comma) {
      const keyLen = colon - i;
      const k = line.charCodeAt(i);
      if (keyLen === 1 && k === 99) {
        // c: seconds or milliseconds since the epoch
        const v = parseDecimal(line, colon + 1, comma);
        if (v === null) return 'tagblock_malformed';
        out.timestampMs = epochToMs(v);
      } else if (keyLen === 1 && k === 115) {
        out.source = line.substring(colon + 1, comma);
      } else if (keyLen === 1 && k === 103) {
        const parts = line.substring(colon + 1, comma).split('-');
        if (parts.length !== 3 || !parseGroup(parts[0]!, parts[1]!, parts[2]!, out)) return 'tagblock_malformed';
      } else if (keyLen >= 3) {
        const key = line.substring(i, colon);
        const g = key.indexOf('G');
        if (g > 0 && /^[0-9]+G[0-9]+$/.test(key)) {
          if (!parseGroup(key.substring(0, g), key.substring(g + 1), line.substring(colon + 1, comma), out)) {
            return 'tagblock_malformed';
          }
        }
      }
    }
    i = comma + 1;
  }
  return null;
}
