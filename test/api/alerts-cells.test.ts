// The newest-first walk of a small box over its 1° cells (migrations/0027, alert-query-repository.ts
// walkPage): every page walk must give exactly what the general query gives (PostGIS's own box
// semantics, float4-rounded edges included), for boxes with edges on cell lines, points just off
// them, the antimeridian and the poles' rows; and the cells the repository computes must be the
// ones PostgreSQL's alert_cell gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { parseAlertQuery } from '@rendezvous/alerts';
import { alertCellsOf, createAlertQueryRepository, createDatabase } from '@rendezvous/db';
import { mulberry32 } from '@rendezvous/test-support';
import { quietLogger, testConfig } from '../support/harness.ts';
import { resetAlerts, seedAlerts, type SeedAlert } from './alerts-seed.ts';

const T = Date.UTC(2025, 5, 1);
const HOUR = 3_600_000;
const config = testConfig();
const database = createDatabase({ ...config.db, url: config.db.migrationUrl, poolMax: 2 }, quietLogger);
/** Every SQL text the repository sends, to show which walk ran. */
const sent: string[] = [];
database.pool.on('connect', (client: pg.PoolClient) => {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string') sent.push(args[0]);
    return query(...args);
  };
});

// Points on and just off whole degrees (1e-7° is below a float4 step at these longitudes, so
// PostGIS's box test may count them on either side), at ±180° and at the highest latitudes.
const EDGE_POINTS: [number, number][] = [
  [22, 36], [21.9999999, 36], [22.0000001, 35.9999999], [23, 37], [22.9999999, 36.9999999],
  [179.9999999, 0.5], [180, 0.5], [-180, -0.5], [-179.9999999, 0], [0, 89.9999999], [-0.0000001, 89.5],
];

const seeds: SeedAlert[] = [];
const r = mulberry32(20261203);
for (let i = 0; i < 400; i++) {
  const [lon, lat] = i < EDGE_POINTS.length * 4 ? EDGE_POINTS[i % EDGE_POINTS.length]! : [20 + r() * 5, 34 + r() * 4];
  seeds.push({ key: `c${i}`, a: 300000000 + i, b: 400000000 + i, start: T + Math.floor(r() * 60) * 6 * HOUR, hours: 2 + Math.floor(r() * 30), lon, lat, score: Math.floor(r() * 100) });
}

beforeAll(async () => {
  await resetAlerts(database);
  await seedAlerts(database, seeds);
});
afterAll(() => database.close());

describe('alertCellsOf', () => {
  it('lists a box\'s cells, widened past float4 rounding, crossing the antimeridian, and refuses wide boxes', () => {
    const cell = (lon: number, lat: number) => (Math.floor(lat) + 90) * 361 + Math.floor(lon) + 180;
    expect(alertCellsOf({ west: 22.3, south: 35.8, east: 23.6, north: 36.1 })).toEqual([cell(22, 35), cell(23, 35), cell(22, 36), cell(23, 36)]);
    // A whole-degree edge also takes the cell beyond it: a point a float4 step outside may match.
    expect(alertCellsOf({ west: 22, south: 36.2, east: 22.5, north: 36.4 })).toEqual([cell(21, 36), cell(22, 36)]);
    expect(alertCellsOf({ west: 179.5, south: 0.2, east: -179.5, north: 0.4 })).toEqual([cell(179, 0), cell(180, 0), cell(-180, 0)]);
    expect(alertCellsOf({ west: 10, south: 10.5, east: 30, north: 10.6 })).toBeNull();
    expect(alertCellsOf({ west: 10.5, south: 10.5, east: 10.6, north: 10.6 }, 0)).toBeNull();
  });

  it('agrees with PostgreSQL\'s alert_cell on every seeded centroid', async () => {
    const { rows } = await database.pool.query<{ lon: number; lat: number; cell: number }>('SELECT ST_X(centroid) AS lon, ST_Y(centroid) AS lat, alert_cell(centroid) AS cell FROM alerts');
    expect(rows.length).toBe(seeds.length);
    for (const p of rows) expect(alertCellsOf({ west: p.lon, south: p.lat, east: p.lon, north: p.lat }), `${p.lon} ${p.lat}`).toContain(p.cell);
  });
});

describe('newest-first pages of a small box over its cells', () => {
  const boxes = [
    '22,36,23,37', // whole-degree edges, points on and just off them
    '22.3,35.8,23.6,37.1',
    '21.9999999,35.9999999,22.0000001,36.0000001', // a box around a cell corner
    '20.5,34.5,22.5,35.5',
    '179.5,-1,-179.5,1', // across the antimeridian
    '-1,89,1,90', // the top row
    '20,34,24,37', // 5 × 4 cells (+ margins): beyond ALERT_WALK_MAX_CELLS, the whole-world walk
  ];
  const filters = ['', '&minScore=50', `&from=${new Date(T + 100 * HOUR).toISOString()}&to=${new Date(T + 250 * HOUR).toISOString()}`, '&minScore=30&status=ongoing,closed,retracted'];
  const general = createAlertQueryRepository(database.db, { walkCandidates: 0 });

  async function walkAll(repo: ReturnType<typeof createAlertQueryRepository>, query: string): Promise<number[]> {
    const { filter, page } = parseAlertQuery({ ...Object.fromEntries(new URLSearchParams(query)), limit: 7 });
    const ids: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const result = await repo.list(filter, { ...page, cursor });
      ids.push(...result.rows.map((row) => row.id));
      cursor = result.nextCursor;
    } while (cursor && ++pages < 200);
    return ids;
  }

  it.each([1, 5, 40, 4000])('with %i candidates, every box and filter pages through exactly what the general query gives', async (walkCandidates) => {
    const cells = createAlertQueryRepository(database.db, { walkCandidates });
    let nonEmpty = 0;
    for (const box of boxes) {
      for (const f of filters) {
        const query = `bbox=${box}${f}`;
        const expected = await walkAll(general, query);
        sent.length = 0;
        expect(await walkAll(cells, query), query).toEqual(expected);
        // Which walk ran: the cells' for a box of at most ALERT_WALK_MAX_CELLS cells, else the world's.
        const bbox = box.split(',').map(Number) as [number, number, number, number];
        const small = alertCellsOf({ west: bbox[0], south: bbox[1], east: bbox[2], north: bbox[3] }) !== null;
        expect(sent.some((text) => text.includes('alert_cell(alerts.centroid)')), query).toBe(small);
        if (expected.length > 0) nonEmpty++;
      }
    }
    // The comparison is not empty-handed: most boxes and filters match something.
    expect(nonEmpty).toBeGreaterThan(boxes.length * filters.length * 0.6);
  });
});
