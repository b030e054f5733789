// Child process of ingest.bench.ts: ingests one file into the bench database and reports its
// own wall time, positions stored and peak memory (maxRSS), so the parent can profile it alone.
import { loadConfig } from '@rendezvous/config';
import { createDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { ingestFiles } from '../src/ingest-runner.ts';

const [file] = process.argv.slice(2);
const config = loadConfig();
const logger = createLogger({ level: 'warn', format: 'json' }, 'bench');
const database = createDatabase(config.db, logger);
const started = performance.now();
const summary = await ingestFiles([file!], { config, logger, database, detection: null });
const ms = performance.now() - started;
await database.close();
process.stdout.write(
  JSON.stringify({
    ms,
    linesRead: summary.linesRead,
    positionsStored: summary.positionsStored,
    batches: summary.batches,
    batchLatencyMs: summary.batchLatencyMs,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
