import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { createSuspectRepository, createTokenRepository } from '@rendezvous/db';
import { ingestFiles } from '@rendezvous/ingest';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../../services/api/src/app.ts';
import { ROOT, openTestDatabase, quietLogger, resetDetection, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
const tokens = createTokenRepository(database.db);
let app: FastifyInstance;
let admin: string;
let viewer: string;
beforeAll(async () => {
  app = await buildApp({ config, logger: quietLogger, database, redis });
  admin = (await tokens.create({ role: 'admin', name: 'batch-admin' })).token;
  viewer = (await tokens.create({ role: 'viewer', name: 'batch-viewer' })).token;
});
afterAll(async () => {
  await app?.close();
  redis.disconnect();
  await database.close();
});
beforeEach(async () => {
  await resetDetection(database, redis, config);
  await database.pool.query('TRUNCATE suspects RESTART IDENTITY CASCADE');
  const q = new Queue('reprocess', { connection: redis, prefix: config.redis.prefix });
  await q.obliterate({ force: true });
  await q.close();
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 7, 20, 18);
const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** Vessel `mmsi` drifting slowly from (lon, lat), reporting every `stepMs` over [fromMs, toMs]. */
function drifting(mmsi: number, lon: number, lat: number, fromMs: number, toMs: number, stepMs: number): string[] {
  const lines: string[] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) {
    const d = ((t - T0) / HOUR) * 0.0004;
    lines.push(...toNmeaLines(classAPosition({ mmsi, lon: Math.round((lon + d) * 600000) / 600000, lat: Math.round(lat * 600000) / 600000, sog: 0.3 }), { timeMs: t, source: 'batch' }));
  }
  return lines;
}

/** Two meetings (each ≈ 130 m apart for 3–4 h): 244000001/2 in the North Sea, 244000003/4 in the Aegean. */
async function ingestScenario(): Promise<void> {
  const lines = [
    ...drifting(244000001, 4.1, 52.1, T0, T0 + 5 * HOUR, 2 * MIN),
    ...drifting(244000002, 4.1, 52.1012, T0 + HOUR, T0 + 4 * HOUR, 3 * MIN),
    ...drifting(244000003, 23.0, 36.5, T0 + 10 * HOUR, T0 + 20 * HOUR, 6 * MIN),
    ...drifting(244000004, 23.0015, 36.5, T0 + 12 * HOUR, T0 + 16 * HOUR, 2 * MIN),
  ];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-batch-'));
  const file = path.join(dir, 'feed.nmea');
  await writeFile(file, lines.join('\n') + '\n');
  await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
}

const range = { from: new Date(T0 - 2 * HOUR).toISOString(), to: new Date(T0 + 24 * HOUR).toISOString() };

function startDetector(env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['services/detector/src/main.ts'], { cwd: ROOT, env: testEnv({ LOG_LEVEL: 'warn', ...env }), stdio: 'ignore' });
}
async function stop(child: ChildProcess): Promise<void> {
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.on('exit', resolve), child.kill('SIGTERM'))));
}

async function reprocess(body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/v1/reprocess', headers: as(admin), payload: body });
}

/** Polls GET /v1/jobs/:id until the job has finished, returning every status seen. */
async function follow(jobId: string, timeoutMs = 120_000): Promise<Record<string, any>[]> {
  const seen: Record<string, any>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await app.inject({ method: 'GET', url: `/v1/jobs/${jobId}`, headers: as(viewer) });
    expect(res.statusCode).toBe(200);
    const status = res.json();
    seen.push(status);
    if (status.status === 'completed' || status.status === 'failed') return seen;
    await sleep(20);
  }
  throw new Error(`job ${jobId} did not finish within ${timeoutMs} ms; last: ${JSON.stringify(seen.at(-1))}`);
}

const alertRows = async () =>
  (await database.pool.query<{ alert_key: string; profile: string; status: string }>("SELECT alert_key, profile, status FROM alerts WHERE status != 'retracted' ORDER BY alert_key")).rows;

describe('batch routes', () => {
  it('POST /v1/reprocess → job id; GET /v1/jobs/:id shows windows completing, then the result; GET /v1/schedules lists the detector schedule', async () => {
    await ingestScenario();
    const schedulesBefore = await app.inject({ method: 'GET', url: '/v1/schedules', headers: as(viewer) });
    expect(schedulesBefore.statusCode).toBe(200);
    expect(schedulesBefore.json()).toEqual([]);

    const detector = startDetector({ REPROCESS_SCHEDULE: '0 3 * * *', REPROCESS_SCHEDULE_LOOKBACK_HOURS: '36' });
    try {
      // Enqueued before the detector is up: the job waits for it, and its status says so.
      const res = await reprocess({ ...range, windowHours: 1 });
      expect(res.statusCode).toBe(202);
      const { jobId, windows, status } = res.json();
      expect(status).toBe('queued');
      expect(windows).toBe(26);
      expect(jobId).toMatch(/^reprocess-/);
      expect(res.headers['location']).toBe(`/v1/jobs/${jobId}`);

      const seen = await follow(jobId);
      const first = seen[0]!;
      expect(first).toMatchObject({ id: jobId, windows: { total: 26 }, request: { ...range, requestedBy: 'batch-admin', profile: null, bbox: null } });
      expect(first['status']).not.toBe('completed');
      // Progress only grows, and is the share of windows done.
      for (let i = 1; i < seen.length; i++) expect(seen[i]!['progress']).toBeGreaterThanOrEqual(seen[i - 1]!['progress']);
      for (const s of seen) expect(s['progress']).toBeCloseTo(s['windows'].done / 26, 3);
      expect(seen.some((s) => s['windows'].done > 0 && s['windows'].done < 26), 'a status between the first and the last window').toBe(true);

      const last = seen.at(-1)!;
      expect(last).toMatchObject({ status: 'completed', progress: 1, windows: { done: 26, failed: 0, total: 26 }, failedReason: null });
      expect(Date.parse(last['finishedAt'])).toBeGreaterThanOrEqual(Date.parse(last['createdAt']));
      const alerts = await alertRows();
      expect(alerts).toHaveLength(2);
      // The result sums the window jobs: every alert was created by this run, none existed before.
      expect(last['result']).toMatchObject({ ...range, windows: 26, created: 2, retracted: 0 });
      expect(last['result'].events).toBeGreaterThanOrEqual(2);
      expect(last['result'].positions).toBeGreaterThan(0);

      // The detector upserted its schedule at boot.
      let schedules: Record<string, unknown>[] = [];
      for (let i = 0; i < 100 && schedules.length === 0; i++, await sleep(100)) {
        schedules = (await app.inject({ method: 'GET', url: '/v1/schedules', headers: as(viewer) })).json();
      }
      expect(schedules).toEqual([{ id: 'reprocess-schedule', pattern: '0 3 * * *', tz: 'UTC', nextRunAt: expect.any(String), lookbackHours: 36, windowHours: 24 }]);
      const next = new Date(schedules[0]!['nextRunAt'] as string);
      expect(next.getUTCHours()).toBe(3);
      expect(next.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await stop(detector);
    }
  }, 180_000);

  it('profile: a reprocess limited to one profile writes only its alerts and never retracts another profile’s', async () => {
    await ingestScenario();
    let detector = startDetector();
    const run = async (body: Record<string, unknown>) => {
      const res = await reprocess({ ...range, windowHours: 6, ...body });
      expect(res.statusCode).toBe(202);
      return (await follow(res.json().jobId)).at(-1)!;
    };
    try {
      // No listed vessel: both meetings are GFW encounters.
      expect(await run({})).toMatchObject({ status: 'completed', result: { created: 2 } });
      const gfwOnly = await alertRows();
      expect(gfwOnly.map((a) => a.profile)).toEqual(['gfw-encounter', 'gfw-encounter']);
      // The sensitive profile judges no pair here: its run finds nothing, and leaves GFW's alerts alone.
      expect(await run({ profile: 'sensitive' })).toMatchObject({ status: 'completed', request: { profile: 'sensitive' }, result: { events: 0, created: 0, updated: 0, retracted: 0 } });
      expect(await alertRows()).toEqual(gfwOnly);

      // 244000001 becomes a suspect: its meeting is now judged by the sensitive profile. (A new
      // detector process: a running one sees list changes only after its 10 s screening cache.)
      await stop(detector);
      await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
      await createSuspectRepository(database.db).add({ mmsi: 244000001, reason: 'batch test', actor: 'test' });
      detector = startDetector();
      expect(await run({ profile: 'sensitive' })).toMatchObject({ status: 'completed', result: { created: 1 } });
      expect((await alertRows()).map((a) => a.profile)).toEqual(['sensitive']);
      expect(await run({ profile: 'gfw-encounter' })).toMatchObject({ status: 'completed', result: { created: 1, retracted: 0 } });
      const both = await alertRows();
      expect(both.map((a) => a.profile).sort()).toEqual(['gfw-encounter', 'sensitive']);
      // A full run changes nothing: the restricted runs computed exactly what it computes.
      expect(await run({})).toMatchObject({ status: 'completed', result: { created: 0, updated: 0, retracted: 0 } });
      expect(await alertRows()).toEqual(both);
    } finally {
      await stop(detector);
    }
  }, 180_000);

  it('refuses bad requests with 4xx problem+json: role, body, ids', async () => {
    const cases: [string, string, unknown, string, number, RegExp][] = [
      ['POST', '/v1/reprocess', range, viewer, 403, /needs the admin role/],
      ['POST', '/v1/reprocess', { ...range, profile: 'aggressive' }, admin, 400, /profile/],
      ['POST', '/v1/reprocess', { ...range, bbox: [5, 55, 10, 50] }, admin, 400, /south < north/],
      ['POST', '/v1/reprocess', { ...range, bbox: [5, 50, 5, 55] }, admin, 400, /west != east/],
      ['POST', '/v1/reprocess', { ...range, bbox: [5, 50, 10, 95] }, admin, 400, /bbox/],
      ['POST', '/v1/reprocess', { ...range, bbox: [1, 2, 3] }, admin, 400, /bbox/],
      ['POST', '/v1/reprocess', { from: range.to, to: range.from }, admin, 400, /from must be before to/],
      ['POST', '/v1/reprocess', { from: '1999-01-01T00:00:00Z', to: range.to }, admin, 400, /2002/],
      ['POST', '/v1/reprocess', { ...range, windowHours: 0 }, admin, 400, /windowHours/],
      ['POST', '/v1/reprocess', { ...range, force: true }, admin, 400, /additional properties/],
      ['GET', '/v1/jobs/reprocess-00000000-0000-4000-8000-000000000000', undefined, viewer, 404, /no reprocess job/],
      ['GET', '/v1/jobs/detect-window-1', undefined, viewer, 400, /id/],
      ['GET', '/v1/jobs/repeat%3Areprocess-schedule%3A1', undefined, viewer, 400, /id/],
    ];
    for (const [method, url, payload, token, status, detail] of cases) {
      const res = await app.inject({ method: method as 'GET' | 'POST', url, headers: as(token), ...(payload === undefined ? {} : { payload: payload as object }) });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail).toMatch(detail);
    }
    // Nothing was enqueued by the refused requests.
    const q = new Queue('reprocess', { connection: redis, prefix: config.redis.prefix });
    try {
      expect(await q.getJobCountByTypes('waiting', 'waiting-children', 'active', 'completed', 'failed')).toBe(0);
    } finally {
      await q.close();
    }
  });
});
