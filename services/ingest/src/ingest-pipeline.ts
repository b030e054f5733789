import { setTimeout as sleep } from 'node:timers/promises';
import type { Observation, PositionObservation, StaticObservation } from '@rendezvous/feeds';
import { DependencyError } from '@rendezvous/errors';
import type { Logger } from '@rendezvous/logger';
import type { Batch } from './batch.ts';
import type { FeedReader } from './feed-readers.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { WriteResult } from './position-store.ts';
import type { LineBatch } from './sources/line-source.ts';

export interface IngestPipelineDeps {
  /**
   * One writer per concurrent commit (each holds its own connection). Two let PostgreSQL use
   * both cores while this process decodes: batches are independent, and every write is
   * idempotent, so their commit order does not matter.
   */
  stores: { write(batch: Batch): Promise<WriteResult> }[];
  metrics: IngestMetrics;
  logger: Logger;
  /** Called after each commit with the committed positions (detection windows are enqueued here). */
  onCommitted?: (positions: readonly PositionObservation[]) => Promise<void>;
  batchSize: number;
  flushMs: number;
  /** Backoff while PostgreSQL is unreachable: ingest pauses and retries the same batch. */
  retry?: { initialMs: number; maxMs: number };
  signal?: AbortSignal;
}

/**
 * Lines → observations → batches → PostGIS. Commits are serial (one writer), so a batch is
 * retried whole until PostgreSQL takes it — the source is not read meanwhile (backpressure) —
 * and nothing is lost or duplicated across an outage. A batch that PostgreSQL rejects for its
 * content is split until the offending rows are isolated and counted.
 */
export class IngestPipeline {
  private positions: PositionObservation[] = [];
  private statics: StaticObservation[] = [];
  private readonly scratch: Observation[] = [];
  /** One promise chain per writer: a writer commits its batches one after another. */
  private lanes: Promise<void>[];
  private nextLane = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly deps: IngestPipelineDeps;

  constructor(deps: IngestPipelineDeps) {
    if (deps.stores.length === 0) throw new RangeError('IngestPipeline needs at least one store');
    this.deps = deps;
    this.lanes = deps.stores.map(() => Promise.resolve());
  }

  /** Reads `source` to its end through `reader`, committing as batches fill. */
  async consume(source: AsyncIterable<LineBatch>, reader: FeedReader): Promise<void> {
    const { metrics } = this.deps;
    try {
      for await (const batch of source) {
        const out = this.scratch;
        for (const line of batch.lines) {
          metrics.lines++;
          reader.push(line, batch.receivedAtMs, out);
        }
        this.take(out);
        out.length = 0;
        if (this.pending() >= this.deps.batchSize) {
          // Commits run in the background while the next batch is decoded. Before reusing a
          // writer, wait for its previous commit: memory stays bounded to writers + 1 batches,
          // and a stalled database stops the reading (backpressure).
          await this.lanes[this.nextLane];
          this.commit().catch(() => undefined); // a failure resurfaces when the lane is awaited
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
  }

  private pending(): number {
    return this.positions.length + this.statics.length;
  }

  private take(observations: Observation[]): void {
    const { metrics } = this.deps;
    for (const o of observations) {
      metrics.vessels.add(o.mmsi);
      if (o.kind === 'position') this.positions.push(o);
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
      void this.commit().catch((err) => this.deps.logger.error({ err }, 'background commit failed'));
    }, this.deps.flushMs);
    this.timer.unref();
  }

  private commit(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending() === 0) return Promise.resolve();
    const batch: Batch = { positions: this.positions, statics: this.statics };
    this.positions = [];
    this.statics = [];
    const lane = this.nextLane;
    this.nextLane = (lane + 1) % this.lanes.length;
    const store = this.deps.stores[lane]!;
    // A failed lane stays failed: its error surfaces from flush() and from the next commit on it.
    this.lanes[lane] = this.lanes[lane]!.then(() => this.writeWithRetry(store, batch));
    return this.lanes[lane]!;
  }

  private async writeWithRetry(store: IngestPipelineDeps['stores'][number], batch: Batch): Promise<void> {
    const { metrics, logger, retry = { initialMs: 250, maxMs: 10_000 }, signal } = this.deps;
    let delay = retry.initialMs;
    let paused = false;
    for (;;) {
      const started = performance.now();
      try {
        const result = await this.writeIsolatingBadRows(store, batch);
        metrics.batch(performance.now() - started, batch.positions.length - result.rejected, result.positionsStored);
        if (paused) logger.info({ retries: metrics.batchRetries }, 'PostgreSQL is back; ingest resumed');
        if (this.deps.onCommitted && batch.positions.length > 0) await this.deps.onCommitted(batch.positions);
        return;
      } catch (err) {
        if (!(err instanceof DependencyError)) throw err;
        metrics.batchRetries++;
        if (!paused) logger.warn({ err: err.message, positions: batch.positions.length }, 'PostgreSQL unavailable; ingest paused, retrying');
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

  /** Writes a batch; if PostgreSQL refuses its content, halves it until the bad rows are found. */
  private async writeIsolatingBadRows(
    store: IngestPipelineDeps['stores'][number],
    batch: Batch,
  ): Promise<WriteResult & { rejected: number }> {
    try {
      return { ...(await store.write(batch)), rejected: 0 };
    } catch (err) {
      if (err instanceof DependencyError) throw err;
      const size = batch.positions.length + batch.statics.length;
      if (size <= 1) {
        this.deps.metrics.reject('database_rejected');
        this.deps.logger.warn({ err: (err as Error).message, row: batch.positions[0] ?? batch.statics[0] }, 'row rejected by PostgreSQL');
        return { positionsStored: 0, vesselsTouched: 0, rejected: batch.positions.length };
      }
      const half = (xs: unknown[]) => Math.ceil(xs.length / 2);
      const a = await this.writeIsolatingBadRows(store, {
        positions: batch.positions.slice(0, half(batch.positions)),
        statics: batch.statics.slice(0, half(batch.statics)),
      });
      const b = await this.writeIsolatingBadRows(store, {
        positions: batch.positions.slice(half(batch.positions)),
        statics: batch.statics.slice(half(batch.statics)),
      });
      return {
        positionsStored: a.positionsStored + b.positionsStored,
        vesselsTouched: a.vesselsTouched + b.vesselsTouched,
        rejected: a.rejected + b.rejected,
      };
    }
  }
}
