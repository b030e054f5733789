import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DependencyError } from '@rendezvous/errors';
import { BinaryCopyWriter, BUCKETS_STAGING_SQL, ewkbPoint, isInt2, isInt4, isoTime, recordOutboxWindows, writePositionBuckets } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { boolArray, float8Array, int2Array, int4Array, textArray } from './array-params.ts';
import { aggregateVessels, daysOf, toColumnBatch, type Batch, type ColumnBatch, type IdentitySighting } from './batch.ts';
import { COG_NULL, HAS_RAW, HEADING_NULL, NAV_STATUS_NULL, SOG_NULL, type PositionColumns } from './position-columns.ts';

export interface WriteResult {
  /** Positions new to the database (duplicates of stored ones are skipped by the primary key). */
  positionsStored: number;
  vesselsTouched: number;
  /** Positions refused because their day would have been one new partition too many (too_many_days). */
  rejectedDays: number;
}

export interface PositionStoreOptions {
  /**
   * Detection window length: the windows each batch touches are recorded in the outbox in the
   * batch's own transaction (migrations/0014). Null: record none (storage-only tools and tests).
   */
  windowMs: number | null;
  /** New day partitions one batch may create; positions on further new days are refused. */
  maxNewDaysPerBatch: number;
}

const DEFAULT_STORE_OPTIONS: PositionStoreOptions = { windowMs: null, maxNewDaysPerBatch: 62 };

/**
 * PostgreSQL errors about the rows themselves: class 22 (data exception) and 23 (integrity
 * constraint violation). Only these are worth splitting a batch over; the offending rows are
 * dropped. Every other server error (disk full 53100, out of memory 53200, read-only 25006,
 * cancelled 57014, serialization 40001, deadlock 40P01, lock timeout 55P03, I/O 58xxx…) says
 * nothing about the rows: the batch waits and is retried whole, like an outage.
 * SQLSTATE classes: PostgreSQL manual, Appendix A.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(code);
}

/** Any error raised by the server (a SQLSTATE), as opposed to a bug or a broken input on our side. */
export function isServerError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** PostgreSQL error classes that mean "the server or the connection went away": retry later. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string') {
    if (e.code.startsWith('08') || e.code === '57P01' || e.code === '57P02' || e.code === '57P03') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code)) return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
    e?.message ?? '',
  );
}

const STAGING_SQL = `
  CREATE TEMP TABLE IF NOT EXISTS positions_in (
    mmsi integer, ts_ms bigint, lon float8, lat float8, sog real, cog real,
    heading smallint, nav_status smallint, msg_type smallint, source text, lines text
  ) ON COMMIT DELETE ROWS`;

// Positions: staged with COPY (the fast path into PostgreSQL), then moved with one INSERT that
// skips rows already stored, which makes re-ingesting the same input a no-op. Each position
// carries its received lines (migrations/0028; NULL without one): a position already stored keeps
// its own. A key present twice in a batch: the INSERT keeps the first staged row (a temp table
// without an index is read in the order COPY wrote it), with that row's lines.
const MOVE_POSITIONS_SQL = `
  INSERT INTO positions (mmsi, ts, geom, sog, cog, heading, nav_status, msg_type, source, lines)
  SELECT mmsi, to_timestamp(ts_ms / 1000.0), ST_SetSRID(ST_MakePoint(lon, lat), 4326),
         sog, cog, heading, nav_status, msg_type, source, lines
  FROM positions_in
  ON CONFLICT DO NOTHING`;

// One primary-key probe per vessel, stopping at the first stored row (LATERAL … LIMIT 1). As
// `mmsi = ANY($1) AND ts BETWEEN …` the planner took the ts BRIN index once autovacuum had
// analyzed a growing day partition (the batch's span beyond the ts histogram: 1 row estimated),
// and every page of the partition's unsummarized tail was rechecked against the 2,000-MMSI array:
// 32 ms a batch at 600k rows, against 2.6 ms (nothing stored) and 0.1 ms (a stored row) this way.
const ANY_STORED_SQL = `
  SELECT 1 FROM unnest($1::int[]) AS m(mmsi)
  CROSS JOIN LATERAL (SELECT 1 FROM positions p WHERE p.mmsi = m.mmsi AND p.ts BETWEEN $2 AND $3 LIMIT 1) s
  LIMIT 1`;
const DIRECT_COLUMNS = 'positions (mmsi, ts, geom, sog, cog, heading, nav_status, msg_type, source, lines)';
const DIRECT_COPY_SQL = `COPY ${DIRECT_COLUMNS} FROM STDIN`;
const DIRECT_COPY_BINARY_SQL = `COPY ${DIRECT_COLUMNS} FROM STDIN (FORMAT binary)`;

// Current identity: the newest report of each field wins, whatever order batches commit in.
const UPSERT_VESSELS_SQL = `
  INSERT INTO vessels AS v (mmsi, flag, mmsi_invalid, first_seen, last_seen, identity_at,
                            imo, name, callsign, ship_type, length, width, draught, destination)
  SELECT mmsi, flag, invalid, to_timestamp(first_ms / 1000.0), to_timestamp(last_ms / 1000.0),
         to_timestamp(identity_ms / 1000.0), imo, name, callsign, ship_type, length, width, draught, destination
  FROM unnest($1::int[], $2::text[], $3::bool[], $4::float8[], $5::float8[], $6::float8[],
              $7::int[], $8::text[], $9::text[], $10::smallint[], $11::real[], $12::real[], $13::real[], $14::text[])
       AS t(mmsi, flag, invalid, first_ms, last_ms, identity_ms,
            imo, name, callsign, ship_type, length, width, draught, destination)
  ON CONFLICT (mmsi) DO UPDATE SET
    first_seen = least(v.first_seen, EXCLUDED.first_seen),
    last_seen = greatest(v.last_seen, EXCLUDED.last_seen),
    mmsi_invalid = v.mmsi_invalid OR EXCLUDED.mmsi_invalid,
    flag = coalesce(EXCLUDED.flag, v.flag),
    identity_at = greatest(v.identity_at, EXCLUDED.identity_at),
    imo = CASE WHEN newer THEN coalesce(EXCLUDED.imo, v.imo) ELSE coalesce(v.imo, EXCLUDED.imo) END,
    name = CASE WHEN newer THEN coalesce(EXCLUDED.name, v.name) ELSE coalesce(v.name, EXCLUDED.name) END,
    callsign = CASE WHEN newer THEN coalesce(EXCLUDED.callsign, v.callsign) ELSE coalesce(v.callsign, EXCLUDED.callsign) END,
    ship_type = CASE WHEN newer THEN coalesce(EXCLUDED.ship_type, v.ship_type) ELSE coalesce(v.ship_type, EXCLUDED.ship_type) END,
    length = CASE WHEN newer THEN coalesce(EXCLUDED.length, v.length) ELSE coalesce(v.length, EXCLUDED.length) END,
    width = CASE WHEN newer THEN coalesce(EXCLUDED.width, v.width) ELSE coalesce(v.width, EXCLUDED.width) END,
    draught = CASE WHEN newer THEN coalesce(EXCLUDED.draught, v.draught) ELSE coalesce(v.draught, EXCLUDED.draught) END,
    destination = CASE WHEN newer THEN coalesce(EXCLUDED.destination, v.destination) ELSE coalesce(v.destination, EXCLUDED.destination) END`.replaceAll(
  'newer',
  `(EXCLUDED.identity_at IS NOT NULL AND EXCLUDED.identity_at >= coalesce(v.identity_at, '-infinity'))`,
);

// A value seen again writes nothing (the WHERE), unless this sighting is earlier than known.
const UPSERT_HISTORY_SQL = `
  INSERT INTO vessel_identity_history AS h (mmsi, field, value, first_seen)
  SELECT mmsi, field, value, to_timestamp(first_ms / 1000.0)
  FROM unnest($1::int[], $2::text[], $3::text[], $4::float8[]) AS t(mmsi, field, value, first_ms)
  ON CONFLICT (mmsi, field, value) DO UPDATE SET first_seen = EXCLUDED.first_seen
  WHERE EXCLUDED.first_seen < h.first_seen`;

// Draught changes (migrations/0018): the batch's run starts (time order per vessel, consecutive
// values differ), each kept only when the row just before it in time — the batch's previous run
// start or the newest stored row before it, whichever is later — holds another value (or there
// is none). One statement; one primary-key probe per run start, and a steady vessel's batch has
// one run start. Re-ingesting finds its rows or equal predecessors: nothing is written.
const INSERT_DRAUGHTS_SQL = `
  INSERT INTO vessel_draughts (mmsi, ts, draught)
  SELECT b.mmsi, b.ts, b.draught
  FROM (
    SELECT mmsi, to_timestamp(ts_ms / 1000.0) AS ts, draught,
           lag(to_timestamp(ts_ms / 1000.0)) OVER (PARTITION BY mmsi ORDER BY ts_ms) AS batch_prev_ts
    FROM unnest($1::int[], $2::float8[], $3::real[]) AS t(mmsi, ts_ms, draught)
  ) b
  LEFT JOIN LATERAL (
    SELECT d.ts, d.draught FROM vessel_draughts d
    WHERE d.mmsi = b.mmsi AND d.ts < b.ts ORDER BY d.ts DESC LIMIT 1
  ) s ON true
  WHERE s.ts IS NULL OR s.draught <> b.draught OR (b.batch_prev_ts IS NOT NULL AND b.batch_prev_ts > s.ts)
  ON CONFLICT (mmsi, ts) DO NOTHING`;

// Declared destination changes (migrations/0023): the same statement as the draughts', over
// vessel_destinations — run starts kept only when the row just before them holds another value.
const INSERT_DESTINATIONS_SQL = `
  INSERT INTO vessel_destinations (mmsi, ts, destination)
  SELECT b.mmsi, b.ts, b.destination
  FROM (
    SELECT mmsi, to_timestamp(ts_ms / 1000.0) AS ts, destination,
           lag(to_timestamp(ts_ms / 1000.0)) OVER (PARTITION BY mmsi ORDER BY ts_ms) AS batch_prev_ts
    FROM unnest($1::int[], $2::float8[], $3::text[]) AS t(mmsi, ts_ms, destination)
  ) b
  LEFT JOIN LATERAL (
    SELECT d.ts, d.destination FROM vessel_destinations d
    WHERE d.mmsi = b.mmsi AND d.ts < b.ts ORDER BY d.ts DESC LIMIT 1
  ) s ON true
  WHERE s.ts IS NULL OR s.destination <> b.destination OR (b.batch_prev_ts IS NOT NULL AND b.batch_prev_ts > s.ts)
  ON CONFLICT (mmsi, ts) DO NOTHING`;

/**
 * Writes batches of observations to PostGIS in one transaction each: positions by COPY, vessel
 * identity and history by set-based upserts. Holds one dedicated connection (its staging table
 * lives there); a lost connection surfaces as DependencyError and the next write reconnects.
 */
export class PositionStore {
  private client: pg.PoolClient | undefined;
  private readonly partitions = new Set<string>();
  /**
   * Identity values this store has committed, with the first-seen time it wrote. A vessel repeats
   * its name, call sign and IMO in every static report; sending each again would make the history
   * upsert the most expensive statement of a batch while changing nothing.
   */
  private knownSightings = new Map<string, number>();
  /**
   * Whether the next batch asks PostgreSQL first if any of its keys may be stored (ANY_STORED_SQL)
   * before trying the direct COPY. Off while direct COPYs succeed: new data then pays no precheck
   * (≈ 0.5–1.5 µs of PostgreSQL CPU per position: 2,000 index descents per batch, on a partition
   * without statistics). On after a batch found stored keys (or a duplicate key), so a re-ingest
   * or an overlapping input does not start — and abort — a COPY per batch; off again once the
   * precheck finds a batch's span free.
   */
  private precheckNext = false;
  /** Binary COPY rows of the batch being written (one COPY at a time on this store's connection). */
  private readonly copyWriter = new BinaryCopyWriter();
  /** Speeds of the batch being written for its buckets (NaN: none), reused batch after batch. */
  private speeds = new Float64Array(0);
  private readonly pool: pg.Pool;
  private readonly logger: Logger;
  private readonly options: PositionStoreOptions;

  constructor(pool: pg.Pool, logger: Logger, options: Partial<PositionStoreOptions> = {}) {
    this.pool = pool;
    this.logger = logger;
    this.options = { ...DEFAULT_STORE_OPTIONS, ...options };
  }

  /**
   * Commits a batch. Throws DependencyError when PostgreSQL is away or refuses for a reason that
   * is not the rows' fault (the caller retries the same batch), and the server's own error when
   * it rejects the rows' content (the caller isolates the bad rows).
   */
  async write(input: Batch | ColumnBatch): Promise<WriteResult> {
    const client = await this.connection();
    try {
      const { batch, rejectedDays } = await this.capNewDays(client, toColumnBatch(input));
      await this.ensurePartitions(client, daysOf(batch.positions));
      const { vessels, sightings: all, draughts, destinations } = aggregateVessels(batch);
      const sightings = all.filter((s) => {
        const known = this.knownSightings.get(sightingKey(s));
        return known === undefined || s.firstSeen < known;
      });
      await client.query('BEGIN');
      let positionsStored = 0;
      if (batch.positions.length > 0) {
        const direct = await this.copyDirectly(client, batch.positions);
        if (direct !== null) positionsStored = direct;
        else {
          await copyRows(client, 'COPY positions_in FROM STDIN', encodePositions(batch.positions));
          positionsStored = (await client.query(MOVE_POSITIONS_SQL)).rowCount ?? 0;
        }
        // The detector's 10-minute buckets (migrations/0007), in the same transaction.
        await writePositionBuckets(client, this.bucketColumns(batch.positions));
        // …and the detection windows it touched, so they survive a Redis outage (issue 11).
        if (this.options.windowMs !== null) await recordOutboxWindows(client, windowsOf(batch.positions, this.options.windowMs), this.options.windowMs);
      }
      // Arrays in binary where they read the same (array-params.ts); real[] keeps pg's text (a
      // float4 from the double's shortest text, which binary float4 of Math.fround may not equal).
      if (vessels.length > 0) {
        const n = vessels.length;
        await client.query(UPSERT_VESSELS_SQL, [
          int4Array(n, (i) => vessels[i]!.mmsi) ?? vessels.map((v) => v.mmsi),
          textArray(n, (i) => vessels[i]!.flag) ?? vessels.map((v) => v.flag),
          boolArray(n, (i) => vessels[i]!.mmsiInvalid),
          float8Array(n, (i) => vessels[i]!.firstSeen),
          float8Array(n, (i) => vessels[i]!.lastSeen),
          float8Array(n, (i) => vessels[i]!.identityAt),
          int4Array(n, (i) => vessels[i]!.imo) ?? vessels.map((v) => v.imo),
          textArray(n, (i) => vessels[i]!.name) ?? vessels.map((v) => v.name),
          textArray(n, (i) => vessels[i]!.callsign) ?? vessels.map((v) => v.callsign),
          int2Array(n, (i) => vessels[i]!.shipType) ?? vessels.map((v) => v.shipType),
          vessels.map((v) => v.length),
          vessels.map((v) => v.width),
          vessels.map((v) => v.draught),
          textArray(n, (i) => vessels[i]!.destination) ?? vessels.map((v) => v.destination),
        ]);
      }
      if (draughts.length > 0) {
        const n = draughts.length;
        await client.query(INSERT_DRAUGHTS_SQL, [
          int4Array(n, (i) => draughts[i]!.mmsi) ?? draughts.map((d) => d.mmsi),
          float8Array(n, (i) => draughts[i]!.ts),
          draughts.map((d) => d.draught),
        ]);
      }
      if (destinations.length > 0) {
        const n = destinations.length;
        await client.query(INSERT_DESTINATIONS_SQL, [
          int4Array(n, (i) => destinations[i]!.mmsi) ?? destinations.map((d) => d.mmsi),
          float8Array(n, (i) => destinations[i]!.ts),
          textArray(n, (i) => destinations[i]!.destination) ?? destinations.map((d) => d.destination),
        ]);
      }
      if (sightings.length > 0) {
        const n = sightings.length;
        await client.query(UPSERT_HISTORY_SQL, [
          int4Array(n, (i) => sightings[i]!.mmsi) ?? sightings.map((s) => s.mmsi),
          textArray(n, (i) => sightings[i]!.field) ?? sightings.map((s) => s.field),
          textArray(n, (i) => sightings[i]!.value) ?? sightings.map((s) => s.value),
          float8Array(n, (i) => sightings[i]!.firstSeen),
        ]);
      }
      await client.query('COMMIT');
      if (this.knownSightings.size > 2_000_000) this.knownSightings = new Map();
      for (const s of sightings) this.knownSightings.set(sightingKey(s), s.firstSeen);
      return { positionsStored, vesselsTouched: vessels.length, rejectedDays };
    } catch (err) {
      if (isConnectionError(err)) {
        this.discard(err);
        throw new DependencyError('PostgreSQL', (err as Error).message, { cause: err });
      }
      await client.query('ROLLBACK').catch(() => this.discard(err));
      if (isServerError(err) && !isDataError(err)) {
        const code = (err as { code: string }).code;
        throw new DependencyError('PostgreSQL', `${(err as Error).message} (SQLSTATE ${code})`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * Every day a batch's positions fall on needs a partition (DDL, a table and an index each).
   * Times are range-checked upstream, but a forged feed can still stamp each report on another
   * past day; so one batch may create at most maxNewDaysPerBatch partitions: the new days with
   * the most positions are kept, positions on the others are refused (counted too_many_days).
   */
  private async capNewDays(client: pg.PoolClient, batch: ColumnBatch): Promise<{ batch: ColumnBatch; rejectedDays: number }> {
    const perDay = new Map<number, number>(); // UTC day number → positions
    const ts = batch.positions.ts;
    for (let i = 0; i < batch.positions.length; i++) {
      const d = Math.floor(ts[i]! / DAY_MS);
      perDay.set(d, (perDay.get(d) ?? 0) + 1);
    }
    if (perDay.size <= this.options.maxNewDaysPerBatch) return { batch, rejectedDays: 0 };
    const unknown = [...perDay.keys()].map(isoDay).filter((d) => !this.partitions.has(d));
    if (unknown.length <= this.options.maxNewDaysPerBatch) return { batch, rejectedDays: 0 };
    const { rows } = await client.query<{ day: string }>(
      "SELECT to_char(d, 'YYYY-MM-DD') AS day FROM unnest($1::date[]) AS d WHERE to_regclass(format('positions_%s', to_char(d, 'YYYYMMDD'))) IS NOT NULL",
      [unknown],
    );
    for (const r of rows) this.partitions.add(r.day);
    const fresh = [...perDay.keys()].filter((d) => !this.partitions.has(isoDay(d)));
    if (fresh.length <= this.options.maxNewDaysPerBatch) return { batch, rejectedDays: 0 };
    fresh.sort((a, b) => perDay.get(b)! - perDay.get(a)! || a - b);
    const refused = new Set(fresh.slice(this.options.maxNewDaysPerBatch));
    const positions = batch.positions.filter((i) => !refused.has(Math.floor(ts[i]! / DAY_MS)));
    const rejectedDays = batch.positions.length - positions.length;
    this.logger.warn(
      { newDays: fresh.length, max: this.options.maxNewDaysPerBatch, refusedDays: refused.size, positions: rejectedDays, sampleDay: isoDay(fresh[fresh.length - 1]!) },
      'batch spans too many new days; positions on the extra days refused (too_many_days)',
    );
    return { batch: { positions, statics: batch.statics }, rejectedDays };
  }

  /**
   * The fast path for new data: COPY straight into `positions` (about twice the throughput of
   * staging plus INSERT … ON CONFLICT, measured). Optimistic: a key already stored (a re-ingest,
   * an overlapping input, a concurrent writer) or the same key twice in the batch raises a unique
   * violation, the savepoint is rolled back — nothing of the COPY remains — and the caller takes
   * the staging path, which stores the same rows. After such a batch the next one first checks
   * whether any of its vessels has a stored position inside its time span (precheckNext), so a
   * re-ingest takes the staging path without a failed COPY per batch. Returns the rows stored, or
   * null when the fast path does not apply.
   */
  private async copyDirectly(client: pg.PoolClient, positions: PositionColumns): Promise<number | null> {
    if (this.precheckNext) {
      if (await anyStored(client, positions)) return null;
      this.precheckNext = false;
    }
    // In primary-key order, each vessel's rows go into its index leaf one after another instead
    // of scattered over every vessel's leaf: PostgreSQL's CPU per position fell from ≈ 17.8 to
    // ≈ 12.8 µs with raw lines (2,000 vessels × 10 reports per batch, backend CPU time, issue 16).
    // The order of indices, not of the rows: a key twice in the batch keeps its order, which the unique violation ignores.
    const ordered = positions.keyOrder();
    await client.query('SAVEPOINT direct_copy');
    try {
      const binary = encodePositionsBinary(this.copyWriter, positions, ordered);
      if (binary !== null) await copyRows(client, DIRECT_COPY_BINARY_SQL, binary);
      else await copyRows(client, DIRECT_COPY_SQL, encodePositionsDirect(positions, ordered));
      await client.query('RELEASE SAVEPOINT direct_copy');
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      await client.query('ROLLBACK TO SAVEPOINT direct_copy');
      this.precheckNext = true;
      return null;
    }
    return positions.length;
  }

  /**
   * The batch's positions as writePositionBuckets reads them, in batch order (equal times: the first
   * wins): the columns themselves, with the speeds in a reused column where NaN marks none, so
   * nothing is allocated per position (an object per position, boxing a nullable speed, was
   * promoted with the batch: issue 16).
   */
  private bucketColumns(c: PositionColumns): { length: number; mmsi: Float64Array; ts: Float64Array; lon: Float64Array; lat: Float64Array; sog: Float64Array } {
    if (this.speeds.length < c.length) this.speeds = new Float64Array(c.length + (c.length >> 1));
    const sog = this.speeds;
    for (let i = 0; i < c.length; i++) sog[i] = c.flags[i]! & SOG_NULL ? NaN : c.sog[i]!;
    return { length: c.length, mmsi: c.mmsi, ts: c.ts, lon: c.lon, lat: c.lat, sog };
  }

  /** Creates the day partitions `days` need (idempotent, safe across processes). */
  async ensurePartitions(client: pg.PoolClient | pg.Pool, days: string[]): Promise<void> {
    for (const day of days) {
      if (this.partitions.has(day)) continue;
      await client.query('SELECT rendezvous_ensure_position_partition($1::date)', [day]);
      this.partitions.add(day);
    }
  }

  async close(): Promise<void> {
    this.client?.release();
    this.client = undefined;
  }

  private async connection(): Promise<pg.PoolClient> {
    if (this.client) return this.client;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new DependencyError('PostgreSQL', (err as Error).message, { cause: err });
    }
    try {
      await client.query(STAGING_SQL);
      await client.query(BUCKETS_STAGING_SQL);
    } catch (err) {
      client.release(true);
      if (isConnectionError(err)) throw new DependencyError('PostgreSQL', (err as Error).message, { cause: err });
      throw err;
    }
    // A connection that errors while idle is dropped; the next write takes a fresh one.
    client.on('error', (err) => this.discard(err));
    this.client = client;
    return client;
  }

  private discard(err: unknown): void {
    if (!this.client) return;
    this.logger.warn({ err: (err as Error).message }, 'dropping PostgreSQL connection');
    this.client.release(true);
    this.client = undefined;
  }
}

/** Whether any of the batch's vessels has a stored position inside the batch's time span. */
async function anyStored(client: pg.PoolClient, positions: PositionColumns): Promise<boolean> {
  let min = Infinity;
  let max = -Infinity;
  const mmsis = new Set<number>();
  for (let i = 0; i < positions.length; i++) {
    const ts = positions.ts[i]!;
    if (ts < min) min = ts;
    if (ts > max) max = ts;
    mmsis.add(positions.mmsi[i]!);
  }
  const { rowCount } = await client.query(ANY_STORED_SQL, [[...mmsis], new Date(min), new Date(max)]);
  return rowCount !== null && rowCount > 0;
}

const DAY_MS = 86_400_000;
/**
 * A value for a real (float4) column as text: the float32 nearest the double (Math.fround), which
 * is what the binary rows send. Text of the double itself would be rounded from its decimal form
 * by the server, which differs in the last bit for a few doubles; every path (binary, text, the
 * buckets) must store the same value for the same report.
 */
const real = (x: number | null): string => (x === null ? '\\N' : String(Math.fround(x)));
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

const sightingKey = (s: IdentitySighting) => `${s.mmsi}\u0000${s.field}\u0000${s.value}`;

function copyRows(client: pg.PoolClient, sql: string, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(data);
  });
}

/** COPY text format, one row per position; `\N` is NULL. */
function encodePositions(c: PositionColumns): string {
  const rows = new Array<string>(c.length);
  for (let i = 0; i < c.length; i++) {
    const source = c.source(i);
    const raw = c.rawText(i);
    rows[i] =
      `${c.mmsi[i]}\t${c.ts[i]}\t${c.lon[i]}\t${c.lat[i]}\t${real(c.sogOf(i))}\t${real(c.cogOf(i))}\t` +
      `${c.headingOf(i) ?? '\\N'}\t${c.navStatusOf(i) ?? '\\N'}\t${c.msgType[i]}\t${source === null ? '\\N' : escapeCopy(source)}\t` +
      // The stored line has its NUL bytes as U+2400 already (position-columns.ts): only escaping is left.
      (raw === undefined ? '\\N' : escapeCopy(raw));
  }
  return rows.join('\n') + '\n';
}

/** COPY text rows for `positions` itself, in `order`: time as ISO text, the point as hex EWKB (SRID 4326). */
function encodePositionsDirect(c: PositionColumns, order: Uint32Array): string {
  const rows = new Array<string>(c.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const source = c.source(i);
    const raw = c.rawText(i);
    rows[k] =
      `${c.mmsi[i]}\t${isoTime(c.ts[i]!)}\t${ewkbPoint(c.lon[i]!, c.lat[i]!)}\t${real(c.sogOf(i))}\t${real(c.cogOf(i))}\t` +
      `${c.headingOf(i) ?? '\\N'}\t${c.navStatusOf(i) ?? '\\N'}\t${c.msgType[i]}\t${source === null ? '\\N' : escapeCopy(source)}\t` +
      (raw === undefined ? '\\N' : escapeCopy(raw));
  }
  return rows.join('\n') + '\n';
}

/**
 * Binary COPY rows for `positions`, in `order` (packages/db copy-binary.ts): the ingest fast path.
 * Null when a value would not survive binary encoding as text COPY treats it — an integer out of
 * its column's range, which text COPY refuses as a data error (so the batch's bad rows are
 * isolated and counted) but binary would silently wrap: such a batch takes the text encoding.
 */
function encodePositionsBinary(w: BinaryCopyWriter, c: PositionColumns, order: Uint32Array): Buffer | null {
  c.settleRaw(); // the raw bytes are read directly below
  const { mmsi, ts, lon, lat, sog, cog, heading, navStatus, msgType, flags, sourceId, sources } = c;
  // Each distinct source's bytes once, not once per row.
  const sourceBytes = sources.map((s) => Buffer.from(s, 'utf8'));
  w.begin();
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const f = flags[i]!;
    if (!isInt4(mmsi[i]!) || !Number.isFinite(ts[i]!) || !isInt2(msgType[i]!)) return null;
    if ((!(f & HEADING_NULL) && !isInt2(heading[i]!)) || (!(f & NAV_STATUS_NULL) && !isInt2(navStatus[i]!))) return null;
    const hasRaw = (f & HAS_RAW) !== 0;
    w.row(10, 96 + (hasRaw ? c.rawLength[i]! : 0));
    w.int4(mmsi[i]!);
    w.timestamptz(ts[i]!);
    w.pointEwkb(lon[i]!, lat[i]!, 4326);
    if (f & SOG_NULL) w.null();
    else w.float4(sog[i]!);
    if (f & COG_NULL) w.null();
    else w.float4(cog[i]!);
    if (f & HEADING_NULL) w.null();
    else w.int2(heading[i]!);
    if (f & NAV_STATUS_NULL) w.null();
    else w.int2(navStatus[i]!);
    w.int2(msgType[i]!);
    const s = sourceId[i]!;
    if (s < 0) w.null();
    else w.bytes(sourceBytes[s]!);
    // The received lines, as stored bytes (position-columns.ts keeps them encoded once per batch).
    if (hasRaw) w.bytes(c.rawBytes, c.rawStart[i]!, c.rawStart[i]! + c.rawLength[i]!);
    else w.null();
  }
  return w.end();
}

/** Detection window starts the positions touch, ascending (as windowsOf in packages/queue, over columns). */
function windowsOf(c: PositionColumns, windowMs: number): number[] {
  const starts = new Set<number>();
  for (let i = 0; i < c.length; i++) starts.add(Math.floor(c.ts[i]! / windowMs) * windowMs);
  return [...starts].sort((a, b) => a - b);
}

/**
 * A value for COPY text. A received line reaches here with its NUL bytes already stored as U+2400
 * (SYMBOL FOR NULL; position-columns.ts): PostgreSQL text cannot hold a NUL byte, no latin1 line
 * otherwise contains U+2400, and its low byte is 0, so written back as latin1 (the evidence
 * export) it is the byte received.
 */
function escapeCopy(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : value;
}
