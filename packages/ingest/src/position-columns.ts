import type { PositionObservation } from '@rendezvous/feeds';
import { rawOf, type RawPosition } from './raw-lines.ts';

/** Bits of PositionColumns.flags. */
export const SOG_NULL = 1;
export const COG_NULL = 2;
export const HEADING_NULL = 4;
export const NAV_STATUS_NULL = 8;
export const MMSI_INVALID = 16;
export const HAS_RAW = 32;
export const TS_FROM_FEED = 64;

/** Buckets per radix pass of keyOrder(): 11 bits, so a 30-bit MMSI span takes three passes. */
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/** One stable counting pass: the indices of `from` into `to` by the 11-bit digit of their key at `shift`. */
function radixPass(from: Uint32Array, to: Uint32Array, keys: Uint32Array, shift: number, counts: Int32Array): void {
  const n = from.length;
  counts.fill(0);
  for (let j = 0; j < n; j++) counts[(keys[from[j]!]! >>> shift) & (RADIX - 1)]!++;
  let at = 0;
  for (let d = 0; d < RADIX; d++) {
    const c = counts[d]!;
    counts[d] = at;
    at += c;
  }
  for (let j = 0; j < n; j++) {
    const i = from[j]!;
    to[counts[(keys[i]! >>> shift) & (RADIX - 1)]!++] = i;
  }
}

/** Received lines PositionColumns writes into its bytes together (see settleRaw). */
const PENDING_RAW = 256;

/** U+2400 (SYMBOL FOR NULL) in UTF-8: what a NUL byte of a received line is stored as (see position-store.ts escapeCopy). */
const NUL_SYMBOL_UTF8 = Buffer.from('\u2400', 'utf8');

/**
 * A batch's positions as columns: typed arrays, and the raw lines as UTF-8 bytes in one buffer,
 * instead of an object per position (issue 16, ingest memory). An object batch lives about a
 * second — filled while lines are decoded, then written while the next one fills — long enough
 * for V8 to promote every position (object, boxed doubles, line and payload strings, ≈ 600 bytes)
 * to the old generation, where the dead batches piled up between full collections: ≈ 480 MB
 * peak RSS for 1 M sentences with ≈ 55 MB live. Columns are allocated outside the JS heap, grow
 * by doubling, and are reused batch after batch (reset()), so the objects a reader makes die
 * young and nothing per position is promoted.
 *
 * Values are kept exactly as the observation had them (numbers as float64, so the store's range
 * checks see what the reader produced); NULLs and booleans are bits of `flags`. A received line
 * is stored as the binary COPY sends it: UTF-8, a NUL byte as U+2400.
 */
export class PositionColumns {
  /**
   * Capacity for a batch of `batchSize` positions: a batch is committed once it holds that many,
   * checked after each read chunk's lines, so it can overshoot by a chunk's worth of positions.
   */
  static capacityFor(batchSize: number): number {
    return Math.min(batchSize, 1 << 16) + 2048; // beyond that, grown when needed
  }

  length = 0;
  mmsi: Float64Array;
  ts: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  sog: Float64Array;
  cog: Float64Array;
  heading: Float64Array;
  navStatus: Float64Array;
  msgType: Float64Array;
  flags: Uint8Array;
  /** Index into `sources`, -1 for none. */
  sourceId: Int32Array;
  /** Distinct source names of the batch (a feed has a handful: one string each, not one per position). */
  sources: string[] = [];
  private sourceIds = new Map<string, number>();
  private lastSource: string | null = null;
  private lastSourceId = -1;
  /**
   * Raw line(s) of position i: rawBytes[rawStart[i], rawStart[i] + rawLength[i]) when HAS_RAW, once
   * settleRaw() has written the pending ones (rawText() and pushFrom() settle themselves).
   */
  rawStart: Int32Array;
  rawLength: Int32Array;
  rawBytes: Buffer;
  private rawAt = 0;
  /**
   * Received lines not yet in rawBytes, and their positions: written PENDING_RAW at a time, one
   * native write for all of them instead of one a line (issue 16: the call was most of the cost).
   */
  private readonly pendingRaw: string[] = [];
  private readonly pendingRawOf = new Int32Array(PENDING_RAW);

  constructor(capacity = 1024) {
    const n = Math.max(1, capacity);
    this.mmsi = new Float64Array(n);
    this.ts = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.sog = new Float64Array(n);
    this.cog = new Float64Array(n);
    this.heading = new Float64Array(n);
    this.navStatus = new Float64Array(n);
    this.msgType = new Float64Array(n);
    this.flags = new Uint8Array(n);
    this.sourceId = new Int32Array(n);
    this.rawStart = new Int32Array(n);
    this.rawLength = new Int32Array(n);
    this.rawBytes = Buffer.allocUnsafe(n * 96);
  }

  /** Columns holding `positions` (with their raw lines, if any) in order. */
  static from(positions: readonly PositionObservation[]): PositionColumns {
    const c = new PositionColumns(positions.length);
    for (const p of positions) c.push(p, rawOf(p));
    return c;
  }

  /** Appends a position; `raw` is its received line(s), if any. */
  push(p: PositionObservation, raw: string | undefined): void {
    const i = this.length;
    if (i === this.mmsi.length) this.grow(i + (i >> 1) + 16);
    this.mmsi[i] = p.mmsi;
    this.ts[i] = p.ts;
    this.lon[i] = p.lon;
    this.lat[i] = p.lat;
    let flags = p.tsFromFeed ? TS_FROM_FEED : 0;
    if (p.sog === null) flags |= SOG_NULL;
    else this.sog[i] = p.sog;
    if (p.cog === null) flags |= COG_NULL;
    else this.cog[i] = p.cog;
    if (p.heading === null) flags |= HEADING_NULL;
    else this.heading[i] = p.heading;
    if (p.navStatus === null) flags |= NAV_STATUS_NULL;
    else this.navStatus[i] = p.navStatus;
    if (p.mmsiInvalid) flags |= MMSI_INVALID;
    this.msgType[i] = p.msgType;
    this.sourceId[i] = this.idOf(p.source);
    if (raw !== undefined) {
      flags |= HAS_RAW;
      this.pendingRawOf[this.pendingRaw.length] = i;
      if (this.pendingRaw.push(raw) === PENDING_RAW) this.settleRaw();
    }
    this.flags[i] = flags;
    this.length = i + 1;
  }

  /** Appends position `i` of `from` (its raw bytes copied as they are). */
  pushFrom(from: PositionColumns, i: number): void {
    const j = this.length;
    if (j === this.mmsi.length) this.grow(j + (j >> 1) + 16);
    this.mmsi[j] = from.mmsi[i]!;
    this.ts[j] = from.ts[i]!;
    this.lon[j] = from.lon[i]!;
    this.lat[j] = from.lat[i]!;
    this.sog[j] = from.sog[i]!;
    this.cog[j] = from.cog[i]!;
    this.heading[j] = from.heading[i]!;
    this.navStatus[j] = from.navStatus[i]!;
    this.msgType[j] = from.msgType[i]!;
    this.sourceId[j] = this.idOf(from.source(i));
    const flags = from.flags[i]!;
    if (flags & HAS_RAW) {
      from.settleRaw();
      const length = from.rawLength[i]!;
      this.reserveRaw(length);
      from.rawBytes.copy(this.rawBytes, this.rawAt, from.rawStart[i]!, from.rawStart[i]! + length);
      this.rawStart[j] = this.rawAt;
      this.rawLength[j] = length;
      this.rawAt += length;
    }
    this.flags[j] = flags;
    this.length = j + 1;
  }

  /** Positions [start, end) as new columns (splitting a batch PostgreSQL refused). */
  slice(start: number, end: number = this.length): PositionColumns {
    const c = new PositionColumns(Math.max(1, end - start));
    for (let i = start; i < end; i++) c.pushFrom(this, i);
    return c;
  }

  /** The positions for which `keep(i)` holds, as new columns. */
  filter(keep: (i: number) => boolean): PositionColumns {
    const c = new PositionColumns(this.length);
    for (let i = 0; i < this.length; i++) if (keep(i)) c.pushFrom(this, i);
    return c;
  }

  /** Empties the columns for the next batch, keeping their capacity. */
  reset(): void {
    this.length = 0;
    this.rawAt = 0;
    this.pendingRaw.length = 0;
    this.sources = [];
    this.sourceIds.clear();
    this.lastSource = null;
    this.lastSourceId = -1;
  }

  sogOf(i: number): number | null {
    return this.flags[i]! & SOG_NULL ? null : this.sog[i]!;
  }
  cogOf(i: number): number | null {
    return this.flags[i]! & COG_NULL ? null : this.cog[i]!;
  }
  headingOf(i: number): number | null {
    return this.flags[i]! & HEADING_NULL ? null : this.heading[i]!;
  }
  navStatusOf(i: number): number | null {
    return this.flags[i]! & NAV_STATUS_NULL ? null : this.navStatus[i]!;
  }
  mmsiInvalid(i: number): boolean {
    return (this.flags[i]! & MMSI_INVALID) !== 0;
  }
  hasRaw(i: number): boolean {
    return (this.flags[i]! & HAS_RAW) !== 0;
  }
  source(i: number): string | null {
    const id = this.sourceId[i]!;
    return id < 0 ? null : this.sources[id]!;
  }
  /** The stored raw line(s) of position i as text (NUL already U+2400), or undefined. */
  rawText(i: number): string | undefined {
    if (!this.hasRaw(i)) return undefined;
    this.settleRaw();
    const start = this.rawStart[i]!;
    return this.rawBytes.toString('utf8', start, start + this.rawLength[i]!);
  }

  /** Position i as an observation (for logs and tests; the write path reads the columns). */
  get(i: number): RawPosition {
    const p: RawPosition = {
      kind: 'position',
      mmsi: this.mmsi[i]!,
      ts: this.ts[i]!,
      tsFromFeed: (this.flags[i]! & TS_FROM_FEED) !== 0,
      lon: this.lon[i]!,
      lat: this.lat[i]!,
      sog: this.sogOf(i),
      cog: this.cogOf(i),
      heading: this.headingOf(i),
      navStatus: this.navStatusOf(i),
      msgType: this.msgType[i]!,
      source: this.source(i),
      dedupKey: null,
      mmsiInvalid: this.mmsiInvalid(i),
    };
    const raw = this.rawText(i);
    if (raw !== undefined) p.raw = raw;
    return p;
  }

  /**
   * Position indices in primary-key order (MMSI, time); equal keys keep their batch order. Integer
   * keys (what readers produce) are radix-sorted: stable passes over 11-bit digits of the time, then
   * of the MMSI, each relative to the batch's smallest (a batch spans little of either, so few
   * passes). A comparator sort called back into JS about n·log2(n) times: ≈ 290,000 calls for a
   * 20,000-position batch, ≈ 780,000 for 50,000 (issue 16). Other values take that comparator sort.
   */
  keyOrder(): Uint32Array {
    const n = this.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const { mmsi, ts } = this;
    let minM = Infinity;
    let maxM = -Infinity;
    let minT = Infinity;
    let maxT = -Infinity;
    let integers = true;
    for (let i = 0; i < n; i++) {
      const m = mmsi[i]!;
      const t = ts[i]!;
      if (!Number.isSafeInteger(m) || !Number.isSafeInteger(t)) {
        integers = false;
        break;
      }
      if (m < minM) minM = m;
      if (m > maxM) maxM = m;
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
    }
    // Offsets from the minimum must stay exact (below 2^53) for the digit arithmetic.
    if (n < 64 || !integers || maxT - minT > Number.MAX_SAFE_INTEGER || maxM - minM > Number.MAX_SAFE_INTEGER) {
      return order.sort((a, b) => mmsi[a]! - mmsi[b]! || ts[a]! - ts[b]! || a - b);
    }
    let from = order;
    let to = new Uint32Array(n);
    const counts = new Int32Array(RADIX);
    const keys = new Uint32Array(n);
    // Least significant first: the time's digits, then the MMSI's.
    for (const [column, min, span] of [
      [ts, minT, maxT - minT],
      [mmsi, minM, maxM - minM],
    ] as const) {
      if (span <= 0xffffffff) {
        for (let i = 0; i < n; i++) keys[i] = column[i]! - min;
        for (let shift = 0; shift < 32 && span >= 2 ** shift; shift += RADIX_BITS) {
          radixPass(from, to, keys, shift, counts);
          const swap = from;
          from = to;
          to = swap;
        }
      } else {
        for (let unit = 1; unit <= span; unit *= RADIX) {
          for (let i = 0; i < n; i++) keys[i] = Math.floor((column[i]! - min) / unit) % RADIX;
          radixPass(from, to, keys, 0, counts);
          const swap = from;
          from = to;
          to = swap;
        }
      }
    }
    return from;
  }

  private idOf(source: string | null): number {
    if (source === null) return -1;
    if (source === this.lastSource) return this.lastSourceId;
    let id = this.sourceIds.get(source);
    if (id === undefined) {
      id = this.sources.length;
      this.sources.push(source);
      this.sourceIds.set(source, id);
    }
    this.lastSource = source;
    this.lastSourceId = id;
    return id;
  }

  /** Writes the pending received lines into rawBytes (before rawBytes, rawStart or rawLength are read). */
  settleRaw(): void {
    const pending = this.pendingRaw;
    const n = pending.length;
    if (n === 0) return;
    const joined = pending.join('');
    this.reserveRaw(joined.length * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit
    const start = this.rawAt;
    if (this.rawBytes.write(joined, start, 'utf8') === joined.length && !joined.includes('\0')) {
      // All ASCII (as many bytes as UTF-16 units), no NUL: each line's bytes are its characters.
      let at = start;
      for (let k = 0; k < n; k++) {
        const i = this.pendingRawOf[k]!;
        const length = pending[k]!.length;
        this.rawStart[i] = at;
        this.rawLength[i] = length;
        at += length;
      }
      this.rawAt = at;
    } else {
      // Line by line over what was written: UTF-8 lengths differ from the characters', NULs are replaced.
      for (let k = 0; k < n; k++) {
        const i = this.pendingRawOf[k]!;
        this.rawStart[i] = this.rawAt;
        this.rawLength[i] = this.writeRaw(pending[k]!);
      }
    }
    pending.length = 0;
  }

  private writeRaw(raw: string): number {
    this.reserveRaw(raw.length * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit
    const start = this.rawAt;
    let written = this.rawBytes.write(raw, start, 'utf8');
    // PostgreSQL text cannot hold a NUL byte; the only way UTF-8 has a 0 byte is a NUL char.
    if (raw.includes('\0')) written = this.replaceNul(start, written);
    this.rawAt = start + written;
    return written;
  }

  /** Rewrites the 0 bytes of rawBytes[start, start + length) as U+2400; returns the new length. */
  private replaceNul(start: number, length: number): number {
    const bytes = Buffer.from(this.rawBytes.subarray(start, start + length));
    let nuls = 0;
    for (const b of bytes) if (b === 0) nuls++;
    this.reserveRaw(length + nuls * 2);
    let at = start;
    for (const b of bytes) {
      if (b === 0) {
        NUL_SYMBOL_UTF8.copy(this.rawBytes, at);
        at += NUL_SYMBOL_UTF8.length;
      } else this.rawBytes[at++] = b;
    }
    return at - start;
  }

  private reserveRaw(bytes: number): void {
    if (this.rawAt + bytes <= this.rawBytes.length) return;
    let size = this.rawBytes.length * 2;
    while (size < this.rawAt + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.rawBytes.copy(grown, 0, 0, this.rawAt);
    this.rawBytes = grown;
  }

  private grow(capacity: number): void {
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.mmsi = f64(this.mmsi);
    this.ts = f64(this.ts);
    this.lon = f64(this.lon);
    this.lat = f64(this.lat);
    this.sog = f64(this.sog);
    this.cog = f64(this.cog);
    this.heading = f64(this.heading);
    this.navStatus = f64(this.navStatus);
    this.msgType = f64(this.msgType);
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.sourceId = i32(this.sourceId);
    this.rawStart = i32(this.rawStart);
    this.rawLength = i32(this.rawLength);
  }
}
