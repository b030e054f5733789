import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { readChangeSeries } from './change-series.ts';

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
      const series = await readChangeSeries(db, 'vessel_destinations', 'destination', mmsis, from, to, (v) => String(v));
      return new Map([...series].map(([mmsi, points]) => [mmsi, points.map((p) => ({ t: p.t, destination: p.value }))]));
    },
  };
}
export type DestinationRepository = ReturnType<typeof createDestinationRepository>;
