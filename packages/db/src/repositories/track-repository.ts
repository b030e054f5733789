import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.ts';

/** One vessel's positions over a time range, column-wise (no object per point). */
export interface ColumnarPositions {
  mmsi: number;
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** Knots; NaN when not reported. */
  sog: Float64Array;
}

export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * Every position in [from, to) (optionally only vessels seen inside a bounding box in that
 * range), grouped by MMSI and time-ordered: the detector's access pattern, served by day
 * partitions pruned on ts plus their BRIN index.
 */
export function createTrackRepository(db: Kysely<Database>) {
  return {
    async load(range: { from: Date; to: Date; bbox?: Bbox | null }): Promise<ColumnarPositions[]> {
      const bbox = range.bbox;
      const inBox = bbox
        ? sql`AND mmsi IN (SELECT DISTINCT mmsi FROM positions WHERE ts >= ${range.from} AND ts < ${range.to}
              AND ST_Intersects(geom, ST_MakeEnvelope(${bbox.west}, ${bbox.south}, ${bbox.east}, ${bbox.north}, 4326)))`
        : sql``;
      // One binary row per vessel: a WKB LineString ZM whose points are (lon, lat, epoch ms,
      // sog). Measured 2.3× faster than array_agg text arrays for 11.5 M positions: the text
      // arrays cost most of the time in the Node driver's parser, not in PostgreSQL.
      const result = await sql<{ mmsi: number; line: Buffer }>`
        SELECT mmsi,
               ST_AsBinary(ST_MakeLine(
                 ST_MakePoint(ST_X(geom), ST_Y(geom), extract(epoch FROM ts) * 1000, coalesce(sog, 'NaN'::float8))
                 ORDER BY ts)) AS line
        FROM positions
        WHERE ts >= ${range.from} AND ts < ${range.to} ${inBox}
        GROUP BY mmsi
        ORDER BY mmsi`.execute(db);
      return result.rows.map((r) => decodeLineZM(r.mmsi, r.line));
    },
  };
}
export type TrackRepository = ReturnType<typeof createTrackRepository>;

/**
 * Reads a little- or big-endian WKB LineString with Z and M (ISO type 3002, or EWKB flags) into
 * columns. A single point comes back from ST_MakeLine as a one-point line too.
 */
export function decodeLineZM(mmsi: number, wkb: Uint8Array): ColumnarPositions {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  const little = view.getUint8(0) === 1;
  const type = view.getUint32(1, little);
  const isoZM = type === 3002;
  const ewkbZM = (type & 0xffff) === 2 && (type & 0x80000000) !== 0 && (type & 0x40000000) !== 0;
  if (!isoZM && !ewkbZM) throw new Error(`unexpected WKB geometry type ${type} for MMSI ${mmsi}`);
  let offset = 5;
  if (ewkbZM && (type & 0x20000000) !== 0) offset += 4; // SRID present
  const n = view.getUint32(offset, little);
  offset += 4;
  const out: ColumnarPositions = { mmsi, t: new Float64Array(n), lon: new Float64Array(n), lat: new Float64Array(n), sog: new Float64Array(n) };
  for (let i = 0; i < n; i++, offset += 32) {
    out.lon[i] = view.getFloat64(offset, little);
    out.lat[i] = view.getFloat64(offset + 8, little);
    out.t[i] = view.getFloat64(offset + 16, little);
    out.sog[i] = view.getFloat64(offset + 24, little);
  }
  return out;
}
