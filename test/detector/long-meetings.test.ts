// Meetings longer than one window's first read (12 h either side): a shadow-fleet transfer or a
// mother ship holding station can last days. Whatever window computes such a meeting, and in
// whatever order windows run, it must come out as the same single alert with its full extent
// (issue 5: live, late data and any number of re-runs converge on the same set).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { PositionObservation } from '@rendezvous/feeds';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { openTestDatabase, quietLogger, resetIngestTables } from '../support/harness.ts';
import { position as obs, storePositions } from '../support/positions.ts';

const database = openTestDatabase();
afterAll(() => database.close());
beforeEach(async () => {
  await resetIngestTables(database);
  await clearAlerts();
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 9, 1); // an archive: long past, so nothing may stay 'ongoing'
const A = 273100001;
const B = 273100002;
/** Alongside from +2 h to +42 h, 40 h in all; the data runs from +0 to +46 h. */
const MEET_FROM = T0 + 2 * HOUR;
const MEET_TO = T0 + 42 * HOUR;
const DATA_TO = T0 + 46 * HOUR;
const WINDOW = 6 * HOUR;
const WINDOWS = Array.from({ length: 8 }, (_, i) => T0 + i * WINDOW);


/** B drifts at the spot in the open Atlantic; A arrives at +2 h, lies 150 m off for 40 h, leaves. */
async function longMeeting(): Promise<void> {
  const lon0 = -30;
  const lat0 = 20;
  const positions: PositionObservation[] = [];
  for (let t = T0; t <= DATA_TO; t += 5 * MIN) {
    const drift = ((t - T0) / HOUR) * 0.0002; // ≈ 0.1 kn
    positions.push(obs(B, t + 40_000, lon0 + drift, lat0 + 0.00135, 0.1));
    const away = t < MEET_FROM ? (MEET_FROM - t) / HOUR : t > MEET_TO ? (t - MEET_TO) / HOUR : 0;
    positions.push(obs(A, t, lon0 + drift - 0.2 * away, lat0, away > 0 ? 10 : 0.1));
  }
  await storePositions(database, positions);
}

async function clearAlerts(): Promise<void> {
  await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
}

/**
 * The stored alerts of one type (all types when none), without ids and wall-clock stamps (which
 * differ between runs by design).
 */
async function alertSet(type: string | null = 'rendezvous'): Promise<Record<string, unknown>[]> {
  const { rows } = await database.pool.query(
    `SELECT alert_key, type, status, start_at, end_at, duration_s, closest_m, median_m, event, score, score_factors
       FROM alerts WHERE $1::text IS NULL OR type = $1 ORDER BY alert_key`,
    [type],
  );
  return rows;
}

const farFuture = () => T0 + 365 * 24 * HOUR;

describe('meetings longer than a window reads at first', () => {
  it('a 40-hour meeting is one closed alert with its full extent, whatever windows run and in which order', async () => {
    await longMeeting();
    const detector = createWindowDetector(database, quietLogger, { now: farFuture });
    const run = (from: number) => detector.run({ from: new Date(from), to: new Date(from + WINDOW) });

    const forward = [];
    for (const w of WINDOWS) forward.push(await run(w));
    const inOrder = await alertSet();
    // Every behaviour's alerts, whatever the order (the drifting pair also loiters).
    const allInOrder = await alertSet(null);
    expect(inOrder).toHaveLength(1);
    const [alert] = inOrder as [{ alert_key: string; status: string; start_at: Date; end_at: Date; duration_s: number }];
    expect(alert.alert_key).toBe(`${A}-${B}@${new Date(alert.start_at).toISOString()}`);
    expect(alert.status).toBe('closed');
    // Within one 10-minute grid step of the truth at both ends.
    expect(Math.abs(alert.start_at.getTime() - MEET_FROM)).toBeLessThanOrEqual(10 * MIN);
    expect(Math.abs(alert.end_at.getTime() - MEET_TO)).toBeLessThanOrEqual(10 * MIN);
    expect(alert.duration_s).toBeGreaterThan(39 * 3600);
    // Windows near the middle could not settle it from their first read and re-read the pair.
    expect(forward.some((s) => s.rereads > 0)).toBe(true);
    expect(forward.every((s) => s.provisional === 0)).toBe(true);

    await clearAlerts();
    for (const w of [...WINDOWS].reverse()) await run(w);
    expect(await alertSet()).toEqual(inOrder);
    expect(await alertSet(null)).toEqual(allInOrder);

    // One window in the middle of the meeting alone gives the same alert.
    await clearAlerts();
    await run(T0 + 3 * WINDOW);
    expect(await alertSet()).toEqual(inOrder);
  });

  it('beyond DETECTION_MAX_MEETING_HOURS the window reports the part it can see, flagged provisional', async () => {
    await longMeeting();
    // A limit of 2 h: the middle window reads 2 h + the settle margin (6 h 10 min) either side,
    // 16 h 20 min around the window, and stops there.
    const detector = createWindowDetector(database, quietLogger, { now: farFuture, maxEventMs: 2 * HOUR, maxMeetingMs: 2 * HOUR });
    const summary = await detector.run({ from: new Date(T0 + 3 * WINDOW), to: new Date(T0 + 4 * WINDOW) });
    expect(summary.provisional).toBe(1);
    const [alert] = (await alertSet()) as [{ start_at: Date; end_at: Date; status: string }];
    expect(alert.end_at.getTime() - alert.start_at.getTime()).toBeLessThan(MEET_TO - MEET_FROM);
    // An archive fragment is not an open meeting: nobody should wait for it to grow.
    expect(alert.status).toBe('closed');
  });
});
