import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** One stored position's received line(s) (migrations/0019, in positions.lines since 0028). */
export interface RawReport {
  mmsi: number;
  /** The position's time, epoch ms. */
  ts: number;
  source: string | null;
  /** As received (latin1 text, one char per byte); several lines joined by '\n'. */
  lines: string;
}

/**
 * The raw AIS archive: the line(s) each stored position was decoded from, written by ingest in
 * the position's own row (positions.lines, migrations/0028; packages/ingest position-store.ts),
 * read by the evidence export. A position stored before 0019, or without a line, has none.
 */
export function createRawReportRepository(db: Kysely<Database>) {
  return {
    /**
     * The vessels' reports over [from, to], time order (then MMSI), at most `limit`: `capped` says
     * whether more were there. The day partitions of the range, one primary-key range scan per
     * vessel in each.
     */
    async linesOf(mmsis: readonly number[], from: Date, to: Date, limit: number): Promise<{ reports: RawReport[]; capped: boolean }> {
      const ids = [...new Set(mmsis)].filter((m) => Number.isInteger(m));
      if (ids.length === 0 || !(from.getTime() <= to.getTime()) || limit <= 0) return { reports: [], capped: false };
      const rows = await db
        .selectFrom('positions')
        .select(['mmsi', 'ts', 'source', 'lines'])
        .where('mmsi', 'in', ids)
        .where('ts', '>=', from)
        .where('ts', '<=', to)
        .where('lines', 'is not', null)
        .orderBy('ts')
        .orderBy('mmsi')
        .limit(limit + 1)
        .execute();
      const capped = rows.length > limit;
      if (capped) rows.length = limit;
      return { reports: rows.map((r) => ({ mmsi: r.mmsi, ts: r.ts.getTime(), source: r.source, lines: r.lines! })), capped };
    },
  };
}
export type RawReportRepository = ReturnType<typeof createRawReportRepository>;
