import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryCopyWriter } from '../copy-binary.ts';

/**
 * The detector's reduced read path (migrations/0007_position_buckets.sql): per vessel and
 * 10-minute bucket, the first and last report and the extent of all reports. Exact for any grid
 * step that is a multiple of BUCKET_MS (the default 10-minute grid: DESIGN.md, GFW).
 */
export const BUCKET_MS = 600_000;

/** What a bucket needs of a stored position (ingest's observations and the bench's rows). */
export interface BucketInput {
  mmsi: number;
  /** Epoch ms. */
  ts: number;
  lon: number;
  lat: number;
  sog: number | null;
}

interface BucketRow {
  mmsi: number;
  bucket: number;
  firstTs: number;
  firstLon: number;
  firstLat: number;
  firstSog: number | null;
  lastTs: number;
  lastLon: number;
  lastLat: number;
  lastSog: number | null;
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

/**
 * One row per (mmsi, bucket) of a batch. On equal times the earlier observation of the batch
 * wins, as it does in `positions` (the staging INSERT … ON CONFLICT DO NOTHING keeps the first).
 */
export function aggregateBuckets(positions: Iterable<BucketInput>): BucketRow[] {
  const byVessel = new Map<number, Map<number, BucketRow>>();
  const rows: BucketRow[] = [];
  for (const p of positions) {
    let buckets = byVessel.get(p.mmsi);
    if (!buckets) byVessel.set(p.mmsi, (buckets = new Map()));
    const bucket = Math.floor(p.ts / BUCKET_MS);
    const row = buckets.get(bucket);
    if (!row) {
      const r: BucketRow = {
        mmsi: p.mmsi,
        bucket,
        firstTs: p.ts,
        firstLon: p.lon,
        firstLat: p.lat,
        firstSog: p.sog,
        lastTs: p.ts,
        lastLon: p.lon,
        lastLat: p.lat,
        lastSog: p.sog,
        lonMin: p.lon,
        lonMax: p.lon,
        latMin: p.lat,
        latMax: p.lat,
      };
      buckets.set(bucket, r);
      rows.push(r);
      continue;
    }
    if (p.ts < row.firstTs) [row.firstTs, row.firstLon, row.firstLat, row.firstSog] = [p.ts, p.lon, p.lat, p.sog];
    if (p.ts > row.lastTs) [row.lastTs, row.lastLon, row.lastLat, row.lastSog] = [p.ts, p.lon, p.lat, p.sog];
    if (p.lon < row.lonMin) row.lonMin = p.lon;
    if (p.lon > row.lonMax) row.lonMax = p.lon;
    if (p.lat < row.latMin) row.latMin = p.lat;
    if (p.lat > row.latMax) row.latMax = p.lat;
  }
  // Rows in key order, so concurrent writers lock shared buckets in the same order.
  return rows.sort((a, b) => a.mmsi - b.mmsi || a.bucket - b.bucket);
}

/** Per-connection staging table (create once per connection). */
export const BUCKETS_STAGING_SQL = `
  CREATE TEMP TABLE IF NOT EXISTS position_buckets_in (
    mmsi integer, bucket integer,
    first_ms float8, first_lon float8, first_lat float8, first_sog real,
    last_ms float8, last_lon float8, last_lat float8, last_sog real,
    lon_min float8, lon_max float8, lat_min float8, lat_max float8
  ) ON COMMIT DELETE ROWS`;

// LEAST/GREATEST semantics: an earlier first or a later last report replaces the stored one
// (a tie keeps the stored report, as the positions primary key does); the extent only grows.
// Order of batches, late data and re-ingesting therefore leave the same rows; a batch that
// changes nothing writes nothing (the WHERE).
const UPSERT_BUCKETS_SQL = `
  INSERT INTO position_buckets AS b (mmsi, bucket, first_ts, first_lon, first_lat, first_sog,
                                     last_ts, last_lon, last_lat, last_sog, lon_min, lon_max, lat_min, lat_max)
  SELECT mmsi, bucket,
         to_timestamp(first_ms / 1000.0), first_lon, first_lat, first_sog,
         to_timestamp(last_ms / 1000.0), last_lon, last_lat, last_sog,
         lon_min, lon_max, lat_min, lat_max
  FROM position_buckets_in
  ORDER BY mmsi, bucket
  ON CONFLICT (mmsi, bucket) DO UPDATE SET
    first_ts = CASE WHEN EXCLUDED.first_ts < b.first_ts THEN EXCLUDED.first_ts ELSE b.first_ts END,
    first_lon = CASE WHEN EXCLUDED.first_ts < b.first_ts THEN EXCLUDED.first_lon ELSE b.first_lon END,
    first_lat = CASE WHEN EXCLUDED.first_ts < b.first_ts THEN EXCLUDED.first_lat ELSE b.first_lat END,
    first_sog = CASE WHEN EXCLUDED.first_ts < b.first_ts THEN EXCLUDED.first_sog ELSE b.first_sog END,
    last_ts = CASE WHEN EXCLUDED.last_ts > b.last_ts THEN EXCLUDED.last_ts ELSE b.last_ts END,
    last_lon = CASE WHEN EXCLUDED.last_ts > b.last_ts THEN EXCLUDED.last_lon ELSE b.last_lon END,
    last_lat = CASE WHEN EXCLUDED.last_ts > b.last_ts THEN EXCLUDED.last_lat ELSE b.last_lat END,
    last_sog = CASE WHEN EXCLUDED.last_ts > b.last_ts THEN EXCLUDED.last_sog ELSE b.last_sog END,
    lon_min = least(b.lon_min, EXCLUDED.lon_min),
    lon_max = greatest(b.lon_max, EXCLUDED.lon_max),
    lat_min = least(b.lat_min, EXCLUDED.lat_min),
    lat_max = greatest(b.lat_max, EXCLUDED.lat_max)
  WHERE EXCLUDED.first_ts < b.first_ts OR EXCLUDED.last_ts > b.last_ts
     OR EXCLUDED.lon_min < b.lon_min OR EXCLUDED.lon_max > b.lon_max
     OR EXCLUDED.lat_min < b.lat_min OR EXCLUDED.lat_max > b.lat_max`;

/**
 * Folds a batch of stored positions into `position_buckets`. Call it in the transaction that
 * writes the positions (the staging table empties at COMMIT, so autocommit would lose the rows),
 * on a connection where BUCKETS_STAGING_SQL has run. Positions of the batch
 * that were already stored may be included: they change nothing.
 */
export async function writePositionBuckets(client: pg.ClientBase, positions: Iterable<BucketInput>): Promise<number> {
  const rows = aggregateBuckets(positions);
  if (rows.length === 0) return 0;
  // Binary COPY rows into one buffer, not a text line per bucket: the lines (and the
  // string of each value) lived until the COPY and the upsert were done, long enough for V8 to
  // promote them — ≈ 2 MB a batch, the largest promoted allocation of ingest (issue 16). float8
  // goes as the double's 8 bytes (exact, like the shortest round-trip text); a speed goes as the
  // float32 nearest the double, which is what text of Math.fround(x) stored.
  // One buffer per call, sized for its rows: the COPY stream keeps a reference until the server
  // takes the data, and two ingest writers call this concurrently on their own connections.
  const w = new BinaryCopyWriter(64 + rows.length * 170).begin();
  for (const r of rows) {
    w.row(14, 14 * 12);
    w.int4(r.mmsi);
    w.int4(r.bucket);
    w.float8(r.firstTs);
    w.float8(r.firstLon);
    w.float8(r.firstLat);
    if (r.firstSog === null || Number.isNaN(r.firstSog)) w.null();
    else w.float4(r.firstSog);
    w.float8(r.lastTs);
    w.float8(r.lastLon);
    w.float8(r.lastLat);
    if (r.lastSog === null || Number.isNaN(r.lastSog)) w.null();
    else w.float4(r.lastSog);
    w.float8(r.lonMin);
    w.float8(r.lonMax);
    w.float8(r.latMin);
    w.float8(r.latMax);
  }
  const data = w.end();
  await client.query('DELETE FROM position_buckets_in'); // a second call in one transaction
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom('COPY position_buckets_in FROM STDIN (FORMAT binary)'));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(data);
  });
  await client.query(UPSERT_BUCKETS_SQL);
  return rows.length;
}
