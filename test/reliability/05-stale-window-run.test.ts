// Issue 11, item 5: concurrent detectors and late data. Two runs that overlap (the same window's
// follow-up job on another detector, or a neighbouring window) can finish in either order. A run
// computed on older data that finishes after a run on newer data must not undo it: no retracted
// alert brought back, no second alert for one meeting.
//
// The test forces the order: the stale run's database handle holds its statements on the
// `alerts` table (after it has read the positions and computed its events, before it reads the
// stored alerts and writes) until the fresher run has finished.
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '@rendezvous/db';
import type { PositionObservation } from '@rendezvous/feeds';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { openTestDatabase, quietLogger, resetDetectionTables } from '../support/harness.ts';
import { position, storePositions } from '../support/positions.ts';

const database = openTestDatabase();
afterAll(() => database.close());
beforeEach(() => resetDetectionTables(database));

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 4, 14); // an archive day: meetings close
const A = 477_500_001;
const B = 477_500_002;
const now = () => T0 + 30 * 24 * HOUR;

/** A and B 150 m apart, reporting every 5 minutes over [from, to]. */
function alongside(from: number, to: number): PositionObservation[] {
  const out: PositionObservation[] = [];
  for (let t = from; t <= to; t += 5 * MIN) out.push(position(A, t, 118.2, 24.3, 0.2), position(B, t + 20_000, 118.2, 24.30135, 0.1));
  return out;
}
/** First data: together 10:00–13:00 (meeting X, from 10:00). */
const firstData = () => alongside(T0 + 10 * HOUR, T0 + 13 * HOUR);
/** Late data: they were already together from 07:00 (meeting Y, from 07:00, supersedes X). */
const lateData = () => alongside(T0 + 7 * HOUR, T0 + 10 * HOUR - 5 * MIN);

const window = (hour: number) => ({ from: new Date(T0 + hour * HOUR), to: new Date(T0 + (hour + 1) * HOUR) });

/**
 * A Kysely handle on `pool` whose statements naming the `alerts` table wait until `release()`
 * (every one: the detector persists rendezvous and the other behaviours in two transactions side
 * by side, and each reads the stored alerts before it claims pairs); `reached` resolves when the
 * first is held there.
 */
function gatedDatabase(pool: pg.Pool) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrive!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  let open = false;
  void released.then(() => (open = true));
  const gatedPool = {
    async connect() {
      const client = await pool.connect();
      return {
        async query(sql: unknown, params?: unknown[]) {
          if (!open && typeof sql === 'string' && /"alerts"/.test(sql)) {
            arrive();
            await released;
          }
          return client.query(sql as string, params);
        },
        release: (err?: boolean) => client.release(err),
      };
    },
    end: async () => undefined,
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: gatedPool as unknown as pg.Pool }) });
  return { db, reached, release };
}

async function alertsOfPair() {
  const { rows } = await database.pool.query<{ alert_key: string; status: string; start_at: Date; replaced_by: string | null }>(
    'SELECT alert_key, status, start_at, replaced_by FROM alerts WHERE mmsi_a = $1 AND mmsi_b = $2 ORDER BY start_at',
    [A, B],
  );
  return rows;
}

/**
 * Runs `stale` up to its first alerts statement, then lets `meanwhile` (late data and a fresher
 * run) happen, then lets the stale run finish: it finishes last.
 */
async function staleRunFinishingLast(staleWindow: { from: Date; to: Date }, meanwhile: () => Promise<void>) {
  const gate = gatedDatabase(database.pool);
  const stale = createWindowDetector({ db: gate.db, pool: database.pool }, quietLogger, { now });
  const run = stale.run(staleWindow);
  // Whatever the stale run does before reaching the gate, an error there must fail the test.
  await Promise.race([gate.reached, run.then(() => Promise.reject(new Error('the stale run never touched the alerts table')))]);
  await meanwhile();
  gate.release();
  const summary = await run;
  await gate.db.destroy();
  return summary;
}

describe('a stale window run finishing after a fresher one', () => {
  it('does not bring back the alert the fresher run retracted (same window: a follow-up job on another detector)', async () => {
    const detector = createWindowDetector(database, quietLogger, { now });
    await storePositions(database, firstData());
    expect(await detector.run(window(10))).toMatchObject({ created: 1 });
    const [x] = await alertsOfPair();
    expect(x!.status).toBe('closed');
    expect(x!.start_at.getTime()).toBeGreaterThanOrEqual(T0 + 10 * HOUR);

    const stale = await staleRunFinishingLast(window(10), async () => {
      await storePositions(database, lateData());
      // The fresher run sees the late data: the meeting began at 07:00, X is superseded.
      expect(await detector.run(window(10))).toMatchObject({ created: 1, retracted: 1 });
    });
    // It says so: the pair was left to the run on newer data.
    expect(stale).toMatchObject({ created: 0, updated: 0, retracted: 0, stale: 1 });

    const rows = await alertsOfPair();
    const y = rows.find((r) => r.start_at.getTime() < T0 + 8 * HOUR);
    expect(y?.status).toBe('closed');
    // X stays retracted, pointing at Y; Y is the one alert of the meeting.
    expect(rows.find((r) => r.alert_key === x!.alert_key)).toMatchObject({ status: 'retracted', replaced_by: y!.alert_key });
    expect(rows.filter((r) => r.status !== 'retracted')).toHaveLength(1);
    // A later run on all the data agrees with what is stored.
    expect(await detector.run(window(10))).toMatchObject({ created: 0, updated: 0, unchanged: 1, retracted: 0 });
  });

  it('does not add a second alert for the meeting (another window, first run ever on the stale data)', async () => {
    const detector = createWindowDetector(database, quietLogger, { now });
    await storePositions(database, firstData());

    const stale = await staleRunFinishingLast(window(10), async () => {
      await storePositions(database, lateData());
      expect(await detector.run(window(12))).toMatchObject({ created: 1 });
    });
    expect(stale).toMatchObject({ created: 0, retracted: 0, stale: 1 });

    const rows = await alertsOfPair();
    // Only Y, from about 07:00: the stale run's meeting from about 10:00 never became an alert.
    const active = rows.filter((r) => r.status !== 'retracted');
    expect(active).toHaveLength(1);
    expect(active[0]!.start_at.getTime()).toBeLessThan(T0 + 8 * HOUR);
    expect(await detector.run(window(10))).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect((await alertsOfPair()).filter((r) => r.status !== 'retracted')).toHaveLength(1);
  });
});
