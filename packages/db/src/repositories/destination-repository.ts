import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.ts';

/** One point of a vessel's declared destination series: epoch ms of the first report of the value, and the value. */
export interface DestinationPoint {
  t: number;
  destination: string;
}

/**
 * Declared type 5 destination per vessel (migrations/0023_vessel_destinations.sql: one row per
 * change, written by ingest). Read by the voyage rule (`analyseVoyages` in @rendezvous/detection)
 * in the detector and the API's voyages route.
 */
export function createDestinationRepository(db: Kysely<Database>) {
  return {
    /**
     * Per MMSI, its destination series over [from, to]: the last value declared before `from`
     * (the value in force when the range starts), then every change in the range, time-ordered,
     * with consecutive equal values collapsed (batches committed out of order can store both).
     * MMSIs without any value up to `to` are absent from the map. One query for all MMSIs.
     */
    async destinationChanges(mmsis: readonly number[], from: Date, to: Date): Promise<Map<number, DestinationPoint[]>> {
      const out = new Map<number, DestinationPoint[]>();
      const ids = [...new Set(mmsis)].filter((m) => Number.isInteger(m));
      if (ids.length === 0 || !(from.getTime() <= to.getTime())) return out;
      const { rows } = await sql<{ mmsi: number; ts: Date; destination: string }>`
        SELECT m.mmsi, p.ts, p.destination
        FROM unnest(${ids}::int[]) AS m(mmsi)
        CROSS JOIN LATERAL (
          (SELECT d.ts, d.destination FROM vessel_destinations d WHERE d.mmsi = m.mmsi AND d.ts < ${from} ORDER BY d.ts DESC LIMIT 1)
          UNION ALL
          (SELECT d.ts, d.destination FROM vessel_destinations d WHERE d.mmsi = m.mmsi AND d.ts >= ${from} AND d.ts <= ${to})
        ) p
        ORDER BY m.mmsi, p.ts`.execute(db);
      for (const r of rows) {
        let series = out.get(r.mmsi);
        if (!series) out.set(r.mmsi, (series = []));
        if (series.length > 0 && series[series.length - 1]!.destination === r.destination) continue;
        series.push({ t: r.ts.getTime(), destination: r.destination });
      }
      return out;
    },
  };
}
export type DestinationRepository = ReturnType<typeof createDestinationRepository>;
