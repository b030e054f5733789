// Issue 11 item 1: Redis away while ingest runs. Positions go on being stored, the windows each
// committed batch touched wait in the outbox (PostgreSQL), and once Redis answers they are all
// detected, with no manual reprocess. Real ingest and detector processes, a real redis-server
// of the test's own that is stopped for 3.5 s mid-stream, the real test PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createTokenRepository } from '@rendezvous/db';
import { createRedis } from '@rendezvous/queue';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../services/api/src/app.ts';
import { ROOT, count, openTestDatabase, quietLogger, resetDetectionTables, testConfig } from '../support/harness.ts';
import { ThrowawayRedis } from '../support/redis-server.ts';
import { testEnv } from '../support/test-env.ts';
import { waitFor as waitForCondition } from '../support/wait.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redisServer = new ThrowawayRedis({ persist: true });
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await redisServer.dispose();
  await database.close();
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 2, 1);
const A = 248000101;
const B = 248000102;
const OTHERS = Array.from({ length: 8 }, (_, i) => 248000110 + i);
const STEP = 30_000;
const SPAN = 4 * HOUR;

/** A and B alongside (≈110 m, drifting) from T0+0.5 h to T0+3 h; eight ships steaming elsewhere. */
function feedLines(): { lines: string[]; positions: number } {
  const lines: string[] = [];
  let positions = 0;
  for (let t = T0; t < T0 + SPAN; t += STEP) {
    const second = Math.floor((t % MIN) / 1000);
    const together = t >= T0 + 0.5 * HOUR && t <= T0 + 3 * HOUR;
    // Drifting ~100 m/h, so no two reports of a ship are the same payload (that is item 3's case).
    const drift = ((t - T0) / HOUR) * 0.0012;
    const aLon = Math.round((23.0 + drift) * 600000) / 600000;
    const bLon = together ? 23.0 + drift : 23.0 + drift + (Math.abs(t - (T0 + 1.75 * HOUR)) / HOUR) * 0.2;
    lines.push(...toNmeaLines(classAPosition({ mmsi: A, lon: aLon, lat: 36.5, sog: 0.3, second }), { timeMs: t, source: 'r1' }));
    lines.push(...toNmeaLines(classAPosition({ mmsi: B, lon: Math.round(bLon * 600000) / 600000, lat: 36.501, sog: together ? 0.4 : 11, second }), { timeMs: t, source: 'r1' }));
    positions += 2;
    OTHERS.forEach((mmsi, i) => {
      const lon = 20 + i + ((t - T0) / HOUR) * 0.2;
      lines.push(...toNmeaLines(classAPosition({ mmsi, lon: Math.round(lon * 600000) / 600000, lat: 34 + i * 0.1, sog: 12, second }), { timeMs: t, source: 'r1' }));
      positions++;
    });
  }
  return { lines, positions };
}

/** Probes may run while Redis is deliberately away: an error counts as "not yet". */
const waitFor = <T>(probe: () => Promise<T | undefined>, ms: number) => waitForCondition(probe, ms, { intervalMs: 200, ignoreErrors: true });

describe('Redis down while ingest runs (issue 11, item 1)', () => {
  it('stores every position once and detects every touched window once Redis is back, with no manual reprocess', { timeout: 180_000 }, async () => {
    await resetDetectionTables(database);
    await redisServer.start();
    const prefix = `rzv-rel1-${process.pid}`;
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const feedPort = (server.address() as net.AddressInfo).port;
    const env = testEnv({
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: prefix,
      INGEST_SOURCES: `tcp://127.0.0.1:${feedPort}`,
      INGEST_FLUSH_MS: '100',
      INGEST_BATCH_SIZE: '500',
      LOG_LEVEL: 'warn',
    });
    for (const s of ['ingest', 'detector']) children.push(spawn(process.execPath, [`services/${s}/src/main.ts`], { cwd: ROOT, env, stdio: process.env['REL_DEBUG'] ? 'inherit' : 'ignore' }));
    const { lines, positions } = feedLines();
    // An API on the same Redis, to see what operators see during the outage.
    const apiConfig = testConfig({ REDIS_URL: redisServer.url, REDIS_PREFIX: prefix });
    const apiRedis = createRedis(apiConfig.redis, quietLogger, 'producer');
    const app = await buildApp({ config: apiConfig, logger: quietLogger, database, redis: apiRedis });
    const viewer = await createTokenRepository(database.db).create({ role: 'viewer', name: 'rel1' });
    let duringOutage: { ready: number; backlog: number; metric: number } | null = null;
    try {
      expect(await waitFor(async () => (sockets.length > 0 ? true : undefined), 20_000)).toBe(true);
      const chunk = 100;
      let stoppedAt = -1;
      let restarted: Promise<void> | null = null;
      for (let i = 0; i < lines.length; i += chunk) {
        sockets[0]!.write(lines.slice(i, i + chunk).join('\r\n') + '\r\n');
        await new Promise((r) => setTimeout(r, 120));
        if (stoppedAt < 0 && i >= lines.length / 4) {
          // A quarter of the feed in: Redis goes away for 3.5 s while the feed keeps coming.
          await redisServer.stop();
          stoppedAt = Date.now();
          restarted = new Promise((r) => setTimeout(r, 3500)).then(() => redisServer.start());
        }
        if (stoppedAt > 0 && duringOutage === null && Date.now() - stoppedAt > 2000) {
          // Windows are waiting in the outbox: /ready says Redis is down and shows the backlog;
          // /metrics (read from PostgreSQL) counts it.
          const ready = await app.inject({ url: '/ready' });
          const metrics = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${viewer.token}` } });
          duringOutage = {
            ready: ready.statusCode,
            backlog: ready.json().detectionBacklog?.windows ?? -1,
            metric: Number(/^rendezvous_detection_outbox_windows (\d+)$/m.exec(metrics.body)?.[1] ?? -1),
          };
        }
      }
      await restarted;
      expect(stoppedAt).toBeGreaterThan(0);
      expect(duringOutage).not.toBeNull();
      expect(duringOutage!.ready).toBe(503);
      expect(duringOutage!.backlog).toBeGreaterThan(0);
      expect(duringOutage!.metric).toBeGreaterThan(0);

      // Every position stored, once.
      const stored = await waitFor(async () => {
        const n = await count(database, 'SELECT count(*) AS n FROM positions');
        return n >= positions ? n : undefined;
      }, 60_000);
      expect(stored).toBe(positions);
      expect(await count(database, 'SELECT count(*) AS n FROM (SELECT DISTINCT mmsi, ts FROM positions) d')).toBe(positions);

      // Every touched window detected: the outbox drains empty (rows are deleted only by a
      // window run that covered them), and the queue holds a completed run for each window.
      const windows = new Set<string>();
      for (let t = T0; t < T0 + SPAN; t += HOUR) windows.add(new Date(t).toISOString());
      const emptied = await waitFor(async () => ((await count(database, 'SELECT count(*) AS n FROM detection_outbox')) === 0 ? true : undefined), 90_000);
      expect(emptied).toBe(true);
      const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
      const queue = new Queue('detection', { connection: redis, prefix });
      try {
        const completed = await queue.getJobs(['completed'], 0, -1);
        const ran = new Set(completed.map((j) => (j.data as { from: string }).from));
        for (const w of windows) expect(ran, `window ${w} was never detected`).toContain(w);
      } finally {
        await queue.close();
        redis.disconnect();
      }

      // …and so the meeting is found, once.
      const { rows } = await database.pool.query<{ mmsi_a: number; mmsi_b: number }>("SELECT mmsi_a, mmsi_b FROM alerts WHERE status <> 'retracted'");
      expect(rows).toEqual([{ mmsi_a: A, mmsi_b: B }]);
    } finally {
      await app.close();
      apiRedis.disconnect();
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('a live source that fails is restarted with backoff, and what it then reads is stored', { timeout: 60_000 }, async () => {
    await resetDetectionTables(database);
    // The source names a file that does not exist yet: reading it fails, ingest restarts it
    // (1 s, then 2 s…) instead of giving up; once the file appears its positions are stored.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-rel1-'));
    const file = path.join(dir, 'late.nmea');
    const env = testEnv({ INGEST_SOURCES: file, INGEST_FLUSH_MS: '100', LOG_LEVEL: 'warn' });
    const ingest = spawn(process.execPath, ['services/ingest/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(ingest);
    let output = '';
    for (const stream of [ingest.stdout!, ingest.stderr!]) {
      stream.on('data', (d) => {
        output += d;
        if (process.env['REL_DEBUG']) process.stderr.write(d);
      });
    }
    try {
      // The file appears only once the source has failed for want of it (and is being restarted).
      const failed = await waitFor(async () => (/source failed; restarting it/.test(output) ? true : undefined), 20_000);
      expect(failed, output).toBe(true);
      const { lines } = feedLines();
      await writeFile(file, lines.slice(0, 500).join('\n') + '\n');
      const stored = await waitFor(async () => {
        const n = await count(database, 'SELECT count(*) AS n FROM positions');
        return n >= 500 ? n : undefined;
      }, 30_000);
      expect(stored).toBe(500);
    } finally {
      ingest.kill('SIGTERM');
      if (ingest.exitCode === null) await new Promise((r) => ingest.once('exit', r));
    }
  });
});
