import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';
import { alertTestApp, resetAlerts, seedAlerts, type SeedAlert } from './alerts-seed.ts';

const run = promisify(execFile);
const MMSI = 538_000_001;
const T0 = Date.UTC(2025, 6, 1, 22);
const MIN = 60_000;

/** A track with two stretches (a 90-minute silence between them), a 59-minute silence inside the
 * second (not a break: the rule is ≥ 1 h), then one isolated fix 3 h later. It zigzags, so
 * simplification has something to drop. Crosses midnight: two day partitions. */
function fixes(): { t: number; lon: number; lat: number }[] {
  const out: { t: number; lon: number; lat: number }[] = [];
  for (let i = 0; i <= 60; i++) out.push({ t: T0 + i * 2 * MIN, lon: 23 + i * 0.002, lat: 36 + (i % 2) * 0.0002 });
  const s2 = T0 + 120 * MIN + 90 * MIN;
  for (let i = 0; i <= 20; i++) out.push({ t: s2 + i * 2 * MIN, lon: 23.2 + i * 0.002, lat: 36.1 + (i % 2) * 0.0002 });
  const s2b = s2 + 40 * MIN + 59 * MIN;
  for (let i = 0; i <= 10; i++) out.push({ t: s2b + i * 2 * MIN, lon: 23.3 + i * 0.002, lat: 36.1 });
  out.push({ t: s2b + 20 * MIN + 3 * 60 * MIN, lon: 23.5, lat: 36.2 });
  return out;
}
const FIXES = fixes();

const h = await alertTestApp('alerts-track-cli');
const { app, database, auth } = h;

const SEEDS: SeedAlert[] = Array.from({ length: 7 }, (_, i) => ({
  key: `cli-${i}`,
  a: MMSI,
  b: 700_000_000 + i,
  start: T0 - (i + 1) * 86_400_000,
  hours: 2 + i,
  lon: 23 + i,
  lat: 36,
  score: 15 * i,
  nameA: 'CLI TEST',
  watchlists: i % 2 ? ['ofac'] : [],
  status: i === 3 ? 'ongoing' : 'closed',
}));

beforeAll(async () => {
  await resetAlerts(database);
  await database.pool.query('DELETE FROM positions WHERE mmsi = $1', [MMSI]);
  for (const day of new Set(FIXES.map((f) => new Date(f.t).toISOString().slice(0, 10)))) {
    await database.pool.query('SELECT rendezvous_ensure_position_partition($1::date)', [day]);
  }
  await database.pool.query(
    `INSERT INTO positions (mmsi, ts, geom, sog, msg_type)
     SELECT $1, to_timestamp(t / 1000.0), ST_SetSRID(ST_MakePoint(lon, lat), 4326), 10, 1
     FROM unnest($2::float8[], $3::float8[], $4::float8[]) AS u(t, lon, lat)`,
    [MMSI, FIXES.map((f) => f.t), FIXES.map((f) => f.lon), FIXES.map((f) => f.lat)],
  );
  await seedAlerts(database, SEEDS);
});
afterAll(() => h.close());

const iso = (ms: number) => new Date(ms).toISOString();
const track = (query: string) => app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/track?${query}`, headers: auth() });

describe('GET /v1/vessels/:mmsi/track', () => {
  const from = iso(T0 - 60 * MIN);
  const to = iso(T0 + 24 * 60 * MIN);
  const byTime = new Map(FIXES.map((f) => [iso(f.t), [f.lon, f.lat]]));

  it('is a GeoJSON MultiLineString broken at silences of an hour or more, with a time per coordinate', async () => {
    const res = await track(`from=${from}&to=${to}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const f = res.json();
    expect(f.type).toBe('Feature');
    expect(f.geometry.type).toBe('MultiLineString');
    expect(f.properties).toMatchObject({ mmsi: MMSI, from, to, points: FIXES.length, pointsReturned: FIXES.length, simplifyM: 0 });
    // Two stretches: the 90-minute silence splits, the 59-minute one does not; the last fix is alone.
    expect(f.geometry.coordinates.map((l: unknown[]) => l.length)).toEqual([61, 32]);
    expect(f.properties.isolated).toEqual([{ coordinates: byTime.get(iso(FIXES.at(-1)!.t)), time: iso(FIXES.at(-1)!.t) }]);
    expect(f.properties.coordTimes.map((l: unknown[]) => l.length)).toEqual([61, 32]);
    f.geometry.coordinates.forEach((line: [number, number][], i: number) => {
      const times: string[] = f.properties.coordTimes[i];
      line.forEach(([lon, lat], j) => {
        expect(Math.abs(lon)).toBeLessThanOrEqual(180);
        expect(Math.abs(lat)).toBeLessThanOrEqual(90);
        expect([lon, lat]).toEqual(byTime.get(times[j]!));
        if (j > 0) {
          const gap = Date.parse(times[j]!) - Date.parse(times[j - 1]!);
          expect(gap).toBeGreaterThan(0);
          expect(gap).toBeLessThan(3_600_000);
        }
      });
    });
  });

  it('simplifies to a tolerance in metres, keeping each kept point\'s own time and the ends of each line', async () => {
    const full = (await track(`from=${from}&to=${to}`)).json();
    const f = (await track(`from=${from}&to=${to}&simplify=100`)).json();
    expect(f.properties.simplifyM).toBe(100);
    expect(f.geometry.coordinates).toHaveLength(2);
    // A 22 m zigzag on a straight course collapses to its end points at 100 m…
    expect(f.geometry.coordinates.map((l: unknown[]) => l.length)).toEqual([2, 2]);
    f.geometry.coordinates.forEach((line: [number, number][], i: number) => {
      expect(line[0]).toEqual(full.geometry.coordinates[i][0]);
      expect(line.at(-1)).toEqual(full.geometry.coordinates[i].at(-1));
      line.forEach((c, j) => expect(c).toEqual(byTime.get(f.properties.coordTimes[i][j])));
    });
    // …and stays at 5 m, where the zigzag is bigger than the tolerance.
    const fine = (await track(`from=${from}&to=${to}&simplify=5`)).json();
    expect(fine.properties.pointsReturned).toBeGreaterThan(80);
  });

  it('reads only [from, to), and an empty range is an empty MultiLineString', async () => {
    const part = (await track(`from=${iso(T0)}&to=${iso(T0 + 10 * MIN)}`)).json();
    expect(part.properties.points).toBe(5);
    expect(part.properties.coordTimes).toEqual([[0, 2, 4, 6, 8].map((m) => iso(T0 + m * MIN))]);
    const none = (await track(`from=${iso(T0 - 5 * 86_400_000)}&to=${iso(T0 - 4 * 86_400_000)}`)).json();
    expect(none.geometry).toEqual({ type: 'MultiLineString', coordinates: [] });
    expect(none.properties.points).toBe(0);
  });
});

describe('CLI alerts', () => {
  const cli = (...args: string[]) => run(process.execPath, ['services/cli/src/main.ts', 'alerts', ...args], { cwd: ROOT, env: testEnv() });

  it.each([
    [['--mmsi', String(MMSI), '--json'], `mmsi=${MMSI}`],
    [['--status', 'ongoing,closed', '--sort', 'score', '--limit', '3', '--json'], 'status=ongoing,closed&sort=score&limit=3'],
    [['--watchlist', 'ofac', '--min-score', '20', '--bbox', '20,30,30,40', '--json'], 'watchlist=ofac&minScore=20&bbox=20,30,30,40'],
    [['--from', iso(T0 - 4 * 86_400_000), '--to', iso(T0), '--status', 'ongoing', '--json'], `from=${iso(T0 - 4 * 86_400_000)}&to=${iso(T0)}&status=ongoing`],
  ])('%j prints what GET /v1/alerts?%s returns', async (args, query) => {
    const { stdout } = await cli(...args);
    const api = await app.inject({ method: 'GET', url: `/v1/alerts?${query}`, headers: auth() });
    expect(api.statusCode).toBe(200);
    const printed = JSON.parse(stdout);
    expect(printed.items.length).toBeGreaterThan(0);
    expect(printed).toEqual(api.json());
  });

  it('follows a cursor like the API and --all walks every page', async () => {
    const page1 = JSON.parse((await cli('--limit', '2', '--json')).stdout);
    const page2 = JSON.parse((await cli('--limit', '2', '--cursor', page1.nextCursor, '--json')).stdout);
    const api2 = await app.inject({ method: 'GET', url: `/v1/alerts?limit=2&cursor=${page1.nextCursor}`, headers: auth() });
    expect(page2).toEqual(api2.json());
    const all = JSON.parse((await cli('--limit', '2', '--all', '--json')).stdout);
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((a: { key: string }) => a.key)).toEqual([...SEEDS].sort((x, y) => y.start - x.start).map((s) => s.key));
  });

  it('prints a table without --json, and refuses bad input with the API\'s message (exit 2)', async () => {
    const { stdout } = await cli('--mmsi', String(MMSI), '--limit', '3');
    expect(stdout.split('\n')[0]).toMatch(/^id\s+type\s+start \(UTC\)\s+duration\s+status\s+triage\s+score/);
    expect(stdout).toContain('CLI TEST');
    expect(stdout).toMatch(/more: --cursor \S+/);
    for (const [flag, value, param] of [
      ['--bbox', '0,10,10,5', 'bbox'],
      ['--from', '1999-01-01T00:00:00Z', 'from'],
      ['--min-score', '101', 'minScore'],
    ] as const) {
      const failed = await cli(flag, value).then(
        () => null,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failed?.code).toBe(2);
      const api = await app.inject({ method: 'GET', url: `/v1/alerts?${param}=${value}`, headers: auth() });
      expect(api.statusCode).toBe(400);
      // Same parser, same words (the API's schema may answer first for patterns it checks itself).
      if (param === 'bbox' || param === 'from') expect(failed!.stderr).toContain(api.json().detail);
      else expect(failed!.stderr).toMatch(/minScore must be a number from 0 to 100/);
    }
  });
});
