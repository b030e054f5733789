// The ingest service's public API: what the CLI's `ingest`, the demo's feed server and the tests use.
export { ingestFiles, createPipeline } from './ingest-runner.ts';
export { AutoReader, NmeaReader, CsvReader } from './feed-readers.ts';
export type { IngestDeps, FeedFormat } from './ingest-runner.ts';
export { IngestMetrics } from './ingest-metrics.ts';
export { emptyStats, replaySource, type LineSource, type ReplayOptions } from './sources/index.ts';
