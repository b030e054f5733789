// The set-based imo_far_apart query as it was before issue 16's pruning (identity-repository.ts),
// word for word: the oracle the pruned query must equal (test/identity/imo-far-apart-pruning.test.ts)
// and the "plain" side of its timing probe (services/detector/bench/probes/imo-far-apart.ts).
import { sql, type Kysely } from 'kysely';
import type { Database } from '@rendezvous/db';
import { METRES_PER_NM } from '@rendezvous/geodesy';
import type { IdentityRuleOptions } from '@rendezvous/identity';

export async function plainImoFarApart(
  db: Kysely<Database>,
  from: Date,
  to: Date,
  mmsis: readonly number[] | undefined,
  opts: Pick<IdentityRuleOptions, 'imoFarApartWithinMin' | 'imoFarApartNm' | 'imoFarApartMinFixes'>,
): Promise<number[]> {
  const d = (i: number) => sql`substr(value, ${sql.lit(i)}, 1)::int`;
  const valid = sql`(CASE WHEN value ~ '^[1-9][0-9]{6}$'
    THEN (${d(1)} * 7 + ${d(2)} * 6 + ${d(3)} * 5 + ${d(4)} * 4 + ${d(5)} * 3 + ${d(6)} * 2) % 10 = ${d(7)}
    ELSE false END)`;
  const only = mmsis ? sql`AND a.mmsi = ANY(${[...mmsis]}::int[])` : sql``;
  const { rows } = await sql<{ mmsi: number }>`
    WITH claims AS (
      SELECT DISTINCT mmsi, value FROM vessel_identity_history
      WHERE field = 'imo' AND first_seen < ${to} AND ${valid}
    ), pairs AS (
      SELECT DISTINCT a.mmsi AS self, b.mmsi AS peer FROM claims a JOIN claims b ON b.value = a.value AND b.mmsi <> a.mmsi
      WHERE true ${only}
    ), far AS (
      SELECT DISTINCT pr.self, s.ts FROM pairs pr
      JOIN positions s ON s.mmsi = pr.self AND s.ts >= ${from} AND s.ts < ${to}
      WHERE EXISTS (
        SELECT 1 FROM positions o
        WHERE o.mmsi = pr.peer AND o.ts >= ${from} AND o.ts < ${to}
          AND o.ts BETWEEN s.ts - make_interval(mins => ${opts.imoFarApartWithinMin}) AND s.ts + make_interval(mins => ${opts.imoFarApartWithinMin})
          AND ST_Distance(o.geom::geography, s.geom::geography) > ${opts.imoFarApartNm * METRES_PER_NM}
      )
    )
    SELECT self AS mmsi FROM far GROUP BY self HAVING count(*) >= ${opts.imoFarApartMinFixes}`.execute(db);
  return rows.map((r) => r.mmsi).sort((a, b) => a - b);
}

/** A valid IMO number (check digit per IMO Res. A.1117(30)) from six digits. */
export function validImo(six: number): string {
  const digits = String(six).padStart(6, '0');
  const sum = [...digits].reduce((s, c, i) => s + Number(c) * (7 - i), 0);
  return `${digits}${sum % 10}`;
}
