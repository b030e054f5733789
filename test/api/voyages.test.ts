// GET /v1/vessels/:mmsi/voyages (issue 15) through app.inject: port calls stored with the
// port-call repository (as the detector's stage writes them), declared destinations written by
// ingest from type 5 reports (PositionStore, the real path), the vessel's length from the same
// reports; the legs, their declared destination and the voyage irregularities of analyseVoyages.
// And `npm run cli -- vessel <mmsi> --voyages` over the same rows.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPortCallRepository, type PortCallRecord } from '@rendezvous/db';
import type { StaticObservation } from '@rendezvous/feeds';
import { PositionStore } from '@rendezvous/ingest';
import { alertTestApp } from './alerts-seed.ts';
import { ROOT, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';

const config = testConfig();
const database = openTestDatabase(config);
const portCalls = createPortCallRepository(database.db);
afterAll(() => database.close());
beforeEach(async () => {
  await resetIngestTables(database);
  await database.pool.query('TRUNCATE port_calls, vessel_destinations');
});

const H = 3_600_000;
const MIN = 60_000;
const T0 = Date.UTC(2025, 3, 1);
const iso = (t: number) => new Date(t).toISOString();

const TANKER = 248_000_101; // four legs: a match, FOR ORDERS, a LOCODE mismatch, a hidden stop with a draught change
const BROKEN = 248_000_102; // a call stored as ongoing, then later calls: two voyages, not an error
const EMPTY = 248_000_103; // reports type 5, never called at a port

// Port points (WPI-like); great circles: RTM–ALG 1032 nm, ALG–PIR 1393 nm, PIR–AUG 402 nm, AUG–RTM 1004 nm.
const RTM = { id: 'row:1', name: 'ROTTERDAM', country: 'NLD', lon: 4.05, lat: 51.95 };
const ALG = { id: 'row:2', name: 'ALGECIRAS', country: 'ESP', lon: -5.43, lat: 36.13 };
const PIR = { id: 'row:3', name: 'PIRAEUS', country: 'GRC', lon: 23.6, lat: 37.94 };
const AUG = { id: 'row:4', name: 'AUGUSTA', country: 'ITA', lon: 15.22, lat: 37.2 };
type Port = typeof RTM;

function call(mmsi: number, port: Port, arrivalH: number, departureH: number | null, draught: [number | null, number | null] = [null, null]): PortCallRecord {
  const arrival = T0 + arrivalH * H;
  return {
    key: `port_call:${mmsi}:${port.id}:${iso(arrival)}`,
    mmsi,
    segment: null,
    portId: port.id,
    portName: port.name,
    country: port.country,
    lon: port.lon,
    lat: port.lat,
    arrival,
    departure: departureH === null ? null : T0 + departureH * H,
    draughtArrivalM: draught[0],
    draughtDepartureM: draught[1],
    reasons: [`test call at ${port.name} (${port.country})`],
    detectorVersion: 'test',
  };
}

// Legs at 12 kn (86 h, 116 h, 34 h), then Augusta → Rotterdam in 300 h where 84 h are expected.
const CALLS = [
  call(TANKER, RTM, 0, 24, [9.5, 10]),
  call(TANKER, ALG, 110, 134, [10, 10]),
  call(TANKER, PIR, 250, 274, [10, 10]),
  call(TANKER, AUG, 308, 332, [10, 10]),
  call(TANKER, RTM, 632, null, [15, null]),
  call(BROKEN, ALG, 0, null),
  call(BROKEN, PIR, 200, 220),
  call(BROKEN, AUG, 260, 270),
];

/** Type 5 reports of one destination every 6 min for an hour from `atH` (ingest keeps the first). */
function declare(mmsi: number, atH: number, destination: string): StaticObservation[] {
  return Array.from({ length: 10 }, (_, i) => ({
    kind: 'static', mmsi, ts: T0 + atH * H + i * 6 * MIN, tsFromFeed: true, imo: null, name: 'VOYAGE TEST', callsign: null, shipType: 80,
    length: 274, width: 48, draught: null, destination, msgType: 5, source: 'voyages-test', dedupKey: null, mmsiInvalid: false,
  }));
}

async function seed() {
  await portCalls.reconcile({ from: new Date(T0 - 24 * H), to: new Date(T0 + 1000 * H) }, CALLS);
  const store = new PositionStore(database.pool, quietLogger);
  try {
    for (const batch of [
      declare(TANKER, 12, 'ALGECIRAS'), // in Rotterdam, for leg 0: the port reached
      declare(TANKER, 120, 'FOR ORDERS'), // in Algeciras, for leg 1: names no port
      declare(TANKER, 260, 'SGSIN'), // in Piraeus, for leg 2: a Singapore LOCODE, Augusta reached
      declare(TANKER, 320, 'NL RTM'), // in Augusta, for leg 3: Rotterdam's LOCODE
      declare(EMPTY, 5, 'ROTTERDAM'),
    ]) {
      await store.write({ positions: [], statics: batch });
    }
  } finally {
    await store.close();
  }
}

interface Leg {
  index: number;
  from: Port;
  to: Port;
  departure: string;
  arrival: string;
  durationS: number;
  distanceNm: number;
  impliedSpeedKn: number | null;
  draughtDeparture: number | null;
  draughtArrival: number | null;
  draughtChange: number | null;
  declaredDestination: { destination: string; declaredAt: string } | null;
  irregularities: { kind: string; reason: string; values: Record<string, unknown> }[];
}

describe('GET /v1/vessels/:mmsi/voyages', () => {
  it('lists the legs with their declared destination and irregularities; empty vessel, bad input and no token', async () => {
    await seed();
    const api = await alertTestApp('voyages');
    try {
      const get = (mmsi: number, query = '') => api.app.inject({ method: 'GET', url: `/v1/vessels/${mmsi}/voyages${query}`, headers: api.auth('viewer') });
      const res = await get(TANKER);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.mmsi).toBe(TANKER);
      expect(body.usualSpeedKn).toBeCloseTo(12, 0);
      expect(body.voyages).toHaveLength(1);
      const [voyage] = body.voyages;
      expect(voyage).toMatchObject({ segment: null, ongoing: true });
      // The calls exactly as /port-calls lists them.
      const listed = (await api.app.inject({ method: 'GET', url: `/v1/vessels/${TANKER}/port-calls`, headers: api.auth('viewer') })).json();
      expect(voyage.calls).toEqual(listed.portCalls);
      expect(voyage.calls).toHaveLength(5);

      const legs: Leg[] = voyage.legs;
      expect(legs.map((l) => [l.index, l.from.name, l.to.name])).toEqual([
        [0, 'ROTTERDAM', 'ALGECIRAS'],
        [1, 'ALGECIRAS', 'PIRAEUS'],
        [2, 'PIRAEUS', 'AUGUSTA'],
        [3, 'AUGUSTA', 'ROTTERDAM'],
      ]);
      expect(legs[0]).toMatchObject({
        from: RTM,
        to: ALG,
        departure: iso(T0 + 24 * H),
        arrival: iso(T0 + 110 * H),
        durationS: 86 * 3600,
        draughtDeparture: 10,
        draughtArrival: 10,
        draughtChange: 0,
        declaredDestination: { destination: 'ALGECIRAS', declaredAt: iso(T0 + 12 * H) },
        irregularities: [],
      });
      expect(legs[0]!.distanceNm).toBeCloseTo(1032, 0);
      expect(legs[0]!.impliedSpeedKn).toBeCloseTo(12, 0);
      // Free text: declared, shown, never a finding.
      expect(legs[1]).toMatchObject({ declaredDestination: { destination: 'FOR ORDERS', declaredAt: iso(T0 + 120 * H) }, irregularities: [] });
      // Declared Singapore (SGSIN), reached Augusta.
      expect(legs[2]!.declaredDestination).toEqual({ destination: 'SGSIN', declaredAt: iso(T0 + 260 * H) });
      expect(legs[2]!.irregularities).toHaveLength(1);
      expect(legs[2]!.irregularities[0]).toMatchObject({ kind: 'destination_mismatch', values: { declared: 'SGSIN', reached: 'AUGUSTA' } });
      expect(legs[2]!.irregularities[0]!.reason).toMatch(/SGSIN.*AUGUSTA/);
      // 1004 nm in 300 h where ~84 h are expected at 12 kn: a hidden stop; and 5 m deeper on arrival.
      expect(legs[3]!.declaredDestination).toEqual({ destination: 'NL RTM', declaredAt: iso(T0 + 320 * H) });
      expect(legs[3]!.irregularities.map((i) => i.kind)).toEqual(['hidden_stop', 'draught_change_at_sea']);
      expect(legs[3]!.irregularities[0]!.values).toMatchObject({ durationH: 300 });
      expect(legs[3]!.irregularities[0]!.values['expectedH']).toBeCloseTo(84, -1);
      expect(legs[3]).toMatchObject({ draughtDeparture: 10, draughtArrival: 15, draughtChange: 5 });
      expect(legs[3]!.impliedSpeedKn).toBeCloseTo(3.3, 0);

      // `to` keeps the calls that arrived by then: one leg.
      const early = (await get(TANKER, `?to=${iso(T0 + 200 * H)}`)).json();
      expect(early.voyages[0].legs).toHaveLength(1);
      expect(early.voyages[0].ongoing).toBe(false);

      // A call stored as ongoing with later calls after it: two voyages, the usual speed of the one with legs.
      const broken = (await get(BROKEN)).json();
      expect(broken.voyages.map((v: { ongoing: boolean; calls: unknown[]; legs: unknown[] }) => [v.ongoing, v.calls.length, v.legs.length])).toEqual([
        [true, 1, 0],
        [false, 2, 1],
      ]);
      expect(broken.usualSpeedKn).toBeGreaterThan(0);

      // No calls: no voyages, no usual speed (with or without a vessel row).
      expect((await get(EMPTY)).json()).toEqual({ mmsi: EMPTY, usualSpeedKn: null, voyages: [] });
      expect((await get(248_000_199)).json()).toEqual({ mmsi: 248_000_199, usualSpeedKn: null, voyages: [] });

      const bad = await get(TANKER, '?from=yesterday');
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      expect((await get(TANKER, '?from=2025-05-02T00:00:00Z&to=2025-05-01T00:00:00Z')).statusCode).toBe(400);
      expect((await get(TANKER, '?since=2025-05-01T00:00:00Z')).statusCode).toBe(400);
      const anonymous = await api.app.inject({ method: 'GET', url: `/v1/vessels/${TANKER}/voyages` });
      expect(anonymous.statusCode).toBe(401);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('`npm run cli -- vessel <mmsi> --voyages` prints the same legs and findings as JSON, --to filtering like the API', async () => {
    await seed();
    const run = promisify(execFile);
    const cli = async (...args: string[]) =>
      JSON.parse((await run(process.execPath, ['services/cli/src/main.ts', 'vessel', String(TANKER), '--voyages', ...args], { cwd: ROOT, env: testEnv() })).stdout);
    const all = await cli();
    expect(all.mmsi).toBe(TANKER);
    expect(all.usualSpeedKn).toBeCloseTo(12, 0);
    expect(all.voyages).toHaveLength(1);
    expect(all.voyages[0]).toMatchObject({ segment: null, ongoing: true, calls: 5 });
    const legs = all.voyages[0].legs as { from: string; to: string; hours: number; declaredDestination: string | null; irregularities: { kind: string }[] }[];
    expect(legs.map((l) => [l.from, l.to, l.hours, l.declaredDestination, l.irregularities.map((i) => i.kind)])).toEqual([
      ['ROTTERDAM', 'ALGECIRAS', 86, 'ALGECIRAS', []],
      ['ALGECIRAS', 'PIRAEUS', 116, 'FOR ORDERS', []],
      ['PIRAEUS', 'AUGUSTA', 34, 'SGSIN', ['destination_mismatch']],
      ['AUGUSTA', 'ROTTERDAM', 300, 'NL RTM', ['hidden_stop', 'draught_change_at_sea']],
    ]);
    const early = await cli('--to', iso(T0 + 200 * H));
    expect(early.voyages[0].legs).toHaveLength(1);
    // A bad time is refused with a message and a non-zero exit, nothing on stdout.
    const failed = await run(process.execPath, ['services/cli/src/main.ts', 'vessel', String(TANKER), '--voyages', '--from', 'yesterday'], { cwd: ROOT, env: testEnv() }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((failed as { code: number }).code).not.toBe(0);
    expect((failed as { stdout: string }).stdout).toBe('');
  }, 60_000);
});
