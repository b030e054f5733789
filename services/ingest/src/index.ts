// What other services (the CLI) use of the ingest service.
export { ingestFiles, createPipeline } from './ingest-runner.ts';
export { AutoReader, NmeaReader, CsvReader } from './feed-readers.ts';
export type { IngestDeps, FeedFormat } from './ingest-runner.ts';
export { IngestMetrics } from './ingest-metrics.ts';
