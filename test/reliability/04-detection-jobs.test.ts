// Issue 11, item 4: detection jobs. A window whose attempts all fail during a long PostgreSQL
// outage still runs once PostgreSQL is back; a reprocess whose windows fail ends (never
// `waiting-children` for ever); a job that can never succeed fails at once; the same reprocess
// request enqueued twice is one job; a bbox may cross the antimeridian; every producer checks its
// payload against the shared contract.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type Job } from 'bullmq';
import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PositionObservation } from '@rendezvous/feeds';
import { createDatabase } from '@rendezvous/db';
import * as queuePackage from '@rendezvous/queue';
import {
  createConsumer,
  createProducer,
  createQueueMonitor,
  createRedis,
  enqueueDetectionWindows,
  enqueueReprocess,
  planWindows,
  type JobPayload,
} from '@rendezvous/queue';
import { createWindowDetector, type WindowDetector } from '../../services/detector/src/window-detector.ts';
import { ROOT, openTestDatabase, quietLogger, resetDetection, testConfig } from '../support/harness.ts';
import { position, storePositions } from '../support/positions.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { testDatabaseUrl, testEnv } from '../support/test-env.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
const ctx = { connection: redis, prefix: config.redis.prefix };
afterAll(async () => {
  redis.disconnect();
  await database.close();
});

// Each test closes what it opened: a worker left running would take the next test's jobs.
let closers: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});
beforeEach(async () => {
  await resetDetection(database, redis, config);
  const q = new Queue('reprocess', { connection: redis, prefix: config.redis.prefix });
  await q.obliterate({ force: true });
  await q.close();
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 6, 8); // an archive day: meetings close
const FAR = () => T0 + 30 * 24 * HOUR;

/** Two vessels 150 m apart (lat offset 0.00135°) from 02:00 to 05:00 at (lon, lat), reporting every 5 min. */
function meeting(a: number, b: number, lon: number, lat: number, bLon = lon, bLat = lat + 0.00135): PositionObservation[] {
  const out: PositionObservation[] = [];
  for (let t = T0 + 2 * HOUR; t <= T0 + 5 * HOUR; t += 5 * MIN) out.push(position(a, t, lon, lat, 0.2), position(b, t + 20_000, bLon, bLat, 0.1));
  return out;
}

/** What the detector process does with a detect-window job (services/detector/src/main.ts). */
function windowHandler(detector: WindowDetector) {
  return async (p: JobPayload<'detection', 'detect-window'>) => {
    const [west, south, east, north] = p.bbox ?? [];
    return detector.run({
      from: new Date(p.from),
      to: new Date(p.to),
      bbox: p.bbox ? { west: west!, south: south!, east: east!, north: north! } : null,
      profile: p.profile,
    });
  };
}

/** An in-process detection worker on its own connection; `retry` shortens the waits between attempts. */
function detectionWorker(detector: WindowDetector): Worker {
  const connection = createRedis(config.redis, quietLogger, 'worker');
  const options = { connection, prefix: config.redis.prefix, logger: quietLogger, retry: { baseMs: 50, capMs: 200 } };
  const worker = createConsumer('detection', { 'detect-window': windowHandler(detector) as never }, options);
  closers.push(() => connection.disconnect(), () => worker.close());
  return worker;
}

function startDetector(): ChildProcess {
  const child = spawn(process.execPath, ['services/detector/src/main.ts'], { cwd: ROOT, env: testEnv({ LOG_LEVEL: 'warn' }), stdio: 'ignore' });
  closers.push(() => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.on('exit', resolve), child.kill('SIGTERM')))));
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

const detectionQueue = () => {
  const q = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
  closers.push(() => q.close());
  return q;
};

/** The first outcome (completed, or a failed attempt) the worker reports for `jobId`. */
const firstOutcome = (worker: Worker, jobId: string) =>
  new Promise<string>((resolve) => {
    worker.on('completed', (job) => job.id === jobId && resolve('completed'));
    worker.on('failed', (job) => job?.id === jobId && resolve('failed'));
  });

describe('detection jobs', () => {
  it('a window whose attempts all fail during a long PostgreSQL outage runs once PostgreSQL is back', async () => {
    await storePositions(database, meeting(244_110_001, 244_110_002, 4.2, 52.2));
    // The detector reaches PostgreSQL through a proxy the test cuts: nothing else is disturbed.
    const target = new URL(testDatabaseUrl());
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    closers.push(() => proxy.stop());
    const proxied = new URL(target);
    proxied.port = String(proxy.port);
    // As the services' role, through the proxy (openTestDatabase is the owner's direct handle).
    const viaProxy = createDatabase({ url: proxied.toString(), poolMax: 4 }, quietLogger);
    closers.push(() => viaProxy.close());
    const detector = createWindowDetector(viaProxy, quietLogger, { now: FAR });

    await proxy.cut();
    detectionWorker(detector);
    const producer = createProducer('detection', ctx);
    closers.push(() => producer.close());
    await enqueueDetectionWindows(producer, [T0 + 3 * HOUR], HOUR, 'ingest');
    const queue = detectionQueue();
    const [job] = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active']);
    expect(job?.data).toMatchObject({ reason: 'ingest' });

    // The outage outlasts the five attempts a detection job used to have.
    await until('five failed attempts', async () => ((await queue.getJob(job!.id!))?.attemptsMade ?? 0) >= 5, 60_000);
    await proxy.restore();
    const state = await until('the window job to finish', async () => {
      const s = await queue.getJobState(job!.id!);
      return s === 'completed' || s === 'failed' ? s : null;
    }, 60_000);
    expect(state).toBe('completed');
    const { rows } = await database.pool.query('SELECT mmsi_a, mmsi_b FROM alerts');
    expect(rows).toEqual([{ mmsi_a: 244_110_001, mmsi_b: 244_110_002 }]);
  }, 150_000);

  it('a job that can never succeed (invalid range, unknown profile) fails at once, unretried', async () => {
    const worker = detectionWorker(createWindowDetector(database, quietLogger, { now: FAR }));
    const producer = createProducer('detection', ctx);
    closers.push(() => producer.close());
    // The producer refuses a range that ends before it starts…
    const backwards = { from: new Date(T0 + HOUR).toISOString(), to: new Date(T0).toISOString(), reason: 'reprocess' as const };
    await expect(producer.add('detect-window', backwards)).rejects.toThrow(/from must be before to/);
    // …and a worker fails one enqueued behind the contract's back (an old producer) without retrying it.
    const queue = detectionQueue();
    const unknownProfile = { from: new Date(T0).toISOString(), to: new Date(T0 + HOUR).toISOString(), reason: 'reprocess', profile: 'no-such-profile' };
    for (const [data, reason] of [[backwards, /from must be before to/], [unknownProfile, /unknown detection profile "no-such-profile"/]] as const) {
      const job: Job = await queue.add('detect-window', data, { attempts: 5, backoff: { type: 'exponential', delay: 2000 } });
      expect(await firstOutcome(worker, job.id!), JSON.stringify(data)).toBe('failed');
      expect(await queue.getJobState(job.id!), JSON.stringify(data)).toBe('failed');
      const failed = (await queue.getJob(job.id!))!;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(reason);
    }
  });

  it('a reprocess whose windows fail ends failed, counting them (never waiting-children for ever)', async () => {
    startDetector();
    // Every window names a profile the detector does not have: each fails.
    const { job, windows } = await enqueueReprocess(ctx, {
      from: new Date(T0),
      to: new Date(T0 + 3 * HOUR),
      windowMs: HOUR,
      profile: 'no-such-profile',
      requestedBy: 'test',
    });
    expect(windows).toBe(3);
    const monitor = createQueueMonitor(ctx);
    closers.push(() => monitor.close());
    const status = await until('the reprocess job to finish', async () => {
      const s = await monitor.reprocessStatus(job.id!);
      return s && (s.status === 'completed' || s.status === 'failed') ? s : null;
    }, 45_000);
    expect(status).toMatchObject({ status: 'failed', windows: { done: 0, failed: 3, total: 3 }, result: null });
    expect(status.failedReason).toMatch(/3 of 3 windows failed.*unknown detection profile/);
  }, 90_000);

  it('the same reprocess request enqueued twice is one job with one set of windows; once finished, it runs again', async () => {
    const request = { from: new Date(T0), to: new Date(T0 + 6 * HOUR), windowMs: 2 * HOUR, bbox: [3, 51, 6, 54] as [number, number, number, number] };
    const first = await enqueueReprocess(ctx, { ...request, requestedBy: 'alice' });
    // The same range, written another way, asked by someone else.
    const second = await enqueueReprocess(ctx, { ...request, from: new Date(T0 + 0), bbox: [3.0, 51, 6, 54.0], requestedBy: 'bob' });
    expect(second.job.id).toBe(first.job.id);
    expect(first.job.id).toMatch(queuePackage.REPROCESS_JOB_ID);
    const queue = detectionQueue();
    expect(await queue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active')).toBe(3);
    // Another profile or area is another request.
    const other = await enqueueReprocess(ctx, { ...request, profile: 'sensitive', requestedBy: 'alice' });
    expect(other.job.id).not.toBe(first.job.id);

    startDetector();
    const monitor = createQueueMonitor(ctx);
    closers.push(() => monitor.close());
    const done = async () => {
      const s = await monitor.reprocessStatus(first.job.id!);
      return s?.status === 'completed' ? s : null;
    };
    const firstRun = await until('the first run', done, 45_000);
    // Asked again after it finished (new data, new thresholds): a new run under the same id.
    const again = await enqueueReprocess(ctx, { ...request, requestedBy: 'carol' });
    expect(again.job.id).toBe(first.job.id);
    const secondRun = await until('the second run', async () => {
      const s = await done();
      return s && s.request.requestedBy === 'carol' ? s : null;
    }, 45_000);
    expect(Date.parse(secondRun.createdAt)).toBeGreaterThanOrEqual(Date.parse(firstRun.finishedAt!));
    expect(secondRun.windows).toEqual({ done: 3, failed: 0, total: 3 });
  }, 120_000);

  it('a bbox crossing the antimeridian (west > east) is accepted and reads both sides of ±180°', async () => {
    // One meeting straddling the antimeridian (≈ 110 m apart across it) off Fiji, one at 0° E.
    await storePositions(database, meeting(520_100_001, 520_100_002, 179.9995, -17, -179.9995, -17), meeting(244_120_001, 244_120_002, 0.5, 53.5));
    const across: [number, number, number, number] = [170, -30, -170, 0];
    expect(planWindows({ from: new Date(T0), to: new Date(T0 + 6 * HOUR), windowMs: 6 * HOUR, bbox: across, requestedBy: 't' })).toHaveLength(1);
    const { job } = await enqueueReprocess(ctx, { from: new Date(T0), to: new Date(T0 + 6 * HOUR), windowMs: 6 * HOUR, bbox: across, requestedBy: 't' });
    expect(job.data.bbox).toEqual(across);

    const detector = createWindowDetector(database, quietLogger, { now: FAR });
    const window = { from: new Date(T0), to: new Date(T0 + 6 * HOUR) };
    expect(await detector.run({ ...window, bbox: { west: 170, south: -30, east: -170, north: 0 } })).toMatchObject({ vessels: 2, created: 1 });
    expect(await detector.run({ ...window, bbox: { west: -10, south: 50, east: 10, north: 56 } })).toMatchObject({ vessels: 2, created: 1 });
    const { rows } = await database.pool.query('SELECT mmsi_a FROM alerts ORDER BY mmsi_a');
    expect(rows).toEqual([{ mmsi_a: 244_120_001 }, { mmsi_a: 520_100_001 }]);
    // The crossing box again: its meeting is unchanged, and the other box's alert is not retracted.
    expect(await detector.run({ ...window, bbox: { west: 170, south: -30, east: -170, north: 0 } })).toMatchObject({ unchanged: 1, retracted: 0 });
  });

  it('every producer checks its payload against the shared contract: flows and the scheduler', async () => {
    const request = { from: new Date(T0), to: new Date(T0 + 6 * HOUR), windowMs: HOUR, requestedBy: 'test' };
    await expect(enqueueReprocess(ctx, { ...request, profile: 'Not A Profile' })).rejects.toThrow(/invalid .*payload.*profile/);
    const queue = detectionQueue();
    expect(await queue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active', 'waiting-children')).toBe(0);

    const upsertReprocessSchedule = (queuePackage as Record<string, unknown>)['upsertReprocessSchedule'] as (
      c: typeof ctx,
      s: { pattern: string; lookbackHours: number; windowHours: number },
    ) => Promise<void>;
    expect(typeof upsertReprocessSchedule, 'the scheduler has a producer in @rendezvous/queue').toBe('function');
    await expect(upsertReprocessSchedule(ctx, { pattern: '0 3 * * *', lookbackHours: 1.5, windowHours: 24 })).rejects.toThrow(/invalid reprocess\/scheduled payload/);
    const monitor = createQueueMonitor(ctx);
    closers.push(() => monitor.close());
    expect(await monitor.reprocessSchedules()).toEqual([]);
    await upsertReprocessSchedule(ctx, { pattern: '0 3 * * *', lookbackHours: 36, windowHours: 24 });
    expect(await monitor.reprocessSchedules()).toMatchObject([{ id: 'reprocess-schedule', pattern: '0 3 * * *', lookbackHours: 36, windowHours: 24 }]);
  });
});
