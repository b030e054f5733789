// Draught history (migrations/0018): what ingest stores from type 5 draught, whatever the batch
// order, and what the draught repository reads back for the detector.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createDraughtRepository } from '@rendezvous/db';
import type { StaticObservation } from '@rendezvous/feeds';
import { draughtChangeAcross } from '@rendezvous/identity';
import { PositionStore } from '@rendezvous/ingest';
import { openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const repo = createDraughtRepository(database.db);
afterAll(() => database.close());
beforeEach(async () => {
  await resetIngestTables(database);
  await database.pool.query('TRUNCATE vessel_draughts');
});

const T0 = Date.UTC(2024, 6, 1, 0, 0, 0);
const MIN = 60_000;
const H = 3_600_000;
const M1 = 273_992_001;
const M2 = 273_992_002;

function st(mmsi: number, ts: number, draught: number | null): StaticObservation {
  return {
    kind: 'static', mmsi, ts, tsFromFeed: true, imo: null, name: 'DRAUGHT TEST', callsign: null, shipType: 80,
    length: 274, width: 48, draught, destination: null, msgType: 5, source: 'draught-test', dedupKey: null, mmsiInvalid: false,
  };
}

/** Every 6 min over [fromMs, toMs): the same draught. */
const run = (mmsi: number, fromMs: number, toMs: number, draught: number | null) =>
  Array.from({ length: Math.ceil((toMs - fromMs) / (6 * MIN)) }, (_, i) => st(mmsi, fromMs + i * 6 * MIN, draught));

async function write(statics: StaticObservation[][]) {
  const store = new PositionStore(database.pool, quietLogger);
  try {
    for (const b of statics) await store.write({ positions: [], statics: b });
  } finally {
    await store.close();
  }
}

async function rows(mmsi: number) {
  const { rows } = await database.pool.query<{ t: Date; d: number }>('SELECT ts AS t, draught AS d FROM vessel_draughts WHERE mmsi = $1 ORDER BY ts', [mmsi]);
  return rows.map((r) => [r.t.getTime() - T0, Number(r.d)]);
}

describe('draught history (vessel_draughts)', () => {
  // 10.5 m for 10 h, n/a for 1 h, 10.5 again, 15.5 from 14 h; a typo 12.0 for 30 min at 20 h.
  const reports = [
    ...run(M1, T0, T0 + 10 * H, 10.5),
    ...run(M1, T0 + 10 * H, T0 + 11 * H, null),
    ...run(M1, T0 + 11 * H, T0 + 14 * H, 10.5),
    ...run(M1, T0 + 14 * H, T0 + 20 * H, 15.5),
    ...run(M1, T0 + 20 * H, T0 + 20 * H + 30 * MIN, 12.0),
    ...run(M1, T0 + 20 * H + 30 * MIN, T0 + 24 * H, 15.5),
    ...run(M2, T0, T0 + 24 * H, 9.0),
  ];
  const expected = [[0, 10.5], [14 * H, 15.5], [20 * H, 12], [20 * H + 30 * MIN, 15.5]];

  it('stores the first report of each new value only (n/a skipped), in one batch or in many', async () => {
    await write([reports]);
    expect(await rows(M1)).toEqual(expected);
    expect(await rows(M2)).toEqual([[0, 9]]);
    await database.pool.query('TRUNCATE vessel_draughts');
    // One report per batch, as live ingest commits them.
    await write([...reports].sort((a, b) => a.ts - b.ts).map((r) => [r]));
    expect(await rows(M1)).toEqual(expected);
  });

  it('re-ingesting writes nothing; batches in reverse order leave only equal neighbours, which reads collapse', async () => {
    const batches: StaticObservation[][] = [];
    for (let h = 0; h < 24; h++) batches.push(reports.filter((r) => r.ts >= T0 + h * H && r.ts < T0 + (h + 1) * H));
    await write(batches);
    await write(batches);
    expect(await rows(M1)).toEqual(expected);
    await database.pool.query('TRUNCATE vessel_draughts');
    await write([...batches].reverse());
    const stored = await rows(M1);
    // Each hour's first report is stored when the later hours were already there; the values
    // still change at the same instants.
    expect(stored.length).toBeGreaterThan(expected.length);
    const series = (await repo.draughtChanges([M1], new Date(T0), new Date(T0 + 24 * H))).get(M1)!;
    expect(series.map((p) => [p.t - T0, p.draughtM])).toEqual(expected);
    // A range starting after a change: the value in force is timed from its change, not from a
    // redundant row the reverse order left later in its run (found with two ingest processes
    // splitting the sources: "6.0 m since 12:00" in one run, "since 14:00" in the other).
    for (const [fromH, toH] of [[13, 20], [17, 18], [21, 23]] as const) {
      const inOrder = (expected as [number, number][]).filter(([t]) => t <= toH * H);
      const inForce = [...inOrder].reverse().find(([t]) => t < fromH * H)!;
      const want = [inForce, ...inOrder.filter(([t]) => t >= fromH * H)];
      const got = (await repo.draughtChanges([M1], new Date(T0 + fromH * H), new Date(T0 + toH * H))).get(M1)!;
      expect(got.map((p) => [p.t - T0, p.draughtM])).toEqual(want);
    }
  });

  it('draughtChanges: the value in force before `from`, then the changes in range, for many vessels in one query', async () => {
    await write([reports]);
    const m = await repo.draughtChanges([M1, M2, 273_992_099], new Date(T0 + 12 * H), new Date(T0 + 20 * H));
    expect(m.get(M1)!.map((p) => [p.t - T0, p.draughtM])).toEqual([[0, 10.5], [14 * H, 15.5], [20 * H, 12]]);
    expect(m.get(M2)!.map((p) => [p.t - T0, p.draughtM])).toEqual([[0, 9]]);
    expect(m.has(273_992_099)).toBe(false);
    expect((await repo.draughtChanges([], new Date(T0), new Date(T0 + H))).size).toBe(0);
    // The rule over it: a meeting 11–13 h, then 15.5 m from 14 h (the 20 h typo reverts in 30 min).
    const series = (await repo.draughtChanges([M1], new Date(T0), new Date(T0 + 24 * H))).get(M1)!;
    expect(draughtChangeAcross(series, { start: T0 + 11 * H, end: T0 + 13 * H }, 274)).toMatchObject({ beforeM: 10.5, afterM: 15.5, deltaM: 5, laden: true });
    expect(draughtChangeAcross(series, { start: T0 + 18 * H, end: T0 + 19 * H }, 274)).toBeNull();
  });
});
