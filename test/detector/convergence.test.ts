import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { ingestFiles } from '@rendezvous/ingest';
import { createProducer, createRedis } from '@rendezvous/queue';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { ROOT, openTestDatabase, quietLogger, resetDetection, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
afterAll(async () => {
  redis.disconnect();
  await database.close();
});
beforeEach(() => resetDetection(database, redis, config));

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 7, 20, 18);

/** Vessel `mmsi` at (lon, lat) + drift, reporting every `stepMs` over [fromMs, toMs]. */
function drifting(mmsi: number, lon: number, lat: number, fromMs: number, toMs: number, stepMs: number): string[] {
  const lines: string[] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) {
    const d = ((t - T0) / HOUR) * 0.0004;
    lines.push(...toNmeaLines(classAPosition({ mmsi, lon: Math.round((lon + d) * 600000) / 600000, lat: Math.round(lat * 600000) / 600000, sog: 0.3 }), { timeMs: t, source: 'conv' }));
  }
  return lines;
}

/** Three meetings at different places and times over 30 h; reporting every 2–6 minutes. */
function scenario(): string[] {
  return [
    ...drifting(244000001, 4.1, 52.1, T0, T0 + 5 * HOUR, 2 * MIN),
    ...drifting(244000002, 4.1, 52.1012, T0 + HOUR, T0 + 4 * HOUR, 3 * MIN), // 133 m north, 3 h
    ...drifting(244000003, 23.0, 36.5, T0 + 10 * HOUR, T0 + 20 * HOUR, 6 * MIN),
    ...drifting(244000004, 23.0015, 36.5, T0 + 12 * HOUR, T0 + 16 * HOUR, 2 * MIN), // ≈ 134 m east, 4 h
    ...drifting(244000005, 120.0, 10.0, T0 + 22 * HOUR, T0 + 30 * HOUR, 5 * MIN),
    ...drifting(244000006, 120.0, 10.003, T0 + 23 * HOUR, T0 + 26 * HOUR, 5 * MIN), // ≈ 330 m, 3 h
  ];
}

async function file(lines: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-conv-'));
  const f = path.join(dir, 'feed.nmea');
  await writeFile(f, lines.join('\n') + '\n');
  return f;
}

/** The alert set as analysts see it, without bookkeeping times (ids and updated_at). */
async function alertSet(): Promise<string> {
  const { rows } = await database.pool.query(
    `SELECT alert_key, type, status, event, score, score_factors, watchlists, vessel_a, vessel_b, ST_AsText(centroid) AS centroid,
            (SELECT track_a::text || coalesce(track_b::text, '') FROM alert_evidence e WHERE e.alert_id = a.id) AS evidence
     FROM alerts a WHERE status != 'retracted' ORDER BY alert_key`,
  );
  return JSON.stringify(rows);
}

function startDetectors(n: number, env: Record<string, string> = {}): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['services/detector/src/main.ts'], { cwd: ROOT, env: testEnv({ LOG_LEVEL: 'warn', ...env }), stdio: 'ignore' }));
}
async function stop(children: ChildProcess[]) {
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : (c.on('exit', r), c.kill('SIGTERM'))))));
}
async function drained() {
  const q = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
  try {
    for (let i = 0; i < 300; i++) {
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(c).every((n) => n === 0)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('detection queue did not drain');
  } finally {
    await q.close();
  }
}
const reprocess = (windowHours = 6) =>
  promisify(execFile)(
    process.execPath,
    ['services/cli/src/main.ts', 'reprocess', '--from', new Date(T0 - 2 * HOUR).toISOString(), '--to', new Date(T0 + 32 * HOUR).toISOString(), '--window-hours', String(windowHours), '--wait', '--timeout', '180'],
    { cwd: ROOT, env: testEnv() },
  );

describe('alerts converge however they are produced', () => {
  it('live ingest → detector, then reprocessing twice, then with 1 and with 4 detector processes: identical alert sets', async () => {
    const detectors = startDetectors(1);
    let live: string;
    try {
      const detection = createProducer('detection', { connection: redis, prefix: config.redis.prefix });
      await ingestFiles([await file(scenario())], { config: testConfig({ INGEST_BATCH_SIZE: '500' }), logger: quietLogger, database, detection });
      await detection.close();
      await drained();
      live = await alertSet();
      // Three meetings; the slow ships of the scenario also loiter, and those alerts converge too.
      expect(JSON.parse(live).filter((a: { type: string }) => a.type === 'rendezvous')).toHaveLength(3);
      await reprocess();
      expect(await alertSet()).toBe(live);
      await reprocess();
      expect(await alertSet()).toBe(live);
    } finally {
      await stop(detectors);
    }
    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
    const one = startDetectors(1);
    try {
      await reprocess();
    } finally {
      await stop(one);
    }
    expect(await alertSet()).toBe(live);
    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
    const four = startDetectors(4);
    try {
      await reprocess();
    } finally {
      await stop(four);
    }
    expect(await alertSet()).toBe(live);
  }, 240_000);

  it('late data: positions arriving hours late create the meeting, then extend it backwards (the old alert is retracted, naming its replacement)', async () => {
    const detector = createWindowDetector(database, quietLogger, { now: () => T0 + 40 * 24 * HOUR });
    const run = async () => {
      for (let w = T0 - 6 * HOUR; w < T0 + 12 * HOUR; w += HOUR) await detector.run({ from: new Date(w), to: new Date(w + HOUR) });
    };
    const a = 244000011;
    const b = 244000012;
    // First only 1.5 h of the meeting is known: below the 2 h minimum, nothing.
    await ingestFiles([await file([...drifting(a, 5, 55, T0 + 3 * HOUR, T0 + 4.5 * HOUR, 3 * MIN), ...drifting(b, 5, 55.001, T0 + 3 * HOUR, T0 + 4.5 * HOUR, 3 * MIN)])], { config, logger: quietLogger, database, detection: null });
    await run();
    expect((await database.pool.query("SELECT * FROM alerts WHERE type = 'rendezvous'")).rows).toHaveLength(0);
    // Hours later the rest arrives (to 06:00): one alert from 03:00.
    await ingestFiles([await file([...drifting(a, 5, 55, T0 + 4.5 * HOUR, T0 + 6 * HOUR, 3 * MIN), ...drifting(b, 5, 55.001, T0 + 4.5 * HOUR, T0 + 6 * HOUR, 3 * MIN)])], { config, logger: quietLogger, database, detection: null });
    await run();
    const first = (await database.pool.query("SELECT alert_key, start_at, status FROM alerts WHERE type = 'rendezvous' AND status != 'retracted'")).rows;
    expect(first).toHaveLength(1);
    expect(first[0].start_at.getTime()).toBe(T0 + 3 * HOUR);
    // Then a late capture of the hours before: the meeting started at 01:00.
    await ingestFiles([await file([...drifting(a, 5, 55, T0 + HOUR, T0 + 3 * HOUR - MIN, 3 * MIN), ...drifting(b, 5, 55.001, T0 + HOUR, T0 + 3 * HOUR - MIN, 3 * MIN)])], { config, logger: quietLogger, database, detection: null });
    await run();
    const all = (await database.pool.query("SELECT alert_key, start_at, status, replaced_by, retraction_reason FROM alerts WHERE type = 'rendezvous' ORDER BY start_at")).rows;
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ status: 'closed', replaced_by: null });
    expect(all[0].start_at.getTime()).toBe(T0 + HOUR);
    expect(all[1]).toMatchObject({ status: 'retracted', alert_key: first[0].alert_key, replaced_by: all[0].alert_key });
    expect(all[1].retraction_reason).toMatch(/superseded/);
  });

  it('a detector killed mid-job loses nothing: another takes over its stalled job and the alerts are complete', async () => {
    await ingestFiles([await file(scenario())], { config, logger: quietLogger, database, detection: null });
    const baseline = startDetectors(1);
    try {
      await reprocess(2);
    } finally {
      await stop(baseline);
    }
    const expected = await alertSet();
    expect(JSON.parse(expected).filter((a: { type: string }) => a.type === 'rendezvous')).toHaveLength(3);
    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');

    const lockEnv = { WORKER_LOCK_MS: '2000' };
    const [victim] = startDetectors(1, lockEnv);
    const run = reprocess(2); // 17 two-hour windows
    const q = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
    try {
      // Kill it (no chance to clean up) while it holds a job. Starting up (config, PostGIS in each
      // connection) takes a few seconds on a loaded machine: wait up to 30 s for the first job.
      for (let i = 0; i < 1200 && (await q.getActiveCount()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await q.getActiveCount()).toBeGreaterThan(0);
      victim!.kill('SIGKILL');
      const rescuer = startDetectors(1, lockEnv);
      try {
        const { stdout } = await run;
        expect(JSON.parse(stdout)).toMatchObject({ status: 'completed', windows: 17 });
      } finally {
        await stop(rescuer);
      }
    } finally {
      // A victim left alive (the test failed before the kill) would take other test files' jobs.
      if (victim!.exitCode === null && !victim!.killed) victim!.kill('SIGKILL');
      await q.close();
    }
    expect(await alertSet()).toBe(expected);
  }, 240_000);
});
