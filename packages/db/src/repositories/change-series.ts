import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * A type 5 field kept as one row per change (vessel_draughts 0018, vessel_destinations 0023),
 * read per MMSI over [from, to]: the value in force when the range starts, timed from when it came
 * into force, then every change in the range, time-ordered, consecutive equal values collapsed.
 * Batches committed out of order (several sources, several ingest processes) can store a value
 * twice in a row; which of the two rows exists depends on commit order, so the value in force is
 * read from the first row of its run (the newest row before `from` whose predecessor holds another
 * value, or none): "6.0 m since 12:00" whatever order the batches came in. MMSIs without any value
 * up to `to` are absent.
 * One query for all MMSIs. `table` and `column` are this package's own names, never input.
 */
export async function readChangeSeries<V>(
  db: Kysely<Database>,
  table: 'vessel_draughts' | 'vessel_destinations',
  column: 'draught' | 'destination',
  mmsis: readonly number[],
  from: Date,
  to: Date,
  value: (raw: unknown) => V,
): Promise<Map<number, { t: number; value: V }[]>> {
  const out = new Map<number, { t: number; value: V }[]>();
  const ids = [...new Set(mmsis)].filter((m) => Number.isInteger(m));
  if (ids.length === 0 || !(from.getTime() <= to.getTime())) return out;
  const t = sql.table(table);
  const c = sql.ref(`d.${column}`);
  const { rows } = await sql<{ mmsi: number; ts: Date; v: unknown }>`
    SELECT m.mmsi, p.ts, p.v
    FROM unnest(${ids}::int[]) AS m(mmsi)
    CROSS JOIN LATERAL (
      (SELECT d.ts, ${c} AS v FROM ${t} d
       WHERE d.mmsi = m.mmsi AND d.ts < ${from}
         AND ${c} IS DISTINCT FROM (SELECT ${sql.ref(`e.${column}`)} FROM ${t} e WHERE e.mmsi = d.mmsi AND e.ts < d.ts ORDER BY e.ts DESC LIMIT 1)
       ORDER BY d.ts DESC LIMIT 1)
      UNION ALL
      (SELECT d.ts, ${c} AS v FROM ${t} d WHERE d.mmsi = m.mmsi AND d.ts >= ${from} AND d.ts <= ${to})
    ) p
    ORDER BY m.mmsi, p.ts`.execute(db);
  for (const r of rows) {
    let series = out.get(r.mmsi);
    if (!series) out.set(r.mmsi, (series = []));
    const v = value(r.v);
    if (series.length > 0 && series[series.length - 1]!.value === v) continue;
    series.push({ t: r.ts.getTime(), value: v });
  }
  return out;
}
