import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, staticVoyage, toNmeaLines } from '@rendezvous/ais';
import { createWatchlistRepository } from '@rendezvous/db';
import { ingestFiles } from '@rendezvous/ingest';
import { prepareListSnapshot } from '@rendezvous/watchlists';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { ROOT, count, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';

const config = testConfig();
const database = openTestDatabase(config);
afterAll(() => database.close());
beforeEach(async () => {
  await resetIngestTables(database);
  await database.pool.query('TRUNCATE alert_evidence, alerts, watchlist_entries, watchlist_versions, watchlists, suspect_audit, suspects RESTART IDENTITY CASCADE');
});

const MIN = 60_000;
const HOUR = 60 * MIN;
/** 2025-03-10 21:00 UTC, Laconian Gulf: the meeting runs across midnight and at night. */
const T0 = Date.UTC(2025, 2, 10, 21);
const A = 636019001; // tanker, on the test watchlist by IMO
const B = 636019002; // tanker
const C = 636019003; // passes at speed

/** Positions every `stepMs` of a vessel at lon/lat(t). */
function track(mmsi: number, fromMs: number, toMs: number, stepMs: number, at: (t: number) => [number, number, number]): string[] {
  const lines: string[] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) {
    const [lon, lat, sog] = at(t);
    lines.push(...toNmeaLines(classAPosition({ mmsi, lon: Math.round(lon * 600000) / 600000, lat: Math.round(lat * 600000) / 600000, sog }), { timeMs: t, source: 'test' }));
  }
  return lines;
}

async function ingestScenario(lines: string[]) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-detect-'));
  const file = path.join(dir, 'scenario.nmea');
  await writeFile(file, lines.join('\n') + '\n');
  await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
}

/** A and B drift together (≈150 m apart) from 22:00 to 01:30; C crosses them at 14 kn. */
function meetingScenario(): string[] {
  const lon0 = 22.75;
  const lat0 = 36.45;
  const drift = (t: number) => ((t - T0) / HOUR) * 0.0005; // ≈ 0.3 kn
  return [
    ...toNmeaLines(staticVoyage({ mmsi: A, imo: 9258002, name: 'KAZAN', shipType: 80, callsign: 'A8CE6' }), { timeMs: T0, seqId: 1 }),
    ...toNmeaLines(staticVoyage({ mmsi: B, imo: 9074729, name: 'SEA TWO', shipType: 84 }), { timeMs: T0, seqId: 2 }),
    // A: approaching until 22:00, then alongside until 01:30, then leaving.
    ...track(A, T0, T0 + 6 * HOUR, 2 * MIN, (t) =>
      t < T0 + HOUR ? [lon0 - 0.2 + (0.2 * (t - T0)) / HOUR, lat0, 10] : t <= T0 + 4.5 * HOUR ? [lon0 + drift(t), lat0, 0.3] : [lon0 + 0.2 * ((t - T0 - 4.5 * HOUR) / HOUR), lat0, 10],
    ),
    // B: waits at the spot all along, 150 m north of A's path.
    ...track(B, T0, T0 + 6 * HOUR, 3 * MIN, (t) => [lon0 + drift(t), lat0 + 0.00135, 0.2]),
    // C: crosses at 14 kn.
    ...track(C, T0, T0 + 6 * HOUR, MIN, (t) => [lon0 - 1 + (((t - T0) / HOUR) * 14 * 1.852) / 89.4, lat0 + 0.0005, 14]),
  ];
}

describe('window detector (PostGIS → alerts)', () => {
  it('finds the meeting once, across midnight and window boundaries, scored with its factors; re-runs change nothing', async () => {
    await ingestScenario(meetingScenario());
    const lists = createWatchlistRepository(database.db);
    await lists.importSnapshot(
      prepareListSnapshot({ name: 'ofac', bytes: new TextEncoder().encode('imo,mmsi,name,reason,source,listed_at\n9258002,,KAZAN,tanker,OFAC,2023-11-16\n'), fileName: 'x.csv', importedBy: 't' }),
    );
    const detector = createWindowDetector(database, quietLogger, { now: () => T0 + 30 * 24 * HOUR });
    // Hourly windows over the whole night: the meeting crosses several windows and midnight.
    for (let w = T0; w < T0 + 6 * HOUR; w += HOUR) await detector.run({ from: new Date(w), to: new Date(w + HOUR) });
    const alerts = await database.pool.query('SELECT * FROM alerts ORDER BY id');
    expect(alerts.rows).toHaveLength(1);
    const alert = alerts.rows[0];
    expect([alert.mmsi_a, alert.mmsi_b]).toEqual([A, B]);
    expect(alert.status).toBe('closed');
    // Truth: alongside from 22:00 to 01:30 — start/end within one 10-minute grid step.
    expect(Math.abs(alert.start_at.getTime() - (T0 + HOUR))).toBeLessThanOrEqual(10 * MIN);
    expect(Math.abs(alert.end_at.getTime() - (T0 + 4.5 * HOUR))).toBeLessThanOrEqual(10 * MIN);
    expect(alert.closest_m).toBeGreaterThan(100);
    expect(alert.closest_m).toBeLessThan(200);
    expect(alert.watchlists).toEqual(['ofac']);
    const factors = alert.score_factors.map((f: { factor: string }) => f.factor);
    expect(factors).toEqual(expect.arrayContaining(['watchlist', 'tanker_pair', 'night', 'tightness']));
    expect(alert.score).toBe(alert.score_factors.reduce((s: number, f: { points: number }) => s + f.points, 0));
    expect(alert.vessel_a).toMatchObject({ mmsi: A, name: 'KAZAN', imo: 9258002 });
    const evidence = await database.pool.query('SELECT track_a, track_b FROM alert_evidence WHERE alert_id = $1', [alert.id]);
    expect(evidence.rows[0].track_a.length).toBeGreaterThan(100);

    // The same range again, in 3-hour windows: nothing changes, not even updated_at.
    const before = await database.pool.query('SELECT alert_key, updated_at, event FROM alerts');
    for (let w = T0 - 3 * HOUR; w < T0 + 9 * HOUR; w += 3 * HOUR) await detector.run({ from: new Date(w), to: new Date(w + 3 * HOUR) });
    const after = await database.pool.query('SELECT alert_key, updated_at, event FROM alerts');
    expect(after.rows).toEqual(before.rows);
  });

  it('reprocess through the queue: `npm run cli -- reprocess --wait` on a running detector reports the alert', async () => {
    await ingestScenario(meetingScenario());
    const detector = spawn(process.execPath, ['services/detector/src/main.ts'], { cwd: ROOT, env: testEnv({ LOG_LEVEL: 'warn' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    detector.stdout.on('data', (d) => (log += d));
    detector.stderr.on('data', (d) => (log += d));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['services/cli/src/main.ts', 'reprocess', '--from', new Date(T0 - 2 * HOUR).toISOString(), '--to', new Date(T0 + 8 * HOUR).toISOString(), '--window-hours', '2', '--wait', '--timeout', '120'],
        { cwd: ROOT, env: testEnv() },
      );
      const result = JSON.parse(stdout);
      // Windows align to multiples of 2 h from the epoch: 18:00, 20:00, … 04:00.
      expect(result, log).toMatchObject({ status: 'completed', windows: 6 });
      expect(result.created).toBe(1);
      expect(await count(database, "SELECT count(*) AS n FROM alerts WHERE status != 'retracted'")).toBe(1);
    } finally {
      detector.kill('SIGTERM');
      await new Promise((r) => detector.on('exit', r));
    }
  });

  it('REPROCESS_SCHEDULE sets a BullMQ job scheduler whose runs fan out reprocess jobs; unset removes it', async () => {
    const { Queue } = await import('bullmq');
    const { createRedis } = await import('@rendezvous/queue');
    const redis = createRedis(config.redis, quietLogger, 'producer');
    const queue = new Queue('reprocess', { connection: redis, prefix: config.redis.prefix });
    const start = (env: Record<string, string>) => {
      const child = spawn(process.execPath, ['services/detector/src/main.ts'], { cwd: ROOT, env: testEnv({ LOG_LEVEL: 'warn', ...env }), stdio: 'ignore' });
      return { child, exited: new Promise((r) => child.on('exit', r)) };
    };
    try {
      // Every second (6-field cron), one hour back: the scheduler must fire within a few seconds.
      const first = start({ REPROCESS_SCHEDULE: '* * * * * *', REPROCESS_SCHEDULE_LOOKBACK_HOURS: '1' });
      let scheduled: { returnvalue: { reprocessJobId: string; windows: number } } | undefined;
      for (let i = 0; i < 100 && !scheduled; i++) {
        await new Promise((r) => setTimeout(r, 200));
        scheduled = (await queue.getJobs(['completed'])).find((j) => j.name === 'scheduled') as typeof scheduled;
      }
      expect(scheduled?.returnvalue.reprocessJobId).toMatch(/^reprocess-/);
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['reprocess-schedule']);
      first.child.kill('SIGTERM');
      await first.exited;
      const second = start({});
      for (let i = 0; i < 50 && (await queue.getJobSchedulers()).length > 0; i++) await new Promise((r) => setTimeout(r, 200));
      expect(await queue.getJobSchedulers()).toEqual([]);
      second.child.kill('SIGTERM');
      await second.exited;
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      redis.disconnect();
    }
  });
});
