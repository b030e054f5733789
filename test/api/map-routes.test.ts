import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertQueryRepository, createAlertRepository } from '@rendezvous/db';
import { DEFAULT_PROFILES } from '@rendezvous/detection';
import { DEFAULT_STS_AREAS_FILE, loadStsAreas } from '@rendezvous/geography';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../../services/api/src/app.ts';
import { openTestDatabase, quietLogger, testConfig } from '../support/harness.ts';
import { clusterAlerts } from '../../services/api/src/map/alert-clusters.ts';
import { waitFor } from '../support/wait.ts';
import { alertTestApp, resetAlerts, seedAlerts, type SeedAlert } from './alerts-seed.ts';

// The map's support routes (issue 14): clusters of the filtered alerts and the STS hub / port
// layers, against the real database through app.inject.

const DAY = 86_400_000;
const T = Date.UTC(2025, 2, 1);
type Kind = 'rendezvous' | 'ais_gap' | 'loitering' | 'dark_rendezvous';

interface Seed extends SeedAlert {
  type: Kind;
}

// A deterministic scatter: groups of nearby alerts (which cluster together at low zoom and apart
// at high zoom), alerts either side of the antimeridian, and every type, score band and status.
const KINDS: Kind[] = ['rendezvous', 'ais_gap', 'loitering', 'dark_rendezvous'];
const PLACES: [number, number][] = [
  [22.75, 36.45], // Laconian Gulf
  [104.4, 1.2], // Johor
  [179.6, -16.5], // Fiji, east of the antimeridian's west side
  [-179.7, -16.2], // ... and just across it
  [-40, 35], // North Atlantic
  [56.5, 25.2], // Fujairah
];
const SEEDS: Seed[] = [];
for (let i = 0; i < 72; i++) {
  const [lon, lat] = PLACES[i % PLACES.length]!;
  // Within ±0.055° of the place, each at least 0.009° of longitude from the others there: one
  // cell at low zoom, one cell each at zoom 14 (0.0055° cells).
  const j = Math.floor(i / PLACES.length);
  const dLon = (j - 6) * 0.009;
  const dLat = (((j * 7) % 12) - 6) * 0.008;
  SEEDS.push({
    key: `m${i}`,
    a: 311000000 + i,
    b: 636000000 + i,
    start: T + (i % 12) * DAY,
    hours: 2 + (i % 5),
    lon: Math.max(-180, Math.min(180, lon + dLon)),
    lat: lat + dLat,
    score: (i * 29) % 101,
    status: i % 9 === 0 ? 'ongoing' : 'closed',
    watchlists: i % 7 === 0 ? ['ofac'] : [],
    type: KINDS[(i * 5) % 4]!,
  });
}

const h = await alertTestApp('map-routes');
const { app, database, auth } = h;
let ids = new Map<string, number>();

beforeAll(async () => {
  await resetAlerts(database);
  ids = await seedAlerts(database, SEEDS);
  // One-vessel types have no second vessel (migrations/0017).
  for (const kind of KINDS.filter((k) => k !== 'rendezvous')) {
    const keys = SEEDS.filter((s) => s.type === kind).map((s) => s.key);
    const oneVessel = kind === 'ais_gap' || kind === 'loitering';
    await database.pool.query(
      `UPDATE alerts SET type = $1${oneVessel ? ', mmsi_b = NULL, vessel_b = NULL' : ''} WHERE alert_key = ANY($2::text[])`,
      [kind, keys],
    );
  }
  await createAlertRepository(database.db).retract([{ key: 'm5', reason: 'no longer supported by the data', replacedBy: null }]);
  const q = createAlertQueryRepository(database.db);
  await q.triage(ids.get('m10')!, { state: 'escalated', note: null }, 'setup');
  await q.triage(ids.get('m11')!, { state: 'dismissed', note: null }, 'setup');
});
afterAll(() => h.close());

interface Cluster {
  lon: number;
  lat: number;
  count: number;
  maxScore: number;
  byType: Record<string, number>;
  bbox: [number, number, number, number];
  alertId?: number;
}
interface Clusters {
  zoom: number;
  cellDeg: number;
  total: number;
  truncated: boolean;
  clusters: Cluster[];
}

async function clusters(query: string): Promise<Clusters> {
  const res = await app.inject({ method: 'GET', url: `/v1/alerts/clusters?${query}`, headers: auth() });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Clusters;
}

/** Every alert the list returns for a query, following its cursors. */
async function listAll(query: string): Promise<{ id: number; score: number; type: string; centroid: { lon: number; lat: number } }[]> {
  const out: { id: number; score: number; type: string; centroid: { lon: number; lat: number } }[] = [];
  let cursor: string | null = null;
  do {
    const res = await app.inject({ method: 'GET', url: `/v1/alerts?${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`, headers: auth() });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: never[]; nextCursor: string | null };
    out.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return out;
}

const WORLD = 'bbox=-180,-85,180,85';
const FILTERS = [
  '',
  'type=ais_gap,loitering',
  'minScore=50',
  'watchlist=ofac',
  'status=ongoing',
  'status=ongoing,closed,retracted',
  'triage=escalated,dismissed',
  `from=${new Date(T + 3 * DAY).toISOString()}&to=${new Date(T + 7 * DAY).toISOString()}`,
  'mmsi=311000012',
];

describe('GET /v1/alerts/clusters', () => {
  it.each(FILTERS)('counts add up to the list for the same filters and view (%s)', async (filter) => {
    for (const bbox of [WORLD, 'bbox=0,-20,120,60', 'bbox=170,-30,-170,0']) {
      const query = [bbox, filter].filter(Boolean).join('&');
      const listed = await listAll(query);
      for (const zoom of [0, 3, 9]) {
        const body = await clusters(`${query}&zoom=${zoom}`);
        expect(body.truncated).toBe(false);
        expect(body.total).toBe(listed.length);
        expect(body.clusters.reduce((n, c) => n + c.count, 0)).toBe(listed.length);
        // Per type too, and each cluster's top score is one of the listed scores.
        const byType = new Map<string, number>();
        for (const c of body.clusters) for (const [t, n] of Object.entries(c.byType)) byType.set(t, (byType.get(t) ?? 0) + n);
        const listedTypes = new Map<string, number>();
        for (const a of listed) listedTypes.set(a.type, (listedTypes.get(a.type) ?? 0) + 1);
        expect(Object.fromEntries(byType)).toEqual(Object.fromEntries(listedTypes));
        for (const c of body.clusters) expect(listed.some((a) => a.score === c.maxScore)).toBe(true);
      }
    }
  });

  it('a single alert is a cluster carrying its id, position and score; its bbox holds its members', async () => {
    const listed = await listAll(WORLD);
    const body = await clusters(`${WORLD}&zoom=14`);
    expect(body.clusters.length).toBe(listed.length);
    for (const c of body.clusters) {
      expect(c.count).toBe(1);
      const alert = listed.find((a) => a.id === c.alertId)!;
      expect(alert).toBeDefined();
      expect(c.lon).toBeCloseTo(alert.centroid.lon, 6);
      expect(c.lat).toBeCloseTo(alert.centroid.lat, 6);
      expect(c.maxScore).toBe(alert.score);
      expect(c.bbox).toEqual([c.lon, c.lat, c.lon, c.lat].map((x, i) => expect.closeTo(i % 2 ? alert.centroid.lat : alert.centroid.lon, 6)));
    }
    const coarse = await clusters(`${WORLD}&zoom=2`);
    for (const c of coarse.clusters) {
      if (c.count > 1) expect(c.alertId).toBeUndefined();
      const [w, s, e, n] = c.bbox;
      expect(w <= c.lon && c.lon <= e && s <= c.lat && c.lat <= n).toBe(true);
    }
  });

  it('zoom sets the cell size: cells halve with each step, nearby alerts merge when zoomed out', async () => {
    const sizes = [];
    const counts = [];
    for (const zoom of [0, 1, 4, 8, 12]) {
      const body = await clusters(`${WORLD}&zoom=${zoom}`);
      expect(body.zoom).toBe(zoom);
      sizes.push(body.cellDeg);
      counts.push(body.clusters.length);
    }
    expect(sizes).toEqual([90, 45, 360 / 64, 360 / 1024, 360 / 16_384]);
    // Six places, each ±0.055°: at zoom 0 the places share 90° cells; at 12 (0.022° cells) they
    // break up; never fewer clusters when zooming in.
    expect(counts[0]).toBeLessThanOrEqual(6);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
    expect(counts[4]).toBeGreaterThan(counts[1]!);
  });

  it('a view crossing the antimeridian (west > east) holds both sides and nothing else, in separate cells', async () => {
    const body = await clusters('bbox=170,-30,-170,0&zoom=0');
    const fiji = SEEDS.filter((s) => s.lat < 0 && Math.abs(s.lon) > 170 && s.key !== 'm5');
    expect(body.total).toBe(fiji.length);
    // At zoom 0 the cells are 90° wide and meet at ±180°: the two sides never average to 0°.
    expect(body.clusters.length).toBe(2);
    const east = body.clusters.find((c) => c.lon > 0)!;
    const west = body.clusters.find((c) => c.lon < 0)!;
    expect(east.lon).toBeGreaterThan(179);
    expect(west.lon).toBeLessThan(-179);
    expect(east.count + west.count).toBe(fiji.length);
    // The same box written the other way round is the rest of the world.
    const rest = await clusters('bbox=-170,-30,170,0&zoom=0');
    expect(rest.clusters.every((c) => Math.abs(c.lon) < 170)).toBe(true);
  });

  it('beyond the cap, returns the largest cells, says it is truncated, and still counts every alert', async () => {
    const listed = await listAll(WORLD);
    const capped = await clusterAlerts(database.db, { filter: { bbox: { west: -180, south: -85, east: 180, north: 85 } }, zoom: 2, cap: 3 });
    const all = await clusters(`${WORLD}&zoom=2`);
    expect(all.clusters.length).toBeGreaterThan(3);
    expect(capped.truncated).toBe(true);
    expect(capped.total).toBe(listed.length);
    expect(capped.clusters).toEqual(all.clusters.slice(0, 3));
  });

  it('caps nothing at these sizes and says so; sorts the largest clusters first', async () => {
    const body = await clusters(`${WORLD}&zoom=1`);
    expect(body.truncated).toBe(false);
    const counts = body.clusters.map((c) => c.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('answers 304 to If-None-Match with its ETag until an alert changes', async () => {
    const url = `/v1/alerts/clusters?${WORLD}&zoom=3`;
    const first = await app.inject({ method: 'GET', url, headers: auth() });
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"a\d+-/);
    const again = await app.inject({ method: 'GET', url, headers: { ...auth(), 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    await createAlertQueryRepository(database.db).triage(ids.get('m12')!, { state: 'acknowledged', note: null }, 'test');
    // The change reaches the API's change feed by NOTIFY, a moment after the commit.
    const after = await waitFor(async () => {
      const res = await app.inject({ method: 'GET', url, headers: { ...auth(), 'if-none-match': etag } });
      return res.statusCode === 304 ? undefined : res;
    }, 10_000);
    expect(after?.statusCode).toBe(200);
    expect(after?.headers['etag']).not.toBe(etag);
  });

  it.each([
    ['no bbox', 'zoom=3'],
    ['no zoom', 'bbox=0,0,10,10'],
    ['zoom above 22', 'bbox=0,0,10,10&zoom=23'],
    ['negative zoom', 'bbox=0,0,10,10&zoom=-1'],
    ['fractional zoom', 'bbox=0,0,10,10&zoom=2.5'],
    ['zoom not a number', 'bbox=0,0,10,10&zoom=x'],
    ['bbox not four numbers', 'bbox=0,0,10&zoom=3'],
    ['longitude beyond 180', 'bbox=0,0,190,10&zoom=3'],
    ['south above north', 'bbox=0,20,10,10&zoom=3'],
    ['a paging parameter', 'bbox=0,0,10,10&zoom=3&limit=10'],
    ['an unknown type', 'bbox=0,0,10,10&zoom=3&type=collision'],
  ])('400 problem+json on bad input: %s', async (_why, query) => {
    const res = await app.inject({ method: 'GET', url: `/v1/alerts/clusters?${query}`, headers: auth() });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400 });
  });

  it('401 without a token; a viewer token suffices', async () => {
    const res = await app.inject({ method: 'GET', url: `/v1/alerts/clusters?${WORLD}&zoom=1` });
    expect(res.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/v1/alerts/clusters?${WORLD}&zoom=1`, headers: auth('viewer') })).statusCode).toBe(200);
  });

  it('does not shadow or get shadowed by /v1/alerts/:id', async () => {
    const id = ids.get('m1')!;
    const detail = await app.inject({ method: 'GET', url: `/v1/alerts/${id}`, headers: auth() });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id });
  });
});

describe('GET /v1/layers/…', () => {
  type Collection = { type: string; features: { type: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[] };
  const layer = async (instance: FastifyInstance, name: string, headers = auth()) => instance.inject({ method: 'GET', url: `/v1/layers/${name}`, headers });
  const closedRing = (ring: number[][]) =>
    ring.length >= 4 && ring.every((p) => p.length >= 2 && Math.abs(p[0]!) <= 360 && Math.abs(p[1]!) <= 90) && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1];

  it('STS hubs: the shipped hubs by default, as GeoJSON polygons with their names, regions and sources', async () => {
    const res = await layer(app, 'sts-hubs');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = res.json() as Collection;
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(loadStsAreas(DEFAULT_STS_AREAS_FILE).length);
    expect(fc.features.length).toBeGreaterThan(3);
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      expect(typeof f.properties['name']).toBe('string');
      expect(Array.isArray(f.properties['sources'])).toBe(true);
      const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      for (const rings of polygons) for (const ring of rings) expect(closedRing(ring)).toBe(true);
    }
    expect(fc.features.map((f) => f.properties['name'])).toContain('Laconian Gulf');
  });

  it('ports: an empty collection when PORTS_FILE is not set', async () => {
    const res = await layer(app, 'ports');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('401 without a token', async () => {
    for (const name of ['sts-hubs', 'ports']) expect((await layer(app, name, {} as never)).statusCode).toBe(401);
  });

  describe('with PORTS_FILE set and STS_AREAS_FILE=off', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rzv-layers-'));
    const portsFile = path.join(dir, 'ports.csv');
    // The GFW WPI layout, with one row the detector would skip.
    writeFileSync(portsFile, 'iso3,label,sublabel,latitude,longitude\nGRC,GYTHEIO,,36.7547,22.5653\nFJI,SUVA,,-18.13,178.42\nSGP,SINGAPORE,,1.264,103.84\nXXX,NOWHERE,,,\n');
    const config = testConfig({ PORTS_FILE: portsFile, STS_AREAS_FILE: 'off' });
    const database = openTestDatabase(config);
    const redis = createRedis(config.redis, quietLogger, 'producer');
    let other: FastifyInstance;
    beforeAll(async () => {
      other = await buildApp({ config, logger: quietLogger, database, redis });
    });
    afterAll(async () => {
      await other?.close();
      redis.disconnect();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('ports: each valid row as a Point with the mask radius; the bad row left out as the detector does', async () => {
      const res = await layer(other, 'ports');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const fc = res.json() as Collection;
      expect(fc.features.map((f) => f.geometry)).toEqual([
        { type: 'Point', coordinates: [22.5653, 36.7547] },
        { type: 'Point', coordinates: [178.42, -18.13] },
        { type: 'Point', coordinates: [103.84, 1.264] },
      ]);
      for (const f of fc.features) expect(f.properties).toEqual({ radiusM: Math.max(...DEFAULT_PROFILES.map((p) => p.portRadiusM)) });
    });

    it('STS hubs: an empty collection when turned off', async () => {
      expect((await layer(other, 'sts-hubs')).json()).toEqual({ type: 'FeatureCollection', features: [] });
    });
  });

  it('a PORTS_FILE the detector would refuse stops the API at start, naming the variable', async () => {
    const config = testConfig({ PORTS_FILE: path.join(tmpdir(), 'rzv-no-such-ports-file.csv') });
    const database = openTestDatabase(config);
    const redis = createRedis(config.redis, quietLogger, 'producer');
    try {
      await expect(buildApp({ config, logger: quietLogger, database, redis })).rejects.toThrow(/PORTS_FILE/);
    } finally {
      redis.disconnect();
      await database.close();
    }
  });
});
