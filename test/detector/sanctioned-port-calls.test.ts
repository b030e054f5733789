// `port_call_sanctioned` (issue 15) end to end: the shipped sanctioned ports (DPRK, default
// SANCTIONED_COUNTRIES) watched for calls beside an ordinary port list, the window detector over
// hour windows, one alert for the call at Nampho and none for the call at Lomé nor for a queue
// outside Nampho's radius; the same alerts whatever the window order; listed through the API's
// `?type=` filter with its `sanctioned_port` factor.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPortLookup, PORT_CALL_RADIUS_M, type Port } from '@rendezvous/detection';
import type { PositionObservation } from '@rendezvous/feeds';
import { loadSanctioned } from '@rendezvous/geography';
import { planWindows } from '@rendezvous/queue';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { alertTestApp } from '../api/alerts-seed.ts';
import { openTestDatabase, quietLogger, resetDetectionTables, testConfig } from '../support/harness.ts';
import { position, storePositions } from '../support/positions.ts';

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
const now = () => T0 + 30 * 24 * HOUR; // an archive day: calls are closed
const deg = (m: number) => m / 111_320;

// As the detector service builds it (services/detector/src/main.ts): the shipped DPRK ports with
// their own radii, beside the PORTS_FILE ports.
const sanctioned = loadSanctioned({ countries: config.sanctions.countries, portsFile: null, areasFile: null });
const nampho = sanctioned.ports.find((p) => /nampho|nampo/i.test(p.name))!;
const LOME: Port = { id: 'row:7', name: 'LOME', country: 'TGO', lon: 1.28, lat: 6.13, radiusM: PORT_CALL_RADIUS_M };
const ports = createPortLookup([LOME, ...sanctioned.ports.map((p) => ({ id: `sanctioned:${p.country}:${p.name}`, name: p.name, country: p.country, lon: p.lon, lat: p.lat, radiusM: p.radiusM }))]);

const CALLER = 352001001; // 6 h at Nampho
const QUEUE = 352001002; // anchored well outside Nampho's radius all day
const LOMECALL = 636000003; // 6 h at Lomé

/** Fixes every `stepMs` over [from, to] moving east at `kn` from (lon, lat). */
function leg(mmsi: number, from: number, to: number, lon: number, lat: number, kn: number, stepMs: number): PositionObservation[] {
  const out: PositionObservation[] = [];
  for (let t = from; t <= to; t += stepMs) {
    const east = (kn * 1852 * (t - from)) / HOUR / Math.cos((lat * Math.PI) / 180);
    out.push(position(mmsi, t, lon + deg(east), lat, kn === 0 ? 0.1 : kn));
  }
  return out;
}

/** Sails in from 15 km west, lies 6 h at (lon, lat), sails out east. */
function call(mmsi: number, lon: number, lat: number): PositionObservation[] {
  const west = lon - deg(15_000 / Math.cos((lat * Math.PI) / 180));
  return [...leg(mmsi, T0, T0 + 45 * MIN, west, lat, 10, 5 * MIN), ...leg(mmsi, T0 + HOUR, T0 + 7 * HOUR, lon, lat, 0, 3 * MIN), ...leg(mmsi, T0 + 7 * HOUR + 5 * MIN, T0 + 8 * HOUR, lon, lat, 10, 5 * MIN)];
}

const windows = () => planWindows({ from: new Date(T0), to: new Date(T0 + 8 * HOUR + 1), windowMs: HOUR, requestedBy: 'test' });
const detector = () => createWindowDetector(database, quietLogger, { portCalls: ports, sanctioned, darkActivity: false, now });

async function alerts() {
  const { rows } = await database.pool.query<{ alert_key: string; mmsi_a: number; status: string; start_at: Date; end_at: Date; score: number; score_factors: { factor: string; detail: string }[] }>(
    "SELECT alert_key, mmsi_a, status, start_at, end_at, score, score_factors FROM alerts WHERE type = 'port_call_sanctioned' ORDER BY alert_key",
  );
  return rows;
}

describe('port_call_sanctioned', () => {
  it('alerts the call at Nampho once, not the call at Lomé nor a queue outside the radius, whatever the window order; listed by type through the API', async () => {
    expect(nampho, 'the shipped sanctioned ports name Nampho').toBeDefined();
    await storePositions(database, [
      ...call(CALLER, nampho.lon, nampho.lat),
      ...leg(QUEUE, T0, T0 + 8 * HOUR, nampho.lon, nampho.lat - deg(nampho.radiusM + 20_000), 0, 3 * MIN),
      ...call(LOMECALL, LOME.lon, LOME.lat),
    ]);
    const d = detector();
    for (const [from, to] of windows()) await d.run({ from: new Date(from), to: new Date(to) });

    const calls = await database.pool.query<{ mmsi: number }>('SELECT mmsi FROM port_calls ORDER BY mmsi');
    expect(calls.rows.map((r) => r.mmsi)).toEqual([CALLER, LOMECALL]);
    const found = await alerts();
    expect(found).toHaveLength(1);
    const a = found[0]!;
    expect(a).toMatchObject({ mmsi_a: CALLER, status: 'closed' });
    // It starts with the call: on entering the port's radius, before lying at the port point from T0 + 1 h.
    expect(a.start_at.getTime()).toBeGreaterThan(T0);
    expect(a.start_at.getTime()).toBeLessThanOrEqual(T0 + HOUR);
    expect(a.end_at.getTime()).toBeGreaterThanOrEqual(T0 + 7 * HOUR);
    const factor = a.score_factors.find((f) => f.factor === 'sanctioned_port');
    expect(factor?.detail).toMatch(new RegExp(nampho.name, 'i'));
    expect(a.score).toBeGreaterThanOrEqual(40);

    // The same alert, unchanged, from the windows in reverse order.
    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
    for (const [from, to] of windows().reverse()) await d.run({ from: new Date(from), to: new Date(to) });
    const again = await alerts();
    expect(again.map(({ alert_key, status, start_at, end_at, score }) => ({ alert_key, status, start_at, end_at, score }))).toEqual(
      found.map(({ alert_key, status, start_at, end_at, score }) => ({ alert_key, status, start_at, end_at, score })),
    );
    // A re-run changes nothing.
    const rerun = await d.run({ from: new Date(T0 + HOUR), to: new Date(T0 + 2 * HOUR) });
    expect(rerun).toMatchObject({ created: 0, updated: 0, retracted: 0 });

    const api = await alertTestApp('sanctioned-port-calls');
    try {
      const res = await api.app.inject({ method: 'GET', url: '/v1/alerts?type=port_call_sanctioned', headers: api.auth('viewer') });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { id: number; type: string; vesselA: { mmsi: number } }[] };
      expect(body.items.map((i) => [i.type, i.vesselA.mmsi])).toEqual([['port_call_sanctioned', CALLER]]);
      // The detail: the factor with its reason, and the vessel's reports over the call as evidence.
      const detail = await api.app.inject({ method: 'GET', url: `/v1/alerts/${body.items[0]!.id}`, headers: api.auth('viewer') });
      expect(detail.statusCode).toBe(200);
      const d = detail.json() as { scoreFactors: { factor: string }[]; evidence: { trackA: { geometry: { coordinates: unknown[] } } | null } };
      expect(d.scoreFactors.map((f) => f.factor)).toContain('sanctioned_port');
      expect(d.evidence.trackA?.geometry.coordinates.length).toBeGreaterThan(10);
    } finally {
      await api.close();
    }
  });
});
