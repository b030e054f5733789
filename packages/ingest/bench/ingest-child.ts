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
const cpuBefore = process.cpuUsage();
const summary = await ingestFiles([file!], { config, logger, database, detection: null });
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await database.close();
process.stdout.write(
  JSON.stringify({
    ms,
    // This process's CPU time (user + system): unlike wall time, barely moved by other load on the machine.
    cpuMs: (cpu.user + cpu.system) / 1000,
    linesRead: summary.linesRead,
    positionsStored: summary.positionsStored,
    batches: summary.batches,
    batchLatencyMs: summary.batchLatencyMs,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
