import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.ts';

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
      const out = new Map<number, DraughtPoint[]>();
      const ids = [...new Set(mmsis)].filter((m) => Number.isInteger(m));
      if (ids.length === 0 || !(from.getTime() <= to.getTime())) return out;
      const { rows } = await sql<{ mmsi: number; ts: Date; draught: number }>`
        SELECT m.mmsi, p.ts, p.draught
        FROM unnest(${ids}::int[]) AS m(mmsi)
        CROSS JOIN LATERAL (
          (SELECT d.ts, d.draught FROM vessel_draughts d WHERE d.mmsi = m.mmsi AND d.ts < ${from} ORDER BY d.ts DESC LIMIT 1)
          UNION ALL
          (SELECT d.ts, d.draught FROM vessel_draughts d WHERE d.mmsi = m.mmsi AND d.ts >= ${from} AND d.ts <= ${to})
        ) p
        ORDER BY m.mmsi, p.ts`.execute(db);
      for (const r of rows) {
        let series = out.get(r.mmsi);
        if (!series) out.set(r.mmsi, (series = []));
        const draughtM = Math.round(Number(r.draught) * 100) / 100; // real → the 0.1 m value typed in
        if (series.length > 0 && series[series.length - 1]!.draughtM === draughtM) continue;
        series.push({ t: r.ts.getTime(), draughtM });
      }
      return out;
    },
  };
}
export type DraughtRepository = ReturnType<typeof createDraughtRepository>;
