// Issue 15 end to end: the simulator's sanctioned_port_call, gap_near_sanctioned_area and
// voyage_irregularity scenarios go through ingest → the detection queue → the detector service
// (a child process, PORTS_FILE written from the truth) → PostgreSQL → the API. Every alert the
// truth expects comes out once, every look-alike it lists does not; the port calls and voyages
// routes show the calls and the irregular legs.
import { execFile, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@rendezvous/queue';
import { portsCsv, simulate, type ExpectedAlert } from '@rendezvous/simulator';
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

// As the simulator's README says to run them: together (one seed, distinct MMSIs), 62 h.
const sim = simulate({
  start: '2025-03-01T00:00:00Z',
  hours: 62,
  vessels: 0,
  seed: 7,
  scenarios: ['sanctioned_port_call', 'gap_near_sanctioned_area', 'voyage_irregularity'],
  rates: { classAUnderwayS: [10, 30] },
});
const scenarios = sim.truth.scenarios;
const expected = scenarios.flatMap((sc) => (sc.expectedAlerts ?? []).map((a) => ({ ...a, scenario: sc.name })));
const SANCTIONS_TYPES = ['port_call_sanctioned', 'gap_near_sanctioned_area', 'voyage_irregularity'] as const;

interface Summary {
  id: number;
  type: string;
  vesselA: { mmsi: number };
  vesselB: { mmsi: number } | null;
  start: string;
  end: string;
}
const parties = (a: Summary) => [a.vesselA.mmsi, ...(a.vesselB ? [a.vesselB.mmsi] : [])];
// The scripted times are noise-free; a detector sees the last report before and the first after,
// and a leg ends on entering the port's circle: an hour's slack either side.
const matches = (a: Summary, t: ExpectedAlert) =>
  a.type === t.type && t.mmsis.every((m) => parties(a).includes(m)) && Date.parse(a.start) < Date.parse(t.end) + HOUR && Date.parse(a.end) > Date.parse(t.start) - HOUR;

describe('sanctions and voyages end to end: ingest → queue → detector service → API', () => {
  beforeAll(async () => {
    await resetDetection(database, redis, config);
    await database.pool.query('TRUNCATE port_calls, vessel_draughts, vessel_destinations');
    const portsFile = path.join(os.tmpdir(), `rzv-sanctions-ports-${process.pid}.csv`);
    await writeFile(portsFile, portsCsv(sim.truth));
    const run = await runThroughDetectorService({ config, database, redis }, sim.lines, { env: { PORTS_FILE: portsFile }, filePrefix: 'rzv-sanctions-', timeoutMs: 240_000 });
    detector = run.detector;
    expect(run.summary.rejected).toBe(0);
    expect(run.idle, `detector did not finish the queued windows; its stderr: ${run.stderr()}`).toBeDefined();
  }, 300_000);

  it('every expected sanctions alert comes out once through the API, and no look-alike does', async () => {
    expect(expected.filter((t) => (SANCTIONS_TYPES as readonly string[]).includes(t.type) && t.expected).map((t) => t.type).sort()).toEqual(
      ['gap_near_sanctioned_area', 'port_call_sanctioned', 'voyage_irregularity', 'voyage_irregularity'].sort(),
    );
    const { app, database: db } = await api.start();
    const token = (await issueToken(db, 'viewer', 'sanctions-e2e')).token;
    for (const type of new Set(expected.map((t) => t.type))) {
      const res = await app.inject({ method: 'GET', url: `/v1/alerts?type=${type}&limit=500`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as Summary[];
      for (const t of expected.filter((x) => x.type === type)) {
        const found = items.filter((a) => matches(a, t));
        expect(found.length, `${t.scenario}: ${t.type} of ${t.mmsis.join(', ')} ${t.start}–${t.end} (${t.why})`).toBe(t.expected ? 1 : 0);
      }
    }
    // Nothing of these types beyond what the truth expects.
    for (const type of SANCTIONS_TYPES) {
      const items = (await app.inject({ method: 'GET', url: `/v1/alerts?type=${type}&limit=500`, headers: bearer(token) })).json().items as Summary[];
      expect(items.length, type).toBe(expected.filter((t) => t.type === type && t.expected).length);
    }
  });

  it("each sanctions alert's detail names its facts and places, and its first score factor is the rule's", async () => {
    const { app, database: db } = await api.start();
    const token = (await issueToken(db, 'viewer', 'sanctions-e2e-detail')).token;
    const detail = async (type: string) => {
      const list = (await app.inject({ method: 'GET', url: `/v1/alerts?type=${type}`, headers: bearer(token) })).json().items as Summary[];
      const res = await app.inject({ method: 'GET', url: `/v1/alerts/${list[0]!.id}`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const roles = (d: { behaviour: { geometry: { features: { properties: { role: string } }[] } } }) => d.behaviour.geometry.features.map((f) => f.properties.role).sort();

    const call = await detail('port_call_sanctioned');
    expect(call.behaviour.facts).toMatchObject({ country: 'PRK', sanctionedPort: 'Nampho' });
    expect(roles(call)).toEqual(['port']);
    expect(call.scoreFactors[0].factor).toBe('sanctioned_port');

    const gap = await detail('gap_near_sanctioned_area');
    expect(gap.behaviour.facts.draughtIncreaseM).toBeGreaterThanOrEqual(2);
    expect(roles(gap)).toEqual(['off', 'on']);
    expect(gap.scoreFactors[0].factor).toBe('sanctioned_area');
    expect(gap.evidence.trackA.geometry.coordinates.length).toBeGreaterThan(2);

    const leg = await detail('voyage_irregularity');
    expect(roles(leg)).toEqual(['from_port', 'to_port']);
    expect(leg.scoreFactors[0].factor).toBe('voyage_irregularity');
  });

  it('the port-calls and voyages routes show each scripted call and the irregular legs', async () => {
    const { app, database: db } = await api.start();
    const token = (await issueToken(db, 'viewer', 'sanctions-e2e-vessels')).token;
    const calls = scenarios.flatMap((sc) => sc.portCalls ?? []).filter((c) => c.expected && c.arrival !== null);
    expect(calls.length).toBeGreaterThan(3);
    for (const c of calls) {
      const res = await app.inject({ method: 'GET', url: `/v1/vessels/${c.mmsi}/port-calls`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      const stored = res.json().portCalls as { port: { id: string }; arrival: string; departure: string | null }[];
      const hit = stored.filter((s) => s.port.id === c.portId && Math.abs(Date.parse(s.arrival) - Date.parse(c.arrival!)) < HOUR);
      expect(hit.length, `${c.vessel} at ${c.port} ${c.arrival} (${c.why})`).toBe(1);
    }
    for (const t of expected.filter((x) => x.type === 'voyage_irregularity' && x.expected)) {
      const res = await app.inject({ method: 'GET', url: `/v1/vessels/${t.mmsis[0]}/voyages`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      const kinds = (res.json().voyages as { legs: { irregularities: { kind: string }[] }[] }[]).flatMap((v) => v.legs.flatMap((l) => l.irregularities.map((i) => i.kind)));
      expect(kinds, t.why).toContain(t.details?.['kind']);
    }
  });

  it('`npm run cli -- simulate --ports <file>` writes the PORTS_FILE the scenarios need', async () => {
    const dir = os.tmpdir();
    const out = path.join(dir, `rzv-sim-voyages-${process.pid}.nmea`);
    const ports = path.join(dir, `rzv-sim-voyages-${process.pid}.csv`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['services/cli/src/main.ts', 'simulate', '--scenarios', 'voyage_irregularity', '--hours', '62', '--vessels', '0', '--seed', '7', '--out', out, '--ports', ports],
      { cwd: ROOT, env: testEnv() },
    );
    expect(JSON.parse(stdout)).toMatchObject({ ports });
    const rows = (await readFile(ports, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('s2id,label,iso3,latitude,longitude');
    expect(rows.slice(1).map((r) => r.split(',')[2])).toEqual(expect.arrayContaining(['KOR']));
  }, 60_000);
});
