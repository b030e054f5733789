import { setTimeout as sleep } from 'node:timers/promises';
import type { Observation, StaticObservation } from '@rendezvous/feeds';
import { DependencyError } from '@rendezvous/errors';
import type { Logger } from '@rendezvous/logger';
import type { ColumnBatch } from './batch.ts';
import type { FeedReader } from './feed-readers.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import { PositionColumns } from './position-columns.ts';
import { isDataError, type WriteResult } from './position-store.ts';
import { rawOf } from './raw-lines.ts';
import type { LineBatch } from './sources/line-source.ts';

export interface IngestPipelineDeps {
  /**
   * One writer per concurrent commit (each holds its own connection). Two let PostgreSQL use
   * both cores while this process decodes: batches are independent, and every write is
   * idempotent, so their commit order does not matter.
   */
  stores: { write(batch: ColumnBatch): Promise<WriteResult> }[];
  metrics: IngestMetrics;
  logger: Logger;
  /**
   * Told after each commit (ingest wakes the outbox drain here, so live windows are queued at
   * once). The windows themselves were recorded in the batch's transaction; nothing here can
   * lose them, so it neither waits nor fails the batch.
   */
  onCommitted?: (positions: number) => void;
  batchSize: number;
  /** Input bytes (line lengths) per batch at most: a batch commits at batchSize or batchBytes, whichever comes first. */
  batchBytes?: number;
  flushMs: number;
  /** Backoff while PostgreSQL is unreachable: ingest pauses and retries the same batch. */
  retry?: { initialMs: number; maxMs: number };
  signal?: AbortSignal;
}

/**
 * Lines → observations → batches → PostGIS. Each writer commits its batches in order, and a batch
 * is retried whole until PostgreSQL takes it — the source is not read meanwhile (backpressure) —
 * so nothing is lost or duplicated across an outage, nor across server errors that are not the
 * rows' fault (disk full, read-only, cancelled, deadlock…). Only a batch that PostgreSQL rejects
 * for its content (a data error) is split until the offending rows are isolated, counted and
 * logged once per batch with a sample. A batch that fails otherwise (a bug) is logged and
 * counted, the writer goes on with the next batch, and consume() rethrows the error so the
 * caller restarts the source.
 */
export class IngestPipeline {
  private positions: PositionColumns;
  /**
   * Columns of committed batches, kept for the next ones: at most writers + 1 batches are ever
   * filled or written at once, so these few buffers serve the whole run (nothing per batch for
   * the garbage collector).
   */
  private readonly spare: PositionColumns[] = [];
  private statics: StaticObservation[] = [];
  private readonly scratch: Observation[] = [];
  /** Length of the lines read since the last commit (latin1: one char per byte). */
  private bytes = 0;
  /** One promise chain per writer: a writer commits its batches one after another. */
  private lanes: Promise<void>[];
  private nextLane = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The first error a commit failed with, not yet reported by consume()/flush(). */
  private failure: unknown = undefined;
  private readonly deps: IngestPipelineDeps;

  constructor(deps: IngestPipelineDeps) {
    if (deps.stores.length === 0) throw new RangeError('IngestPipeline needs at least one store');
    this.deps = deps;
    this.lanes = deps.stores.map(() => Promise.resolve());
    this.positions = new PositionColumns(PositionColumns.capacityFor(deps.batchSize));
  }

  /** Reads `source` to its end through `reader`, committing as batches fill. */
  async consume(source: AsyncIterable<LineBatch>, reader: FeedReader): Promise<void> {
    const { metrics } = this.deps;
    try {
      for await (const batch of source) {
        this.throwFailure();
        const out = this.scratch;
        for (const line of batch.lines) {
          metrics.lines++;
          this.bytes += line.length;
          reader.push(line, batch.receivedAtMs, out);
        }
        this.take(out);
        out.length = 0;
        if (this.pending() >= this.deps.batchSize || (this.bytes >= (this.deps.batchBytes ?? Infinity) && this.pending() > 0)) {
          // Commits run in the background while the next batch is decoded. Before reusing a
          // writer, wait for its previous commit: memory stays bounded to writers + 1 batches,
          // and a stalled database stops the reading (backpressure).
          await this.lanes[this.nextLane];
          void this.commit(); // a lane never rejects: failures are kept in this.failure
        } else this.armTimer();
      }
    } finally {
      reader.finish();
    }
    await this.flush();
  }

  /** Commits whatever is buffered and waits for every commit so far. */
  async flush(): Promise<void> {
    await this.commit();
    await Promise.all(this.lanes);
    this.throwFailure();
  }

  private throwFailure(): void {
    if (this.failure === undefined) return;
    const err = this.failure;
    this.failure = undefined;
    throw err;
  }

  private pending(): number {
    return this.positions.length + this.statics.length;
  }

  private take(observations: Observation[]): void {
    const { metrics } = this.deps;
    for (const o of observations) {
      metrics.vessels.add(o.mmsi);
      // The observation is copied into the columns and dropped: it dies young (see position-columns.ts).
      if (o.kind === 'position') this.positions.push(o, rawOf(o));
      else {
        this.statics.push(o);
        metrics.staticReports++;
      }
    }
  }

  private armTimer(): void {
    if (this.timer || this.pending() === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.commit();
    }, this.deps.flushMs);
    this.timer.unref();
  }

  private commit(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.bytes = 0;
    if (this.pending() === 0) return Promise.resolve();
    const batch: ColumnBatch = { positions: this.positions, statics: this.statics };
    this.positions = this.spare.pop() ?? new PositionColumns(PositionColumns.capacityFor(this.deps.batchSize));
    this.statics = [];
    const lane = this.nextLane;
    this.nextLane = (lane + 1) % this.lanes.length;
    const store = this.deps.stores[lane]!;
    // A lane never stays failed: a batch that could not be written is logged and counted, the
    // lane goes on with the next batch, and the error reaches consume() (which ends the source, to
    // be restarted) instead of silently discarding every later batch.
    this.lanes[lane] = this.lanes[lane]!.then(() =>
      this.writeWithRetry(store, batch)
        .catch((err: unknown) => {
          this.deps.metrics.batchesFailed++;
          this.deps.metrics.reject('batch_failed', batch.positions.length);
          this.deps.logger.error({ err, positions: batch.positions.length, statics: batch.statics.length }, 'batch could not be written');
          this.failure ??= err;
        })
        .finally(() => {
          // Written or given up: nothing refers to the columns any more.
          batch.positions.reset();
          if (this.spare.length < this.lanes.length) this.spare.push(batch.positions);
        }),
    );
    return this.lanes[lane]!;
  }

  private async writeWithRetry(store: IngestPipelineDeps['stores'][number], batch: ColumnBatch): Promise<void> {
    const { metrics, logger, retry = { initialMs: 250, maxMs: 10_000 }, signal } = this.deps;
    let delay = retry.initialMs;
    let paused = false;
    for (;;) {
      const started = performance.now();
      try {
        const rejected: { sample: unknown; error: string }[] = [];
        const result = await this.writeIsolatingBadRows(store, batch, rejected);
        if (result.rejectedDays > 0) metrics.reject('too_many_days', result.rejectedDays);
        if (rejected.length > 0) {
          metrics.reject('database_rejected', result.rejected);
          logger.warn({ rows: result.rejected, error: rejected[0]!.error, sample: rejected[0]!.sample }, 'rows rejected by PostgreSQL (data errors); the rest of the batch is stored');
        }
        metrics.batch(performance.now() - started, batch.positions.length - result.rejected - result.rejectedDays, result.positionsStored);
        if (paused) logger.info({ retries: metrics.batchRetries }, 'PostgreSQL is back; ingest resumed');
        if (this.deps.onCommitted && batch.positions.length > 0) {
          try {
            this.deps.onCommitted(batch.positions.length);
          } catch (err) {
            logger.warn({ err }, 'commit listener failed (the windows are in the outbox)');
          }
        }
        return;
      } catch (err) {
        if (!(err instanceof DependencyError)) throw err;
        metrics.batchRetries++;
        if (!paused) logger.warn({ err: err.message, positions: batch.positions.length }, 'PostgreSQL unavailable or refusing writes; ingest paused, retrying the same batch');
        paused = true;
        if (signal?.aborted) {
          logger.error({ positions: batch.positions.length }, 'stopping while PostgreSQL is unavailable: batch not stored');
          throw err;
        }
        await sleep(delay, undefined, signal ? { signal } : undefined).catch(() => undefined);
        delay = Math.min(delay * 2, retry.maxMs);
      }
    }
  }

  /**
   * Writes a batch; if PostgreSQL refuses its content (a data error, SQLSTATE class 22/23),
   * halves it until the bad rows are found, collecting each with its error into `rejected`.
   */
  private async writeIsolatingBadRows(
    store: IngestPipelineDeps['stores'][number],
    batch: ColumnBatch,
    rejected: { sample: unknown; error: string }[],
  ): Promise<WriteResult & { rejected: number }> {
    try {
      return { ...(await store.write(batch)), rejected: 0 };
    } catch (err) {
      if (!isDataError(err)) throw err;
      const size = batch.positions.length + batch.statics.length;
      if (size <= 1) {
        rejected.push({ sample: batch.positions.length > 0 ? batch.positions.get(0) : batch.statics[0], error: (err as Error).message });
        return { positionsStored: 0, vesselsTouched: 0, rejectedDays: 0, rejected: batch.positions.length };
      }
      const half = (xs: { length: number }) => Math.ceil(xs.length / 2);
      const a = await this.writeIsolatingBadRows(
        store,
        { positions: batch.positions.slice(0, half(batch.positions)), statics: batch.statics.slice(0, half(batch.statics)) },
        rejected,
      );
      const b = await this.writeIsolatingBadRows(
        store,
        { positions: batch.positions.slice(half(batch.positions)), statics: batch.statics.slice(half(batch.statics)) },
        rejected,
      );
      return {
        positionsStored: a.positionsStored + b.positionsStored,
        vesselsTouched: a.vesselsTouched + b.vesselsTouched,
        rejectedDays: a.rejectedDays + b.rejectedDays,
        rejected: a.rejected + b.rejected,
      };
    }
  }
}
