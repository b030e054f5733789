/**
 * Streaming decoder: one line in, at most one completed message out.
 * Pure (no I/O); the caller supplies lines and its clock. Never throws on
 * input: everything unusable is counted under a stable reason.
 */
import { PayloadBits } from './bits.ts';
import { decodeBits, type DecodeOutcome } from './decode.ts';
import { REJECT_REASONS, WARNING_KINDS, type RejectReason, type WarningKind } from './reasons.ts';
import { Reassembler } from './reassembly.ts';
import { SentenceScan, isVdmAt, scanSentence } from './sentence.ts';
import { TagScan, scanTagBlock } from './tag-block.ts';
import { TrailerScan, isPghpAt, parsePghp, scanLeadingEpoch, scanTrailer } from './timestamps.ts';
import type { DecodedAis } from './types.ts';

export interface AisDecoderOptions {
  /** Open multi-sentence groups kept at once; the oldest is evicted beyond this. Default 256. */
  maxPendingGroups?: number;
  /** A group expires this long (in `receivedAtMs` time) after its first fragment. Default 2000 ms. */
  fragmentTimeoutMs?: number;
  /** …or after this many further sentences, whichever comes first (protects replays with a frozen clock). Default 500. */
  fragmentTimeoutSentences?: number;
  /** Longer lines are rejected unparsed. Default 1024 characters. */
  maxLineLength?: number;
}

export interface AisDecoderStats {
  /** Lines pushed. */
  lines: number;
  /** VDM/VDO sentences with a valid checksum and structure. */
  sentences: number;
  /** Messages decoded and returned. */
  messages: number;
  /** `$PGHP` lines accepted as timestamps. */
  pghpLines: number;
  /** Decoded messages per type (types 0–27 present, zero when unseen). */
  byType: Record<number, number>;
  rejected: Record<RejectReason, number>;
  warnings: Record<WarningKind, number>;
  /** Multi-sentence groups currently open. */
  pendingGroups: number;
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  const o = {} as Record<K, number>;
  for (const k of keys) o[k] = 0;
  return o;
}

export class AisDecoder {
  private readonly maxLineLength: number;
  private readonly reasm: Reassembler;
  private readonly sentence = new SentenceScan();
  private readonly tag = new TagScan();
  private readonly trailer = new TrailerScan();
  private readonly bits = new PayloadBits();
  private readonly outcome: DecodeOutcome = { msg: null, reason: null, nonstandard: false };
  private readonly leading = new Float64Array(1);
  private readonly rejected: Record<RejectReason, number> = zeroCounts(REJECT_REASONS);
  private readonly warnings: Record<WarningKind, number> = zeroCounts(WARNING_KINDS);
  private readonly byType = new Float64Array(64);
  private lines = 0;
  private sentences = 0;
  private messages = 0;
  private pghpLines = 0;
  /** Timestamp from the last `$PGHP` line, consumed by the next sentence. */
  private pghpMs: number | null = null;
  private readonly queue: DecodedAis[] = [];

  constructor(options: AisDecoderOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? 1024;
    this.reasm = new Reassembler(
      options.maxPendingGroups ?? 256,
      options.fragmentTimeoutMs ?? 2000,
      options.fragmentTimeoutSentences ?? 500,
      (r) => {
        this.rejected[r]++;
      },
    );
  }

  /**
   * Feed one line (with or without its line terminator). Returns the message
   * it completed, or null (fragment buffered, metadata line, or rejected —
   * see `stats`). If a line carries several complete messages (concatenated
   * sentences, as in some GFW/Spire exports) the first is returned and the
   * rest are available from `shift()`.
   */
  push(line: string, receivedAtMs = 0): DecodedAis | null {
    this.lines++;
    if (line.length > this.maxLineLength) {
      this.rejected.line_too_long++;
      return null;
    }
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) <= 32) end--;
    let i = 0;
    while (i < end && line.charCodeAt(i) <= 32) i++;
    if (i === end) {
      this.rejected.blank_line++;
      return null;
    }
    let c = line.charCodeAt(i);
    if (c === 35) {
      this.rejected.comment++;
      return null;
    }
    if (c === 36) {
      if (isPghpAt(line, i)) {
        const ms = parsePghp(line, i, end);
        if (ms === -1) this.rejected.pghp_malformed++;
        else {
          this.pghpLines++;
          if (ms >= 0) this.pghpMs = ms;
        }
      } else {
        this.rejected.not_ais++;
      }
      return null;
    }
    let leadingMs: number | null = null;
    if (c >= 48 && c <= 57) {
      const j = scanLeadingEpoch(line, i, end, this.leading);
      if (j < 0) {
        this.rejected.not_ais++;
        return null;
      }
      leadingMs = this.leading[0]!;
      i = j;
      c = line.charCodeAt(i);
    }
    if (c !== 33 && c !== 92) {
      this.rejected.not_ais++;
      return null;
    }

    let first: DecodedAis | null = null;
    let segment = 0;
    const tag = this.tag;
    const s = this.sentence;
    while (i < end) {
      segment++;
      tag.reset();
      let hasTag = false;
      let bad: RejectReason | null = null;
      while (i < end && line.charCodeAt(i) === 92) {
        bad = scanTagBlock(line, i, end, tag);
        if (bad !== null) break;
        i = tag.end;
        hasTag = true;
      }
      if (bad !== null) {
        // Drop the sentence this TAG block belongs to as well: its metadata cannot be trusted.
        this.rejected[bad]++;
        const close = line.indexOf('\\', i + 1);
        if (close < 0 || close >= end) break;
        i = line.charCodeAt(close + 1) === 33 ? nextSegment(line, close + 2, end) : close + 1;
        continue;
      }
      if (bad === null && !isVdmAt(line, i, end)) {
        bad = segment === 1 && !hasTag ? 'not_ais' : 'malformed_sentence';
      }
      if (bad === null) bad = scanSentence(line, i, end, s);
      if (bad !== null) {
        this.rejected[bad]++;
        i = nextSegment(line, i + 1, end);
        continue;
      }
      this.sentences++;
      let after = s.end;
      let trailerMs: number | null = null;
      let station: string | null = null;
      if (after < end && line.charCodeAt(after) === 92) {
        const skipped = skipLiteralEscapes(line, after, end);
        if (skipped !== after) {
          this.warnings.trailing_garbage++;
          after = skipped;
        }
      }
      if (after < end) {
        const ac = line.charCodeAt(after);
        if (ac === 44) {
          scanTrailer(line, after, end, this.trailer);
          trailerMs = this.trailer.timestampMs;
          station = this.trailer.station;
          after = this.trailer.end;
        } else if (ac !== 92 && ac !== 33) {
          this.warnings.trailing_garbage++;
          after = end;
        }
      }
      if (s.extraFields) this.warnings.extra_fields++;
      const timestampMs = tag.timestampMs ?? this.pghpMs ?? trailerMs ?? leadingMs;
      this.pghpMs = null;
      const source = tag.source ?? station;
      const d = this.complete(line, receivedAtMs, timestampMs, source);
      if (d !== null) {
        if (first === null) first = d;
        else this.queue.push(d);
      }
      i = after;
    }
    return first;
  }

  /** Handle the sentence in `this.sentence`: reassemble if needed, decode, count. */
  private complete(line: string, receivedAtMs: number, timestampMs: number | null, source: string | null): DecodedAis | null {
    const s = this.sentence;
    let payload: string;
    let fillBits = s.fillBits;
    let fragments = 1;
    if (s.count === 1) {
      payload = line.substring(s.payloadStart, s.payloadEnd);
    } else {
      this.reasm.expire(receivedAtMs, this.sentences);
      const tag = this.tag;
      const key =
        tag.groupId !== null
          ? 'g' + tag.groupTotal + ':' + tag.groupId
          : (source ?? s.talker) + '|' + (s.channel ?? '') + '|' + s.seqId;
      const done = this.reasm.add(
        key,
        s.count,
        s.index,
        line.substring(s.payloadStart, s.payloadEnd),
        s.fillBits,
        receivedAtMs,
        this.sentences,
        timestampMs,
        source,
      );
      if (done === null) return null;
      payload = done.payload;
      fillBits = done.fillBits;
      fragments = done.fragments;
      timestampMs = done.timestampMs;
      source = done.source;
    }
    if (this.bits.load(payload, fillBits) >= 0) {
      this.rejected.bad_payload_char++;
      return null;
    }
    const r = decodeBits(this.bits, this.outcome);
    const msg = r.msg;
    if (msg === null) {
      this.rejected[r.reason ?? 'bad_bit_count']++;
      return null;
    }
    if (r.nonstandard) this.warnings.bit_count_nonstandard++;
    this.messages++;
    this.byType[msg.type]!++;
    return {
      msg,
      timestampMs,
      receivedAtMs,
      source,
      talker: s.talker,
      channel: s.channel,
      own: s.own,
      payload,
      fillBits,
      fragments,
    };
  }

  /** Next extra message from a line that completed more than one; null when none. */
  shift(): DecodedAis | null {
    return this.queue.shift() ?? null;
  }

  /** End of input: open groups are counted as `fragment_incomplete` and dropped. */
  flush(): void {
    this.reasm.flush();
    this.pghpMs = null;
  }

  /** Snapshot of the counters (allocates; read it per batch, not per line). */
  get stats(): AisDecoderStats {
    const byType: Record<number, number> = {};
    for (let t = 0; t < 28; t++) byType[t] = this.byType[t]!;
    return {
      lines: this.lines,
      sentences: this.sentences,
      messages: this.messages,
      pghpLines: this.pghpLines,
      byType,
      rejected: { ...this.rejected },
      warnings: { ...this.warnings },
      pendingGroups: this.reasm.pending,
    };
  }
}

/** Start of the next '\' or '!' segment at or after `from`, else `end`. */
function nextSegment(line: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === 92 || c === 33) return i;
  }
  return end;
}

/**
 * Skip escape sequences written out as text after a checksum — `\r`, `\n`,
 * `\x0d`, `\x0a` — seen in AisLib ais250.txt and gpsd sample.aivdm (gpsd
 * accepts those sentences). Returns the index after them.
 */
function skipLiteralEscapes(line: string, i: number, end: number): number {
  while (i + 1 < end && line.charCodeAt(i) === 92) {
    const c = line.charCodeAt(i + 1);
    if (c === 114 || c === 110) i += 2; // \r \n
    else if (
      c === 120 &&
      i + 3 < end &&
      line.charCodeAt(i + 2) === 48 &&
      (line.charCodeAt(i + 3) === 100 || line.charCodeAt(i + 3) === 68 || line.charCodeAt(i + 3) === 97 || line.charCodeAt(i + 3) === 65)
    ) {
      i += 4; // \x0d \x0a
    } else break;
  }
  return i;
}
