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

/**
 * A batch's positions as columns (ingest's batches), for writePositionBuckets without an object
 * per position. `sog` holds NaN for no speed: a bucket's speed is stored NULL for either.
 */
export interface BucketColumns {
  length: number;
  mmsi: ArrayLike<number>;
  ts: ArrayLike<number>;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  sog: ArrayLike<number>;
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

/** Values of BucketRows, one column per field. */
const ROW_FIELDS = ['mmsi', 'bucket', 'firstTs', 'firstLon', 'firstLat', 'firstSog', 'lastTs', 'lastLon', 'lastLat', 'lastSog', 'lonMin', 'lonMax', 'latMin', 'latMax'] as const;

/**
 * One row per (mmsi, bucket) of a batch, as columns of doubles (a speed: NaN for none). Rows are
 * folded in batch order, so on equal times the earlier observation of the batch wins, as it does in
 * `positions` (the staging INSERT … ON CONFLICT DO NOTHING keeps the first). Columns, not an object
 * per row: a row lives through the batch's COPY and upsert (≈ 160 ms), long enough for V8 to promote
 * it, and a row object's nullable speed boxed a number on every update (issue 16: ≈ 180 B of
 * garbage per ingested position, most of it promoted).
 */
class BucketRows {
  length = 0;
  readonly columns: Record<(typeof ROW_FIELDS)[number], Float64Array>;
  /** Each vessel's row last folded into, and, once a vessel has several, each of its buckets' rows. */
  private readonly latest = new Map<number, number>();
  private readonly byVessel = new Map<number, Map<number, number>>();

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.columns = Object.fromEntries(ROW_FIELDS.map((f) => [f, new Float64Array(n)])) as BucketRows['columns'];
  }

  /**
   * Folds position `i` of `p`. Reads the columns itself: doubles passed as arguments to a call
   * V8 does not inline are boxed, ≈ 60 B a position.
   */
  add(p: BucketColumns, i: number): void {
    const mmsi = p.mmsi[i]!;
    const ts = p.ts[i]!;
    const lon = p.lon[i]!;
    const lat = p.lat[i]!;
    const c = this.columns;
    const bucket = Math.floor(ts / BUCKET_MS);
    let row = this.latest.get(mmsi);
    if (row === undefined || !sameKey(c.bucket[row]!, bucket)) {
      // Another bucket than the vessel's latest row (or a new vessel): look it up, or start it.
      let buckets = this.byVessel.get(mmsi);
      if (row !== undefined && buckets === undefined) this.byVessel.set(mmsi, (buckets = new Map([[c.bucket[row]!, row]])));
      const found = buckets?.get(bucket);
      if (found === undefined) {
        row = this.start(mmsi, bucket, ts, lon, lat, p.sog[i]!);
        buckets?.set(bucket, row);
        this.latest.set(mmsi, row);
        return;
      }
      row = found;
      this.latest.set(mmsi, row);
    }
    if (ts < c.firstTs[row]!) {
      c.firstTs[row] = ts;
      c.firstLon[row] = lon;
      c.firstLat[row] = lat;
      c.firstSog[row] = p.sog[i]!;
    }
    if (ts > c.lastTs[row]!) {
      c.lastTs[row] = ts;
      c.lastLon[row] = lon;
      c.lastLat[row] = lat;
      c.lastSog[row] = p.sog[i]!;
    }
    if (lon < c.lonMin[row]!) c.lonMin[row] = lon;
    if (lon > c.lonMax[row]!) c.lonMax[row] = lon;
    if (lat < c.latMin[row]!) c.latMin[row] = lat;
    if (lat > c.latMax[row]!) c.latMax[row] = lat;
  }

  /** Row indices in key order (mmsi, bucket; stable), so concurrent writers lock shared buckets in the same order. */
  order(): number[] {
    const { mmsi, bucket } = this.columns;
    const order = Array.from({ length: this.length }, (_, i) => i);
    return order.sort((a, b) => mmsi[a]! - mmsi[b]! || bucket[a]! - bucket[b]!);
  }

  private start(mmsi: number, bucket: number, ts: number, lon: number, lat: number, sog: number): number {
    const row = this.length;
    if (row === this.columns.mmsi.length) this.grow(row * 2);
    const c = this.columns;
    c.mmsi[row] = mmsi;
    c.bucket[row] = bucket;
    c.firstTs[row] = c.lastTs[row] = ts;
    c.firstLon[row] = c.lastLon[row] = c.lonMin[row] = c.lonMax[row] = lon;
    c.firstLat[row] = c.lastLat[row] = c.latMin[row] = c.latMax[row] = lat;
    c.firstSog[row] = c.lastSog[row] = sog;
    this.length = row + 1;
    return row;
  }

  private grow(capacity: number): void {
    for (const f of ROW_FIELDS) {
      const grown = new Float64Array(capacity);
      grown.set(this.columns[f]);
      this.columns[f] = grown;
    }
  }
}

/** Map key equality (SameValueZero): the bucket a Map lookup would find. */
function sameKey(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

function isColumns(positions: Iterable<BucketInput> | BucketColumns): positions is BucketColumns {
  return typeof (positions as Partial<Iterable<BucketInput>>)[Symbol.iterator] !== 'function';
}

function bucketRows(positions: Iterable<BucketInput> | BucketColumns): BucketRows {
  const columns = isColumns(positions) ? positions : columnsOf(positions);
  const rows = new BucketRows(Math.min(columns.length, 4096));
  for (let i = 0; i < columns.length; i++) rows.add(columns, i);
  return rows;
}

function columnsOf(positions: Iterable<BucketInput>): BucketColumns {
  const c = { length: 0, mmsi: [] as number[], ts: [] as number[], lon: [] as number[], lat: [] as number[], sog: [] as number[] };
  for (const p of positions) {
    c.mmsi.push(p.mmsi);
    c.ts.push(p.ts);
    c.lon.push(p.lon);
    c.lat.push(p.lat);
    c.sog.push(p.sog ?? NaN);
    c.length++;
  }
  return c;
}

/**
 * One row per (mmsi, bucket) of a batch, in key order. On equal times the earlier observation of
 * the batch wins, as it does in `positions`. A speed of none (or NaN) is null.
 */
export function aggregateBuckets(positions: Iterable<BucketInput> | BucketColumns): BucketRow[] {
  const rows = bucketRows(positions);
  const c = rows.columns;
  const speed = (x: number) => (Number.isNaN(x) ? null : x);
  return rows.order().map((i) => ({
    mmsi: c.mmsi[i]!,
    bucket: c.bucket[i]!,
    firstTs: c.firstTs[i]!,
    firstLon: c.firstLon[i]!,
    firstLat: c.firstLat[i]!,
    firstSog: speed(c.firstSog[i]!),
    lastTs: c.lastTs[i]!,
    lastLon: c.lastLon[i]!,
    lastLat: c.lastLat[i]!,
    lastSog: speed(c.lastSog[i]!),
    lonMin: c.lonMin[i]!,
    lonMax: c.lonMax[i]!,
    latMin: c.latMin[i]!,
    latMax: c.latMax[i]!,
  }));
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
export async function writePositionBuckets(client: pg.ClientBase, positions: Iterable<BucketInput> | BucketColumns): Promise<number> {
  const rows = bucketRows(positions);
  if (rows.length === 0) return 0;
  // Binary COPY rows into one buffer, not a text line per bucket: the lines (and the
  // string of each value) lived until the COPY and the upsert were done, long enough for V8 to
  // promote them — ≈ 2 MB a batch, the largest promoted allocation of ingest (issue 16). float8
  // goes as the double's 8 bytes (exact, like the shortest round-trip text); a speed goes as the
  // float32 nearest the double, which is what text of Math.fround(x) stored.
  // One buffer per call, sized for its rows: the COPY stream keeps a reference until the server
  // takes the data, and two ingest writers call this concurrently on their own connections.
  const w = new BinaryCopyWriter(64 + rows.length * 170).begin();
  const c = rows.columns;
  for (const i of rows.order()) {
    w.row(14, 14 * 12);
    w.int4(c.mmsi[i]!);
    w.int4(c.bucket[i]!);
    w.float8(c.firstTs[i]!);
    w.float8(c.firstLon[i]!);
    w.float8(c.firstLat[i]!);
    if (Number.isNaN(c.firstSog[i]!)) w.null();
    else w.float4(c.firstSog[i]!);
    w.float8(c.lastTs[i]!);
    w.float8(c.lastLon[i]!);
    w.float8(c.lastLat[i]!);
    if (Number.isNaN(c.lastSog[i]!)) w.null();
    else w.float4(c.lastSog[i]!);
    w.float8(c.lonMin[i]!);
    w.float8(c.lonMax[i]!);
    w.float8(c.latMin[i]!);
    w.float8(c.latMax[i]!);
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
