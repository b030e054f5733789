import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { readChangeSeries } from './change-series.ts';

/** One point of a vessel's draught series: epoch ms of the first report of the value, metres. */
export interface DraughtPoint {
  t: number;
  draughtM: number;
}

/**
 * Reported type 5 draught per vessel (migrations/0018_draught_history.sql: one row per change,
 * written by ingest). The rule that reads it is `draughtChangeAcross` in @rendezvous/identity.
 */
export function createDraughtRepository(db: Kysely<Database>) {
  return {
    /**
     * Per MMSI, its draught series over [from, to]: the last value reported before `from` (the
     * value in force when the range starts), then every change in the range, time-ordered, with
     * consecutive equal values collapsed (batches committed out of order can store both). MMSIs
     * without any value up to `to` are absent from the map. One query for all MMSIs.
     */
    async draughtChanges(mmsis: readonly number[], from: Date, to: Date): Promise<Map<number, DraughtPoint[]>> {
      // real → the 0.1 m value typed in
      const series = await readChangeSeries(db, 'vessel_draughts', 'draught', mmsis, from, to, (v) => Math.round(Number(v) * 100) / 100);
      return new Map([...series].map(([mmsi, points]) => [mmsi, points.map((p) => ({ t: p.t, draughtM: p.value }))]));
    },
  };
}
export type DraughtRepository = ReturnType<typeof createDraughtRepository>;
