// Port calls (issue 15) end to end: positions stored as ingest stores them, the window detector
// run over hour windows with a small port list, the calls in port_calls (idempotent, the same
// whatever the window order), and GET /v1/vessels/:mmsi/port-calls through app.inject.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPortCallRepository } from '@rendezvous/db';
import { createPortLookup, PORT_CALL_RADIUS_M, type Port } from '@rendezvous/detection';
import type { PositionObservation } from '@rendezvous/feeds';
import { planWindows } from '@rendezvous/queue';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { alertTestApp } from '../api/alerts-seed.ts';
import { position, storePositions } from '../support/positions.ts';
import { ROOT, openTestDatabase, quietLogger, resetDetectionTables, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';

const config = testConfig();
const database = openTestDatabase(config);
afterAll(() => database.close());
beforeEach(async () => {
  await resetDetectionTables(database);
  await database.pool.query('TRUNCATE port_calls, vessel_draughts');
});

const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 1);
const deg = (m: number) => m / 111_320;
const NAMPO: Port = { id: 'nampo-1', name: 'NAMPO', country: 'PRK', lon: 125.2, lat: 38.7, radiusM: PORT_CALL_RADIUS_M };
const LOME: Port = { id: 'row:7', name: 'LOME', country: 'TGO', lon: 1.28, lat: 6.13, radiusM: PORT_CALL_RADIUS_M };
const ports = createPortLookup([NAMPO, LOME]);

const CALLER = 445000001; // two calls at Nampo
const QUEUE = 445000002; // anchored 6 km off Nampo: no call
const STAYS = 636000003; // arrives at Lomé and is still there at the end of the data

/** Fixes every `stepMs` over [from, to] moving east at `kn` from (lon, lat). */
function leg(mmsi: number, from: number, to: number, lon: number, lat: number, kn: number, stepMs: number): PositionObservation[] {
  const out: PositionObservation[] = [];
  for (let t = from; t <= to; t += stepMs) {
    const east = (kn * 1852 * (t - from)) / HOUR / Math.cos((lat * Math.PI) / 180);
    out.push(position(mmsi, t, lon + deg(east), lat, kn === 0 ? 0.1 : kn));
  }
  return out;
}

function scenario(): PositionObservation[] {
  const { lon, lat } = NAMPO;
  return [
    // In from 15 km west, 6 h at anchor by the port point, out east; back 3 h later for another 3 h.
    ...leg(CALLER, T0, T0 + 45 * MIN, lon - deg(15_000 / Math.cos((lat * Math.PI) / 180)), lat, 10, 5 * MIN),
    ...leg(CALLER, T0 + HOUR, T0 + 7 * HOUR, lon, lat, 0, 3 * MIN),
    ...leg(CALLER, T0 + 7 * HOUR + 5 * MIN, T0 + 8 * HOUR, lon, lat, 10, 5 * MIN),
    ...leg(CALLER, T0 + 10 * HOUR, T0 + 13 * HOUR, lon, lat, 0, 3 * MIN),
    ...leg(CALLER, T0 + 13 * HOUR + 5 * MIN, T0 + 14 * HOUR, lon, lat, 10, 5 * MIN),
    // A queue 6 km south of the port point all day: inside a 10 km port mask, outside the port.
    ...leg(QUEUE, T0, T0 + 14 * HOUR, NAMPO.lon, NAMPO.lat - deg(6_000), 0, 3 * MIN),
    // Sails in to Lomé at T0 + 4 h and lies there to the end of the data.
    ...leg(STAYS, T0 + 3 * HOUR, T0 + 3 * HOUR + 50 * MIN, LOME.lon - deg(15_000), LOME.lat, 10, 5 * MIN),
    ...leg(STAYS, T0 + 4 * HOUR, T0 + 14 * HOUR, LOME.lon, LOME.lat, 0, 3 * MIN),
  ];
}

const windows = () => planWindows({ from: new Date(T0), to: new Date(T0 + 14 * HOUR + 1), windowMs: HOUR, requestedBy: 'test' });
const detector = () => createWindowDetector(database, quietLogger, { portCalls: ports, darkActivity: false });

interface Row {
  key: string;
  mmsi: number;
  port_name: string;
  country: string;
  arrival: Date;
  departure: Date | null;
  draught_arrival: number | null;
  draught_departure: number | null;
  updated_at: Date;
}
async function stored(): Promise<Row[]> {
  return (await database.pool.query<Row>('SELECT * FROM port_calls ORDER BY mmsi, arrival')).rows;
}
const withoutStamp = (rows: Row[]) => rows.map(({ updated_at: _u, ...r }) => r);

describe('port calls through the window detector', () => {
  it('stores each call once with port, country, times and draught; re-runs change nothing; reverse window order gives the same calls', async () => {
    await storePositions(database, scenario());
    // Draught: 7.5 m on the way in, 11.2 m keyed in 30 min after leaving Nampo the first time.
    await database.pool.query('INSERT INTO vessel_draughts (mmsi, ts, draught) VALUES ($1, $2, 7.5), ($1, $3, 11.2)', [CALLER, new Date(T0 - 24 * HOUR), new Date(T0 + 7 * HOUR + 35 * MIN)]);
    const d = detector();
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });
    const rows = await stored();
    const summary = rows.map((r) => [r.mmsi, r.port_name, r.country, r.arrival.toISOString(), r.departure?.toISOString() ?? null, r.draught_arrival, r.draught_departure]);
    expect(summary.map((s) => s.slice(0, 3))).toEqual([
      [CALLER, 'NAMPO', 'PRK'],
      [CALLER, 'NAMPO', 'PRK'],
      [STAYS, 'LOME', 'TGO'],
    ]);
    const [first, second, lome] = rows as [Row, Row, Row];
    // Arrival: the first report inside 3 km (the approach), departure: the last inside 4 km.
    expect(first.arrival.getTime()).toBeGreaterThan(T0);
    expect(first.arrival.getTime()).toBeLessThan(T0 + HOUR);
    expect(first.departure!.getTime()).toBeGreaterThan(T0 + 7 * HOUR);
    expect(first.departure!.getTime()).toBeLessThan(T0 + 8 * HOUR);
    expect([first.draught_arrival, first.draught_departure]).toEqual([7.5, 11.2]);
    expect(second.arrival.getTime()).toBeLessThanOrEqual(T0 + 10 * HOUR);
    expect([second.draught_arrival, second.draught_departure]).toEqual([11.2, 11.2]);
    expect(lome.departure).toBeNull();
    expect(lome.key).toBe(`port_call:${STAYS}:row:7:${lome.arrival.toISOString()}`);

    // Idempotent: a second pass rewrites nothing (updated_at unchanged).
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });
    expect(await stored()).toEqual(rows);

    // Windows in reverse order from an empty table: the same calls.
    await database.pool.query('TRUNCATE port_calls');
    for (const [from, to] of windows().reverse()) await d.run({ from: new Date(from), to: new Date(to) });
    expect(withoutStamp(await stored())).toEqual(withoutStamp(rows));
  }, 120_000);

  it('a re-run deletes the calls its window owns and no longer finds', async () => {
    await storePositions(database, scenario());
    const d = detector();
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });
    expect((await stored()).length).toBe(3);
    // The caller's reports go away (as after a purge); the windows holding its arrivals re-run.
    await database.pool.query('DELETE FROM positions WHERE mmsi = $1', [CALLER]);
    await database.pool.query('DELETE FROM position_buckets WHERE mmsi = $1', [CALLER]);
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });
    expect((await stored()).map((r) => r.mmsi)).toEqual([STAYS]);
  }, 120_000);

  it('without a port list the detector writes no port call', async () => {
    await storePositions(database, scenario());
    const d = createWindowDetector(database, quietLogger, { darkActivity: false });
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });
    expect(await stored()).toEqual([]);
  }, 120_000);

  it('GET /v1/vessels/:mmsi/port-calls lists them for a viewer, filtered by from/to; bad input is a 400, no token a 401', async () => {
    await storePositions(database, scenario());
    await database.pool.query('INSERT INTO vessel_draughts (mmsi, ts, draught) VALUES ($1, $2, 7.5)', [CALLER, new Date(T0 - 24 * HOUR)]);
    const d = detector();
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });
    const api = await alertTestApp('port-calls');
    try {
      const all = await api.app.inject({ method: 'GET', url: `/v1/vessels/${CALLER}/port-calls`, headers: api.auth('viewer') });
      expect(all.statusCode).toBe(200);
      const body = all.json();
      expect(body.mmsi).toBe(CALLER);
      expect(body.portCalls).toHaveLength(2);
      expect(body.portCalls[0]).toMatchObject({ port: { id: 'nampo-1', name: 'NAMPO', country: 'PRK' }, draughtArrival: 7.5, segment: null });
      expect(body.portCalls[0].durationS).toBeGreaterThan(6 * 3600);
      expect(body.portCalls[0].reasons.join(' ')).toMatch(/NAMPO \(PRK\)/);
      const later = await api.app.inject({ method: 'GET', url: `/v1/vessels/${CALLER}/port-calls?from=${new Date(T0 + 9 * HOUR).toISOString()}`, headers: api.auth('viewer') });
      expect(later.json().portCalls.map((c: { arrival: string }) => c.arrival)).toEqual([body.portCalls[1].arrival]);
      const ongoing = await api.app.inject({ method: 'GET', url: `/v1/vessels/${STAYS}/port-calls`, headers: api.auth('viewer') });
      expect(ongoing.json().portCalls[0]).toMatchObject({ departure: null, durationS: null, port: { name: 'LOME', country: 'TGO' } });
      const bad = await api.app.inject({ method: 'GET', url: `/v1/vessels/${CALLER}/port-calls?from=yesterday`, headers: api.auth('viewer') });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      const reversed = await api.app.inject({ method: 'GET', url: `/v1/vessels/${CALLER}/port-calls?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z`, headers: api.auth('viewer') });
      expect(reversed.statusCode).toBe(400);
      const anonymous = await api.app.inject({ method: 'GET', url: `/v1/vessels/${CALLER}/port-calls` });
      expect(anonymous.statusCode).toBe(401);
    } finally {
      await api.close();
    }
  }, 120_000);

  it('`npm run cli -- vessel <mmsi> --port-calls` prints the stored calls as JSON, --from filtering like the API', async () => {
    await storePositions(database, scenario());
    const d = detector();
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });
    const cli = async (...args: string[]) =>
      JSON.parse((await promisify(execFile)(process.execPath, ['services/cli/src/main.ts', 'vessel', String(CALLER), '--port-calls', ...args], { cwd: ROOT, env: testEnv() })).stdout);
    const all = await cli();
    const rows = await stored();
    expect(all.mmsi).toBe(CALLER);
    expect(all.portCalls.map((c: { key: string; port: string; country: string }) => [c.key, c.port, c.country])).toEqual(
      rows.filter((r) => r.mmsi === CALLER).map((r) => [r.key, 'NAMPO', 'PRK']),
    );
    const later = await cli('--from', new Date(T0 + 9 * HOUR).toISOString());
    expect(later.portCalls).toHaveLength(1);
  }, 120_000);

  it('a call stored while the vessel was in port gets its departure once the close sweep sees the vessel far away', async () => {
    // Live: the windows ran while STAYS lay at Lomé (data to T0 + 14 h), so the call is ongoing.
    await storePositions(database, scenario());
    const d = detector();
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });
    const open = (await stored()).find((c) => c.mmsi === STAYS)!;
    expect(open.departure).toBeNull();
    const portCalls = createPortCallRepository(database.db);
    // Still in port, or written just now: nothing to re-run.
    await database.pool.query("UPDATE port_calls SET updated_at = now() - interval '1 hour'");
    expect(await portCalls.departedOngoingWindows(HOUR, 10 * MIN, 20_000)).toEqual([]);
    // Then it sails 40 km east over the next hours: later windows get the data, the arrival's does not.
    await storePositions(database, leg(STAYS, T0 + 14 * HOUR + 10 * MIN, T0 + 17 * HOUR, LOME.lon, LOME.lat, 8, 5 * MIN));
    for (const [from, to] of planWindows({ from: new Date(T0 + 14 * HOUR), to: new Date(T0 + 17 * HOUR + 1), windowMs: HOUR, requestedBy: 'test' })) {
      await d.run({ from: new Date(from), to: new Date(to) });
    }
    expect((await stored()).find((c) => c.mmsi === STAYS)!.departure, 'later windows leave the call to the window of its arrival').toBeNull();
    const arrivalWindow = Math.floor(open.arrival.getTime() / HOUR) * HOUR;
    expect(await portCalls.departedOngoingWindows(HOUR, 10 * MIN, 20_000)).toEqual([arrivalWindow]);
    // What the sweep enqueues: the arrival's window, re-run, ends the call; nothing is left to sweep.
    await d.run({ from: new Date(arrivalWindow), to: new Date(arrivalWindow + HOUR) });
    const closed = (await stored()).find((c) => c.mmsi === STAYS)!;
    expect(closed.departure?.getTime()).toBeGreaterThan(T0 + 14 * HOUR);
    expect(closed.departure?.getTime()).toBeLessThan(T0 + 15 * HOUR);
    expect(await portCalls.departedOngoingWindows(HOUR, 0, 20_000)).toEqual([]);
  });
});
