import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * A type 5 field kept as one row per change (vessel_draughts 0018, vessel_destinations 0023),
 * read per MMSI over [from, to]: the last value before `from` (the value in force when the range
 * starts), then every change in the range, time-ordered, consecutive equal values collapsed
 * (batches committed out of order can store both). MMSIs without any value up to `to` are absent.
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
      (SELECT d.ts, ${c} AS v FROM ${t} d WHERE d.mmsi = m.mmsi AND d.ts < ${from} ORDER BY d.ts DESC LIMIT 1)
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
