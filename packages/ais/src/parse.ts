/**
 * Stateless single-line parser for callers that want the NMEA layer only
 * (no reassembly, no decoding). Allocates a fresh result per call; the
 * streaming decoder uses the same scanners with reused state instead.
 */
import type { RejectReason } from './reasons.ts';
import { SentenceScan, isVdmAt, scanSentence } from './sentence.ts';
import { TagScan, scanTagBlock } from './tag-block.ts';
import { TrailerScan, scanLeadingEpoch, scanTrailer } from './timestamps.ts';

export interface ParsedSentence {
  talker: string;
  own: boolean;
  fragmentCount: number;
  fragmentNumber: number;
  /** Sequential message id; null when the field is empty (single-sentence messages). */
  sequenceId: number | null;
  channel: string | null;
  payload: string;
  fillBits: number;
  /** TAG block `c:` → ms; else trailing or leading unix time; null if none. */
  timestampMs: number | null;
  /** TAG block `s:` or trailer station id. */
  source: string | null;
  /** TAG block sentence grouping, if present. */
  group: { number: number; total: number; id: string } | null;
}

export type ParseResult = { ok: true; sentence: ParsedSentence } | { ok: false; reason: RejectReason };

/**
 * Parse the first sentence on a line: optional leading epoch, TAG block(s),
 * `!xxVDM/VDO` with checksum, optional trailer. Never throws.
 */
export function parseSentence(line: string): ParseResult {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) <= 32) end--;
  let i = 0;
  while (i < end && line.charCodeAt(i) <= 32) i++;
  if (i === end) return { ok: false, reason: 'blank_line' };
  if (line.charCodeAt(i) === 35) return { ok: false, reason: 'comment' };
  let leadingMs: number | null = null;
  const c0 = line.charCodeAt(i);
  if (c0 >= 48 && c0 <= 57) {
    const buf = new Float64Array(1);
    const j = scanLeadingEpoch(line, i, end, buf);
    if (j < 0) return { ok: false, reason: 'not_ais' };
    leadingMs = buf[0]!;
    i = j;
  }
  const tag = new TagScan();
  let hasTag = false;
  while (i < end && line.charCodeAt(i) === 92) {
    const r = scanTagBlock(line, i, end, tag);
    if (r !== null) return { ok: false, reason: r };
    i = tag.end;
    hasTag = true;
  }
  if (!isVdmAt(line, i, end)) return { ok: false, reason: hasTag ? 'malformed_sentence' : 'not_ais' };
  const s = new SentenceScan();
  const r = scanSentence(line, i, end, s);
  if (r !== null) return { ok: false, reason: r };
  const tr = new TrailerScan();
  if (s.end < end && line.charCodeAt(s.end) === 44) scanTrailer(line, s.end, end, tr);
  return {
    ok: true,
    sentence: {
      talker: s.talker,
      own: s.own,
      fragmentCount: s.count,
      fragmentNumber: s.index,
      sequenceId: s.seqId < 0 ? null : s.seqId,
      channel: s.channel,
      payload: line.substring(s.payloadStart, s.payloadEnd),
      fillBits: s.fillBits,
      timestampMs: tag.timestampMs ?? tr.timestampMs ?? leadingMs,
      source: tag.source ?? tr.station,
      group: tag.groupId === null ? null : { number: tag.groupNumber, total: tag.groupTotal, id: tag.groupId },
    },
  };
}
