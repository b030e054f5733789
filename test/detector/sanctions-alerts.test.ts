// The sanctions alerts of issue 15 beyond the port call itself, through the window detector and
// the API: `gap_near_sanctioned_area` (dark near DPRK waters, deeper afterwards), its negatives
// (the same gap without a draught rise; a rise far out of reach), `voyage_irregularity` (a leg
// hiding a stop; a destination declared for another country) with a regular voyage and "FOR
// ORDERS" as negatives, and the rendezvous factor of a recent sanctioned-port call.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlertRepository } from '@rendezvous/db';
import { geodesicDistanceM } from '@rendezvous/geodesy';
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
  await database.pool.query('TRUNCATE port_calls, vessel_draughts, vessel_destinations');
});

const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 1);
const now = () => T0 + 60 * 24 * HOUR; // an archive: everything is closed
const sanctioned = loadSanctioned({ countries: config.sanctions.countries, portsFile: null, areasFile: null });
const sanctionedPorts: Port[] = sanctioned.ports.map((p) => ({ id: `sanctioned:${p.country}:${p.name}`, name: p.name, country: p.country, lon: p.lon, lat: p.lat, radiusM: p.radiusM }));

/** Reports every `stepMs` from (lon0, lat0) to (lon1, lat1) at `kn`, from `t`; returns them and the arrival time. */
function sail(mmsi: number, t: number, from: [number, number], to: [number, number], kn: number, stepMs = 10 * MIN): { fixes: PositionObservation[]; end: number } {
  const d = geodesicDistanceM(from[0], from[1], to[0], to[1]);
  const durationMs = (d / (kn * 1852)) * HOUR;
  const fixes: PositionObservation[] = [];
  for (let dt = 0; dt <= durationMs; dt += stepMs) {
    const f = dt / durationMs;
    fixes.push(position(mmsi, t + dt, from[0] + (to[0] - from[0]) * f, from[1] + (to[1] - from[1]) * f, kn));
  }
  return { fixes, end: t + durationMs };
}

/** Reports every `stepMs` lying at (lon, lat) over [t, t + ms]. */
function lie(mmsi: number, t: number, at: [number, number], ms: number, stepMs = 10 * MIN): PositionObservation[] {
  const out: PositionObservation[] = [];
  for (let dt = 0; dt <= ms; dt += stepMs) out.push(position(mmsi, t + dt, at[0], at[1], 0.1));
  return out;
}

const windowsOver = (from: number, to: number) => planWindows({ from: new Date(from), to: new Date(to), windowMs: 6 * HOUR, requestedBy: 'test' });

async function alertsOf(type: string) {
  const { rows } = await database.pool.query<{ alert_key: string; mmsi_a: number; start_at: Date; end_at: Date; score: number; score_factors: { factor: string; points: number; detail: string }[]; event: Record<string, unknown> }>(
    "SELECT alert_key, mmsi_a, start_at, end_at, score, score_factors, event FROM alerts WHERE type = $1 AND status <> 'retracted' ORDER BY mmsi_a, start_at",
    [type],
  );
  return rows;
}

describe('gap_near_sanctioned_area', () => {
  const NEAR = 352004001; // dark 24 h within reach of the West Sea area, +3.5 m after
  const SAME = 352004002; // the same gap beside it, draught unchanged
  const FAR = 352004003; // dark 24 h in the East China Sea, +3.5 m: the area is out of reach
  const NEIGHBOURS = [412004001, 412004002]; // anchored, heard all along: the silences are the vessels'

  /** 14 h under way at 5 kn (≥ 14 reports in the 12 h before), 24 h dark, 4 h under way again. */
  function darkTrack(mmsi: number, start: [number, number]): PositionObservation[] {
    const before = sail(mmsi, T0, start, [start[0] + 1.45, start[1]], 5);
    const off = before.fixes[before.fixes.length - 1]!;
    const on: [number, number] = [off.lon + 0.2, off.lat + 0.05];
    const after = sail(mmsi, off.ts + 24 * HOUR, on, [on[0] + 0.35, on[1]], 5);
    return [...before.fixes, ...after.fixes];
  }

  it('alerts a laden reappearance within reach of DPRK waters once, not the unladen twin nor one out of reach; scored, filtered and shown through the API', async () => {
    const end = T0 + 44 * HOUR;
    await storePositions(database, [
      ...darkTrack(NEAR, [122.3, 36.3]),
      ...darkTrack(SAME, [122.3, 36.45]),
      ...darkTrack(FAR, [123.6, 30.0]),
      ...lie(NEIGHBOURS[0]!, T0, [123.2, 36.6], end - T0),
      ...lie(NEIGHBOURS[1]!, T0, [125.0, 30.1], end - T0),
    ]);
    await database.pool.query('UPDATE vessels SET length = 270, ship_type = 80 WHERE mmsi = ANY($1)', [[NEAR, SAME, FAR]]);
    // Type 5 draught: 9.0 m before; NEAR and FAR report 12.5 m an hour after they reappear.
    const onAt = T0 + 38 * HOUR + HOUR;
    await database.pool.query(
      `INSERT INTO vessel_draughts (mmsi, ts, draught) VALUES ($1, $4, 9.0), ($2, $4, 9.0), ($3, $4, 9.0), ($1, $5, 12.5), ($3, $5, 12.5)`,
      [NEAR, SAME, FAR, new Date(T0 - 24 * HOUR), new Date(onAt)],
    );

    const detector = createWindowDetector(database, quietLogger, { sanctioned, portCalls: createPortLookup(sanctionedPorts), now });
    for (const [from, to] of windowsOver(T0, end)) await detector.run({ from: new Date(from), to: new Date(to) });

    const gaps = await alertsOf('ais_gap');
    expect(gaps.map((g) => g.mmsi_a), 'all three silences are AIS gaps by the dark rule').toEqual([NEAR, SAME, FAR]);
    const found = await alertsOf('gap_near_sanctioned_area');
    expect(found.map((a) => a.mmsi_a)).toEqual([NEAR]);
    const a = found[0]!;
    expect(a.start_at.getTime()).toBe(gaps[0]!.start_at.getTime());
    expect(a.event).toMatchObject({ area: expect.stringMatching(/DPRK waters/), country: 'PRK', draughtBeforeM: 9, draughtAfterM: 12.5, draughtIncreaseM: 3.5, profile: 'sanctions' });
    expect(a.score_factors[0]).toMatchObject({ factor: 'sanctioned_area', points: 30 });
    expect(a.score_factors.map((f) => f.factor)).toContain('tanker_pair');

    // The same from the windows in reverse order, and a re-run changes nothing.
    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
    for (const [from, to] of windowsOver(T0, end).reverse()) await detector.run({ from: new Date(from), to: new Date(to) });
    expect((await alertsOf('gap_near_sanctioned_area')).map((r) => [r.alert_key, r.score])).toEqual(found.map((r) => [r.alert_key, r.score]));
    const rerun = await detector.run({ from: new Date(T0 + 12 * HOUR), to: new Date(T0 + 18 * HOUR) });
    expect(rerun).toMatchObject({ created: 0, updated: 0, retracted: 0 });

    const api = await alertTestApp('sanctions-alerts');
    try {
      const list = await api.app.inject({ method: 'GET', url: '/v1/alerts?type=gap_near_sanctioned_area', headers: api.auth('viewer') });
      expect(list.statusCode).toBe(200);
      const items = (list.json() as { items: { id: number; type: string; vesselA: { mmsi: number } }[] }).items;
      expect(items.map((i) => [i.type, i.vesselA.mmsi])).toEqual([['gap_near_sanctioned_area', NEAR]]);
      const detail = await api.app.inject({ method: 'GET', url: `/v1/alerts/${items[0]!.id}`, headers: api.auth('viewer') });
      expect(detail.statusCode).toBe(200);
      const body = detail.json() as { behaviour: { reasons: string[]; facts: Record<string, unknown>; geometry: { features: { properties: { role: string } }[] } }; evidence: { trackA: { geometry: { coordinates: unknown[] } } | null } };
      expect(body.behaviour.reasons.join(' ')).toMatch(/loaded while dark/);
      expect(body.behaviour.facts).toMatchObject({ area: expect.stringMatching(/DPRK/), draughtIncreaseM: 3.5 });
      expect(body.behaviour.geometry.features.map((f) => f.properties.role)).toEqual(expect.arrayContaining(['off', 'on']));
      expect(body.evidence.trackA?.geometry.coordinates.length).toBeGreaterThan(10);
    } finally {
      await api.close();
    }
  });
});

describe('gap_near_sanctioned_area from archive data in batches', () => {
  const VESSEL = 352004011;
  const NEIGHBOUR = 412004011;

  it('a gap stored open because its window ran before the next report is re-judged by the close sweep, and the area alert follows', async () => {
    const before = sail(VESSEL, T0, [122.3, 36.3], [123.75, 36.3], 5);
    const off = before.fixes[before.fixes.length - 1]!;
    const after = sail(VESSEL, off.ts + 24 * HOUR, [off.lon + 0.2, off.lat + 0.05], [off.lon + 0.55, off.lat + 0.05], 5);
    const end = after.end + HOUR;
    // The first batch: the track to the silence and the neighbour to the end (the data horizon).
    // The neighbour lies within 50 km of the off position: the silence is the vessel's (ais-gaps.ts).
    await storePositions(database, [...before.fixes, ...lie(NEIGHBOUR, T0, [123.7, 36.45], end - T0)]);
    await database.pool.query('UPDATE vessels SET length = 270 WHERE mmsi = $1', [VESSEL]);
    await database.pool.query('INSERT INTO vessel_draughts (mmsi, ts, draught) VALUES ($1, $2, 9.0), ($1, $3, 12.5)', [VESSEL, new Date(T0 - 24 * HOUR), new Date(after.fixes[0]!.ts + HOUR)]);
    const detector = createWindowDetector(database, quietLogger, { sanctioned, portCalls: createPortLookup(sanctionedPorts), now });
    for (const [from, to] of windowsOver(T0, end)) await detector.run({ from: new Date(from), to: new Date(to) });
    const alerts = createAlertRepository(database.db);
    expect(await alerts.reheardGapWindows(6 * HOUR, 0), 'not heard again yet').toEqual([]);
    const [open] = await alertsOf('ais_gap');
    expect(open?.event['on']).toBeNull();

    // The second batch: what ingest enqueues is the windows its reports fall in, not the silence's.
    await storePositions(database, after.fixes);
    for (const [from, to] of windowsOver(after.fixes[0]!.ts, end)) await detector.run({ from: new Date(from), to: new Date(to) });
    expect(await alertsOf('gap_near_sanctioned_area')).toEqual([]);
    const offWindow = Math.floor(off.ts / (6 * HOUR)) * 6 * HOUR;
    expect(await alerts.reheardGapWindows(6 * HOUR, 0)).toEqual([offWindow]);

    // The close sweep re-runs it: the gap gets its end, the area alert is raised, nothing is left to sweep.
    await detector.run({ from: new Date(offWindow), to: new Date(offWindow + 6 * HOUR) });
    const [closed] = await alertsOf('ais_gap');
    expect(closed?.event['on']).toMatchObject({ t: after.fixes[0]!.ts });
    expect((await alertsOf('gap_near_sanctioned_area')).map((a) => a.mmsi_a)).toEqual([VESSEL]);
    expect(await alerts.reheardGapWindows(6 * HOUR, 0)).toEqual([]);
  });
});

describe('voyage_irregularity', () => {
  const DALIAN: Port = { id: 'row:1', name: 'DALIAN', country: 'CHN', lon: 121.65, lat: 38.93, radiusM: PORT_CALL_RADIUS_M };
  const YANTAI: Port = { id: 'row:2', name: 'YANTAI', country: 'CHN', lon: 121.4, lat: 37.58, radiusM: PORT_CALL_RADIUS_M };
  const INCHEON: Port = { id: 'row:3', name: 'INCHEON', country: 'KOR', lon: 126.55, lat: 37.45, radiusM: PORT_CALL_RADIUS_M };
  const ports = [DALIAN, YANTAI, INCHEON];
  const at = (p: Port): [number, number] => [p.lon, p.lat];

  /** Calls (3 h each) at each port in turn at 12 kn; `drift` h lying at sea mid-way on the last leg. */
  function voyage(mmsi: number, route: Port[], driftH: number): { fixes: PositionObservation[]; arrivals: number[] } {
    const fixes: PositionObservation[] = [];
    const arrivals: number[] = [];
    let t = T0;
    route.forEach((p, i) => {
      arrivals.push(t);
      fixes.push(...lie(mmsi, t, at(p), 3 * HOUR, 5 * MIN));
      t += 3 * HOUR + 10 * MIN;
      const next = route[i + 1];
      if (!next) return;
      if (i === route.length - 2 && driftH > 0) {
        const mid: [number, number] = [(p.lon + next.lon) / 2, (p.lat + next.lat) / 2];
        const a = sail(mmsi, t, at(p), mid, 12);
        fixes.push(...a.fixes, ...lie(mmsi, a.end + 10 * MIN, mid, driftH * HOUR));
        const b = sail(mmsi, a.end + driftH * HOUR + 20 * MIN, mid, at(next), 12);
        fixes.push(...b.fixes);
        t = b.end + 10 * MIN;
      } else {
        const s = sail(mmsi, t, at(p), at(next), 12);
        fixes.push(...s.fixes);
        t = s.end + 10 * MIN;
      }
    });
    return { fixes, arrivals };
  }

  // Yantai → Incheon is 245 nm: 20.5 h at the 12 kn learnt on the Dalian–Yantai legs; 40 h adrift
  // makes it ≥ 2.5× that and ≥ 24 h over (voyages.ts hidden_stop).
  const HIDDEN = 352005001; // Dalian–Yantai ×3, then Yantai → Incheon with 40 h adrift mid-way; declares "RUVVO" at Yantai
  const REGULAR = 352005002; // the same calls, Yantai → Incheon straight; declares "FOR ORDERS"

  it('alerts the leg hiding a stop and the destination of another country once, not a regular voyage nor FOR ORDERS; listed through the API', async () => {
    const route = [DALIAN, YANTAI, DALIAN, YANTAI, INCHEON];
    const hidden = voyage(HIDDEN, route, 40);
    const regular = voyage(REGULAR, route, 0);
    await storePositions(database, [...hidden.fixes, ...regular.fixes]);
    // Declared on arrival at the last Yantai call: a Russian LOCODE (Vladivostok) for a leg that ends in Korea.
    await database.pool.query('INSERT INTO vessel_destinations (mmsi, ts, destination) VALUES ($1, $3, $4), ($2, $5, $6)', [
      HIDDEN,
      REGULAR,
      new Date(hidden.arrivals[3]! + 30 * MIN),
      'RUVVO',
      new Date(regular.arrivals[3]! + 30 * MIN),
      'FOR ORDERS',
    ]);
    const end = Math.max(hidden.fixes.at(-1)!.ts, regular.fixes.at(-1)!.ts) + HOUR;
    const detector = createWindowDetector(database, quietLogger, { portCalls: createPortLookup([...ports, ...sanctionedPorts]), sanctioned, knownPorts: ports, darkActivity: false, now });
    for (const [from, to] of windowsOver(T0, end)) await detector.run({ from: new Date(from), to: new Date(to) });

    const calls = await database.pool.query<{ mmsi: number; n: number }>('SELECT mmsi, count(*)::int AS n FROM port_calls GROUP BY mmsi ORDER BY mmsi');
    expect(calls.rows).toEqual([
      { mmsi: HIDDEN, n: 5 },
      { mmsi: REGULAR, n: 5 },
    ]);
    const found = await alertsOf('voyage_irregularity');
    expect(found.map((a) => a.mmsi_a)).toEqual([HIDDEN]);
    const a = found[0]!;
    expect(a.event).toMatchObject({ kinds: ['destination_mismatch', 'hidden_stop'], from: { name: 'YANTAI' }, to: { name: 'INCHEON' }, profile: 'sanctions' });
    // The leg ends on entering Incheon's circle, within the last half hour before lying at its point.
    expect(a.end_at.getTime()).toBeLessThanOrEqual(hidden.arrivals[4]!);
    expect(a.end_at.getTime()).toBeGreaterThan(hidden.arrivals[4]! - HOUR);
    expect(a.score_factors.filter((f) => f.factor === 'voyage_irregularity').map((f) => f.points)).toEqual([10, 15]);

    // Re-running the window of the arrival changes nothing; so does re-running every window.
    for (const [from, to] of windowsOver(T0, end)) {
      expect(await detector.run({ from: new Date(from), to: new Date(to) })).toMatchObject({ created: 0, updated: 0, retracted: 0 });
    }

    const api = await alertTestApp('sanctions-voyages');
    try {
      const list = await api.app.inject({ method: 'GET', url: '/v1/alerts?type=voyage_irregularity', headers: api.auth('viewer') });
      expect(list.statusCode).toBe(200);
      const items = (list.json() as { items: { id: number; vesselA: { mmsi: number } }[] }).items;
      expect(items.map((i) => i.vesselA.mmsi)).toEqual([HIDDEN]);
      const detail = await api.app.inject({ method: 'GET', url: `/v1/alerts/${items[0]!.id}`, headers: api.auth('viewer') });
      const body = detail.json() as { behaviour: { reasons: string[]; facts: Record<string, unknown>; geometry: { features: { properties: { role: string } }[] } } };
      expect(body.behaviour.reasons.join(' ')).toMatch(/RUVVO/);
      expect(body.behaviour.facts).toMatchObject({ fromPort: 'YANTAI', toPort: 'INCHEON' });
      expect(body.behaviour.geometry.features.map((f) => f.properties.role)).toEqual(['from_port', 'to_port']);
    } finally {
      await api.close();
    }
  });
});

describe('sanctions history in a rendezvous score (issue 15 item 4)', () => {
  const CALLER = 352006001; // 6 h at Nampho, then meets PARTNER at sea two days later
  const PARTNER = 352006002;
  const OTHER = [352006003, 352006004]; // the same meeting elsewhere, no history

  it('raises the meeting of a vessel that called at a sanctioned port in the 60 days before, and says so', async () => {
    const nampho = sanctioned.ports.find((p) => /nampho|nampo/i.test(p.name))!;
    const meetAt = T0 + 48 * HOUR;
    const spot: [number, number] = [124.2, 35.5];
    const apart = 200 / 111_320; // 200 m north
    const spot2: [number, number] = [123.2, 34.5];
    await storePositions(database, [
      ...lie(CALLER, T0, [nampho.lon, nampho.lat], 6 * HOUR),
      ...lie(CALLER, meetAt, spot, 4 * HOUR),
      ...lie(PARTNER, meetAt, [spot[0], spot[1] + apart], 4 * HOUR),
      ...lie(OTHER[0]!, meetAt, spot2, 4 * HOUR),
      ...lie(OTHER[1]!, meetAt, [spot2[0], spot2[1] + apart], 4 * HOUR),
    ]);
    const detector = createWindowDetector(database, quietLogger, { portCalls: createPortLookup(sanctionedPorts), sanctioned, darkActivity: false, now });
    // In time order, as live data and a reprocess run: the call's window before the meeting's.
    for (const [from, to] of windowsOver(T0, meetAt + 5 * HOUR)) await detector.run({ from: new Date(from), to: new Date(to) });

    expect((await alertsOf('port_call_sanctioned')).map((a) => a.mmsi_a)).toEqual([CALLER]);
    const meetings = await alertsOf('rendezvous');
    expect(meetings.map((m) => m.mmsi_a).sort()).toEqual([CALLER, OTHER[0]].sort());
    const withHistory = meetings.find((m) => m.mmsi_a === CALLER || (m.event as { b?: number }).b === CALLER)!;
    const without = meetings.find((m) => m !== withHistory)!;
    const factor = withHistory.score_factors.find((f) => f.factor === 'sanctions_history');
    expect(factor?.points).toBe(15);
    expect(factor?.detail).toMatch(new RegExp(`MMSI ${CALLER}, 1\\.\\d days before: .*${nampho.name}`, 'i'));
    expect(without.score_factors.some((f) => f.factor === 'sanctions_history')).toBe(false);
    expect(withHistory.score).toBe(withHistory.score_factors.reduce((sum, f) => sum + f.points, 0));
  });
});
