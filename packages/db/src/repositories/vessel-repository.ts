import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, VesselsTable } from '../schema.ts';

/** A `vessels` row: identity as last reported and the first/last time the MMSI was heard. */
export type VesselRow = Selectable<VesselsTable>;

/** What detection and screening need of a vessel's identity. */
export interface VesselIdentity {
  mmsi: number;
  imo: number | null;
  name: string | null;
  callsign: string | null;
  shipType: number | null;
  flag: string | null;
}

/**
 * Reads of the `vessels` aggregate (one row per MMSI, written by ingest's position store in the
 * same transaction as the positions). Every reader of a vessel's current identity goes through
 * here; the set-based identity-anomaly rules (identity-repository.ts) join the table in SQL.
 */
export function createVesselRepository(db: Kysely<Database>) {
  async function identities(mmsis: readonly number[]): Promise<Map<number, VesselIdentity>> {
    if (mmsis.length === 0) return new Map();
    const rows = await db
      .selectFrom('vessels')
      .select(['mmsi', 'imo', 'name', 'callsign', 'ship_type', 'flag'])
      // One array parameter: a window can hold more vessels than a statement has bind parameters (65,535).
      .where(sql<boolean>`mmsi = ANY(${[...mmsis]}::int[])`)
      .execute();
    return new Map(rows.map((r) => [r.mmsi, { mmsi: r.mmsi, imo: r.imo, name: r.name, callsign: r.callsign, shipType: r.ship_type, flag: r.flag }]));
  }

  return {
    /** The vessel's row, or undefined when the MMSI has never been ingested. */
    async get(mmsi: number): Promise<VesselRow | undefined> {
      return db.selectFrom('vessels').selectAll().where('mmsi', '=', mmsi).executeTakeFirst();
    },

    /** Current identities of many vessels in one query; MMSIs never ingested are absent. */
    identities,

    /** Reported length overall (m, type 5 A + B) of each vessel that gave one. */
    async lengths(mmsis: readonly number[]): Promise<Map<number, number>> {
      if (mmsis.length === 0) return new Map();
      const rows = await db
        .selectFrom('vessels')
        .select(['mmsi', 'length'])
        .where(sql<boolean>`mmsi = ANY(${[...mmsis]}::int[])`)
        .where('length', 'is not', null)
        .execute();
      return new Map(rows.map((r) => [r.mmsi, r.length!]));
    },

    /**
     * The latest report of any vessel (ms), or null before any: how far the data is known to
     * reach, so a vessel silent since long before it has gone dark, while one that stopped
     * shortly before it may only be waiting for its next report.
     */
    async dataHorizon(): Promise<number | null> {
      const row = await db.selectFrom('vessels').select((eb) => eb.fn.max('last_seen').as('latest')).executeTakeFirst();
      return row?.latest ? new Date(row.latest).getTime() : null;
    },

    /**
     * Start times (ms, on the window grid) of the windows holding the last report of each vessel
     * whose silence crossed one of `thresholdsMs` within the last `bandMs` (by the database's
     * clock): the windows to re-run so a vessel that went dark gets its AIS gap alert while the
     * gap is still open. One scan of `vessels` (a row per MMSI).
     */
    async silenceWindows(windowMs: number, thresholdsMs: readonly number[], bandMs: number): Promise<number[]> {
      if (thresholdsMs.length === 0) return [];
      const rows = await db
        .selectFrom('vessels')
        .select(sql<string>`floor(extract(epoch FROM last_seen) * 1000 / ${windowMs}) * ${windowMs}`.as('start_ms'))
        .distinct()
        .where((eb) =>
          eb.or(
            thresholdsMs.map((ms) =>
              eb.and([
                eb('last_seen', '<=', sql<Date>`now() - make_interval(secs => ${ms / 1000})`),
                eb('last_seen', '>', sql<Date>`now() - make_interval(secs => ${(ms + bandMs) / 1000})`),
              ]),
            ),
          ),
        )
        .execute();
      return rows.map((r) => Number(r.start_ms)).sort((a, b) => a - b);
    },

    /** One vessel's identity; all fields but the MMSI null when it was never ingested. */
    async identity(mmsi: number): Promise<VesselIdentity> {
      return (await identities([mmsi])).get(mmsi) ?? unknownVessel(mmsi);
    },
  };
}
export type VesselRepository = ReturnType<typeof createVesselRepository>;

/** The identity of an MMSI nothing is known about. */
export function unknownVessel(mmsi: number): VesselIdentity {
  return { mmsi, imo: null, name: null, callsign: null, shipType: null, flag: null };
}
