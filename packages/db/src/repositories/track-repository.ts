import type pg from 'pg';
import { ValidationError } from '@rendezvous/errors';
import { BUCKET_MS } from './position-buckets.ts';
import { copyBinaryRows, integerArrayLiteral, numberLiteral, timestampLiteral, timestampMs } from './copy-binary.ts';

/** One vessel's positions over a time range, column-wise (no object per point). */
export interface ColumnarPositions {
  mmsi: number;
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** Knots; NaN when not reported. */
  sog: Float64Array;
}

/**
 * One vessel's first and last report of every 10-minute bucket in a range (time-ordered), plus
 * an upper bound of the distance between any two reports of one bucket.
 */
export interface BucketedPositions extends ColumnarPositions {
  maxSpreadM: number;
}

/** Degrees; west > east is a box crossing the antimeridian. */
export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** One report of a vessel's track for display: time (ms since the epoch) and position. */
export interface TrackFix {
  t: number;
  lon: number;
  lat: number;
}

export interface TrackRange {
  from: Date;
  to: Date;
  /** Only vessels with a position inside this box in the range. */
  bbox?: Bbox | null;
  /** Only these vessels. */
  mmsis?: readonly number[] | null;
}

/**
 * Reads of `positions` and `position_buckets`: the detector's, by binary COPY parsed straight
 * into typed arrays and grouped by MMSI in Node (rows come in storage order, roughly by time;
 * a vessel's rows are sorted only when they are not already in order). Day partitions and BRIN
 * indexes on time prune the scans.
 */
export function createTrackRepository(pool: pg.Pool) {
  async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  return {
    /**
     * One vessel's reports in [from, to), time-ordered, as objects (the API's track route). More
     * than `maxFixes` is refused with a ValidationError asking for a shorter range, before they
     * are all held in memory.
     */
    async vesselFixes(mmsi: number, from: Date, to: Date, maxFixes: number): Promise<TrackFix[]> {
      // Served by the (mmsi, ts) primary key of the day partitions the range prunes to.
      const { rows } = await pool.query<TrackFix>(
        `SELECT (extract(epoch FROM ts) * 1000)::float8 AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat
           FROM positions WHERE mmsi = $1 AND ts >= $2 AND ts < $3 ORDER BY ts LIMIT $4`,
        [mmsi, from, to, maxFixes + 1],
      );
      if (rows.length > maxFixes) {
        throw new ValidationError(`more than ${maxFixes} positions between ${from.toISOString()} and ${to.toISOString()}: ask for a shorter range`);
      }
      return rows;
    },

    /**
     * Each vessel's first report at or after `after` and before `before` (from the 10-minute
     * buckets: one primary-key range scan per vessel), e.g. where a vessel silent at the end of
     * a window's data reappeared. Vessels not heard again in the range are absent.
     */
    async nextReports(mmsis: readonly number[], after: Date, before: Date): Promise<Map<number, { t: number; lon: number; lat: number; sog: number | null }>> {
      if (mmsis.length === 0) return new Map();
      const { rows } = await pool.query<{ mmsi: number; t: number; lon: number; lat: number; sog: number | null }>(
        // A bucket that straddles `after` holds a report after it only in its last report.
        `SELECT m.mmsi, (extract(epoch FROM b.ts) * 1000)::float8 AS t, b.lon, b.lat, b.sog::float8 AS sog
           FROM unnest($1::int[]) AS m(mmsi)
           CROSS JOIN LATERAL (
             SELECT CASE WHEN first_ts >= $2 THEN first_ts ELSE last_ts END AS ts,
                    CASE WHEN first_ts >= $2 THEN first_lon ELSE last_lon END AS lon,
                    CASE WHEN first_ts >= $2 THEN first_lat ELSE last_lat END AS lat,
                    CASE WHEN first_ts >= $2 THEN first_sog ELSE last_sog END AS sog
               FROM position_buckets
              WHERE mmsi = m.mmsi AND bucket >= floor(extract(epoch FROM $2::timestamptz) / 600)::int AND bucket < ceil(extract(epoch FROM $3::timestamptz) / 600)::int
                AND last_ts >= $2
              ORDER BY bucket LIMIT 1) b
          WHERE b.ts < $3`,
        [[...mmsis], after, before],
      );
      return new Map(rows.map((r) => [r.mmsi, { t: r.t, lon: r.lon, lat: r.lat, sog: r.sog }]));
    },

    /** Every stored report in [from, to), grouped by MMSI (ascending) and time-ordered. */
    async load(range: TrackRange): Promise<ColumnarPositions[]> {
      return readReports(`COPY (SELECT mmsi, ts, geom, sog FROM positions
        WHERE ts >= ${timestampLiteral(range.from.getTime())} AND ts < ${timestampLiteral(range.to.getTime())}
        ${vesselFilter(range)}) TO STDOUT (FORMAT binary)`);
    },

    /**
     * The bucketed reduction of [from, to): from and to must be multiples of BUCKET_MS (a range
     * that cuts a bucket would need that bucket's reports inside the range only).
     */
    async loadBuckets(range: TrackRange): Promise<BucketedPositions[]> {
      const from = range.from.getTime();
      const to = range.to.getTime();
      if (from % BUCKET_MS !== 0 || to % BUCKET_MS !== 0) throw new RangeError('bucketed loads need a range aligned to 10 minutes');
      // spread_m: an upper bound of the distance between two reports of the bucket (0007).
      const copy = (b0: number, b1: number) => `COPY (SELECT mmsi, first_ts, first_lon, first_lat, first_sog, last_ts, last_lon, last_lat, last_sog, spread_m
        FROM position_buckets
        WHERE bucket >= ${numberLiteral(b0)} AND bucket < ${numberLiteral(b1)}
        ${vesselFilter(range)}) TO STDOUT (FORMAT binary)`;
      const [b0, b1] = [from / BUCKET_MS, to / BUCKET_MS];
      // A whole window's read is two COPYs of its halves on two connections, at once: the server's
      // side (a CopyData message per row, each field sent) is most of the read's time and runs
      // on one core per COPY, while this process's side keeps up with both. A filtered read
      // (a few vessels, or a box whose vessel list is itself a query) stays one COPY.
      const split = !range.bbox && !range.mmsis && b1 - b0 >= 2;
      return readBuckets(split ? [copy(b0, Math.floor((b0 + b1) / 2)), copy(Math.floor((b0 + b1) / 2), b1)] : [copy(b0, b1)], from, to);
    },

    /**
     * Runs the bucket and report decoders (loadBuckets, load, loadSpans) on rows the server
     * generates (no table read), so that a fresh process's first window does not decode its
     * positions in cold code (the detector's warm-up). The rows are thrown away.
     */
    async warmUpDecoders(): Promise<void> {
      const from = Date.UTC(2000, 0, 3);
      const to = from + 36 * 3_600_000;
      const [b0, b1] = [from / BUCKET_MS, to / BUCKET_MS];
      await readBuckets(
        [`COPY (SELECT v AS mmsi, to_timestamp(b * 600) AS first_ts, -30 + v * 0.01 + b % 1000 * 0.001 AS first_lon, 45::float8 AS first_lat, 10::real AS first_sog,
          to_timestamp(b * 600 + 540) AS last_ts, -30 + v * 0.01 + b % 1000 * 0.001 + 0.0009 AS last_lon, 45::float8 AS last_lat, (CASE WHEN b % 7 = 0 THEN NULL ELSE 10 END)::real AS last_sog, 100::float8 AS spread_m
          FROM generate_series(1, 100) v, generate_series(${numberLiteral(b0)}, ${numberLiteral(b1 - 1)}) b) TO STDOUT (FORMAT binary)`],
        from,
        to,
      );
      await readReports(
        `COPY (SELECT v AS mmsi, to_timestamp(i * 60) AS ts, ST_SetSRID(ST_MakePoint(-30 + v * 0.01 + i % 1000 * 0.0002, 45), 4326) AS geom, (CASE WHEN i % 7 = 0 THEN NULL ELSE 10 END)::real AS sog
          FROM generate_series(1, 20) v, generate_series(${numberLiteral(from / 60_000)}, ${numberLiteral(to / 60_000 - 1)}) i) TO STDOUT (FORMAT binary)`,
      );
    },

    /** Each vessel's stored reports with time in [from, to] (inclusive), e.g. for evidence. */
    async loadSpans(spans: readonly { mmsi: number; from: number; to: number }[]): Promise<Map<number, ColumnarPositions>> {
      if (spans.length === 0) return new Map();
      // LATERAL … OFFSET 0: one primary-key range scan per span. Without the OFFSET the planner
      // flattens it into a hash join over every position of the range (measured 180 ms against
      // a few ms for 148 spans).
      const sql = `COPY (SELECT p.mmsi, p.ts, p.geom, p.sog
        FROM unnest(${integerArrayLiteral(spans.map((s) => s.mmsi))},
                    ARRAY[${spans.map((s) => timestampLiteral(s.from)).join(',')}],
                    ARRAY[${spans.map((s) => timestampLiteral(s.to)).join(',')}]) AS r(mmsi, f, t)
        CROSS JOIN LATERAL (SELECT mmsi, ts, geom, sog FROM positions WHERE mmsi = r.mmsi AND ts >= r.f AND ts <= r.t OFFSET 0) p) TO STDOUT (FORMAT binary)`;
      return new Map((await readReports(sql)).map((p) => [p.mmsi, p]));
    },
  };

  async function readReports(sql: string): Promise<ColumnarPositions[]> {
    const groups = new Groups();
    await withClient((c) => copyBinaryRows(c, sql, 4, (v, o) => groups.addRow(v, o)));
    return groups.finish();
  }

  async function readBuckets(sqls: readonly string[], from: number, to: number): Promise<BucketedPositions[]> {
    const rows = new BucketRows(from / BUCKET_MS, to / BUCKET_MS);
    const onRow = (v: DataView, o: Int32Array) => rows.addRow(v, o);
    // Several COPYs feed one BucketRows: its counting sort orders rows whatever their arrival.
    await Promise.all(sqls.map((sql) => withClient((c) => copyBinaryRows(c, sql, 10, onRow))));
    return rows.byVessel();
  }
}
export type TrackRepository = ReturnType<typeof createTrackRepository>;

function vesselFilter(range: TrackRange): string {
  let out = '';
  if (range.mmsis) out += ` AND mmsi = ANY(${integerArrayLiteral(range.mmsis)})`;
  const bbox = range.bbox;
  if (bbox) {
    const envelope = (west: number, east: number) =>
      `ST_Intersects(geom, ST_MakeEnvelope(${numberLiteral(west)}, ${numberLiteral(bbox.south)}, ${numberLiteral(east)}, ${numberLiteral(bbox.north)}, 4326))`;
    // west > east is a box crossing the antimeridian: lon >= west OR lon <= east (an envelope
    // with xmin > xmax would be read as the box between them, the other way round the globe).
    const inBox = bbox.west <= bbox.east ? envelope(bbox.west, bbox.east) : `(${envelope(bbox.west, 180)} OR ${envelope(-180, bbox.east)})`;
    // Exactly the vessels with a stored report inside the box (not merely a bucket touching it).
    out += ` AND mmsi IN (SELECT DISTINCT mmsi FROM positions
      WHERE ts >= ${timestampLiteral(range.from.getTime())} AND ts < ${timestampLiteral(range.to.getTime())}
      AND ${inBox})`;
  }
  return out;
}

/** Byte offset of x (y follows) in a binary (E)WKB point, with or without an SRID; byte order: ewkbLittle. */
function ewkbXAt(view: DataView, offset: number): number {
  const type = view.getUint32(offset + 1, ewkbLittle(view, offset));
  return offset + 5 + ((type & 0x20000000) !== 0 ? 4 : 0);
}
const ewkbLittle = (view: DataView, offset: number) => view.getUint8(offset) === 1;

/**
 * Rows are kept in fixed-size chunks as they arrive, never in arrays that double: a 2,000-vessel
 * job's buckets came to 288,000 rows, and growing one array per column by doubling (copying
 * each time into fresh memory) took 92 ms of its first job in a CPU profile (23 ms warm).
 */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

interface Vessel {
  mmsi: number;
  n: number;
  lastT: number;
  sorted: boolean;
}

/**
 * The t, lon, lat and sog columns of a whole read, for vessels of these lengths: four arrays that
 * each vessel's columns are views of. Four arrays per vessel (8,000 for a 2,000-vessel window)
 * made V8 account each backing store apart, and its collector ran far more often: the output loop
 * of a 2,000-vessel bucket read took 21–250 ms (GC pauses inside) against 14–63 ms with the views
 * (8 reads each, load 5).
 */
function columnsFor(lengths: ArrayLike<number>): { t: Float64Array; lon: Float64Array; lat: Float64Array; sog: Float64Array } {
  let total = 0;
  for (let i = 0; i < lengths.length; i++) total += lengths[i]!;
  return { t: new Float64Array(total), lon: new Float64Array(total), lat: new Float64Array(total), sog: new Float64Array(total) };
}

/**
 * Rows grouped by MMSI; each vessel's columns allocated once at its final length (a growable
 * array per vessel and column meant four reallocations and copies per doubling, per vessel).
 * Sorted by time at the end where needed.
 */
class Groups {
  private readonly byMmsi = new Map<number, number>();
  private readonly vessels: Vessel[] = [];
  /** Per row: the vessel's ordinal (first-seen order). */
  private readonly ords: Int32Array[] = [];
  /** Per row: t, lon, lat, sog. */
  private readonly data: Float64Array[] = [];
  private n = 0;

  /**
   * A (mmsi, ts, geom, sog) row, decoded here: numbers handed on to another call as arguments
   * are boxed (a heap number each) unless the call is inlined (the decoders' calls were 10 MB of
   * a 500-vessel job's 71 MB of allocations in a heap sampling profile).
   */
  addRow(view: DataView, f: Int32Array): void {
    const mmsi = view.getInt32(f[0]!);
    const t = timestampMs(view, f[1]!);
    const xAt = ewkbXAt(view, f[2]!);
    const little = ewkbLittle(view, f[2]!);
    const lon = view.getFloat64(xAt, little);
    const lat = view.getFloat64(xAt + 8, little);
    const sog = f[3]! < 0 ? Number.NaN : view.getFloat32(f[3]!);
    let ord = this.byMmsi.get(mmsi);
    if (ord === undefined) {
      ord = this.vessels.length;
      this.vessels.push({ mmsi, n: 0, lastT: t, sorted: true });
      this.byMmsi.set(mmsi, ord);
    }
    const v = this.vessels[ord]!;
    if (v.n > 0 && t < v.lastT) v.sorted = false;
    v.n++;
    v.lastT = t;
    const i = this.n++;
    const j = i & CHUNK_MASK;
    if (j === 0) {
      this.ords.push(new Int32Array(CHUNK));
      this.data.push(new Float64Array(CHUNK * 4));
    }
    this.ords[i >> CHUNK_BITS]![j] = ord;
    const d = this.data[i >> CHUNK_BITS]!;
    d[j * 4] = t;
    d[j * 4 + 1] = lon;
    d[j * 4 + 2] = lat;
    d[j * 4 + 3] = sog;
  }

  finish(): ColumnarPositions[] {
    const cols = columnsFor(this.vessels.map((v) => v.n));
    let at = 0;
    const out: ColumnarPositions[] = this.vessels.map((v) => {
      const [a, b] = [at, (at += v.n)];
      return { mmsi: v.mmsi, t: cols.t.subarray(a, b), lon: cols.lon.subarray(a, b), lat: cols.lat.subarray(a, b), sog: cols.sog.subarray(a, b) };
    });
    const fill = new Int32Array(out.length);
    for (let c = 0; c < this.ords.length; c++) {
      const ords = this.ords[c]!;
      const d = this.data[c]!;
      const len = Math.min(CHUNK, this.n - c * CHUNK);
      for (let j = 0; j < len; j++) {
        const ord = ords[j]!;
        const p = out[ord]!;
        const k = fill[ord]!++;
        p.t[k] = d[j * 4]!;
        p.lon[k] = d[j * 4 + 1]!;
        p.lat[k] = d[j * 4 + 2]!;
        p.sog[k] = d[j * 4 + 3]!;
      }
    }
    for (let ord = 0; ord < out.length; ord++) {
      if (this.vessels[ord]!.sorted) continue;
      const p = out[ord]!;
      const t = p.t;
      // Stable: reports with equal times keep their arrival order.
      const order = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => t[a]! - t[b]!);
      [p.t, p.lon, p.lat, p.sog] = [p.t, p.lon, p.lat, p.sog].map((col) => Float64Array.from(order, (i) => col[i]!)) as [Float64Array, Float64Array, Float64Array, Float64Array];
    }
    return out.sort((a, b) => a.mmsi - b.mmsi);
  }
}

/**
 * Vessel ordinals (0, 1, 2… in first-seen order) by MMSI: an open-addressing table on typed
 * arrays, so that a row's vessel is found as the row arrives.
 */
class MmsiOrdinals {
  readonly mmsis: number[] = [];
  private keys = new Int32Array(1024);
  private ords = new Int32Array(1024).fill(-1);
  private mask = 1023;
  /** Fibonacci hashing: the product's top bits (its low bits follow the MMSI's low bits only). */
  private shift = 22;

  of(mmsi: number): number {
    let h = Math.imul(mmsi, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const o = this.ords[h]!;
      if (o < 0) break;
      if (this.keys[h] === mmsi) return o;
      h = (h + 1) & this.mask;
    }
    const ord = this.mmsis.length;
    this.mmsis.push(mmsi);
    this.keys[h] = mmsi;
    this.ords[h] = ord;
    if (this.mmsis.length * 2 > this.mask) this.grow();
    return ord;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    this.keys = new Int32Array(size);
    this.ords = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.shift--;
    this.mmsis.forEach((mmsi, ord) => {
      let h = Math.imul(mmsi, 0x9e3779b1) >>> this.shift;
      while (this.ords[h]! >= 0) h = (h + 1) & this.mask;
      this.keys[h] = mmsi;
      this.ords[h] = ord;
    });
  }
}

/**
 * Bucket rows as they arrive (storage order, from one COPY or several at once), each placed as
 * it arrives in a (vessel, bucket) slot table: the counting sort that puts each vessel's rows in
 * bucket order is done while the read streams in (this process mostly waits on the server then),
 * and only the gathering into columns is left for the end. Done after the read, the sort (a pass
 * to number the vessels, a pass to place the rows) took about half of a 2,000-vessel job's
 * 50–60 ms in byVessel, with the main thread idle during the read before it.
 */
class BucketRows {
  private n = 0;
  private readonly firstBucket: number;
  private readonly nb: number;
  private readonly vessels = new MmsiOrdinals();
  /** Per vessel ordinal × bucket: the row's index, or -1. */
  private slot: Int32Array;
  /** Per vessel ordinal: reports (1 or 2 a bucket) and the largest spread. */
  private points: Int32Array;
  private spread: Float64Array;
  /** Per row: first t, lon, lat, sog, last t, lon, lat, sog. */
  private readonly data: Float64Array[] = [];

  constructor(firstBucket: number, endBucket: number) {
    this.firstBucket = firstBucket;
    this.nb = endBucket - firstBucket;
    this.slot = new Int32Array(64 * this.nb).fill(-1);
    this.points = new Int32Array(64);
    this.spread = new Float64Array(64);
  }

  /** A row of readBuckets' COPY, decoded here (see Groups.addRow). */
  addRow(view: DataView, f: Int32Array): void {
    const mmsi = view.getInt32(f[0]!);
    const t0 = timestampMs(view, f[1]!);
    const t1 = timestampMs(view, f[5]!);
    const spread = view.getFloat64(f[9]!);
    const i = this.n++;
    const j = i & CHUNK_MASK;
    if (j === 0) this.data.push(new Float64Array(CHUNK * 8));
    const d = this.data[i >> CHUNK_BITS]!;
    const o = j * 8;
    d[o] = t0;
    d[o + 1] = view.getFloat64(f[2]!);
    d[o + 2] = view.getFloat64(f[3]!);
    d[o + 3] = f[4]! < 0 ? Number.NaN : view.getFloat32(f[4]!);
    d[o + 4] = t1;
    d[o + 5] = view.getFloat64(f[6]!);
    d[o + 6] = view.getFloat64(f[7]!);
    d[o + 7] = f[8]! < 0 ? Number.NaN : view.getFloat32(f[8]!);
    const v = this.vessels.of(mmsi);
    if (v === this.points.length) this.grow();
    const b = Math.floor(t0 / BUCKET_MS) - this.firstBucket;
    if (b < 0 || b >= this.nb) throw new RangeError(`bucket row of MMSI ${mmsi} at ${t0} outside the read's range`);
    this.slot[v * this.nb + b] = i;
    this.points[v]! += t1 === t0 ? 1 : 2;
    if (spread > this.spread[v]!) this.spread[v] = spread;
  }

  private grow(): void {
    const cap = this.points.length * 2;
    const slot = new Int32Array(cap * this.nb).fill(-1);
    slot.set(this.slot);
    this.slot = slot;
    const points = new Int32Array(cap);
    points.set(this.points);
    this.points = points;
    const spread = new Float64Array(cap);
    spread.set(this.spread);
    this.spread = spread;
  }

  byVessel(): BucketedPositions[] {
    const seen = this.vessels.mmsis;
    // Output in MMSI order.
    const order = Array.from(seen.keys()).sort((a, b) => seen[a]! - seen[b]!);
    // One array per column for all vessels, each vessel a view of its part (see columnsFor).
    const cols = columnsFor(this.points.subarray(0, seen.length));
    const out: BucketedPositions[] = [];
    let at = 0;
    for (const v of order) {
      const m = this.points[v]!;
      const p: BucketedPositions = { mmsi: seen[v]!, t: cols.t.subarray(at, at + m), lon: cols.lon.subarray(at, at + m), lat: cols.lat.subarray(at, at + m), sog: cols.sog.subarray(at, at + m), maxSpreadM: this.spread[v]! };
      at += m;
      this.gather(v, p);
      out.push(p);
    }
    return out;
  }

  /**
   * Vessel v's rows into its columns, in bucket order. A method called once a vessel: as a loop
   * inside byVessel (called once a read) V8 only compiled it on stack and left that code at the
   * end of every vessel (about 30 deoptimisations a job, "exit from OSR'd inner loop").
   */
  private gather(v: number, p: BucketedPositions): void {
    const { t, lon, lat, sog } = p;
    const slot = this.slot;
    let k = 0;
    for (let b = v * this.nb, end = b + this.nb; b < end; b++) {
      const i = slot[b]!;
      if (i < 0) continue;
      const d = this.data[i >> CHUNK_BITS]!;
      const o = (i & CHUNK_MASK) * 8;
      t[k] = d[o]!;
      lon[k] = d[o + 1]!;
      lat[k] = d[o + 2]!;
      sog[k] = d[o + 3]!;
      k++;
      if (d[o + 4] !== d[o]) {
        t[k] = d[o + 4]!;
        lon[k] = d[o + 5]!;
        lat[k] = d[o + 6]!;
        sog[k] = d[o + 7]!;
        k++;
      }
    }
  }
}
