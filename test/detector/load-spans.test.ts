// TrackRepository.loadSpans (the detector's evidence and raw-loitering reads: one binary COPY of
// a primary-key range scan per span) against one plain query per span: the same reports per
// vessel, time-ordered, in MMSI order, including a vessel with several spans (merged into one
// ordered track). No test covered this read on its own before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackRepository, type ColumnarPositions } from '@rendezvous/db';
import { mulberry32 } from '@rendezvous/test-support';
import { openTestDatabase, resetIngestTables } from '../support/harness.ts';
import { position as obs, storePositions } from '../support/positions.ts';

const database = openTestDatabase();
afterAll(() => database.close());

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 5, 1);
const VESSELS = 80;
const MMSI0 = 247_100_000;

beforeAll(async () => {
  await resetIngestTables(database);
  const r = mulberry32(16);
  const out = [];
  for (let v = 0; v < VESSELS; v++) {
    for (let t = T0 + Math.round(r() * MIN); t < T0 + 12 * HOUR; t += 20_000 + Math.round(r() * 160_000)) {
      out.push(obs(MMSI0 + v, t, 23 + v * 0.01 + (t - T0) / HOUR / 100, 36 + r() * 0.001, r() < 0.1 ? null : 5 + r()));
    }
  }
  await storePositions(database, out);
});

type Span = { mmsi: number; from: number; to: number };

/** One plain query per span, merged per vessel in time order: what loadSpans must return. */
async function expected(spans: readonly Span[]): Promise<Map<number, { t: number[]; lon: number[]; lat: number[]; sog: number[] }>> {
  const out = new Map<number, { t: number[]; lon: number[]; lat: number[]; sog: number[] }>();
  const rows: { mmsi: number; t: number; lon: number; lat: number; sog: number }[] = [];
  for (const s of spans) {
    const { rows: r } = await database.pool.query<{ mmsi: number; t: number; lon: number; lat: number; sog: number | null }>(
      `SELECT mmsi, (extract(epoch FROM ts) * 1000)::float8 AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat, sog::float8 AS sog
       FROM positions WHERE mmsi = $1 AND ts >= $2 AND ts <= $3 ORDER BY ts`,
      [s.mmsi, new Date(s.from), new Date(s.to)],
    );
    for (const x of r) rows.push({ ...x, sog: x.sog === null ? Number.NaN : x.sog });
  }
  rows.sort((a, b) => a.mmsi - b.mmsi || a.t - b.t);
  for (const x of rows) {
    const p = out.get(x.mmsi) ?? { t: [], lon: [], lat: [], sog: [] };
    p.t.push(x.t);
    p.lon.push(x.lon);
    p.lat.push(x.lat);
    p.sog.push(x.sog);
    out.set(x.mmsi, p);
  }
  return out;
}

function plain(got: Map<number, ColumnarPositions>) {
  return new Map([...got].map(([m, p]) => [m, { t: [...p.t], lon: [...p.lon], lat: [...p.lat], sog: [...p.sog] }]));
}

describe('TrackRepository.loadSpans', () => {
  const tracks = createTrackRepository(database.pool);

  it('5 to 80 spans give the reports of a query per span, by vessel in MMSI order', async () => {
    const r = mulberry32(3);
    for (const n of [5, 31, 32, VESSELS]) {
      const spans: Span[] = Array.from({ length: n }, (_, i) => {
        const from = T0 + Math.round(r() * 8 * HOUR);
        return { mmsi: MMSI0 + ((i * 7) % VESSELS), from, to: from + Math.round((0.5 + r() * 4) * HOUR) };
      });
      const got = await tracks.loadSpans(spans);
      const want = await expected(spans);
      expect([...got.keys()]).toEqual([...want.keys()]);
      expect(plain(got)).toEqual(want);
      expect([...got.values()].reduce((s, p) => s + p.t.length, 0)).toBeGreaterThan(n * 10);
    }
  });

  it('a vessel with several spans comes back as one time-ordered track', async () => {
    const spans: Span[] = [];
    for (let v = 0; v < 40; v++) {
      spans.push({ mmsi: MMSI0 + v, from: T0 + HOUR, to: T0 + 2 * HOUR });
      spans.push({ mmsi: MMSI0 + v, from: T0 + (4 + (v % 5)) * HOUR, to: T0 + (5 + (v % 5)) * HOUR + v * MIN });
    }
    const got = await tracks.loadSpans(spans);
    expect(plain(got)).toEqual(await expected(spans));
    for (const p of got.values()) for (let i = 1; i < p.t.length; i++) expect(p.t[i]!).toBeGreaterThan(p.t[i - 1]!);
  });

  it('no spans: nothing read', async () => {
    expect((await tracks.loadSpans([])).size).toBe(0);
  });
});
