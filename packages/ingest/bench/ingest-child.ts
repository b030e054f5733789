// Child process of ingest.bench.ts: ingests one file into the bench database and reports its
// own wall time, positions stored and peak memory (maxRSS), so the parent can profile it alone.
// Wired as the ingest service is (services/ingest/src/main.ts): each batch records the detection
// windows it touched in the outbox, in its transaction, and a background outbox drain hands them
// to a BullMQ queue in Redis. The parent gives REDIS_PREFIX a bench-only value, so these jobs
// never reach a real detector's queue; the queue is emptied at the end.
import { loadConfig } from '@rendezvous/config';
import { createDatabase, createOutboxRepository } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createProducer, createRedis, startOutboxDrain } from '@rendezvous/queue';
import { ingestFiles } from '../src/ingest-runner.ts';

const [file] = process.argv.slice(2);
const config = loadConfig();
const logger = createLogger({ level: 'warn', format: 'json' }, 'bench');
const database = createDatabase(config.db, logger);
const redis = createRedis(config.redis, logger, 'producer');
const detection = createProducer('detection', { connection: redis, prefix: config.redis.prefix });
const drain = startOutboxDrain({ outbox: createOutboxRepository(database.db), producer: detection, logger });
const started = performance.now();
const cpuBefore = process.cpuUsage();
const summary = await ingestFiles([file!], { config, logger, database, detection, drain });
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await drain.stop();
const windowsQueued = await detection.queue.count();
await detection.queue.obliterate({ force: true });
await detection.close();
redis.disconnect();
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
    windowsQueued,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
