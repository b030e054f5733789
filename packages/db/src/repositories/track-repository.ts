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
      const result = await sql<{ mmsi: number; t: number[]; lon: number[]; lat: number[]; sog: (number | null)[] }>`
        SELECT mmsi,
               array_agg(extract(epoch FROM ts) * 1000 ORDER BY ts) AS t,
               array_agg(ST_X(geom) ORDER BY ts) AS lon,
               array_agg(ST_Y(geom) ORDER BY ts) AS lat,
               array_agg(sog ORDER BY ts) AS sog
        FROM positions
        WHERE ts >= ${range.from} AND ts < ${range.to} ${inBox}
        GROUP BY mmsi
        ORDER BY mmsi`.execute(db);
      return result.rows.map((r) => ({
        mmsi: r.mmsi,
        t: Float64Array.from(r.t, Number),
        lon: Float64Array.from(r.lon, Number),
        lat: Float64Array.from(r.lat, Number),
        sog: Float64Array.from(r.sog, (s) => (s === null ? Number.NaN : Number(s))),
      }));
    },
  };
}
export type TrackRepository = ReturnType<typeof createTrackRepository>;
