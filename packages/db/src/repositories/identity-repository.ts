import type { Expression, Kysely, RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import {
  ANOMALY_KINDS,
  anomaliesFromFacts,
  identityOptions,
  imoPeers,
  isInland,
  type Anomaly,
  type IdentityHooks,
  type AnomalyKind,
  type IdentityRuleOptions,
  type VesselIdentityFacts,
} from '@rendezvous/identity';
import { ValidationError } from '@rendezvous/errors';
import { METRES_PER_NM } from '@rendezvous/geodesy';
import type { Database, IdentityField } from '../schema.ts';
import { BUCKET_MS } from './position-buckets.ts';
import { createVesselRepository } from './vessel-repository.ts';

export interface TimeRange {
  from?: Date;
  to?: Date;
  /**
   * Most positions one read may load (the API passes its track cap); past it the read fails with
   * a ValidationError asking for a shorter range, instead of holding them all in memory.
   */
  maxPositions?: number;
}

export interface IdentityHistoryEntry {
  field: IdentityField;
  value: string;
  firstSeen: string;
}

export interface AnomalousVessel {
  mmsi: number;
  kinds: AnomalyKind[];
}

/**
 * IMO check digit (IMO Res. A.1117(30)) in SQL, the same rule as isValidImo in @rendezvous/ais:
 * seven digits, no leading zero, Σ d₁..d₆ × 7..2 mod 10 = d₇. CASE keeps the casts from ever
 * seeing a non-numeric value.
 */
function validImoSql(text: Expression<string> | RawBuilder<string>): RawBuilder<boolean> {
  const d = (i: number) => sql`substr(${text}, ${sql.lit(i)}, 1)::int`;
  return sql<boolean>`(CASE WHEN ${text} ~ '^[1-9][0-9]{6}$'
    THEN (${d(1)} * 7 + ${d(2)} * 6 + ${d(3)} * 5 + ${d(4)} * 4 + ${d(5)} * 3 + ${d(6)} * 2) % 10 = ${d(7)}
    ELSE false END)`;
}

const ms = (d: Date) => d.getTime();

/** `AND <column> = ANY(<mmsis>)` when a vessel list is given (one array parameter), else nothing. */
const only = (column: string, mmsis: readonly number[] | undefined) => (mmsis ? sql`AND ${sql.ref(column)} = ANY(${[...mmsis]}::int[])` : sql``);

/**
 * The positions of [from, to), of `mmsis` only when given, as a FROM item. For a vessel list,
 * LATERAL … OFFSET 0: one primary-key range scan per vessel (the planner otherwise scans every
 * position of the range and filters, as track-repository.ts loadSpans notes).
 */
const positionsIn = (from: Date, to: Date, mmsis: readonly number[] | undefined) =>
  mmsis
    ? sql`(SELECT q.* FROM unnest(${[...mmsis]}::int[]) AS m(mmsi) CROSS JOIN LATERAL (SELECT * FROM positions WHERE mmsi = m.mmsi AND ts >= ${from} AND ts < ${to} OFFSET 0) q)`
    : sql`(SELECT * FROM positions WHERE ts >= ${from} AND ts < ${to})`;
/** A lon/lat box: [x0, x1] × [y0, y1], degrees. */
interface SqlBox {
  x0: RawBuilder<number>;
  x1: RawBuilder<number>;
  y0: RawBuilder<number>;
  y1: RawBuilder<number>;
}

/**
 * An upper bound (m) of the distance from the centre of box `b` to any of its points on WGS-84,
 * as position_buckets.spread_m (migrations/0007) halved: the path along one point's meridian,
 * then along the other's parallel, is never shorter than the geodesic; a degree of meridian is at
 * most 111,694 m (at the poles) and a degree of parallel at most 111,694 m × cos(latitude),
 * largest at the box's latitude nearest the equator. Longitudes are taken as they are: a box
 * across ±180° gets a huge bound, never a small one.
 */
const boxRadiusM = (b: SqlBox) =>
  sql<number>`((${b.y1} - ${b.y0}) * 111700 + (${b.x1} - ${b.x0}) * 111700
    * cos(radians(CASE WHEN ${b.y0} <= 0 AND ${b.y1} >= 0 THEN 0 ELSE least(abs(${b.y0}), abs(${b.y1})) END))) / 2`;

/**
 * An upper bound (m) of the spheroidal distance between any point of box `a` and any of box `b`
 * (imo_far_apart's pruning): by the triangle inequality, at most radius(a) + the centres'
 * distance + radius(b). The centres' distance is the great circle on the mean-radius sphere
 * (6,371,008.8 m) plus 1 % and 1 km: the spheroid's geodesic differs from it by 0.6 % at most.
 */
const imoBoxBoundM = (a: SqlBox, b: SqlBox) => {
  const lat1 = sql`radians((${a.y0} + ${a.y1}) / 2)`;
  const lat2 = sql`radians((${b.y0} + ${b.y1}) / 2)`;
  const dLon = sql`radians((${b.x0} + ${b.x1}) / 2 - (${a.x0} + ${a.x1}) / 2)`;
  const greatCircle = sql<number>`(2 * 6371008.8 * asin(least(1, sqrt(
    power(sin((${lat2} - ${lat1}) / 2), 2) + cos(${lat1}) * cos(${lat2}) * power(sin(${dLon} / 2), 2)))))`;
  return sql<number>`(${boxRadiusM(a)} + ${greatCircle} * 1.01 + 1000 + ${boxRadiusM(b)})`;
};
const toFix = (p: { ts: Date; lon: number; lat: number; sog: number | null }) => ({
  ts: ms(p.ts),
  lon: Number(p.lon),
  lat: Number(p.lat),
  sog: p.sog === null ? null : Number(p.sog),
});

/**
 * Identity anomalies of vessels from what ingest stored (positions, vessels, identity history) and
 * the current watchlist entries. Queries here; rules in @rendezvous/identity (pure). One vessel's
 * row comes from the vessel repository; the set-based rules below join `vessels` in SQL, since
 * they select vessels by what their rows hold.
 *
 * Time semantics: identity history counts as known at its first sighting, so a range's `to`
 * limits history to values first seen before it ("as known at the end of the range"); positions
 * are limited to [from, to). `from` alone does not hide older history: a rename last year still
 * explains today's vessel.
 */
/**
 * `hooks.isOnLand` (`loadShoreIndex().isOnLand` from @rendezvous/geography, which this package
 * does not depend on) enables `on_land`, both per vessel and set-based; without it that kind is
 * never reported.
 */
export function createIdentityRepository(db: Kysely<Database>, options: Partial<IdentityRuleOptions> = {}, hooks: IdentityHooks = {}) {
  const opts = identityOptions(options);
  const vessels = createVesselRepository(db);

  async function factsForVessel(mmsi: number, range: TimeRange = {}): Promise<VesselIdentityFacts> {
    const { from, to, maxPositions } = range;
    const [vessel, history, track] = await Promise.all([
      vessels.get(mmsi),
      db
        .selectFrom('vessel_identity_history')
        .select(['field', 'value', 'first_seen'])
        .where('mmsi', '=', mmsi)
        .$if(to !== undefined, (q) => q.where('first_seen', '<', to!))
        .orderBy('first_seen')
        .orderBy('field')
        .orderBy('value')
        .execute(),
      db
        .selectFrom('positions')
        .select(['ts', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat'), 'sog'])
        .where('mmsi', '=', mmsi)
        .$if(from !== undefined, (q) => q.where('ts', '>=', from!))
        .$if(to !== undefined, (q) => q.where('ts', '<', to!))
        .orderBy('ts')
        .$if(maxPositions !== undefined, (q) => q.limit(maxPositions! + 1))
        .execute(),
    ]);
    if (maxPositions !== undefined && track.length > maxPositions) {
      throw new ValidationError(`MMSI ${mmsi} has more than ${maxPositions} positions in this range: ask for a shorter range`);
    }
    const imoTexts = [...new Set(history.filter((h) => h.field === 'imo').map((h) => h.value))];
    const imos = imoTexts.map(Number).filter(Number.isInteger);
    if (vessel?.imo != null && !imos.includes(vessel.imo)) imos.push(vessel.imo);

    const [claims, entries] = await Promise.all([
      imoTexts.length === 0
        ? []
        : db
            .selectFrom('vessel_identity_history as h')
            .leftJoin('vessels as v', 'v.mmsi', 'h.mmsi')
            .select(['h.mmsi', 'h.value', 'h.first_seen', 'v.last_seen', 'v.flag'])
            .where('h.field', '=', 'imo')
            .where('h.value', 'in', imoTexts)
            .$if(to !== undefined, (q) => q.where('h.first_seen', '<', to!))
            .execute(),
      db
        .selectFrom('watchlist_entries as e')
        .innerJoin('watchlists as w', 'w.id', 'e.watchlist_id')
        .select(['w.name as list', 'e.id', 'e.entry_key', 'e.name', 'e.imo', 'e.mmsi', 'e.mmsi_legacy'])
        .where('e.removed_version', 'is', null)
        .where((eb) =>
          eb.or([eb('e.mmsi', '=', mmsi), sql<SqlBool>`${mmsi} = ANY (e.mmsi_legacy)`, ...(imos.length ? [eb('e.imo', 'in', imos)] : [])]),
        )
        .orderBy('w.name')
        .orderBy('e.id')
        .execute(),
    ]);
    const cap = (d: Date | null) => (d === null ? null : to !== undefined ? Math.min(ms(d), ms(to)) : ms(d));
    const imoClaims = claims.map((c) => ({ imo: Number(c.value), mmsi: c.mmsi, firstSeen: ms(c.first_seen), lastSeen: cap(c.last_seen), flag: c.flag }));
    // imo_far_apart: the other hulls' positions over the same range.
    const peers = imoPeers(mmsi, imoClaims);
    const peerTracks = await Promise.all(
      peers.map(async (p) => {
        const rows = await db
          .selectFrom('positions')
          .select(['ts', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat'), 'sog'])
          .where('mmsi', '=', p.mmsi)
          .$if(from !== undefined, (q) => q.where('ts', '>=', from!))
          .$if(to !== undefined, (q) => q.where('ts', '<', to!))
          .orderBy('ts')
          .$if(maxPositions !== undefined, (q) => q.limit(maxPositions! + 1))
          .execute();
        if (maxPositions !== undefined && rows.length > maxPositions) {
          throw new ValidationError(`MMSI ${p.mmsi}, which shares an IMO with ${mmsi}, has more than ${maxPositions} positions in this range: ask for a shorter range`);
        }
        return { ...p, track: rows.map(toFix) };
      }),
    );
    return {
      mmsi,
      vessel: vessel ? { imo: vessel.imo, flag: vessel.flag, firstSeen: ms(vessel.first_seen), lastSeen: ms(vessel.last_seen) } : null,
      history: history.map((h) => ({ field: h.field, value: h.value, firstSeen: ms(h.first_seen) })),
      imoClaims,
      track: track.map(toFix),
      peerTracks,
      watchlist: entries.map((e) => ({
        list: e.list,
        entryId: Number(e.id),
        entryKey: e.entry_key,
        name: e.name,
        imo: e.imo,
        mmsi: e.mmsi,
        mmsiLegacy: e.mmsi_legacy,
      })),
    };
  }

  /**
   * on_land, set-based: PostGIS has no coastline, so the positions of the range are read in pages
   * (keyset on the primary key) and tested here with the same isInland as the per-vessel rule.
   */
  async function onLandVessels(from: Date, to: Date, mmsis?: readonly number[]): Promise<{ mmsi: number }[]> {
    const isOnLand = hooks.isOnLand;
    if (!isOnLand) return [];
    const counts = new Map<number, number>();
    const PAGE = 100_000;
    let after: { mmsi: number; ts: Date } | null = null;
    for (;;) {
      const page: { mmsi: number; ts: Date; lon: number; lat: number }[] = (
        await sql<{ mmsi: number; ts: Date; lon: number; lat: number }>`
          SELECT mmsi, ts, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM ${positionsIn(from, to, mmsis)} p
          WHERE true ${after ? sql`AND (mmsi, ts) > (${after.mmsi}, ${after.ts})` : sql``}
          ORDER BY mmsi, ts LIMIT ${PAGE}`.execute(db)
      ).rows;
      for (const p of page) {
        if (isInland(Number(p.lon), Number(p.lat), isOnLand, opts.onLandMarginM)) counts.set(p.mmsi, (counts.get(p.mmsi) ?? 0) + 1);
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1]!;
      after = { mmsi: last.mmsi, ts: last.ts };
    }
    return [...counts].filter(([, n]) => n >= opts.onLandMinFixes).map(([mmsi]) => ({ mmsi }));
  }

  /**
   * One query per kind, each returning the distinct MMSIs that have it. `mmsis` restricts the
   * kinds that scan positions (the costly ones) to those vessels: a detection window asks only
   * about its events' vessels.
   */
  function kindQueries(from: Date, to: Date, mmsis?: readonly number[]): Record<AnomalyKind, () => Promise<{ mmsi: number }[]>> {
    /** Vessels seen in [from, to): first transmission before `to`, last at or after `from`. */
    const seen = (alias: string) => sql<SqlBool>`(${sql.ref(`${alias}.first_seen`)} < ${to} AND ${sql.ref(`${alias}.last_seen`)} >= ${from})`;
    const windowSecs = opts.changeWindowDays * 86_400;
    const kn = (metres: RawBuilder<number>, secs: RawBuilder<number>) => sql<number>`(${metres} / ${METRES_PER_NM}) / (${secs} / 3600.0)`;
    return {
      invalid_mmsi: () =>
        db
          .selectFrom('vessels as v')
          .select('v.mmsi')
          // mmsi_invalid is classifyMmsi(...).valid === false (ingest); ship stations are 2xxxxxxxx–7xxxxxxxx (ITU-R M.585).
          .where((eb) => eb.and([seen('v'), eb.or([eb('v.mmsi_invalid', '=', true), eb('v.mmsi', '<', 200_000_000), eb('v.mmsi', '>', 799_999_999)])]))
          .execute(),

      imo_check_digit: () =>
        db
          .selectFrom('vessel_identity_history as h')
          .innerJoin('vessels as v', 'v.mmsi', 'h.mmsi')
          .select('h.mmsi')
          .where('h.field', '=', 'imo')
          .where('h.first_seen', '<', to)
          .where((eb) => eb.and([seen('v'), eb.not(validImoSql(sql.ref('h.value')))]))
          .union(
            db
              .selectFrom('vessels as v')
              .select('v.mmsi')
              .where('v.imo', 'is not', null)
              .where((eb) => eb.and([seen('v'), eb.not(validImoSql(sql`${sql.ref('v.imo')}::text`))])),
          )
          .execute(),

      // Raw SQL: window functions over PostGIS geography distances (spheroidal, like geodesicMeters).
      // The spherical distance prefilter (0.5 % below the spheroid at worst) spares most rows the costlier one.
      shared_mmsi: async () =>
        (
          await sql<{ mmsi: number }>`
            SELECT DISTINCT mmsi FROM (
              SELECT mmsi, ts, geom, lag(ts) OVER w AS prev_ts, lag(geom) OVER w AS prev_geom
              FROM positions WHERE ts >= ${from} AND ts < ${to}
              WINDOW w AS (PARTITION BY mmsi ORDER BY ts)
            ) p
            WHERE prev_geom IS NOT NULL
              AND ST_DistanceSphere(geom, prev_geom) > ${opts.minJumpKm * 1000 * 0.99}
              AND ST_Distance(geom::geography, prev_geom::geography) > ${opts.minJumpKm * 1000}
              AND ST_Distance(geom::geography, prev_geom::geography) > ${opts.maxSpeedKn * METRES_PER_NM} * extract(epoch FROM ts - prev_ts) / 3600`.execute(db)
        ).rows,

      imo_multiple_mmsi: () =>
        db
          .selectFrom('vessel_identity_history as h')
          .innerJoin('vessels as v', 'v.mmsi', 'h.mmsi')
          .select('h.mmsi')
          .distinct()
          .where('h.field', '=', 'imo')
          .where('h.first_seen', '<', to)
          .where((eb) =>
            eb.and([
              seen('v'),
              validImoSql(sql.ref('h.value')),
              eb.exists(
                eb
                  .selectFrom('vessel_identity_history as o')
                  .select(sql`1`.as('one'))
                  .where('o.field', '=', 'imo')
                  .whereRef('o.value', '=', 'h.value')
                  .whereRef('o.mmsi', '<>', 'h.mmsi')
                  .where('o.first_seen', '<', to),
              ),
            ]),
          )
          .execute(),

      mmsi_multiple_imo: () =>
        db
          .selectFrom('vessel_identity_history as h')
          .innerJoin('vessels as v', 'v.mmsi', 'h.mmsi')
          .select('h.mmsi')
          .where('h.field', '=', 'imo')
          .where('h.first_seen', '<', to)
          .where(seen('v'))
          .groupBy('h.mmsi')
          .having((eb) => eb.fn.countAll(), '>=', 2)
          .execute(),

      // Raw SQL: counting changes in a sliding window needs a RANGE frame, which the builder lacks.
      // Names are normalised as normalizeName does (trim, collapse spaces, upper case).
      identity_changes: async () =>
        (
          await sql<{ mmsi: number }>`
            WITH names AS (
              SELECT mmsi, upper(regexp_replace(regexp_replace(value, '^\\s+|\\s+$', '', 'g'), '\\s+', ' ', 'g')) AS v, min(first_seen) AS t
              FROM vessel_identity_history WHERE field = 'name' AND first_seen < ${to} GROUP BY 1, 2
            ), name_changes AS (
              SELECT mmsi, t FROM (SELECT mmsi, t, row_number() OVER (PARTITION BY mmsi ORDER BY t, v) AS rn FROM names) x WHERE rn > 1
            ), renamed AS (
              SELECT DISTINCT mmsi FROM (
                SELECT mmsi, count(*) OVER (PARTITION BY mmsi ORDER BY t RANGE BETWEEN CURRENT ROW AND make_interval(secs => ${windowSecs}) FOLLOWING) AS k
                FROM name_changes
              ) x WHERE k >= ${opts.minChanges}
            ), claims AS (
              SELECT h.value AS imo, h.mmsi, h.first_seen AS t, v.flag
              FROM vessel_identity_history h JOIN vessels v ON v.mmsi = h.mmsi
              WHERE h.field = 'imo' AND h.first_seen < ${to} AND v.flag IS NOT NULL AND ${validImoSql(sql.ref('h.value'))}
            ), flags AS (
              SELECT imo, flag, min(t) AS t FROM claims GROUP BY 1, 2
            ), flag_changes AS (
              SELECT imo, t FROM (SELECT imo, t, row_number() OVER (PARTITION BY imo ORDER BY t, flag) AS rn FROM flags) x WHERE rn > 1
            ), hopping AS (
              SELECT DISTINCT imo FROM (
                SELECT imo, count(*) OVER (PARTITION BY imo ORDER BY t RANGE BETWEEN CURRENT ROW AND make_interval(secs => ${windowSecs}) FOLLOWING) AS k
                FROM flag_changes
              ) x WHERE k >= ${opts.minChanges}
            )
            SELECT v.mmsi FROM vessels v
            WHERE v.first_seen < ${to} AND v.last_seen >= ${from}
              AND (v.mmsi IN (SELECT mmsi FROM renamed) OR v.mmsi IN (SELECT c.mmsi FROM claims c JOIN hopping USING (imo)))`.execute(db)
        ).rows,

      watchlist_pairing_mismatch: () =>
        db
          .selectFrom('watchlist_entries as e')
          .innerJoin('vessel_identity_history as h', (j) => j.onRef('h.mmsi', '=', 'e.mmsi').on('h.field', '=', 'imo'))
          .innerJoin('vessels as v', 'v.mmsi', 'h.mmsi')
          .select('h.mmsi')
          // The listed MMSI reports an IMO other than the listed one.
          .where('e.removed_version', 'is', null)
          .where('e.imo', 'is not', null)
          .where('h.first_seen', '<', to)
          .where((eb) => eb.and([seen('v'), sql<SqlBool>`h.value <> e.imo::text`]))
          .union(
            db
              .selectFrom('watchlist_entries as e')
              .innerJoin('vessel_identity_history as h', (j) => j.on('h.field', '=', 'imo').on(sql<SqlBool>`h.value = e.imo::text`))
              .innerJoin('vessels as v', 'v.mmsi', 'h.mmsi')
              .select('h.mmsi')
              // The listed IMO under an MMSI that is neither the listed one nor a former one.
              .where('e.removed_version', 'is', null)
              .where('e.mmsi', 'is not', null)
              .whereRef('h.mmsi', '<>', 'e.mmsi')
              .where('h.first_seen', '<', to)
              .where((eb) => eb.and([seen('v'), sql<SqlBool>`NOT (h.mmsi = ANY (e.mmsi_legacy))`])),
          )
          .execute(),

      // Fixes of an MMSI with a fix of another MMSI claiming the same valid IMO within the window
      // and farther than the threshold (geography: spheroidal, like geodesicDistanceM).
      //
      // The plain form (every fix against the peer's fixes of the window, in one EXISTS) took
      // 6–12 s on 8,000 vessels × 24 h with 2 % of them sharing an IMO: the planner hashed every
      // position of the range and compared each fix with all of its peer's fixes of the day, and
      // hulls near each other never stop the scan. Same answer, less work:
      //  1. Boxes per vessel and UTC hour from position_buckets (which ingest writes with the
      //     positions; a bucket's box holds all its positions, so also those in [from, to)).
      //  2. A (self, peer, hour) is a candidate only if some point of the self's hour box may lie
      //     farther than the threshold from some point of the peer's boxes of the hours whose
      //     fixes can be within the window (imoBoxBoundM, a proven upper bound).
      //  3. Per self, its candidate hours' fixes are checked (farthest-reaching hours first) with
      //     the exact test (one index range scan of the peer per fix, the spheroidal distance
      //     behind a spherical one with a 1 % margin) until imoFarApartMinFixes are found: that
      //     is all the HAVING needs.
      imo_far_apart: async () => {
        const W = opts.imoFarApartWithinMin;
        const thresholdM = opts.imoFarApartNm * METRES_PER_NM;
        // A fix of hour h has the peer fixes of its window in hours h - span .. h + span.
        const span = Math.ceil((W * 60) / 3_600);
        const fromBucket = Math.floor(ms(from) / BUCKET_MS);
        const toBucket = Math.ceil(ms(to) / BUCKET_MS); // exclusive
        const hourStart = (h: RawBuilder<number>) => sql`to_timestamp(${h} * 3600)`;
        // Buckets per hour (6 of 10 minutes, migrations/0007); an hour holds whole buckets.
        const bucketsPerHour = sql.lit(3_600_000 / BUCKET_MS);
        return (
          await sql<{ mmsi: number }>`
            WITH claims AS (
              SELECT DISTINCT mmsi, value FROM vessel_identity_history
              WHERE field = 'imo' AND first_seen < ${to} AND ${validImoSql(sql.ref('value'))}
            ), pairs AS (
              SELECT DISTINCT a.mmsi AS self, b.mmsi AS peer FROM claims a JOIN claims b ON b.value = a.value AND b.mmsi <> a.mmsi
              WHERE true ${only('a.mmsi', mmsis)}
            ), hulls AS (
              SELECT self AS mmsi FROM pairs UNION SELECT peer FROM pairs
            ), boxes AS (
              SELECT b.mmsi, floor(b.bucket::float8 / ${bucketsPerHour})::bigint AS h,
                     min(b.lon_min) AS x0, max(b.lon_max) AS x1, min(b.lat_min) AS y0, max(b.lat_max) AS y1
              FROM hulls CROSS JOIN LATERAL (
                SELECT * FROM position_buckets WHERE mmsi = hulls.mmsi AND bucket >= ${fromBucket} AND bucket < ${toBucket} OFFSET 0
              ) b
              GROUP BY 1, 2
            ), self_boxes AS MATERIALIZED (
              -- Apart, so the peer's boxes are joined on (MMSI, hour) together: the boxes are
              -- estimated at a few rows, and joined in one step the planner matched every self
              -- box with every peer box of the same hour first (184 M rows with 20 % sharing).
              SELECT pr.self, pr.peer, a.h, a.x0, a.x1, a.y0, a.y1 FROM pairs pr JOIN boxes a ON a.mmsi = pr.self
            ), candidates AS (
              SELECT * FROM (
                SELECT a.self, a.peer, a.h, ${imoBoxBoundM(
                  { x0: sql`a.x0`, x1: sql`a.x1`, y0: sql`a.y0`, y1: sql`a.y1` },
                  { x0: sql`min(b.x0)`, x1: sql`max(b.x1)`, y0: sql`min(b.y0)`, y1: sql`max(b.y1)` },
                )} AS reach
                FROM self_boxes a
                CROSS JOIN generate_series(${sql.lit(-span)}::bigint, ${sql.lit(span)}::bigint) AS d(k)
                JOIN boxes b ON b.mmsi = a.peer AND b.h = a.h + d.k
                GROUP BY a.self, a.peer, a.h, a.x0, a.x1, a.y0, a.y1
              ) x
              WHERE reach > ${thresholdM}
            ), selves AS (
              -- Farthest-reaching hours first: a vessel that fires shows its fixes there soonest.
              SELECT self, array_agg(h ORDER BY reach DESC) AS hs, array_agg(peer ORDER BY reach DESC) AS peers FROM candidates GROUP BY self
            )
            SELECT cs.self AS mmsi FROM selves cs
            CROSS JOIN LATERAL (
              SELECT 1 FROM (SELECT h FROM unnest(cs.hs) WITH ORDINALITY AS u(h, n) GROUP BY h ORDER BY min(n)) u
              JOIN positions s ON s.mmsi = cs.self AND s.ts >= ${from} AND s.ts < ${to}
                AND s.ts >= ${hourStart(sql`u.h`)} AND s.ts < ${hourStart(sql`(u.h + 1)`)}
              WHERE EXISTS (
                SELECT 1 FROM unnest(cs.hs, cs.peers) AS c(h, peer)
                WHERE c.h = u.h AND EXISTS (
                  -- OFFSET 0 keeps this a per-fix index range scan (not a semi-join over every position).
                  SELECT 1 FROM positions o
                  WHERE o.mmsi = c.peer AND o.ts >= ${from} AND o.ts < ${to}
                    AND o.ts BETWEEN s.ts - make_interval(mins => ${W}) AND s.ts + make_interval(mins => ${W})
                    -- The sphere is within 0.6 % of the spheroid (1 m for rounding near zero):
                    -- only what cannot be farther is skipped.
                    AND ST_DistanceSphere(o.geom, s.geom) > ${thresholdM * 0.99 - 1}
                    AND ST_Distance(o.geom::geography, s.geom::geography) > ${thresholdM}
                  OFFSET 0
                )
              )
              LIMIT ${opts.imoFarApartMinFixes}
            ) f
            GROUP BY cs.self HAVING count(*) >= ${opts.imoFarApartMinFixes}`.execute(db)
        ).rows;
      },

      // Per UTC clock hour, the fixes reporting SOG above the minimum: count, span and how far across their box is.
      fixed_pattern: async () =>
        (
          await sql<{ mmsi: number }>`
            SELECT DISTINCT mmsi FROM (
              SELECT mmsi, count(*) AS n, min(ts) AS t0, max(ts) AS t1,
                     min(ST_X(geom)) AS x0, max(ST_X(geom)) AS x1, min(ST_Y(geom)) AS y0, max(ST_Y(geom)) AS y1
              FROM ${positionsIn(from, to, mmsis)} p
              WHERE sog > ${opts.fixedPatternMinSogKn}
              GROUP BY mmsi, floor(extract(epoch FROM ts) / 3600)
            ) h
            WHERE n >= ${opts.fixedPatternMinFixes}
              AND t1 - t0 >= make_interval(mins => ${opts.fixedPatternMinSpanMin})
              -- boxAcrossM: the larger of the north–south side and the east–west width at mid-latitude.
              AND greatest(
                    ST_Distance(ST_SetSRID(ST_MakePoint(x0, y0), 4326)::geography, ST_SetSRID(ST_MakePoint(x0, y1), 4326)::geography),
                    ST_Distance(ST_SetSRID(ST_MakePoint(x0, (y0 + y1) / 2), 4326)::geography, ST_SetSRID(ST_MakePoint(x1, (y0 + y1) / 2), 4326)::geography)
                  ) < ${opts.fixedPatternMaxExtentM}`.execute(db)
        ).rows,

      on_land: () => onLandVessels(from, to, mmsis),

      // Legs between consecutive fixes, per clock hour of their first fix: Σ distance / Σ time
      // against the mean SOG reported at the legs' first fixes (speedHours in @rendezvous/identity).
      sog_mismatch: async () =>
        (
          await sql<{ mmsi: number }>`
            WITH p AS (
              SELECT mmsi, ts, geom, sog, lag(ts) OVER w AS prev_ts, lag(geom) OVER w AS prev_geom, lag(sog) OVER w AS prev_sog
              FROM ${positionsIn(from, to, mmsis)} p
              WINDOW w AS (PARTITION BY mmsi ORDER BY ts)
            ), hours AS (
              SELECT mmsi, sum(ST_Distance(geom::geography, prev_geom::geography)) AS m,
                     sum(extract(epoch FROM ts - prev_ts)) AS secs, avg(prev_sog::float8) AS reported
              FROM p
              WHERE prev_ts IS NOT NULL AND ts - prev_ts <= make_interval(mins => ${opts.sogMismatchMaxLegMin})
              GROUP BY mmsi, floor(extract(epoch FROM prev_ts) / 3600)
            )
            SELECT DISTINCT mmsi FROM hours
            WHERE reported IS NOT NULL AND secs >= ${opts.sogMismatchMinCoverMin * 60}
              AND ((reported >= ${opts.sogMismatchMinReportedKn} AND ${kn(sql`m`, sql`secs`)} < ${opts.sogMismatchMaxImpliedKn})
                OR ${kn(sql`m`, sql`secs`)} > ${opts.sogMismatchFactor} * reported + ${opts.sogMismatchExcessKn})`.execute(db)
        ).rows,
    };
  }

  return {
    /** Every identity anomaly of one MMSI (see the time semantics above), with evidence and explanation. */
    async anomaliesForVessel(mmsi: number, range: TimeRange = {}): Promise<Anomaly[]> {
      return anomaliesFromFacts(await factsForVessel(mmsi, range), opts, hooks);
    },

    /** What the rules see for one MMSI: its row, history, IMO claims, track and watchlist pairings. */
    factsForVessel,

    /** Every value each identity field took for the MMSI, oldest first. */
    async historyForVessel(mmsi: number): Promise<IdentityHistoryEntry[]> {
      const rows = await db
        .selectFrom('vessel_identity_history')
        .select(['field', 'value', 'first_seen'])
        .where('mmsi', '=', mmsi)
        .orderBy('first_seen')
        .orderBy('field')
        .orderBy('value')
        .execute();
      return rows.map((r) => ({ field: r.field, value: r.value, firstSeen: r.first_seen.toISOString() }));
    },

    /**
     * Set-based: the vessels seen in [from, to) with anomalies of the given kinds (default all),
     * one SQL query per kind, for scoring many vessels at once. Same rules and thresholds as
     * anomaliesForVessel(mmsi, { from, to }) for a vessel active in the range, without evidence
     * or severity: ask anomaliesForVessel for those. Sorted by MMSI; kinds in ANOMALY_KINDS order.
     * With `mmsis`, the kinds that scan positions look at those vessels only (the result may still
     * name others for the cheap kinds: filter it).
     */
    async anomalousVessels(input: { from: Date; to: Date; kinds?: readonly AnomalyKind[]; mmsis?: readonly number[] }): Promise<AnomalousVessel[]> {
      const wanted = input.kinds ?? ANOMALY_KINDS;
      const queries = kindQueries(input.from, input.to, input.mmsis);
      const byMmsi = new Map<number, Set<AnomalyKind>>();
      const results = await Promise.all(ANOMALY_KINDS.filter((k) => wanted.includes(k)).map(async (k) => [k, await queries[k]()] as const));
      for (const [kind, rows] of results) {
        for (const { mmsi } of rows) {
          let set = byMmsi.get(mmsi);
          if (!set) byMmsi.set(mmsi, (set = new Set()));
          set.add(kind);
        }
      }
      return [...byMmsi]
        .sort((a, b) => a[0] - b[0])
        .map(([mmsi, kinds]) => ({ mmsi, kinds: ANOMALY_KINDS.filter((k) => kinds.has(k)) }));
    },
  };
}
export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
