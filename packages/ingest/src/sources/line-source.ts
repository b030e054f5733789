/**
 * The contract between input sources and the ingest pipeline: a source yields batches of lines
 * (one batch per read chunk, not one promise per line, so the hot path stays cheap).
 */
import type { Logger } from '@rendezvous/logger';

/** The part of a logger the sources use; a pino Logger fits. */
export type SourceLogger = Pick<Logger, 'debug' | 'info' | 'warn'>;

export const silentLogger: SourceLogger = { debug: () => {}, info: () => {}, warn: () => {} };

/** Lines read together, without their terminators. */
export interface LineBatch {
  lines: string[];
  /** Date.now() when the chunk holding these lines was read (or emitted, for a replay). */
  receivedAtMs: number;
}

/** Reasons under which a source discards input before it becomes a line. Counted, never thrown. */
export const SOURCE_DROP_REASONS = [
  'oversized_line_dropped', // longer than maxLineBytes: discarded up to the next terminator
  'partial_line_at_disconnect', // unterminated tail when a TCP connection ended
  'queue_overflow_dropped', // UDP lines arriving faster than the consumer takes them (line cap)
  'udp_queue_full', // UDP datagrams beyond the byte cap (INGEST_UDP_QUEUE_BYTES) while the consumer is blocked
] as const;
export type SourceDropReason = (typeof SOURCE_DROP_REASONS)[number];

export type SourceState =
  | 'idle' // lines() not called yet
  | 'reading' // file / stdin open
  | 'connecting'
  | 'connected'
  | 'backoff' // waiting before the next connection attempt
  | 'listening' // UDP socket bound
  | 'ended' // input exhausted (end of file)
  | 'stopped'; // aborted by the caller

/**
 * One shape for every source, so the pipeline can export metrics without knowing the kind;
 * counters that do not apply to a kind stay 0.
 */
export interface SourceStats {
  state: SourceState;
  /** Bytes of line data read (after gunzip for compressed files). */
  bytes: number;
  /** Lines yielded (empty lines are skipped and counted in emptyLines). */
  lines: number;
  batches: number;
  emptyLines: number;
  /** TCP: successful connections, connections lost, failed attempts. */
  connects: number;
  disconnects: number;
  connectFailures: number;
  /** UDP datagrams received. */
  datagrams: number;
  /** UDP: bytes of datagrams waiting for the consumer now, and the most ever waiting (≤ the byte cap). */
  queuedBytes: number;
  queuedBytesMax: number;
  dropped: Record<SourceDropReason, number>;
}

export interface LineSource {
  /** The spec it was opened from, e.g. `tcp://127.0.0.1:10110`; for logs and metrics. */
  readonly name: string;
  /** Ends when the input ends (files) or when `signal` aborts; never throws on abort. */
  lines(signal: AbortSignal): AsyncIterable<LineBatch>;
  /** A snapshot; cheap enough to call per batch. */
  stats(): SourceStats;
}

export function emptyStats(state: SourceState = 'idle'): SourceStats {
  return {
    state,
    bytes: 0,
    lines: 0,
    batches: 0,
    emptyLines: 0,
    connects: 0,
    disconnects: 0,
    connectFailures: 0,
    datagrams: 0,
    queuedBytes: 0,
    queuedBytesMax: 0,
    dropped: { oversized_line_dropped: 0, partial_line_at_disconnect: 0, queue_overflow_dropped: 0, udp_queue_full: 0 },
  };
}

export function snapshotStats(s: SourceStats): SourceStats {
  return { ...s, dropped: { ...s.dropped } };
}

/** Default cap on one line's length: memory protection only (the AIS decoder rejects > 1024 itself). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
