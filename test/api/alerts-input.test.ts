import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertTestApp, resetAlerts, seedAlerts } from './alerts-seed.ts';

const T = Date.UTC(2025, 1, 1);
const h = await alertTestApp('alerts-input');
const { app, database, auth } = h;

beforeAll(async () => {
  await resetAlerts(database);
  await seedAlerts(
    database,
    Array.from({ length: 6 }, (_, i) => ({ key: `in-${i}`, a: 500_000_000 + i, b: 600_000_000 + i, start: T + i * 86_400_000, hours: 2, lon: 10 + i, lat: 40, score: 10 * i })),
  );
});
afterAll(() => h.close());

const get = (url: string) => app.inject({ method: 'GET', url, headers: auth() });

/** 400 with a problem+json message, or a valid 200: never a 500. */
function expectRefusedOrValid(res: Awaited<ReturnType<typeof get>>, label: string) {
  expect([200, 400], `${label}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
  if (res.statusCode === 400) {
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().detail.length).toBeGreaterThan(5);
  } else {
    expect(Array.isArray(res.json().items) || res.json().type === 'Feature').toBe(true);
  }
}

const HOSTILE = ["' OR 1=1 --", '1;DROP TABLE alerts', '%', '%25', 'ünïcode ✓ 船', "1' UNION SELECT token_hash FROM api_tokens --", '\u0000', '../../etc/passwd', '-1', '1e309', ' ', ''];
const PARAMS = ['from', 'to', 'bbox', 'mmsi', 'imo', 'watchlist', 'type', 'status', 'triage', 'minScore', 'updatedSince', 'sort', 'limit', 'cursor', 'format'];

describe('hostile strings in every filter parameter', () => {
  it.each(PARAMS)('%s: each is refused with 400 or gives a valid (empty) list, never a 500', async (param) => {
    for (const value of HOSTILE) {
      expectRefusedOrValid(await get(`/v1/alerts?${param}=${encodeURIComponent(value)}`), `${param}=${JSON.stringify(value)}`);
      if (param !== 'mmsi') expectRefusedOrValid(await get(`/v1/vessels/500000001/alerts?${param}=${encodeURIComponent(value)}`), `vessel ${param}=${JSON.stringify(value)}`);
    }
    // Repeated parameters and unknown ones.
    expectRefusedOrValid(await get(`/v1/alerts?${param}=a&${param}=b`), `${param} twice`);
    const count = await database.pool.query('SELECT count(*)::int AS n FROM alerts');
    expect(count.rows[0].n).toBe(6);
  });

  it('hostile strings in the track and detail routes', async () => {
    for (const value of HOSTILE) {
      const v = encodeURIComponent(value);
      for (const url of [
        `/v1/vessels/500000001/track?from=${v}&to=2025-02-02T00:00:00Z`,
        `/v1/vessels/500000001/track?from=2025-02-01T00:00:00Z&to=2025-02-02T00:00:00Z&simplify=${v}`,
        `/v1/vessels/${v}/track?from=2025-02-01T00:00:00Z&to=2025-02-02T00:00:00Z`,
        `/v1/alerts/${v}`,
        `/v1/alerts/${v}/history`,
      ]) {
        const res = await get(url);
        expect([200, 400, 404], `${url}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
      }
    }
  });

  it('unknown parameters are refused', async () => {
    const res = await get('/v1/alerts?mmsi=500000001&where=1%3D1');
    expect(res.statusCode).toBe(400);
  });
});

describe('out-of-range input → 400 naming the problem', () => {
  it.each([
    ['bbox=181,0,190,10', /bbox/],
    ['bbox=0,-91,10,10', /bbox/],
    ['bbox=0,10,10,5', /south below north/],
    ['bbox=0,10,10,10', /south below north/],
    ['bbox=0,10,10', /bbox/],
    ['bbox=1e2,0,2,3', /bbox/],
    ['from=1999-12-31T23:59:59Z', /between 2002-01-01 and a year from now/],
    [`to=${new Date(Date.now() + 400 * 86_400_000).toISOString()}`, /between 2002-01-01 and a year from now/],
    ['from=2025-02-30T00:00:00Z', /from/],
    ['from=2025-01-01', /from/],
    ['from=2025-03-01T00:00:00Z&to=2025-02-01T00:00:00Z', /from must be before to/],
    ['from=2025-03-01T00:00:00Z&to=2025-03-01T00:00:00Z', /from must be before to/],
    ['mmsi=1000000000', /mmsi/],
    ['imo=123456', /imo/],
    ['imo=12345678', /imo/],
    ['minScore=101', /minScore/],
    ['minScore=-1', /minScore/],
    ['limit=0', /limit/],
    ['limit=501', /limit/],
    ['status=open', /status/],
    ['triage=closed', /triage/],
    ['sort=id', /sort/],
    ['updatedSince=99999999999999999999', /updatedSince/],
    ['updatedSince=yesterday', /updatedSince/],
    ['watchlist=OFAC%20SDN', /watchlist/],
    ['format=xml', /format/],
  ])('%s', async (query, message) => {
    const res = await get(`/v1/alerts?${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().detail).toMatch(message);
  });

  it('track: range, simplification and required bounds', async () => {
    for (const [query, message] of [
      ['from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z', /at most 31 days/],
      ['from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', /from must be before to/],
      ['from=2025-01-01T00:00:00Z', /to/],
      ['from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z&simplify=10001', /simplify/],
      ['from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z&simplify=-1', /simplify/],
      ['from=1990-01-01T00:00:00Z&to=1990-01-02T00:00:00Z', /between 2002/],
    ] as const) {
      const res = await get(`/v1/vessels/500000001/track?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json().detail).toMatch(message);
    }
  });
});

describe('tampered cursors → 400, never 500', () => {
  const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

  it('a valid cursor works; edited ones are refused', async () => {
    const first = (await get('/v1/alerts?limit=2')).json();
    expect((await get(`/v1/alerts?limit=2&cursor=${first.nextCursor}`)).statusCode).toBe(200);
    const decoded = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString());
    for (const [label, cursor, sort] of [
      ['injection in the key', enc({ ...decoded, k: '1; DROP TABLE alerts' }), '-start'],
      ['key out of range', enc({ ...decoded, k: '99999999999999999999' }), '-start'],
      ['negative id', enc({ ...decoded, i: -5 }), '-start'],
      ['fractional id', enc({ ...decoded, i: 1.5 }), '-start'],
      ['extra field', enc({ ...decoded, x: 1 }), '-start'],
      ['unknown sort', enc({ ...decoded, s: 'id' }), '-start'],
      ['array', enc([1, 2]), '-start'],
      ['not JSON', enc('{"s":'), '-start'],
      ['null', enc('null'), '-start'],
      ['score as text', enc({ s: '-score', k: "1' OR '1'='1", i: 3 }), '-score'],
      ['score NaN', enc('{"s":"-score","k":NaN,"i":3}'), '-score'],
      ['score huge', enc({ s: '-score', k: 1e300, i: 3 }), '-score'],
      ['negative change seq', enc({ s: 'updated', k: '-1', i: 3 }), 'updated'],
      ['not base64url', 'abc$def', '-start'],
      ['truncated', first.nextCursor.slice(0, -3), '-start'],
    ] as const) {
      const res = await get(`/v1/alerts?sort=${sort}&limit=2&cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
      expect(res.json().detail).toMatch(/cursor/);
    }
    // CSV export checks its cursor before the download starts.
    const csv = await get(`/v1/alerts?format=csv&cursor=${enc({ ...decoded, i: 0 })}`);
    expect(csv.statusCode).toBe(400);
    expect(csv.headers['content-type']).toMatch(/problem\+json/);
  });
});
