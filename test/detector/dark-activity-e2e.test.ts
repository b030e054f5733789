// Issue 13 end to end: simulated dark activity (a dark partner at a loitering tanker, two ships
// dark at once, a silence in a coverage hole) goes through ingest → the detection queue → the
// detector service (a child process) → PostgreSQL → the API and the CLI, and comes out as one
// alert of each type with its evidence; the coverage hole gives none. A reprocess in reverse
// window order leaves exactly the same alerts.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@rendezvous/queue';
import { simulate, type ExpectedAlert } from '@rendezvous/simulator';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { apiFactory, bearer, issueToken } from '../../services/api/test/support/api-harness.ts';
import { ROOT, openTestDatabase, quietLogger, resetDetection, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';
import { runThroughDetectorService } from '../support/detector-service-run.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
const api = apiFactory();
const HOUR = 3_600_000;
let detector: ChildProcess | null = null;

afterAll(async () => {
  detector?.kill('SIGTERM');
  await api.closeAll();
  redis.disconnect();
  await database.close();
});

const sim = simulate({ start: '2025-03-01T00:00:00Z', hours: 24, vessels: 6, seed: 5, scenarios: ['dark_partner', 'dark_dark', 'coverage_hole_gap'], receivers: 1 });
const truth = sim.truth.scenarios.flatMap((sc) => (sc.expectedAlerts ?? []).map((a) => ({ ...a, scenario: sc.name })));
const hole = sim.truth.scenarios.find((sc) => sc.name === 'coverage_hole_gap')!;

interface Summary {
  id: number;
  type: string;
  vesselA: { mmsi: number };
  vesselB: { mmsi: number } | null;
  start: string;
  end: string;
}

const parties = (a: Summary) => [a.vesselA.mmsi, ...(a.vesselB ? [a.vesselB.mmsi] : [])];
const matches = (a: Summary, t: ExpectedAlert) =>
  a.type === t.type && t.mmsis.every((m) => parties(a).includes(m)) && Date.parse(a.start) < Date.parse(t.end) + HOUR && Date.parse(a.end) > Date.parse(t.start) - HOUR;

async function storedAlerts() {
  const { rows } = await database.pool.query(
    `SELECT alert_key, type, status, start_at, end_at, mmsi_a, mmsi_b, event, score, score_factors, vessel_a, vessel_b
       FROM alerts WHERE status <> 'retracted' ORDER BY alert_key`,
  );
  return rows;
}

describe('dark activity end to end: ingest → queue → detector service → API and CLI', () => {
  beforeAll(async () => {
    await resetDetection(database, redis, config);
    const run = await runThroughDetectorService({ config, database, redis }, sim.lines, { filePrefix: 'rzv-dark-' });
    detector = run.detector;
    expect(run.summary.rejected).toBe(0);
    expect(run.idle, `detector did not finish the queued windows; its stderr: ${run.stderr()}`).toBeDefined();
  }, 240_000);

  it('the API lists one alert of each expected type with its parties, and none for the coverage hole', async () => {
    const { app, database: db } = await api.start();
    const token = (await issueToken(db, 'viewer', 'dark-e2e')).token;
    for (const type of ['ais_gap', 'loitering', 'dark_rendezvous'] as const) {
      const res = await app.inject({ method: 'GET', url: `/v1/alerts?type=${type}&limit=500`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as Summary[];
      expect(items.every((a) => a.type === type)).toBe(true);
      for (const t of truth.filter((x) => x.type === type)) {
        const found = items.filter((a) => matches(a, t));
        expect(found.length, `${t.scenario}: ${t.type} of ${t.mmsis.join(', ')} (${t.why})`).toBe(t.expected ? 1 : 0);
      }
    }
    const holeAlerts = await app.inject({ method: 'GET', url: `/v1/alerts?mmsi=${hole.mmsis[0]}&status=ongoing,closed,retracted`, headers: bearer(token) });
    expect(holeAlerts.json().items).toEqual([]);
    // No AIS encounter is possible while one party is dark: no rendezvous at all.
    expect((await app.inject({ method: 'GET', url: '/v1/alerts?type=rendezvous', headers: bearer(token) })).json().items).toEqual([]);
  });

  it("each type's detail shows its evidence: gap ends and the straight line, the loitering hull, both parties of a dark rendezvous", async () => {
    const { app, database: db } = await api.start();
    const token = (await issueToken(db, 'viewer', 'dark-e2e-detail')).token;
    const first = async (type: string) => {
      const list = (await app.inject({ method: 'GET', url: `/v1/alerts?type=${type}&limit=500`, headers: bearer(token) })).json().items as Summary[];
      const t = truth.find((x) => x.type === type && x.expected)!;
      const hit = list.find((a) => matches(a, t))!;
      const res = await app.inject({ method: 'GET', url: `/v1/alerts/${hit.id}`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const roles = (d: { behaviour: { geometry: { features: { properties: { role: string }; geometry: { type: string } }[] } } }) =>
      d.behaviour.geometry.features.map((f) => `${f.properties.role}:${f.geometry.type}`).sort();

    const gap = await first('ais_gap');
    expect(gap.vesselB).toBeNull();
    expect(roles(gap)).toEqual(['off:Point', 'on:Point', 'straight_line:LineString']);
    expect(gap.behaviour.facts.neighboursHeard).toBeGreaterThanOrEqual(1);
    expect(gap.behaviour.facts.offShoreDistanceM).toBeGreaterThan(50 * 1852);
    expect(gap.behaviour.reasons.join(' ')).toMatch(/silent .* h/);
    expect(gap.evidence.trackA.geometry.type).toBe('LineString');
    expect(gap.evidence.trackB).toBeNull();
    expect(gap.scoreFactors.map((f: { factor: string }) => f.factor)).toContain('reception');

    const loiter = await first('loitering');
    expect(roles(loiter)).toEqual(['centroid:Point', 'hull:Polygon']);
    expect(loiter.behaviour.facts.meanSpeedKn).toBeLessThan(2);
    expect(loiter.evidence.trackA.geometry.type).toBe('LineString');

    const dark = await first('dark_rendezvous');
    expect(dark.vesselA).not.toBeNull();
    expect(dark.vesselB).not.toBeNull();
    expect(dark.evidence.trackB).not.toBeNull();
    expect(dark.scoreFactors[0].factor).toBe('dark_partner');
    expect(dark.scoreFactors[0].detail).toMatch(/confidence/);
    expect(roles(dark)).toEqual(['spot:Point']);
  });

  it('GeoJSON and CSV exports and the CLI filter by type too', async () => {
    const { app, database: db } = await api.start();
    const token = (await issueToken(db, 'viewer', 'dark-e2e-export')).token;
    const json = (await app.inject({ method: 'GET', url: '/v1/alerts?type=ais_gap,loitering&limit=500', headers: bearer(token) })).json().items as Summary[];
    expect(json.length).toBeGreaterThanOrEqual(3);
    const geo = await app.inject({ method: 'GET', url: '/v1/alerts?type=ais_gap,loitering&limit=500', headers: { ...bearer(token), accept: 'application/geo+json' } });
    expect(geo.json().features.map((f: { properties: Summary }) => f.properties.id).sort()).toEqual(json.map((a) => a.id).sort());
    const csv = await app.inject({ method: 'GET', url: '/v1/alerts?type=loitering', headers: { ...bearer(token), accept: 'text/csv' } });
    const [header, ...rows] = csv.body.trim().split('\r\n');
    const col = header!.split(',');
    expect(rows.length).toBe(json.filter((a) => a.type === 'loitering').length);
    for (const row of rows) {
      const cells = row.split(',');
      expect(cells[col.indexOf('type')]).toBe('loitering');
      expect(cells[col.indexOf('mmsi_b')]).toBe('');
    }
    const cli = spawnSync(process.execPath, ['services/cli/src/main.ts', 'alerts', '--type', 'dark_rendezvous', '--json'], { cwd: ROOT, env: testEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(cli.status, cli.stderr).toBe(0);
    const printed = JSON.parse(cli.stdout).items as Summary[];
    expect(printed.length).toBeGreaterThanOrEqual(2);
    expect(printed.every((a) => a.type === 'dark_rendezvous')).toBe(true);
  });

  it('a reprocess of every window, in reverse order, leaves exactly the same alerts of every type', async () => {
    const before = await storedAlerts();
    expect(new Set(before.map((a) => a.type))).toEqual(new Set(['ais_gap', 'loitering', 'dark_rendezvous']));
    detector?.kill('SIGTERM');
    const rerun = createWindowDetector(database, quietLogger);
    const from = Math.floor(Date.parse(sim.truth.start) / HOUR) * HOUR;
    const windows: number[] = [];
    for (let w = from; w < Date.parse(sim.truth.end); w += HOUR) windows.push(w);
    for (const w of windows.reverse()) await rerun.run({ from: new Date(w), to: new Date(w + HOUR) });
    expect(await storedAlerts()).toEqual(before);
  }, 180_000);
});
