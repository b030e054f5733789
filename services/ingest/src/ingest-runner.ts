import type { Config } from '@rendezvous/config';
import type { DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { enqueueDetectionWindows, windowsOf, type Producer } from '@rendezvous/queue';
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
  /** Where detection windows go after each commit; null = don't enqueue (e.g. tests of storage alone). */
  detection: Producer<'detection'> | null;
  signal?: AbortSignal;
}

export type FeedFormat = 'nmea' | 'marinecadastre' | 'dma-aisdk';

/** One pipeline bound to the store, the metrics and the detection queue. */
/** Concurrent batch writers per pipeline (see IngestPipelineDeps.stores). */
const WRITERS = 2;

export function createPipeline(deps: IngestDeps, metrics: IngestMetrics): { pipeline: IngestPipeline; store: { close(): Promise<void> } } {
  const stores = Array.from({ length: WRITERS }, () => new PositionStore(deps.database.pool, deps.logger));
  const store = { close: async () => void (await Promise.all(stores.map((s) => s.close()))) };
  const windowMs = deps.config.detection.windowMs;
  const detection = deps.detection;
  const pipeline = new IngestPipeline({
    stores,
    metrics,
    logger: deps.logger,
    batchSize: deps.config.ingest.batchSize,
    flushMs: deps.config.ingest.flushMs,
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(detection
      ? { onCommitted: (positions) => enqueueDetectionWindows(detection, windowsOf(positions, windowMs), windowMs) }
      : {}),
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
  return { files, ...metrics.snapshot(), durationMs: Math.round(performance.now() - started) };
}
