// The ingest pipeline's public API: what the ingest service, the CLI's `ingest`, the demo's feed
// server and the tests use.
export { ingestFiles, createPipeline } from './ingest-runner.ts';
export { AutoReader, NmeaReader, CsvReader } from './feed-readers.ts';
export type { IngestDeps, FeedFormat } from './ingest-runner.ts';
export { IngestMetrics } from './ingest-metrics.ts';
export { ingestMetricFamilies } from './ingest-metric-families.ts';
export { PositionStore } from './position-store.ts';
export {
  Backoff,
  emptyStats,
  openSource,
  parseSourceSpec,
  replaySource,
  udpSource,
  type LineBatch,
  type LineSource,
  type OpenSourceOptions,
  type ReplayOptions,
  type SourceSpec,
} from './sources/index.ts';
