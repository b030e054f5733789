// Issue 16, goal 4: ingest sources split across processes without duplicates. Real ingest
// service processes (services/ingest/src/main.ts), each given its own INGEST_SOURCES, write into
// one PostgreSQL database and one Redis; then real detector processes detect the queued windows.
// What they store and the alerts that follow must be what one process makes of all the sources:
// the same rows in every table ingest writes, the same detection windows, the same alerts (the
// second test says which rows depend on commit order, with one process as with several).
//
// How a deployment splits sources: each ingest process (host, container) gets its own
// INGEST_SOURCES list. Nothing else is shared or configured: positions, raw lines and buckets are
// keyed by (mmsi, ts) / (mmsi, bucket) and written with ON CONFLICT semantics, so a source given to
// two processes by mistake (or on purpose, for redundancy) still stores each report once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { classAPosition, staticVoyage, toNmeaLines } from '@rendezvous/ais';
import { createRedis } from '@rendezvous/queue';
import { ROOT, openTestDatabase, quietLogger, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';
import { waitFor } from '../support/wait.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 7, 20, 18);
const RECEIVERS = ['rx-a', 'rx-b', 'rx-c'] as const;
/** Where the runs' results are kept for comparison: the owner's own schema, dropped afterwards. */
const SNAP = 'source_split_snapshot';

/** Every table ingest writes (the outbox is compared through its log of windows, below). */
const INGEST_TABLES = ['positions', 'position_buckets', 'vessels', 'vessel_identity_history', 'vessel_draughts', 'vessel_destinations'] as const;

/** One AIS message: its NMEA line(s) stay together in one receiver's file (a type 5 is two sentences). */
type Message = string[];

/**
 * A day and a half of traffic: three meetings (drifting pairs ≈ 130–330 m apart for 3–4 h), a
 * dozen vessels under way elsewhere, and every vessel's static report (type 5) every 2 h with a
 * draught and a destination that change every 6 h (to a value not held before, see the second
 * test), so identity, draught and destination histories are written. Each position report is
 * heard by one receiver, chosen by a fixed rule, so one vessel's track is spread over the three
 * receivers' files (as coastal stations share a ship's reports). Static reports go to
 * `staticReceiver`, or are spread like the positions.
 */
function traffic(staticReceiver: number | 'spread'): Message[][] {
  const byReceiver: Message[][] = RECEIVERS.map(() => []);
  let k = 0;
  const heard = (lines: (source: string) => Message, to?: number) => {
    const r = to ?? (k++ * 7) % RECEIVERS.length;
    byReceiver[r]!.push(lines(RECEIVERS[r]!));
  };
  const round = (v: number) => Math.round(v * 600_000) / 600_000;
  const track = (mmsi: number, lon: number, lat: number, fromMs: number, toMs: number, stepMs: number, driftDegPerHour: number, sog: number) => {
    for (let t = fromMs; t <= toMs; t += stepMs) {
      const d = ((t - T0) / HOUR) * driftDegPerHour;
      heard((source) => toNmeaLines(classAPosition({ mmsi, lon: round(lon + d), lat: round(lat), sog, cog: 90 }), { timeMs: t, source }));
    }
  };
  // Three meetings at different places and times.
  track(244000001, 4.1, 52.1, T0, T0 + 5 * HOUR, 2 * MIN, 0.0004, 0.3);
  track(244000002, 4.1, 52.1012, T0 + HOUR, T0 + 4 * HOUR, 3 * MIN, 0.0004, 0.3);
  track(244000003, 23.0, 36.5, T0 + 10 * HOUR, T0 + 20 * HOUR, 6 * MIN, 0.0004, 0.3);
  track(244000004, 23.0015, 36.5, T0 + 12 * HOUR, T0 + 16 * HOUR, 2 * MIN, 0.0004, 0.3);
  track(244000005, 120.0, 10.0, T0 + 22 * HOUR, T0 + 30 * HOUR, 5 * MIN, 0.0004, 0.3);
  track(244000006, 120.0, 10.003, T0 + 23 * HOUR, T0 + 26 * HOUR, 5 * MIN, 0.0004, 0.3);
  // Vessels under way, far from each other (1° apart), at 12 knots ≈ 0.4°/h of longitude at 60°N.
  UNDER_WAY.forEach((mmsi, i) => track(mmsi, -20 + i, 60, T0, T0 + 30 * HOUR, 3 * MIN, 0.4, 12));
  // Static reports: draught and destination change every 6 h, six legs.
  VESSELS.forEach((mmsi, i) => {
    for (let t = T0; t <= T0 + 30 * HOUR; t += 2 * HOUR) {
      const leg = Math.floor((t - T0) / (6 * HOUR));
      const report = staticVoyage({
        mmsi,
        imo: 9_000_000 + i * 7 + 1, // check digits not valid: an identity anomaly, stored as sent either way
        name: `SPLIT ${i}`,
        callsign: `SPL${i}`,
        shipType: 80,
        dimBow: 100,
        dimStern: 20,
        dimPort: 10,
        dimStarboard: 10,
        draught: 6 + leg + (i % 3) / 2,
        destination: DESTINATIONS[leg]!,
      });
      heard((source) => toNmeaLines(report, { timeMs: t + i * 1000, source, seqId: i % 10 }), staticReceiver === 'spread' ? undefined : staticReceiver);
    }
  });
  return byReceiver;
}
const UNDER_WAY = Array.from({ length: 12 }, (_, i) => 257000100 + i);
const VESSELS = [244000001, 244000002, 244000003, 244000004, 244000005, 244000006, ...UNDER_WAY];
const DESTINATIONS = ['ROTTERDAM', 'PIRAEUS', 'SINGAPORE', 'FOR ORDERS', 'BUSAN', 'DALIAN'];
/** Distinct (vessel, leg) values: each vessel's true draught and destination changes. */
const CHANGE_POINTS = VESSELS.length * DESTINATIONS.length;

const tempDirs: string[] = [];

async function writeReceiverFiles(staticReceiver: number | 'spread'): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-split-'));
  tempDirs.push(dir);
  return Promise.all(
    traffic(staticReceiver).map(async (messages, r) => {
      const file = path.join(dir, `${RECEIVERS[r]}.nmea`);
      await writeFile(file, messages.flat().join('\n') + '\n');
      return file;
    }),
  );
}

/** Clears what ingest and detection write, the detection queue, and the outbox log. */
async function reset(): Promise<void> {
  // position_buckets is emptied by its own trigger on TRUNCATE positions (migration 0007).
  await database.pool.query(
    `TRUNCATE positions, vessels, vessel_identity_history, vessel_draughts, vessel_destinations,
              detection_outbox, alert_evidence, alert_triage_history, alert_pair_versions, port_calls, alerts RESTART IDENTITY CASCADE`,
  );
  await database.pool.query(`TRUNCATE ${SNAP}.outbox_log`);
  const q = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
  await q.obliterate({ force: true });
  await q.close();
}

interface Service {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnService(main: string, env: Record<string, string>): Service {
  const child = spawn(process.execPath, [main], { cwd: ROOT, env: testEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function stop(services: Service[]): Promise<(number | null)[]> {
  for (const s of services) if (s.child.exitCode === null) s.child.kill('SIGTERM');
  return Promise.all(services.map((s) => s.exited));
}

/**
 * Runs one ingest process per entry of `split` (each reads its own list of receiver files at once,
 * in small batches so the processes' transactions interleave), waits until every process has read
 * all its sources to the end, stops them, then lets `detectors` detector processes work off the
 * queued windows. Detection starts after ingest on purpose: a window detected while a type 5 report
 * is still on its way takes the vessel's identity of that moment, and that race exists with one
 * ingest process as with several; what is compared here is what the split does to the stored data.
 */
async function run(split: string[][], detectors: number): Promise<void> {
  // Each run starts from empty tables and an empty queue; the runs' results live on in SNAP.
  await reset();
  const ingest = split.map((sources) => spawnService('services/ingest/src/main.ts', { INGEST_SOURCES: sources.join(','), INGEST_BATCH_SIZE: '200', INGEST_FLUSH_MS: '100', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }));
  try {
    const finished = await waitFor(
      () => ingest.every((s, i) => (s.output().match(/"msg":"source stopped"/g) ?? []).length === split[i]!.length),
      60_000,
      { intervalMs: 100 },
    );
    expect(finished, ingest.map((s) => s.output()).join('\n---\n')).toBe(true);
  } finally {
    expect(await stop(ingest)).toEqual(ingest.map(() => 0));
  }
  for (const s of ingest) expect(s.output()).not.toMatch(/"level":(50|60)/); // no error logged (a batch that failed and was retried would be)
  if (detectors === 0) return;
  const detecting = Array.from({ length: detectors }, () => spawnService('services/detector/src/main.ts', { LOG_LEVEL: 'warn' }));
  const q = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
  try {
    const idle = await waitFor(
      async () => {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed');
        const pending = Number((await database.pool.query('SELECT count(*) AS n FROM detection_outbox')).rows[0].n);
        const busy = (c['waiting'] ?? 0) + (c['active'] ?? 0) + (c['delayed'] ?? 0) + (c['prioritized'] ?? 0);
        return busy === 0 && (c['completed'] ?? 0) > 0 && pending === 0;
      },
      120_000,
      { intervalMs: 250 },
    );
    expect(idle, detecting.map((s) => s.output()).join('\n---\n')).toBe(true);
  } finally {
    await q.close();
    await stop(detecting);
  }
}

/** A change series as readers see it (readChangeSeries): consecutive equal values collapsed. */
const changes = (table: string, column: string) =>
  `SELECT (mmsi, ts, v)::text AS r FROM (SELECT mmsi, ts, ${column} AS v, lag(${column}) OVER (PARTITION BY mmsi ORDER BY ts) AS prev FROM ${table}) d WHERE prev IS DISTINCT FROM v`;

/** Text of every row of the ingest tables, the detection windows ingest recorded, and the alerts as analysts see them. */
const SNAPSHOT_QUERIES: Record<string, string> = {
  ...Object.fromEntries(INGEST_TABLES.map((t) => [t, `SELECT t::text AS r FROM ${t} t`])),
  // The received lines (positions.lines, migrations/0028; in positions' rows above too), counted on their own.
  raw_lines: `SELECT (mmsi, ts, source, lines)::text AS r FROM positions WHERE lines IS NOT NULL`,
  draught_changes: changes('vessel_draughts', 'draught'),
  destination_changes: changes('vessel_destinations', 'destination'),
  // One row per window: how many outbox rows name a window depends on how batches fell, which is not a result.
  windows: `SELECT DISTINCT (window_start, window_ms)::text AS r FROM ${SNAP}.outbox_log`,
  alerts: `SELECT (alert_key, type, status, event, score, score_factors, watchlists, vessel_a, vessel_b, start_at, end_at, closest_m, ST_AsText(centroid),
                   (SELECT track_a::text || coalesce(track_b::text, '') FROM alert_evidence e WHERE e.alert_id = a.id))::text AS r
           FROM alerts a`,
  port_calls: `SELECT (key, mmsi, segment, port_id, arrival, departure, draught_arrival, draught_departure, reasons)::text AS r FROM port_calls`,
};

async function keep(name: string): Promise<void> {
  for (const [what, sql] of Object.entries(SNAPSHOT_QUERIES)) {
    await database.pool.query(`DROP TABLE IF EXISTS ${SNAP}.${name}_${what}`);
    await database.pool.query(`CREATE TABLE ${SNAP}.${name}_${what} AS ${sql}`);
  }
}

/** Rows in one run and not the other, both ways (EXCEPT ALL: a row stored twice would show too), up to 5 each. */
async function differences(a: string, b: string, what: readonly string[] = Object.keys(SNAPSHOT_QUERIES)): Promise<Record<string, { onlyIn: string; rows: string[] }[]>> {
  const out: Record<string, { onlyIn: string; rows: string[] }[]> = {};
  for (const w of what) {
    const diff = async (x: string, y: string) =>
      (await database.pool.query<{ r: string }>(`SELECT r FROM (SELECT r FROM ${SNAP}.${x}_${w} EXCEPT ALL SELECT r FROM ${SNAP}.${y}_${w}) d ORDER BY r LIMIT 5`)).rows.map((row) => row.r);
    const rows = [{ onlyIn: a, rows: await diff(a, b) }, { onlyIn: b, rows: await diff(b, a) }].filter((d) => d.rows.length > 0);
    if (rows.length) out[w] = rows;
  }
  return out;
}

const size = async (name: string, what: string) => Number((await database.pool.query(`SELECT count(*) AS n FROM ${SNAP}.${name}_${what}`)).rows[0].n);

/** What one process made of the feed, so that "the same as one process" is not the same nothing. */
async function expectWholeFeed(name: string, staticReceiver: number | 'spread', detected: boolean): Promise<void> {
  const positionReports = traffic(staticReceiver).flat().filter((m) => m.length === 1).length; // a type 5 is two sentences
  expect(await size(name, 'positions')).toBe(positionReports);
  expect(await size(name, 'raw_lines')).toBe(positionReports);
  expect(await size(name, 'vessels')).toBe(VESSELS.length);
  expect(await size(name, 'draught_changes')).toBe(CHANGE_POINTS);
  expect(await size(name, 'destination_changes')).toBe(CHANGE_POINTS);
  expect(await size(name, 'windows')).toBe(31); // hourly, 18:00 on the 20th to 00:00 on the 22nd
  if (detected) {
    const rendezvous = await database.pool.query(`SELECT count(*) AS n FROM ${SNAP}.${name}_alerts WHERE r LIKE '%,rendezvous,%'`);
    expect(Number(rendezvous.rows[0].n)).toBe(3);
  }
}

beforeAll(async () => {
  await database.pool.query(`DROP SCHEMA IF EXISTS ${SNAP} CASCADE`);
  await database.pool.query(`CREATE SCHEMA ${SNAP}`);
  // Every window an ingest batch records in the outbox, whoever wrote it. The detector deletes
  // outbox rows once their window ran, so the outbox itself is empty at the end; this log is not.
  // SECURITY DEFINER: the services' role inserting into detection_outbox has no rights on this schema.
  await database.pool.query(`CREATE TABLE ${SNAP}.outbox_log (window_start timestamptz NOT NULL, window_ms integer NOT NULL)`);
  await database.pool.query(`CREATE FUNCTION ${SNAP}.log_outbox() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
    BEGIN INSERT INTO ${SNAP}.outbox_log VALUES (NEW.window_start, NEW.window_ms); RETURN NEW; END $$`);
  await database.pool.query(`CREATE TRIGGER source_split_log AFTER INSERT ON detection_outbox FOR EACH ROW EXECUTE FUNCTION ${SNAP}.log_outbox()`);
});

afterAll(async () => {
  await database.pool.query('DROP TRIGGER IF EXISTS source_split_log ON detection_outbox');
  await database.pool.query(`DROP SCHEMA IF EXISTS ${SNAP} CASCADE`);
  await reset().catch(() => undefined); // the next test file counts from an empty queue
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  redis.disconnect();
  await database.close();
});

describe('ingest sources split across processes', () => {
  it('one process reading three receivers, two processes splitting them, two processes sharing one: the same rows, windows and alerts', async () => {
    // Static reports from receiver a only: each vessel's type 5 reports are then read in time
    // order by one source in every run, so even the draught and destination rows (which depend on
    // commit order, see the next test) must be identical.
    const [a, b, c] = (await writeReceiverFiles(0)) as [string, string, string];
    await run([[a, b, c]], 1);
    await keep('one');
    await run([[a], [b, c]], 2);
    await keep('split');
    // Receiver b's file is read by both processes: every report in it arrives twice.
    await run([[a, b], [b, c]], 2);
    await keep('shared');

    await expectWholeFeed('one', 0, true);
    expect(await size('one', 'vessel_draughts')).toBe(CHANGE_POINTS);
    expect(await differences('one', 'split')).toEqual({});
    expect(await differences('one', 'shared')).toEqual({});
  }, 400_000);

  it('static reports spread over the receivers: the same positions, raw lines, buckets, identities, windows and change series', async () => {
    // Each vessel's type 5 reports now come from three sources whose batches commit in any order,
    // in one process as in several. The draught and destination tables keep a run start when the
    // row before it in time holds another value (packages/ingest README, "Type 5 histories"), so a
    // batch committed after a later one can leave a redundant row (same value as the row before):
    // which rows exist then depends on commit order, with one process as with two. What readers see
    // (readChangeSeries collapses equal neighbours) must not: every leg's first report, once.
    // Values never come back to an earlier one here; a value that did could be lost by a late batch
    // (the README's second case), which is about replaying old files, not about splitting.
    const [a, b, c] = (await writeReceiverFiles('spread')) as [string, string, string];
    await run([[a, b, c]], 0);
    await keep('one_spread');
    await run([[a], [b, c]], 0);
    await keep('split_spread');
    await run([[a, b], [b, c]], 0);
    await keep('shared_spread');

    await expectWholeFeed('one_spread', 'spread', false);
    const orderFree = ['positions', 'position_buckets', 'raw_lines', 'vessels', 'vessel_identity_history', 'draught_changes', 'destination_changes', 'windows'];
    expect(await differences('one_spread', 'split_spread', orderFree)).toEqual({});
    expect(await differences('one_spread', 'shared_spread', orderFree)).toEqual({});
  }, 400_000);
});
