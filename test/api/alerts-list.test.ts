import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertQueryRepository, createAlertRepository } from '@rendezvous/db';
import { parseAlertQuery } from '@rendezvous/alerts';
import { alertTestApp, alertWrite, resetAlerts, seedAlerts, type SeedAlert } from './alerts-seed.ts';

const DAY = 86_400_000;
const T = Date.UTC(2025, 2, 1);

// Each seed differs from the others in the things the filters look at, so every filter below
// keeps some alerts and drops others.
const SEEDS: SeedAlert[] = [
  { key: 'k1', a: 111000001, b: 222000001, start: T, hours: 3, lon: 22.5, lat: 36.5, score: 80, watchlists: ['ofac'], imoA: 9258002, nameA: 'KAZAN' },
  { key: 'k2', a: 111000002, b: 222000002, start: T + DAY, hours: 2, lon: 179.5, lat: 10, score: 40 },
  { key: 'k3', a: 111000003, b: 111000001, start: T + 2 * DAY, hours: 4, lon: -179.5, lat: 10.5, score: 55, watchlists: ['eu'], imoB: 9258002 },
  { key: 'k4', a: 111000004, b: 222000004, start: T + 3 * DAY, hours: 2.5, lon: 5, lat: 55, score: 20, status: 'ongoing' },
  { key: 'k5', a: 111000005, b: 222000005, start: T + 4 * DAY, hours: 2, lon: 10, lat: 40, score: 60 },
  { key: 'k6', a: 111000006, b: 222000006, start: T + 5 * DAY, hours: 2, lon: 12, lat: 41, score: 35 },
  { key: 'k7', a: 111000007, b: 222000007, start: T + 6 * DAY, hours: 6, lon: -70, lat: -30, score: 90, watchlists: ['ofac', 'eu'] },
  { key: 'k8', a: 111000008, b: 222000001, start: T + 7 * DAY, hours: 2, lon: 120, lat: 20, score: 45, nameA: 'ACME, "BIG" TANKER', nameB: '=HYPERLINK("http://evil")' },
  { key: 'k9', a: 111000009, b: 222000009, start: T + 8 * DAY, hours: 2, lon: 0, lat: 0, score: 55, imoA: 9000001 },
];

/** What the database should hold after setup, per key: the seed plus the changes made to it. */
interface Model extends Omit<SeedAlert, 'status'> {
  status: 'ongoing' | 'closed' | 'retracted';
  type: string;
  triage: string;
}
const model: Model[] = SEEDS.map((s) => ({ ...s, status: s.status ?? 'closed', type: 'rendezvous', triage: 'new' }));
const m = (key: string) => model.find((x) => x.key === key)!;
const seed = (key: string) => SEEDS.find((x) => x.key === key)!;
const end = (s: Pick<SeedAlert, 'start' | 'hours'>) => s.start + s.hours * 3_600_000;

const h = await alertTestApp('alerts-list');
const { app, database, auth } = h;
let ids = new Map<string, number>();
const keyOf = (id: number) => [...ids].find(([, v]) => v === id)![0];

beforeAll(async () => {
  await resetAlerts(database);
  ids = await seedAlerts(database, SEEDS);
  await createAlertRepository(database.db).retract([{ key: 'k5', reason: 'no longer supported by the data', replacedBy: null }]);
  m('k5').status = 'retracted';
  // A two-vessel type other than rendezvous (one-vessel types have no second vessel: 0017).
  await database.pool.query("UPDATE alerts SET type = 'dark_rendezvous' WHERE alert_key = 'k6'");
  m('k6').type = 'dark_rendezvous';
  const q = createAlertQueryRepository(database.db);
  await q.triage(ids.get('k7')!, { state: 'escalated', note: 'two listed tankers' }, 'setup');
  m('k7').triage = 'escalated';
  await q.triage(ids.get('k8')!, { state: 'dismissed', note: '-3 kn drift, =not a transfer' }, 'setup');
  m('k8').triage = 'dismissed';
});
afterAll(() => h.close());

async function list(query: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url: `/v1/alerts${query ? `?${query}` : ''}`, headers: { ...auth(), ...headers } });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}
/** Every page of a query, following nextCursor. */
async function walk(query: string): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const body: { items: { id: number }[]; nextCursor: string | null } = (await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`)).json();
    keys.push(...body.items.map((a: { id: number }) => keyOf(a.id)));
    cursor = body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { keys, pages };
}

const inBox = (s: Model, w: number, so: number, e: number, n: number) => s.lat >= so && s.lat <= n && (w <= e ? s.lon >= w && s.lon <= e : s.lon >= w || s.lon <= e);
const visible = (s: Model) => s.status !== 'retracted';

const CASES: [string, (s: Model) => boolean][] = [
  ['', visible],
  [`from=${new Date(T + 2 * DAY + 3_600_000).toISOString()}&to=${new Date(T + 5 * DAY).toISOString()}`, (s) => visible(s) && end(s) >= T + 2 * DAY + 3_600_000 && s.start < T + 5 * DAY],
  ['bbox=0,30,30,60', (s) => visible(s) && inBox(s, 0, 30, 30, 60)],
  ['bbox=170,0,-170,20', (s) => visible(s) && inBox(s, 170, 0, -170, 20)],
  ['mmsi=111000001', (s) => visible(s) && (s.a === 111000001 || s.b === 111000001)],
  ['mmsi=222000001', (s) => visible(s) && (s.a === 222000001 || s.b === 222000001)],
  ['imo=9258002', (s) => visible(s) && (s.imoA === 9258002 || s.imoB === 9258002)],
  ['watchlist=ofac', (s) => visible(s) && (s.watchlists ?? []).includes('ofac')],
  ['watchlist=eu', (s) => visible(s) && (s.watchlists ?? []).includes('eu')],
  ['type=dark_rendezvous', (s) => visible(s) && s.type === 'dark_rendezvous'],
  ['type=ais_gap,dark_rendezvous', (s) => visible(s) && (s.type === 'ais_gap' || s.type === 'dark_rendezvous')],
  ['type=rendezvous', (s) => visible(s) && s.type === 'rendezvous'],
  ['status=retracted', (s) => s.status === 'retracted'],
  ['status=ongoing', (s) => s.status === 'ongoing'],
  ['status=ongoing,closed,retracted', () => true],
  ['triage=escalated,dismissed', (s) => visible(s) && ['escalated', 'dismissed'].includes(s.triage)],
  ['triage=new', (s) => visible(s) && s.triage === 'new'],
  ['minScore=55', (s) => visible(s) && s.score >= 55],
  ['minScore=50&bbox=-180,-90,180,15&triage=new', (s) => visible(s) && s.score >= 50 && inBox(s, -180, -90, 180, 15) && s.triage === 'new'],
];

describe('GET /v1/alerts filters', () => {
  it('?type= with a type no alert has gives an empty list; an unknown type is refused', async () => {
    expect((await list('type=loitering')).json().items).toEqual([]);
    const bad = await app.inject({ method: 'GET', url: '/v1/alerts?type=smuggling', headers: auth('viewer') });
    expect(bad.statusCode).toBe(400);
  });

  it.each(CASES)('?%s keeps exactly the matching alerts', async (query, predicate) => {
    const expected = model.filter(predicate).map((s) => s.key).sort();
    const got = (await list(query)).json().items.map((a: { id: number }) => keyOf(a.id)).sort();
    expect(got).toEqual(expected);
    // Every filter narrows: something matches and something does not (except the two "all" lists).
    expect(got.length).toBeGreaterThan(0);
    if (query !== '' && query !== 'status=ongoing,closed,retracted') {
      expect(got.length).toBeLessThan(query.startsWith('status=') ? model.length : model.filter(visible).length);
    }
  });

  it('returns the summary shape, with the same body for the same query and data (no clocks)', async () => {
    const first = await list('mmsi=111000001');
    const again = await list('mmsi=111000001');
    expect(again.body).toBe(first.body);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    const body = first.json();
    expect(body.sync.updatedSince).toMatch(/^\d+$/);
    expect(body.nextCursor).toBeNull();
    const k1 = body.items.find((a: { key: string }) => a.key === 'k1');
    expect(k1).toMatchObject({
      id: ids.get('k1'),
      type: 'rendezvous',
      status: 'closed',
      triage: { state: 'new', note: null, by: null, at: null },
      start: new Date(T).toISOString(),
      end: new Date(T + 3 * 3_600_000).toISOString(),
      durationS: 3 * 3600,
      centroid: { lon: 22.5, lat: 36.5 },
      score: 80,
      watchlists: ['ofac'],
      profile: 'sensitive',
      detectorVersion: 'test-1',
      vesselA: { mmsi: 111000001, imo: 9258002, name: 'KAZAN', shipType: 80, flag: 'PA', anomalies: [] },
      vesselB: { mmsi: 222000001, imo: null },
      retraction: null,
    });
    expect(k1.vesselA.listMatches).toEqual([expect.objectContaining({ list: 'ofac' })]);
    expect(k1.changeSeq).toMatch(/^\d+$/);
  });

  it('shows why a retracted alert was retracted', async () => {
    const [k5] = (await list('status=retracted')).json().items;
    expect(k5.retraction).toEqual({ reason: 'no longer supported by the data', replacedBy: null });
  });

  it('GET /v1/vessels/:mmsi/alerts is the same list as /v1/alerts?mmsi=', async () => {
    const vessel = await app.inject({ method: 'GET', url: '/v1/vessels/222000001/alerts?sort=start', headers: auth() });
    expect(vessel.statusCode).toBe(200);
    expect(vessel.json()).toEqual((await list('mmsi=222000001&sort=start')).json());
    const refused = await app.inject({ method: 'GET', url: '/v1/vessels/222000001/alerts?mmsi=1', headers: auth() });
    expect(refused.statusCode).toBe(400);
  });
});

describe('newest-first pages read from the covering index (migrations/0025)', () => {
  // The default page first filters the newest `walkCandidates` alerts after the cursor and falls
  // back to the general query when fewer than a page match there. Whatever the number of
  // candidates, or with the walk off (0), every walk of pages must give the model's alerts, newest
  // first: small numbers make the walk hand over mid-way, on the first page or on none.
  const byStartDesc = (a: Model, b: Model) => b.start - a.start || ids.get(b.key)! - ids.get(a.key)!;
  const queries = [...CASES, ['bbox=0,30,30,60&minScore=20&status=ongoing,closed', (s: Model) => visible(s) && inBox(s, 0, 30, 30, 60) && s.score >= 20] as const];
  it.each([0, 1, 2, 3, 5, 1000])('with %i candidates, every filter pages through exactly its alerts in order', async (walkCandidates) => {
    const repo = createAlertQueryRepository(database.db, { walkCandidates });
    for (const [query, predicate] of queries) {
      const { filter, page } = parseAlertQuery({ ...Object.fromEntries(new URLSearchParams(query)), limit: 2 });
      const keys: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const result = await repo.list(filter, { ...page, cursor });
        keys.push(...result.rows.map((r) => keyOf(r.id)));
        cursor = result.nextCursor;
      } while (cursor && ++pages < 20);
      expect(keys, query).toEqual(model.filter(predicate).sort(byStartDesc).map((s) => s.key));
    }
  });
});

describe('GET /v1/alerts sorting and paging', () => {
  const all = 'status=ongoing,closed,retracted';
  const byId = (key: string) => ids.get(key)!;
  const cmp = (x: number, y: number) => (x < y ? -1 : x > y ? 1 : 0);

  it.each([
    ['-start', (x: Model, y: Model) => -cmp(x.start, y.start) || -cmp(byId(x.key), byId(y.key))],
    ['start', (x: Model, y: Model) => cmp(x.start, y.start) || cmp(byId(x.key), byId(y.key))],
    ['-score', (x: Model, y: Model) => -cmp(x.score, y.score) || -cmp(byId(x.key), byId(y.key))],
    ['score', (x: Model, y: Model) => cmp(x.score, y.score) || cmp(byId(x.key), byId(y.key))],
  ] as const)('sort=%s walks every alert once, in order, two per page', async (sort, order) => {
    const { keys, pages } = await walk(`${all}&sort=${sort}&limit=2`);
    expect(keys).toEqual([...model].sort(order).map((s) => s.key));
    expect(pages).toBe(Math.ceil(model.length / 2));
  });

  it('sort=updated / -updated follow the change sequence', async () => {
    const { rows } = await database.pool.query<{ alert_key: string }>('SELECT alert_key FROM alerts ORDER BY change_seq');
    const bySeq = rows.map((r) => r.alert_key);
    expect((await walk(`${all}&sort=updated&limit=4`)).keys).toEqual(bySeq);
    expect((await walk(`${all}&sort=-updated&limit=4`)).keys).toEqual([...bySeq].reverse());
    // Retraction, the type change and triage moved k5–k8 after the untouched seeds.
    expect(bySeq.slice(-4)).toEqual(['k5', 'k6', 'k7', 'k8']);
  });

  it('a cursor is tied to its sort', async () => {
    const { nextCursor } = (await list(`${all}&sort=-score&limit=2`)).json();
    const res = await app.inject({ method: 'GET', url: `/v1/alerts?${all}&sort=start&limit=2&cursor=${nextCursor}`, headers: auth() });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/cursor was made for sort -score/);
  });
});

describe('updatedSince', () => {
  it('returns only what changed since a previous response, triage included, oldest change first', async () => {
    const before = (await list('status=ongoing,closed,retracted')).json();
    const since = before.sync.updatedSince;
    const sinceTime = before.items.map((a: { updatedAt: string }) => a.updatedAt).sort().at(-1);
    // The instant form (below) compares at ms resolution: the changes must come after the database's
    // clock has passed sinceTime by a millisecond (polled: it takes at most that long).
    const clockPast = async () =>
      (await database.pool.query<{ past: boolean }>("SELECT clock_timestamp() >= $1::timestamptz + interval '1 millisecond' AS past", [sinceTime])).rows[0]!.past;
    while (!(await clockPast())) continue;
    expect((await list(`updatedSince=${since}`)).json().items).toEqual([]);

    const repo = createAlertRepository(database.db);
    // An unchanged re-run changes nothing; a revised score and a triage are changes.
    expect(await repo.upsert([alertWrite(seed('k1'))])).toEqual({ created: 0, updated: 0, unchanged: 1 });
    await repo.upsert([alertWrite({ ...seed('k2'), score: 42 })]);
    const patched = await app.inject({ method: 'PATCH', url: `/v1/alerts/${ids.get('k4')}`, headers: auth('analyst'), payload: { state: 'acknowledged' } });
    expect(patched.statusCode).toBe(200);
    m('k4').triage = 'acknowledged';

    const changed = (await list(`updatedSince=${since}`)).json();
    expect(changed.items.map((a: { key: string }) => a.key)).toEqual(['k2', 'k4']);
    expect(BigInt(changed.sync.updatedSince)).toBeGreaterThan(BigInt(since));
    expect((await list(`updatedSince=${changed.sync.updatedSince}`)).json().items).toEqual([]);
    // The instant form finds the same changes.
    const byTime = (await list(`updatedSince=${encodeURIComponent(sinceTime)}`)).json();
    expect(byTime.items.map((a: { key: string }) => a.key)).toEqual(['k2', 'k4']);
  });
});

describe('GeoJSON', () => {
  it('Accept: application/geo+json gives an RFC 7946 FeatureCollection of centroids', async () => {
    const res = await list('status=ongoing,closed,retracted&limit=5', { accept: 'application/geo+json' });
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(5);
    expect(typeof fc.nextCursor).toBe('string');
    expect(fc.sync.updatedSince).toMatch(/^\d+$/);
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      const [lon, lat] = f.geometry.coordinates;
      expect(f.geometry.coordinates).toHaveLength(2);
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      expect(typeof f.properties).toBe('object');
      expect(f.properties.id).toBe(f.id);
      // [lon, lat], not [lat, lon]: the seed's centroid.
      const seed = m(f.properties.key);
      expect([lon, lat]).toEqual([seed.lon, seed.lat]);
    }
    // The next page of the collection follows on.
    const next = (await list(`status=ongoing,closed,retracted&limit=5&cursor=${fc.nextCursor}`, { accept: 'application/geo+json' })).json();
    expect(next.features).toHaveLength(model.length - 5);
    expect(next.nextCursor).toBeNull();
    expect((await list('format=geojson')).json().type).toBe('FeatureCollection');
  });
});

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

describe('CSV', () => {
  it('exports every matching alert (not one page) with a header, RFC 4180 quoting and formula-safe cells', async () => {
    const res = await list('limit=2', { accept: 'text/csv' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="alerts.csv"');
    const [header, ...rows] = parseCsv(res.body);
    expect(header!.slice(0, 4)).toEqual(['id', 'key', 'type', 'status']);
    expect(rows.every((r) => r.length === header!.length)).toBe(true);
    expect(rows.map((r) => r[1]).sort()).toEqual(model.filter(visible).map((s) => s.key).sort());
    const col = (name: string) => header!.indexOf(name);
    const k8 = rows.find((r) => r[1] === 'k8')!;
    expect(k8[col('name_a')]).toBe('ACME, "BIG" TANKER');
    expect(res.body).toContain('"ACME, ""BIG"" TANKER"');
    // Text that a spreadsheet would evaluate is neutralised; negative numbers stay numbers.
    expect(k8[col('name_b')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(k8[col('triage_note')]).toBe(`'-3 kn drift, =not a transfer`);
    expect(rows.find((r) => r[1] === 'k7')![col('lon')]).toBe('-70');
    expect(rows.find((r) => r[1] === 'k7')![col('watchlists')]).toBe('eu;ofac');
    const viaParam = await list('format=csv&limit=2');
    expect(viaParam.body).toBe(res.body);
  });
});
