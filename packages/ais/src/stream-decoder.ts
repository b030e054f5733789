/**
 * Streaming decoder: one line in, at most one completed message out.
 * Pure (no I/O); the caller supplies lines and its clock. Never throws on
 * input: everything unusable is counted under a stable reason.
 */
import { PayloadBits } from './bits.ts';
import { hexValue } from './checksum.ts';
import { cyrb53, cyrb53Bytes } from './cyrb53.ts';
import { decodeBits, type DecodeOutcome } from './decode-message.ts';
import { REJECT_REASONS, WARNING_KINDS, type RejectReason, type WarningKind } from './reasons.ts';
import { Reassembler } from './reassembly.ts';
import { SentenceScan, isVdmAt, scanSentence, talkerFromCodes } from './sentence.ts';
import { TagScan, scanTagBlock } from './tag-block.ts';
import { TrailerScan, epochToMs, isPghpAt, parsePghp, scanLeadingEpoch, scanTrailer } from './timestamps.ts';
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
  /** The message the fast path returned from the current line, and where its payload is in `buf`. */
  private fastDecoded: DecodedAis | null = null;
  private fastFrom = 0;
  private fastTo = 0;
  /** ASCII bytes of the current line (fast path); lines longer than this take the general path. */
  private readonly buf = new Uint8Array(FAST_MAX_LINE * 3);
  /** The last TAG source the fast path read (see sourceText). */
  private lastSource: string | null = null; // UTF-8 needs ≤ 3 bytes per UTF-16 unit: always holds the whole line


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
    this.fastDecoded = null; // `buf` is about to hold another line
    const n = line.length;
    if (n > this.maxLineLength) {
      this.rejected.line_too_long++;
      return null;
    }
    if (n <= FAST_MAX_LINE) {
      const c0 = line.charCodeAt(0);
      if (c0 === 33 || c0 === 92) {
        const r = this.fast(line, n, receivedAtMs);
        if (r !== undefined) return r;
      }
    }
    return this.general(line, receivedAtMs);
  }

  /**
   * Fast path for the common line: one plain `!xxVDM/VDO` sentence with
   * single-character count/number/seq/channel/fill fields, a valid checksum
   * and nothing but whitespace after it, optionally behind one TAG block
   * whose parameters are only `c` (an integer time), `s` and others the
   * general path skips (the form of TAG-stamped feeds: `\s:src,c:1736899200*hh\!AIVDM…`;
   * a TAG-stamped message of several sentences takes the general path).
   * The line is copied once into a byte buffer (native, ASCII); the
   * fixed-layout header is checked in place, the checksum position is known
   * from the end of the line, and the payload is dearmored and XORed into
   * the checksum in the same pass. Returns `undefined` without touching any
   * decoder state when the line needs the general path (which then also
   * produces the exact rejection reason or warning).
   */
  private fast(line: string, n: number, receivedAtMs: number): DecodedAis | null | undefined {
    const buf = this.buf;
    // Any non-ASCII code unit makes UTF-8 longer than the string: general path.
    if (ENCODER.encodeInto(line, buf).written !== n) return undefined;
    let end = n;
    while (end > 0 && buf[end - 1]! <= 32) end--;
    // o: where the sentence's '!' is (after the TAG block, if any).
    let o = 0;
    let tagMs = -1; // −1: no c parameter (times are never negative: parseDecimal reads no sign)
    let source: string | null = null;
    if (buf[0] === 92) {
      // TAG block: '\' fields '*' h h '\', checksum over the fields (as scanTagBlock).
      let x = 0;
      let star = 1;
      for (; star < end; star++) {
        const c = buf[star]!;
        if (c === 42) break;
        if (c === 92 || c === 33) return undefined;
        x ^= c;
      }
      if (star + 3 >= end || buf[star + 3] !== 92) return undefined;
      if (((HEX[buf[star + 1]!]! << 4) | HEX[buf[star + 2]!]!) !== x) return undefined;
      // Fields key:value separated by ','; a field without a key before its first ':' is skipped.
      let i = 1;
      while (i < star) {
        let comma = i;
        while (comma < star && buf[comma] !== 44) comma++;
        let colon = i;
        while (colon < comma && buf[colon] !== 58) colon++;
        if (colon > i && colon < comma) {
          const keyLen = colon - i;
          const k = buf[i]!;
          if (keyLen === 1 && k === 99) {
            // c: an integer only (a fraction takes the general path), read as parseDecimal does.
            if (colon + 1 >= comma || comma - colon - 1 > 24) return undefined;
            let v = 0;
            for (let j = colon + 1; j < comma; j++) {
              const d = buf[j]! - 48;
              if (d < 0 || d > 9) return undefined;
              v = v * 10 + d;
            }
            tagMs = epochToMs(v);
          } else if (keyLen === 1 && k === 115) {
            source = this.sourceText(line, colon + 1, comma);
          } else if ((keyLen === 1 && k === 103) || keyLen >= 3) return undefined; // grouping (g, or IEC nGm)
        }
        i = comma + 1;
      }
      o = star + 4;
      if (buf[o] !== 33) return undefined;
    }
    // Shortest fast sentence: "!AIVDM,1,1,,,X,0*hh" (19); everything read below lies inside [o, end).
    if (end - o < 19) return undefined;
    const mo = buf[o + 5]!;
    if (buf[o + 3] !== 86 || buf[o + 4] !== 68 || (mo !== 77 && mo !== 79) || buf[o + 6] !== 44) return undefined;
    const t1 = buf[o + 1]!;
    const t2 = buf[o + 2]!;
    if (CLS[t1] !== 0 || CLS[t2] !== 0) return undefined;
    // count "," number ",": one digit each, 1 ≤ number ≤ count ≤ 9
    const count = buf[o + 7]! - 48;
    const index = buf[o + 9]! - 48;
    if (buf[o + 8] !== 44 || buf[o + 10] !== 44 || count < 1 || count > 9 || index < 1 || index > count) return undefined;
    // seq id: empty or one digit
    let p = o + 11;
    let seq = -1;
    if (buf[p] !== 44) {
      seq = buf[p]! - 48;
      if (seq < 0 || seq > 9 || buf[p + 1] !== 44) return undefined;
      p++;
    }
    // channel: empty or one non-delimiter character
    let channel: string | null = null;
    const ch = buf[p + 1]!;
    if (ch === 44) p += 2;
    else {
      if (CLS[ch] !== 0 || ch > 127 || buf[p + 2] !== 44) return undefined;
      channel = CHAR[ch]!;
      p += 3;
    }
    // Tail: "," fill "*" h h at the very end.
    const star = end - 3;
    const c6 = star - 2;
    const fill = buf[star - 1]! - 48;
    if (buf[star] !== 42 || buf[c6] !== 44 || fill < 0 || fill > 5 || c6 <= p) return undefined;
    // Header XOR (between '!' and the payload), then the payload (dearmored in the same pass).
    let x = 0;
    for (let i = o + 1; i < p; i++) x ^= buf[i]!;
    const px = count === 1 ? this.bits.loadBytesXor(buf, p, c6, fill) : PayloadBits.xorArmored(buf, p, c6);
    if (px < 0) return undefined; // not in the armoring alphabet (also catches ',' '*' '!' '\\')
    x ^= px ^ 44 ^ buf[star - 1]!;
    if (((HEX[buf[star + 1]!]! << 4) | HEX[buf[star + 2]!]!) !== x) return undefined; // HEX is 0x100 for non-hex
    // A TAG-stamped fragment: the general path builds its group key (TAG grouping or source).
    if (count !== 1 && o !== 0) return undefined;

    // Accepted: from here on this is exactly what the general path would do.
    const s = this.sentence;
    s.talker = talkerFromCodes(t1, t2);
    s.own = mo === 79;
    s.count = count;
    s.index = index;
    s.seqId = seq;
    s.channel = channel;
    s.payloadStart = p;
    s.payloadEnd = c6;
    s.fillBits = fill;
    s.extraFields = false;
    s.end = end;
    this.sentences++;
    // As the general path: the TAG's time first, then a preceding $PGHP line's.
    const timestampMs = tagMs >= 0 ? tagMs : this.pghpMs;
    this.pghpMs = null;
    if (count !== 1) {
      this.tag.reset();
      // Same key text as the general path builds (talker|channel|seq), cached by its character codes.
      const code = (((t1 << 7) | t2) << 11) | (ch === 44 ? 0 : ch << 4) | (seq + 1);
      let key = groupKeys.get(code);
      if (key === undefined) {
        key = s.talker + '|' + (channel ?? '') + '|' + seq;
        if (groupKeys.size < 4096) groupKeys.set(code, key);
      }
      return this.complete(line, receivedAtMs, timestampMs, null, key);
    }
    const decoded = this.finish(line.substring(p, c6), fill, 1, receivedAtMs, timestampMs, source);
    this.fastDecoded = decoded;
    this.fastFrom = p;
    this.fastTo = c6;
    return decoded;
  }

  /**
   * cyrb53 of `decoded.payload` (53 bits; see cyrb53.ts), what ingest keys receiver copies by. For
   * the message push() just returned from the fast path it is hashed from the line's bytes the
   * decoder holds (issue 16: encoding the payload string again took an encodeInto call a message);
   * any other message from its payload string. Same value either way (the armoring alphabet is ASCII).
   */
  payloadKey(decoded: DecodedAis): number {
    if (decoded === this.fastDecoded) return cyrb53Bytes(this.buf, this.fastFrom, this.fastTo);
    return cyrb53(decoded.payload);
  }

  /**
   * The TAG source `line[from, to)` (bytes in this.buf): the previous line's string when the
   * bytes are the same (a feed's lines share a few sources), so most lines allocate none.
   */
  private sourceText(line: string, from: number, to: number): string {
    const last = this.lastSource;
    const len = to - from;
    if (last !== null && last.length === len) {
      const buf = this.buf;
      let k = 0;
      while (k < len && last.charCodeAt(k) === buf[from + k]) k++;
      if (k === len) return last;
    }
    return (this.lastSource = line.substring(from, to));
  }

  /** Every other line: leading epoch, TAG blocks, trailers, several sentences, anything malformed. */
  private general(line: string, receivedAtMs: number): DecodedAis | null {
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
  private complete(
    line: string,
    receivedAtMs: number,
    timestampMs: number | null,
    source: string | null,
    groupKey: string | null = null,
  ): DecodedAis | null {
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
        groupKey !== null
          ? groupKey
          : tag.groupId !== null
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
    return this.finish(payload, fillBits, fragments, receivedAtMs, timestampMs, source);
  }

  /** Decode the payload loaded in `this.bits` and build the result (sentence fields from `this.sentence`). */
  private finish(
    payload: string,
    fillBits: number,
    fragments: number,
    receivedAtMs: number,
    timestampMs: number | null,
    source: string | null,
  ): DecodedAis | null {
    const s = this.sentence;
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

/** Longest line the fast path copies into its byte buffer. */
const FAST_MAX_LINE = 512;
const ENCODER = new TextEncoder();

/** Character classes for the fast scan: 1 ',', 2 '*', 3 '!' or '\\', 0 anything else. */
const CLS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  t[44] = 1;
  t[42] = 2;
  t[33] = 3;
  t[92] = 3;
  return t;
})();

/** Hex digit value by byte (either case); 0x100 for anything else, so a bad digit never matches an 8-bit checksum. */
const HEX: Uint16Array = (() => {
  const t = new Uint16Array(256).fill(0x100);
  for (let c = 0; c < 256; c++) {
    const v = hexValue(c);
    if (v >= 0) t[c] = v;
  }
  return t;
})();

/** Reassembly keys of fast-path fragments (no TAG, no trailer), by talker/channel/seq char codes. */
const groupKeys = new Map<number, string>();

/** One-character strings by ASCII code (channel names). */
const CHAR: string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

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
