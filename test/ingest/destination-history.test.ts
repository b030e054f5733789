// Destination history (migrations/0023): what ingest stores from the type 5 destination, whatever
// the batch order, and what the destination repository reads back for the voyage rule. The same
// cases as the draught history's (test/identity/draught-history.test.ts), through the same path.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createDestinationRepository } from '@rendezvous/db';
import type { StaticObservation } from '@rendezvous/feeds';
import { PositionStore } from '@rendezvous/ingest';
import { openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const repo = createDestinationRepository(database.db);
afterAll(() => database.close());
beforeEach(async () => {
  await resetIngestTables(database);
  await database.pool.query('TRUNCATE vessel_destinations');
});

const T0 = Date.UTC(2024, 6, 1, 0, 0, 0);
const MIN = 60_000;
const H = 3_600_000;
const M1 = 273_993_001;
const M2 = 273_993_002;

function st(mmsi: number, ts: number, destination: string | null): StaticObservation {
  return {
    kind: 'static', mmsi, ts, tsFromFeed: true, imo: null, name: 'DESTINATION TEST', callsign: null, shipType: 80,
    length: 274, width: 48, draught: null, destination, msgType: 5, source: 'destination-test', dedupKey: null, mmsiInvalid: false,
  };
}

/** Every 6 min over [fromMs, toMs): the same destination (type 5 is sent every 6 min, ITU-R M.1371). */
const run = (mmsi: number, fromMs: number, toMs: number, destination: string | null) =>
  Array.from({ length: Math.ceil((toMs - fromMs) / (6 * MIN)) }, (_, i) => st(mmsi, fromMs + i * 6 * MIN, destination));

async function write(statics: StaticObservation[][]) {
  const store = new PositionStore(database.pool, quietLogger);
  try {
    for (const b of statics) await store.write({ positions: [], statics: b });
  } finally {
    await store.close();
  }
}

async function rows(mmsi: number) {
  const { rows } = await database.pool.query<{ t: Date; d: string }>('SELECT ts AS t, destination AS d FROM vessel_destinations WHERE mmsi = $1 ORDER BY ts', [mmsi]);
  return rows.map((r) => [r.t.getTime() - T0, r.d]);
}

const tableSize = async () => Number((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM vessel_destinations')).rows[0]!.n);

describe('destination history (vessel_destinations)', () => {
  // ROTTERDAM for 10 h, not available for 1 h, ROTTERDAM again; SINGAPORE from 14 h; a change to
  // FUJAIRAH at 20 h and back to SINGAPORE at 20 h 30 (a change then a return).
  const reports = [
    ...run(M1, T0, T0 + 10 * H, 'ROTTERDAM'),
    ...run(M1, T0 + 10 * H, T0 + 11 * H, null),
    ...run(M1, T0 + 11 * H, T0 + 14 * H, 'ROTTERDAM'),
    ...run(M1, T0 + 14 * H, T0 + 20 * H, 'SINGAPORE'),
    ...run(M1, T0 + 20 * H, T0 + 20 * H + 30 * MIN, 'FUJAIRAH'),
    ...run(M1, T0 + 20 * H + 30 * MIN, T0 + 24 * H, 'SINGAPORE'),
    ...run(M2, T0, T0 + 24 * H, 'FOR ORDERS'),
  ];
  const expected = [[0, 'ROTTERDAM'], [14 * H, 'SINGAPORE'], [20 * H, 'FUJAIRAH'], [20 * H + 30 * MIN, 'SINGAPORE']];

  it('stores the first report of each new value only (not available skipped, a return stored), in one batch or in many', async () => {
    await write([reports]);
    expect(await rows(M1)).toEqual(expected);
    expect(await rows(M2)).toEqual([[0, 'FOR ORDERS']]);
    // vessels.destination still holds the latest value; the history holds its changes.
    const { rows: v } = await database.pool.query<{ destination: string }>('SELECT destination FROM vessels WHERE mmsi = $1', [M1]);
    expect(v[0]!.destination).toBe('SINGAPORE');
    await database.pool.query('TRUNCATE vessel_destinations');
    // One report per batch, as live ingest commits them.
    await write([...reports].sort((a, b) => a.ts - b.ts).map((r) => [r]));
    expect(await rows(M1)).toEqual(expected);
  });

  it('re-ingesting writes nothing; batches in reverse order leave only equal neighbours, which reads collapse', async () => {
    const batches: StaticObservation[][] = [];
    for (let h = 0; h < 24; h++) batches.push(reports.filter((r) => r.ts >= T0 + h * H && r.ts < T0 + (h + 1) * H));
    await write(batches);
    const before = await tableSize();
    const { rows: snapshot } = await database.pool.query('SELECT mmsi, ts, destination, xmin::text AS x FROM vessel_destinations ORDER BY mmsi, ts');
    await write(batches);
    await write([reports]);
    // Not a row added, and not a row rewritten (same transaction ids).
    expect(await tableSize()).toBe(before);
    expect((await database.pool.query('SELECT mmsi, ts, destination, xmin::text AS x FROM vessel_destinations ORDER BY mmsi, ts')).rows).toEqual(snapshot);
    expect(await rows(M1)).toEqual(expected);
    await database.pool.query('TRUNCATE vessel_destinations');
    await write([...batches].reverse());
    const stored = await rows(M1);
    // Each hour's first report is stored when the later hours were already there; the values
    // still change at the same instants.
    expect(stored.length).toBeGreaterThan(expected.length);
    const series = (await repo.destinationChanges([M1], new Date(T0), new Date(T0 + 24 * H))).get(M1)!;
    expect(series.map((p) => [p.t - T0, p.destination])).toEqual(expected);
  });

  it('destinationChanges: the value in force before `from`, then the changes in range, for many vessels in one query', async () => {
    await write([reports]);
    const m = await repo.destinationChanges([M1, M2, 273_993_099], new Date(T0 + 12 * H), new Date(T0 + 20 * H));
    expect(m.get(M1)!.map((p) => [p.t - T0, p.destination])).toEqual([[0, 'ROTTERDAM'], [14 * H, 'SINGAPORE'], [20 * H, 'FUJAIRAH']]);
    expect(m.get(M2)!.map((p) => [p.t - T0, p.destination])).toEqual([[0, 'FOR ORDERS']]);
    expect(m.has(273_993_099)).toBe(false);
    // `from` exactly on a change: that row is in range, not "before".
    const at = await repo.destinationChanges([M1], new Date(T0 + 14 * H), new Date(T0 + 15 * H));
    expect(at.get(M1)!.map((p) => [p.t - T0, p.destination])).toEqual([[0, 'ROTTERDAM'], [14 * H, 'SINGAPORE']]);
    // Nothing declared yet at `to`: absent.
    expect((await repo.destinationChanges([M1], new Date(T0 - 2 * H), new Date(T0 - H))).has(M1)).toBe(false);
    expect((await repo.destinationChanges([], new Date(T0), new Date(T0 + H))).size).toBe(0);
    expect((await repo.destinationChanges([M1], new Date(T0 + H), new Date(T0))).size).toBe(0);
  });
});
