import { AisDecoder, cyrb53, type DecodedAis } from '@rendezvous/ais';
import { createCsvRowParser, detectFormat, normalizeAis, staticFrom, type Observation } from '@rendezvous/feeds';
import type { IngestMetrics } from './ingest-metrics.ts';
import { FragmentLines, isPghpLine, setRaw } from './raw-lines.ts';

/** Turns lines of one feed format into observations; counts what it rejects in `metrics`. */
export interface FeedReader {
  push(line: string, receivedAtMs: number, out: Observation[]): void;
  /** End of input: counts what is still pending (e.g. incomplete multi-part messages). */
  finish(): void;
}

/**
 * Drops the copies of one transmission heard by several receivers: the same armored payload
 * stamped less than `toleranceMs` (30 s) from its first sighting, by the message's own time (TAG
 * block, $PGHP, trailer), never by when the line was read (a replayed archive is read in bursts,
 * years after its stamps). Why 30 s: a position payload carries only the UTC second of the minute
 * (ITU-R M.1371-5, message 1 "Time stamp"), so a moored ship's unchanged report one minute later is
 * the same payload, stamped a multiple of 60 s after the first; copies of one transmission are
 * stamped within receiver latency and clock error, seconds apart. 30 s is halfway: 59, 60 and 61 s
 * are distinct reports, 29 s is a copy (test/reliability/03-receiver-duplicates.test.ts).
 * Keys are 53-bit hashes of the payload (cyrb53), not the strings: a retained payload slice would
 * pin its whole read chunk in memory, and numbers hash faster (at 400 k keys the chance that a new
 * message collides with one of them is about 4e-11). Two generations of `generationSize` keys
 * bound the memory. Each generation is a fixed open-addressing table of typed arrays (issue 16:
 * the filter was the top entry of ingest's CPU profile, with a Map entry allocated per message):
 * nothing is allocated per message, and a full generation is cleared in place when it retires.
 *
 * Each generation also has a bitmap of its keys' high 21 bits (256 KiB, mostly in cache; the tables
 * are 8 MiB each). A key whose bit is clear in both is new: it is not looked up, and its insert
 * waits in a short queue, so the tables are probed PENDING inserts at a time, whose cache misses
 * overlap, instead of a miss for every message (issue 16: the lookups were ingest's top profile
 * entry, ≈ 7 %). Any other key (a copy, an old report, or a bit shared with another key: 10-18 % of
 * new keys at 200 k per generation) empties the queue first and takes the tables' answer, so the
 * answers, the generations and the order of inserts are those of the tables alone.
 */
export class DuplicateFilter {
  private current: KeyTimeTable;
  private previous: KeyTimeTable;
  private readonly generationSize: number;
  private readonly toleranceMs: number;
  /**
   * Bit (key's high 21 bits) set for every key of the current / previous table or the queue: the
   * two generations' 32-bit words side by side (word w of the current one at 2w + lane, of the
   * previous one at 2w + (lane ^ 1)), so testing a key in both reads one cache line, not two.
   */
  private readonly bits = new Int32Array(2 << 16);
  private lane = 0;
  /** New keys and times not yet inserted into the current table, in arrival order. */
  private readonly pendingKeys = new Float64Array(PENDING);
  private readonly pendingTimes = new Float64Array(PENDING);
  private pending = 0;

  constructor(generationSize = 200_000, toleranceMs = 30_000) {
    this.generationSize = generationSize;
    this.toleranceMs = toleranceMs;
    this.current = new KeyTimeTable(generationSize);
    this.previous = new KeyTimeTable(generationSize);
  }

  /** true when `payload` was first seen less than toleranceMs from `ts` (a copy); records it otherwise. */
  seen(payload: string, ts: number): boolean {
    return this.seenKey(hash53(payload), ts);
  }

  /** seen() of the payload whose hash53 is `key` (the decoder has it for most messages: AisDecoder.payloadKey). */
  seenKey(key: number, ts: number): boolean {
    const high = Math.floor(key / 4294967296); // the table's slot comes from the low bits
    const word = (high >>> 5) << 1;
    const bit = 1 << (high & 31);
    const bits = this.bits;
    if (((bits[word]! | bits[word + 1]!) & bit) === 0) {
      // In neither generation, nor queued: a first sighting. The queued keys are new to the current table too.
      if (this.current.size + this.pending >= this.generationSize) {
        this.flush();
        this.retire();
      }
      bits[word + this.lane]! |= bit;
      this.pendingKeys[this.pending] = key;
      this.pendingTimes[this.pending] = ts;
      if (++this.pending === PENDING) this.flush();
      return false;
    }
    if (this.pending > 0) this.flush();
    const first = this.current.get(key) ?? this.previous.get(key);
    if (first !== undefined && Math.abs(ts - first) < this.toleranceMs) return true;
    if (this.current.size >= this.generationSize && !this.current.has(key)) this.retire();
    this.current.set(key, ts);
    bits[word + this.lane]! |= bit;
    return false;
  }

  /** Inserts the queued keys, in order: distinct, and new to the current table (see seen). */
  private flush(): void {
    const table = this.current;
    for (let k = 0; k < this.pending; k++) table.set(this.pendingKeys[k]!, this.pendingTimes[k]!);
    this.pending = 0;
  }

  private retire(): void {
    const retired = this.previous;
    this.previous = this.current;
    retired.clear();
    this.current = retired;
    const lane = this.lane ^ 1;
    const bits = this.bits;
    for (let w = lane; w < bits.length; w += 2) bits[w] = 0;
    this.lane = lane;
  }
}

/** Inserts queued by DuplicateFilter before it probes the table for them together. */
const PENDING = 64;

/**
 * A fixed-capacity map from 53-bit integer keys to times: linear probing over two Float64Arrays,
 * at most half full (capacity the power of two ≥ 2 × `maxKeys`), keys stored + 1 so 0 marks an
 * empty slot (2^53 is still exact in a float64). No deletion: the filter retires whole tables.
 */
export class KeyTimeTable {
  private readonly keys: Float64Array;
  private readonly times: Float64Array;
  private readonly mask: number;
  size = 0;

  constructor(maxKeys: number) {
    let capacity = 16;
    while (capacity < 2 * maxKeys) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private slot(stored: number): number {
    // The low 32 bits of the key pick the start (ToUint32 of an integer < 2^53 is exact mod 2^32).
    let i = (stored >>> 0) & this.mask;
    for (;;) {
      const k = this.keys[i]!;
      if (k === stored || k === 0) return i;
      i = (i + 1) & this.mask;
    }
  }

  get(key: number): number | undefined {
    const i = this.slot(key + 1);
    return this.keys[i] === 0 ? undefined : this.times[i];
  }

  has(key: number): boolean {
    return this.keys[this.slot(key + 1)] !== 0;
  }

  /** Sets the time of `key`; a new key beyond the capacity's half is refused with a RangeError. */
  set(key: number, time: number): void {
    const i = this.slot(key + 1);
    if (this.keys[i] === 0) {
      if (this.size * 2 >= this.keys.length) throw new RangeError('KeyTimeTable is full');
      this.keys[i] = key + 1;
      this.size++;
    }
    this.times[i] = time;
  }

  clear(): void {
    this.keys.fill(0);
    this.size = 0;
  }
}

/**
 * The filter's key of a payload, for seen(): cyrb53 of its text (packages/ais cyrb53.ts), the key
 * AisDecoder.payloadKey gives the NMEA reader from the line's bytes (seenKey). Off the hot path.
 */
export const hash53: (text: string) => number = cyrb53;

/**
 * Lines without a time of their own take the receive time, which is shared by every line of a
 * read chunk. Positions are keyed by (MMSI, time), so a vessel's later reports in the same chunk
 * are nudged 1 ms apart instead of colliding: every distinct report is kept.
 */
export class ReceiveTimeStamper {
  private last = new Map<number, number>();

  stamp(o: { mmsi: number; ts: number }): void {
    const previous = this.last.get(o.mmsi);
    if (previous !== undefined && o.ts <= previous) o.ts = previous + 1;
    if (this.last.size > 1_000_000) this.last = new Map();
    this.last.set(o.mmsi, o.ts);
  }
}

export class NmeaReader implements FeedReader {
  private readonly receiveTimes = new ReceiveTimeStamper();
  private readonly decoder: AisDecoder;
  private readonly duplicates = new DuplicateFilter();
  private readonly metrics: IngestMetrics;
  private readonly now: () => number;
  /** Parts of multi-sentence messages as received, and the `$PGHP` line before this one. */
  private readonly fragments = new FragmentLines();
  private pghpLine: string | null = null;
  private lastDecoderSync = { rejected: {} as Record<string, number>, warnings: {} as Record<string, number> };

  constructor(metrics: IngestMetrics, now: () => number = Date.now) {
    this.metrics = metrics;
    this.now = now;
    this.decoder = new AisDecoder();
  }

  push(line: string, receivedAtMs: number, out: Observation[]): void {
    let decoded = this.decoder.push(line, receivedAtMs);
    const pghp = this.pghpLine;
    this.pghpLine = null;
    if (!decoded) {
      if (isPghpLine(line)) this.pghpLine = line;
      else this.fragments.hold(line);
      return;
    }
    while (decoded) {
      this.accept(decoded, line, pghp, out);
      decoded = this.decoder.shift();
    }
  }

  finish(): void {
    this.decoder.flush();
    this.syncDecoderCounts();
  }

  /** Copies the decoder's rejection and warning counters into the metrics (deltas since last sync). */
  syncDecoderCounts(): void {
    const stats = this.decoder.stats;
    for (const [reason, n] of Object.entries(stats.rejected)) {
      const delta = n - (this.lastDecoderSync.rejected[reason] ?? 0);
      if (delta > 0) this.metrics.reject(reason, delta);
    }
    for (const [kind, n] of Object.entries(stats.warnings)) {
      const delta = n - (this.lastDecoderSync.warnings[kind] ?? 0);
      if (delta > 0) this.metrics.warn(kind, delta);
    }
    this.lastDecoderSync = { rejected: { ...stats.rejected }, warnings: { ...stats.warnings } };
  }

  /**
   * The line(s) a position came from as received (positions.lines, migrations/0028): the line itself, with its
   * TAG block or trailer; every part of a multi-sentence message; the `$PGHP` line that stamped it.
   */
  private rawLines(decoded: DecodedAis, line: string, pghp: string | null): string {
    if (decoded.fragments > 1) return this.fragments.linesOf(decoded, line);
    return pghp === null ? line : pghp + '\n' + line;
  }

  private accept(decoded: DecodedAis, line: string, pghp: string | null, out: Observation[]): void {
    this.metrics.message(decoded.msg.type);
    if (this.duplicates.seenKey(this.decoder.payloadKey(decoded), decoded.timestampMs ?? decoded.receivedAtMs)) {
      this.metrics.duplicate();
      return;
    }
    const result = normalizeAis(decoded, this.now());
    if (result.ok) {
      if (!result.observation.tsFromFeed) this.receiveTimes.stamp(result.observation);
      if (result.observation.kind === 'position') setRaw(result.observation, this.rawLines(decoded, line, pghp));
      out.push(result.observation);
      // Type 19 carries both a position and an identity.
      if (decoded.msg.type === 19) {
        const identity = staticFrom(decoded, result.observation.ts, result.observation.tsFromFeed);
        if (identity) out.push(identity);
      }
    } else if (result.reason !== 'not_a_vessel_report') {
      this.metrics.reject(result.reason);
      // A type 19 with an unusable position still carries an identity, unless its time is out of
      // range: a forged stamp must not become the vessel's latest identity (normalize-ais.ts).
      if (decoded.msg.type === 19 && result.reason !== 'time_out_of_range') {
        const ts = decoded.timestampMs ?? decoded.receivedAtMs;
        const identity = staticFrom(decoded, ts, decoded.timestampMs !== null);
        if (identity) out.push(identity);
      }
    }
  }
}

/** CSV exports (MarineCadastre/NOAA, DMA aisdk): the first line is the header. */
export class CsvReader implements FeedReader {
  private parser: ReturnType<typeof createCsvRowParser> | undefined;
  private lineNo = 0;
  private readonly metrics: IngestMetrics;

  constructor(metrics: IngestMetrics) {
    this.metrics = metrics;
  }

  push(line: string, _receivedAtMs: number, out: Observation[]): void {
    this.lineNo++;
    if (!this.parser) {
      this.parser = createCsvRowParser(line, { now: Date.now() });
      return;
    }
    if (line.length === 0) return;
    const result = this.parser.parse(line, this.lineNo);
    if (!result.ok) {
      this.metrics.reject(result.reason);
      return;
    }
    // The row's position failed validation but its identity columns were still usable.
    if (result.positionRejection) this.metrics.reject(result.positionRejection);
    for (const o of result.observations) {
      if (o.kind === 'position') setRaw(o, line);
      out.push(o);
    }
  }

  finish(): void {}
}

/**
 * Chooses the format from the first non-empty line (a CSV header names its columns; anything
 * else is read as NMEA, whose decoder counts what it cannot use), so files and stdin alike need
 * no format flag.
 */
export class AutoReader implements FeedReader {
  private delegate: FeedReader | undefined;
  format: 'nmea' | 'marinecadastre' | 'dma-aisdk' | undefined;
  private readonly metrics: IngestMetrics;

  constructor(metrics: IngestMetrics) {
    this.metrics = metrics;
  }

  push(line: string, receivedAtMs: number, out: Observation[]): void {
    if (!this.delegate) {
      if (line.trim().length === 0) return;
      const detected = detectFormat(line);
      this.format = detected === 'marinecadastre' || detected === 'dma-aisdk' ? detected : 'nmea';
      this.delegate = this.format === 'nmea' ? new NmeaReader(this.metrics) : new CsvReader(this.metrics);
    }
    this.delegate.push(line, receivedAtMs, out);
  }

  finish(): void {
    this.delegate?.finish();
  }
}
