// The detector's bucketed read path (migrations/0007_position_buckets.sql) against the raw
// positions it replaces: the buckets ingest maintains equal a recomputation from `positions`
// whatever the batch order, overlap or re-ingestion, and the detector's events from the buckets
// equal its events from every raw report (shared MMSI, antimeridian, fast ship, meetings).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES, detectWindow, windowContext } from '@rendezvous/detection';
import { createTrackRepository } from '@rendezvous/db';
import type { PositionObservation } from '@rendezvous/feeds';
import { DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import { mulberry32 } from '@rendezvous/test-support';
import { toDetectorTracks } from '../../services/detector/src/track-splitting.ts';
import { loadWindowPositions } from '../../services/detector/src/window-detector.ts';
import { openTestDatabase, resetIngestTables } from '../support/harness.ts';
import { position as obs, storePositions } from '../support/positions.ts';

const database = openTestDatabase();
afterAll(() => database.close());
beforeEach(() => resetIngestTables(database));

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 5, 1);

/**
 * 30 h of traffic: a meeting pair (3 h at 150 m), a loitering pair 800 m apart, a ship at
 * 30 kn, one crossing the antimeridian, a shared MMSI (two transmitters 200 km apart,
 * interleaved), slow drifters and a vessel with silences of 45 and 90 min. Irregular
 * reporting (5 s – 6 min), reported SOG sometimes missing.
 */
function traffic(): PositionObservation[] {
  const r = mulberry32(7);
  const out: PositionObservation[] = [];
  const sail = (mmsi: number, lon0: number, lat0: number, kn: number, course: number, gap: (t: number) => boolean = () => false) => {
    for (let t = T0 + Math.round(r() * MIN); t < T0 + 30 * HOUR; t += 5_000 + Math.round(r() * 355_000)) {
      if (gap(t)) continue;
      const m = ((t - T0) / 1000) * kn * 0.514444;
      const lat = lat0 + (m * Math.cos((course * Math.PI) / 180)) / 111_132;
      let lon = lon0 + (m * Math.sin((course * Math.PI) / 180)) / (111_320 * Math.cos((lat0 * Math.PI) / 180));
      if (lon > 180) lon -= 360;
      out.push(obs(mmsi, t, lon, lat, r() < 0.1 ? null : kn + (r() - 0.5) * 0.4));
    }
  };
  // Meeting: both lie 150 m apart from 08:00 to 11:00, sail elsewhere before and after.
  for (const [mmsi, dLon] of [[247000001, 0], [247000002, 0.0019]] as const) {
    for (let t = T0 + Math.round(r() * MIN); t < T0 + 30 * HOUR; t += 10_000 + Math.round(r() * 170_000)) {
      const h = (t - T0) / HOUR;
      const away = h < 8 ? 8 - h : h > 11 ? h - 11 : 0;
      out.push(obs(mmsi, t, 23.1 + dLon + away * 0.05 * (mmsi % 2 ? 1 : -1), 36.4, away > 0 ? 8 : 0.1));
    }
  }
  sail(247000003, 23.2, 36.5, 0.3, 90);
  sail(247000004, 23.2, 36.5072, 0.3, 90); // 800 m north of 247000003: no meeting
  sail(247000005, 23.0, 36.45, 30, 45);
  sail(412000006, 179.9, 10, 12, 90); // crosses ±180°
  sail(247000007, 23.15, 36.41, 0.5, 0, (t) => (t > T0 + 9 * HOUR && t < T0 + 9 * HOUR + 45 * MIN) || (t > T0 + 14 * HOUR && t < T0 + 15.5 * HOUR));
  for (let v = 0; v < 6; v++) sail(247000010 + v, 23 + r() * 0.3, 36.3 + r() * 0.2, r() * 1.5, r() * 360);
  // Shared MMSI: one transmitter lies near the meeting, the other 200 km away; interleaved.
  for (let t = T0; t < T0 + 30 * HOUR; t += 60_000) {
    out.push(obs(247000099, t + Math.round(r() * 1000), 23.1, 36.4 + 0.003, 0.2));
    out.push(obs(247000099, t + 30_000 + Math.round(r() * 1000), 25.3, 36.9, 0.1));
  }
  return out;
}

/** What the buckets must hold, recomputed from `positions` (first/last report by time, extent). */
const EXPECTED_SQL = `
  SELECT mmsi, bucket,
         (array_agg(ts ORDER BY ts))[1] AS first_ts, (array_agg(ST_X(geom) ORDER BY ts))[1] AS first_lon,
         (array_agg(ST_Y(geom) ORDER BY ts))[1] AS first_lat, (array_agg(sog ORDER BY ts))[1] AS first_sog,
         (array_agg(ts ORDER BY ts DESC))[1] AS last_ts, (array_agg(ST_X(geom) ORDER BY ts DESC))[1] AS last_lon,
         (array_agg(ST_Y(geom) ORDER BY ts DESC))[1] AS last_lat, (array_agg(sog ORDER BY ts DESC))[1] AS last_sog,
         min(ST_X(geom)) AS lon_min, max(ST_X(geom)) AS lon_max, min(ST_Y(geom)) AS lat_min, max(ST_Y(geom)) AS lat_max
  FROM (SELECT *, floor(extract(epoch FROM ts) / 600)::integer AS bucket FROM positions) p
  GROUP BY 1, 2 ORDER BY 1, 2`;
const STORED_SQL = `
  SELECT mmsi, bucket, first_ts, first_lon, first_lat, first_sog, last_ts, last_lon, last_lat, last_sog, lon_min, lon_max, lat_min, lat_max
  FROM position_buckets ORDER BY 1, 2`;

const ingest = (batches: PositionObservation[][]) => storePositions(database, ...batches);

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

describe('position buckets (the detector read path)', () => {
  it('equal a recomputation from positions, whatever the order, overlap and re-ingestion of batches', async () => {
    const all = traffic();
    const r = mulberry32(11);
    const shuffled = [...all].sort(() => r() - 0.5);
    // Time-ordered live batches, then the same data again shuffled (late, out of order, all
    // already stored), then a batch re-reporting stored keys with other positions (a tie: the
    // stored report must win, as in positions).
    const byTime = [...all].sort((a, b) => a.ts - b.ts);
    const clash = all.filter((p, i) => i % 97 === 0 && p.lon < 179).map((p) => ({ ...p, lon: p.lon - 0.5, lat: p.lat + 0.5 }));
    await ingest([...chunks(byTime.slice(0, byTime.length / 2), 5000), ...chunks(shuffled, 3000), clash, ...chunks(byTime.slice(byTime.length / 2), 777)]);
    const stored = (await database.pool.query(STORED_SQL)).rows;
    const expected = (await database.pool.query(EXPECTED_SQL)).rows;
    expect(stored.length).toBeGreaterThan(1000);
    const firstLast = (rows: Record<string, unknown>[]) => rows.map(({ lon_min, lon_max, lat_min, lat_max, ...rest }) => rest);
    expect(firstLast(stored)).toEqual(firstLast(expected));
    // The extent counts the clashing reports that positions refused: it may only be wider than
    // the stored reports' (a larger spread bound, so a vessel read raw), never narrower.
    const wider = stored.filter((s, i) => s.lon_min < expected[i].lon_min || s.lat_max > expected[i].lat_max);
    expect(wider.length).toBeGreaterThan(0);
    stored.forEach((s, i) => {
      const e = expected[i];
      expect([s.lon_min <= e.lon_min, s.lon_max >= e.lon_max, s.lat_min <= e.lat_min, s.lat_max >= e.lat_max]).toEqual([true, true, true, true]);
    });
    const positions = Number((await database.pool.query('SELECT count(*) AS n FROM positions')).rows[0].n);
    expect(positions).toBe(new Set(all.map((p) => `${p.mmsi}@${p.ts}`)).size);
  });

  it('are unchanged by re-ingesting, equal the recomputation without clashes, and are emptied with positions', async () => {
    const all = traffic();
    await ingest(chunks([...all].reverse(), 4000));
    const once = (await database.pool.query(STORED_SQL)).rows;
    expect(once).toEqual((await database.pool.query(EXPECTED_SQL)).rows);
    await ingest(chunks(all, 2500)); // everything again
    expect((await database.pool.query(STORED_SQL)).rows).toEqual(once);
    await database.pool.query('TRUNCATE positions');
    expect(Number((await database.pool.query('SELECT count(*) AS n FROM position_buckets')).rows[0].n)).toBe(0);
  });

  it('give the detector exactly the events of every raw report (windows of 24 h and 6 h)', async () => {
    await ingest(chunks(traffic(), 4000));
    const repo = createTrackRepository(database.pool);
    for (const [from, to] of [
      [T0, T0 + 24 * HOUR],
      [T0 + 6 * HOUR, T0 + 12 * HOUR],
    ] as const) {
      const context = windowContext(DEFAULT_PROFILES, from, to, 12 * HOUR);
      const range = { from: new Date(context.from), to: new Date(context.to), bbox: null };
      const raw = await repo.load(range);
      const { positions, rawVessels } = await loadWindowPositions(repo, range, true);
      // The bucketed read is smaller; the shared MMSI (and any vessel a bucket cannot clear) is read raw.
      const n = (ps: typeof raw, mmsi: number) => ps.find((p) => p.mmsi === mmsi)!.t.length;
      expect(n(positions, 247000001)).toBeLessThan(n(raw, 247000001));
      expect(positions.reduce((s, p) => s + p.t.length, 0)).toBeLessThan(raw.reduce((s, p) => s + p.t.length, 0));
      expect(rawVessels).toBeGreaterThanOrEqual(1);
      expect(n(positions, 247000099)).toBe(n(raw, 247000099));
      const fromRaw = toDetectorTracks(raw, DEFAULT_IDENTITY_OPTIONS);
      const fromBuckets = toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS);
      expect(fromBuckets.splitMmsis).toEqual(fromRaw.splitMmsis);
      expect(fromRaw.splitMmsis).toContain(247000099);
      const a = detectWindow(fromRaw.tracks, { from, to, context });
      const b = detectWindow(fromBuckets.tracks, { from, to, context });
      expect(b).toEqual(a);
      expect(a.events.map((e) => e.pairKey)).toContain('247000001-247000002');
      // Last report of each vessel (status ongoing/closed is decided on it) is the same.
      expect(positions.map((p) => [p.mmsi, p.t.at(-1)])).toEqual(raw.map((p) => [p.mmsi, p.t.at(-1)]));
    }
  });
});
