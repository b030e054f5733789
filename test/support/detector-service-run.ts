// Simulated traffic through the whole pipeline, as end-to-end tests run it: the detector service
// as a child process (services/detector/src/main.ts, with the test environment plus `env`), the
// lines ingested through the real ingest path onto the detection queue, then a wait until every
// queued window has been detected (nothing waiting or running, the outbox drained).
import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import type { Config } from '@rendezvous/config';
import type { DatabaseHandle } from '@rendezvous/db';
import { ingestFiles } from '@rendezvous/ingest';
import { createProducer } from '@rendezvous/queue';
import type { Redis } from 'ioredis';
import { ROOT, quietLogger } from './harness.ts';
import { writeSimulationFile } from './simulation-file.ts';
import { testEnv } from './test-env.ts';
import { waitFor } from './wait.ts';

type IngestSummary = Awaited<ReturnType<typeof ingestFiles>>;

export interface DetectorServiceRun {
  detector: ChildProcess;
  summary: IngestSummary;
  /** The queue's job counts once idle, or undefined when it did not settle in time. */
  idle: Record<string, number> | undefined;
  stderr: () => string;
}

export async function runThroughDetectorService(
  deps: { config: Config; database: DatabaseHandle; redis: Redis },
  lines: Iterable<string>,
  options: { env?: Record<string, string>; filePrefix?: string; timeoutMs?: number } = {},
): Promise<DetectorServiceRun> {
  const { config, database, redis } = deps;
  const file = await writeSimulationFile(lines, options.filePrefix ?? 'rzv-e2e-');
  const detector = spawn(process.execPath, ['services/detector/src/main.ts'], { cwd: ROOT, env: testEnv({ LOG_LEVEL: 'warn', ...options.env }), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  detector.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const producer = createProducer('detection', { connection: redis, prefix: config.redis.prefix });
  let summary: IngestSummary;
  try {
    summary = await ingestFiles([file], { config, logger: quietLogger, database, detection: producer });
  } finally {
    await producer.close();
  }
  const queue = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
  try {
    const idle = await waitFor(
      async () => {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed');
        const pending = Number((await database.pool.query('SELECT count(*) AS n FROM detection_outbox')).rows[0].n);
        const busy = (c['waiting'] ?? 0) + (c['active'] ?? 0) + (c['delayed'] ?? 0) + (c['prioritized'] ?? 0);
        return busy === 0 && (c['completed'] ?? 0) > 0 && pending === 0 ? c : undefined;
      },
      options.timeoutMs ?? 180_000,
      { intervalMs: 250 },
    );
    return { detector, summary, idle, stderr: () => stderr };
  } finally {
    await queue.close();
  }
}
