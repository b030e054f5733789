import type { Config } from '@rendezvous/config';
import { createOutboxRepository, type DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { startOutboxDrain, type Producer } from '@rendezvous/queue';
import { AutoReader } from './feed-readers.ts';
import { IngestMetrics } from './ingest-metrics.ts';
import { IngestPipeline } from './ingest-pipeline.ts';
import { PositionStore } from './position-store.ts';
import { fileSource } from './sources/file-source.ts';
import type { LineSource } from './sources/line-source.ts';

export interface IngestDeps {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  /**
   * Where detection windows go: non-null = each batch records the windows it touched in the
   * outbox (same transaction), handed to this queue by the outbox drain; null = no detection
   * (e.g. tests of storage alone).
   */
  detection: Producer<'detection'> | null;
  /** The process's running outbox drain (the ingest service): woken after each commit. */
  drain?: { wake(): void };
  signal?: AbortSignal;
}

export type FeedFormat = 'nmea' | 'marinecadastre' | 'dma-aisdk';

/** Concurrent batch writers per pipeline (see IngestPipelineDeps.stores). */
const WRITERS = 2;

/** One pipeline bound to the store, the metrics and the detection outbox. */
export function createPipeline(deps: IngestDeps, metrics: IngestMetrics): { pipeline: IngestPipeline; store: { close(): Promise<void> } } {
  const storeOptions = {
    windowMs: deps.detection ? deps.config.detection.windowMs : null,
    maxNewDaysPerBatch: deps.config.ingest.maxDaysPerBatch,
  };
  const stores = Array.from({ length: WRITERS }, () => new PositionStore(deps.database.pool, deps.logger, storeOptions));
  const store = { close: async () => void (await Promise.all(stores.map((s) => s.close()))) };
  const drain = deps.drain;
  const pipeline = new IngestPipeline({
    stores,
    metrics,
    logger: deps.logger,
    batchSize: deps.config.ingest.batchSize,
    batchBytes: deps.config.ingest.batchBytes,
    flushMs: deps.config.ingest.flushMs,
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(drain ? { onCommitted: () => drain.wake() } : {}),
  });
  return { pipeline, store };
}

export interface FileIngestReport {
  path: string;
  format: FeedFormat;
}

/**
 * Ingests files (plain or gzip; NMEA, MarineCadastre or DMA CSV, detected from content) one after
 * another through one pipeline, and returns the combined counts.
 */
export async function ingestFiles(paths: string[], deps: IngestDeps) {
  const metrics = new IngestMetrics();
  const { pipeline, store } = createPipeline(deps, metrics);
  const files: FileIngestReport[] = [];
  const started = performance.now();
  try {
    for (const path of paths) {
      const source: LineSource = fileSource(path);
      const reader = new AutoReader(metrics);
      await pipeline.consume(source.lines(deps.signal ?? new AbortController().signal), reader);
      files.push({ path, format: reader.format ?? 'nmea' });
      const stats = source.stats();
      metrics.lines += stats.emptyLines; // the source skips blank lines; they were still read
      for (const [reason, n] of Object.entries(stats.dropped)) if (n) metrics.reject(reason, n);
    }
    await pipeline.flush();
  } finally {
    await store.close();
  }
  const detection = deps.detection && !deps.drain ? await queueWindows(deps, deps.detection) : {};
  return { files, ...metrics.snapshot(), ...detection, durationMs: Math.round(performance.now() - started) };
}

/**
 * A one-shot ingest (CLI) hands the outbox's windows to the queue once at the end. If Redis does
 * not answer they stay in the outbox, and any running ingest service or detector queues them
 * when it can: the summary says which happened.
 */
async function queueWindows(deps: IngestDeps, producer: Producer<'detection'>): Promise<{ windowsQueued: number } | { windowsPending: string }> {
  const drain = startOutboxDrain({ outbox: createOutboxRepository(deps.database.db), producer, logger: deps.logger, background: false });
  try {
    return { windowsQueued: await drain.drainOnce() };
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'detection windows left in the outbox; a running ingest or detector will queue them');
    return { windowsPending: 'kept in the outbox: the queue did not answer' };
  }
}
