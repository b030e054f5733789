/**
 * Scanner for one `!xxVDM` / `!xxVDO` sentence (IEC 61162-1 §8.3.92/93):
 *   !AIVDM,<count>,<number>,<seq id>,<channel>,<payload>,<fill bits>*hh
 * One pass with charCodeAt computes the checksum and locates the commas; no
 * split(), no regex. Tolerates one extra field before '*' (signalk "gofree"
 * 8-field VDM) and reports it as a warning.
 */
import { hexValue } from './checksum.ts';
import type { RejectReason } from './reasons.ts';

/** Mutable scan result, reused by the streaming decoder. */
export class SentenceScan {
  talker = '';
  own = false;
  count = 0;
  index = 0;
  /** −1 when the field is empty. */
  seqId = -1;
  channel: string | null = null;
  payloadStart = 0;
  payloadEnd = 0;
  fillBits = 0;
  extraFields = false;
  /** Index just after the two checksum digits. */
  end = 0;
}

const talkerCache = new Map<number, string>();

function talkerString(line: string, i: number): string {
  const key = (line.charCodeAt(i) << 16) | line.charCodeAt(i + 1);
  let t = talkerCache.get(key);
  if (t === undefined) {
    t = line.substring(i, i + 2);
    if (talkerCache.size < 4096) talkerCache.set(key, t);
  }
  return t;
}

/** ASCII talkers by (c1 << 7) | c2, filled on first use. */
const asciiTalkers: (string | undefined)[] = new Array<string | undefined>(1 << 14).fill(undefined);

/** Talker text from its two ASCII (< 128) char codes. */
export function talkerFromCodes(c1: number, c2: number): string {
  const k = (c1 << 7) | c2;
  let t = asciiTalkers[k];
  if (t === undefined) asciiTalkers[k] = t = String.fromCharCode(c1, c2);
  return t;
}

/** True if `line[start]` begins `!xxVDM,` or `!xxVDO,`. */
export function isVdmAt(line: string, start: number, end: number): boolean {
  return (
    start + 7 <= end &&
    line.charCodeAt(start) === 33 && // '!'
    line.charCodeAt(start + 3) === 86 && // 'V'
    line.charCodeAt(start + 4) === 68 && // 'D'
    (line.charCodeAt(start + 5) === 77 || line.charCodeAt(start + 5) === 79) && // 'M' | 'O'
    line.charCodeAt(start + 6) === 44 // ','
  );
}

/** Parse a small unsigned decimal in [from, to); −1 if empty or not all digits. */
function smallInt(line: string, from: number, to: number): number {
  if (from >= to || to - from > 6) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = line.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Scan the sentence starting at `start` (which must satisfy isVdmAt).
 * Returns null on success (fields in `out`) or the rejection reason.
 */
export function scanSentence(line: string, start: number, end: number, out: SentenceScan): RejectReason | null {
  // Native indexOf finds the delimiters; the checksum is one tight XOR loop.
  const star = line.indexOf('*', start + 7);
  if (star < 0 || star >= end) return 'no_checksum';
  let x = 0;
  for (let i = start + 1; i < star; i++) {
    const c = line.charCodeAt(i);
    // A new '!' or '\' before '*': this sentence was truncated and another began.
    if (c === 33 || c === 92) return 'no_checksum';
    x ^= c;
  }
  if (star + 3 > end) return 'checksum';
  const h1 = hexValue(line.charCodeAt(star + 1));
  const h2 = hexValue(line.charCodeAt(star + 2));
  if (h1 < 0 || h2 < 0) return 'checksum';
  if (((h1 << 4) | h2) !== x) return 'checksum';
  out.end = star + 3;

  const c1 = start + 6; // comma after "!AIVDM"
  const c2 = line.indexOf(',', c1 + 1);
  const c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
  const c4 = c3 < 0 ? -1 : line.indexOf(',', c3 + 1);
  const c5 = c4 < 0 ? -1 : line.indexOf(',', c4 + 1);
  const c6 = c5 < 0 ? -1 : line.indexOf(',', c5 + 1);
  if (c6 < 0 || c6 > star) return 'malformed_sentence';
  let c7 = line.indexOf(',', c6 + 1);
  if (c7 > star) c7 = -1;
  if (c7 >= 0 && line.indexOf(',', c7 + 1) >= 0 && line.indexOf(',', c7 + 1) < star) return 'malformed_sentence';
  out.extraFields = c7 >= 0;
  const fillEnd = c7 >= 0 ? c7 : star;
  const count = smallInt(line, c1 + 1, c2);
  const index = smallInt(line, c2 + 1, c3);
  if (count < 1 || count > 9 || index < 1 || index > count) return 'malformed_sentence';
  let seq = -1;
  if (c4 > c3 + 1) {
    seq = smallInt(line, c3 + 1, c4);
    if (seq < 0) return 'malformed_sentence';
  }
  const fill = smallInt(line, c6 + 1, fillEnd);
  if (fill < 0 || fill > 5) return 'malformed_sentence';
  if (c6 === c5 + 1) return 'empty_payload';

  out.talker = talkerString(line, start + 1);
  out.own = line.charCodeAt(start + 5) === 79;
  out.count = count;
  out.index = index;
  out.seqId = seq;
  // Channel is almost always one character; charAt hits V8's single-character cache.
  out.channel = c5 === c4 + 1 ? null : c5 === c4 + 2 ? line.charAt(c4 + 1) : line.substring(c4 + 1, c5);
  out.payloadStart = c5 + 1;
  out.payloadEnd = c6;
  out.fillBits = fill;
  return null;
}
