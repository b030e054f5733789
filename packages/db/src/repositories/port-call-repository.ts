import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.ts';

/** A port call as stored (migrations/0021_port_calls.sql); times in epoch ms. */
export interface PortCallRecord {
  key: string;
  mmsi: number;
  segment: string | null;
  portId: string;
  portName: string | null;
  country: string | null;
  lon: number;
  lat: number;
  arrival: number;
  /** null: still in port at the end of the data. */
  departure: number | null;
  draughtArrivalM: number | null;
  draughtDepartureM: number | null;
  reasons: string[];
  detectorVersion: string;
}

/** The calls one detector run owns: arrival in [from, to), of these vessels when the run was restricted to an area. */
export interface PortCallOwner {
  from: Date;
  to: Date;
  mmsis?: readonly number[] | undefined;
}

/** Most calls one vessel query returns (a vessel calls a few times a week: years of history). */
export const PORT_CALL_LIST_MAX = 2_000;

/**
 * Port calls (issue 15), written by the detector's port-call stage and read by the API and CLI.
 * `reconcile` makes a window's run idempotent: it upserts the calls the window found and deletes
 * the ones it owns (arrival in the window) and no longer finds, in one transaction, so a re-run
 * or a reprocess of the same range leaves the same rows whatever ran before.
 */
export function createPortCallRepository(db: Kysely<Database>) {
  return {
    async reconcile(owner: PortCallOwner, calls: readonly PortCallRecord[]): Promise<{ upserted: number; deleted: number }> {
      return db.transaction().execute(async (trx) => {
        let upserted = 0;
        for (const c of calls) {
          const row = {
            key: c.key,
            mmsi: c.mmsi,
            segment: c.segment,
            port_id: c.portId,
            port_name: c.portName,
            country: c.country,
            lon: c.lon,
            lat: c.lat,
            arrival: new Date(c.arrival),
            departure: c.departure === null ? null : new Date(c.departure),
            draught_arrival: c.draughtArrivalM,
            draught_departure: c.draughtDepartureM,
            reasons: c.reasons,
            detector_version: c.detectorVersion,
          };
          const { key: _key, ...changes } = row;
          // Unchanged rows keep their updated_at: a re-run writes nothing it did not change.
          const r = await trx
            .insertInto('port_calls')
            .values(row)
            .onConflict((oc) =>
              oc.column('key').doUpdateSet({ ...changes, updated_at: sql`now()` }).where(
                sql<boolean>`(port_calls.departure, port_calls.draught_arrival, port_calls.draught_departure, port_calls.reasons, port_calls.port_name, port_calls.country, port_calls.detector_version)
                  IS DISTINCT FROM (excluded.departure, excluded.draught_arrival, excluded.draught_departure, excluded.reasons, excluded.port_name, excluded.country, excluded.detector_version)`,
              ),
            )
            .executeTakeFirst();
          upserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
        }
        let stale = trx.deleteFrom('port_calls').where('arrival', '>=', owner.from).where('arrival', '<', owner.to);
        if (owner.mmsis) {
          if (owner.mmsis.length === 0) return { upserted, deleted: 0 };
          stale = stale.where('mmsi', 'in', [...new Set(owner.mmsis)]);
        }
        const keys = calls.map((c) => c.key);
        if (keys.length > 0) stale = stale.where('key', 'not in', keys);
        const d = await stale.executeTakeFirst();
        return { upserted, deleted: Number(d.numDeletedRows) };
      });
    },

    /** A vessel's calls overlapping [from, to] (either bound optional), by arrival; at most `limit`. */
    async forVessel(mmsi: number, range: { from?: Date | undefined; to?: Date | undefined } = {}, limit = PORT_CALL_LIST_MAX): Promise<PortCallRecord[]> {
      let q = db.selectFrom('port_calls').selectAll().where('mmsi', '=', mmsi);
      if (range.to) q = q.where('arrival', '<=', range.to);
      if (range.from) {
        const from = range.from;
        q = q.where((eb) => eb.or([eb('departure', 'is', null), eb('departure', '>=', from)]));
      }
      const rows = await q.orderBy('arrival').orderBy('key').limit(Math.min(limit, PORT_CALL_LIST_MAX)).execute();
      return rows.map(toRecord);
    },

    /**
     * Start times (ms, on the window grid) of the windows holding the arrival of each call still
     * stored as ongoing (in port when its window last ran), last written at least `staleMs` ago,
     * whose vessel has since been heard more than `leftM` from the port: the detector's close
     * sweep re-runs them, so the call gets its departure (a call belongs to the window holding its
     * arrival, which no later data re-runs once the vessel has sailed on).
     */
    async departedOngoingWindows(windowMs: number, staleMs: number, leftM: number): Promise<number[]> {
      const { rows } = await sql<{ start_ms: string }>`
        SELECT DISTINCT floor(extract(epoch FROM c.arrival) * 1000 / ${windowMs}) * ${windowMs} AS start_ms
        FROM port_calls c
        CROSS JOIN LATERAL (
          SELECT b.last_ts, b.last_lon, b.last_lat FROM position_buckets b WHERE b.mmsi = c.mmsi ORDER BY b.bucket DESC LIMIT 1
        ) latest
        WHERE c.departure IS NULL
          AND c.updated_at < now() - make_interval(secs => ${staleMs / 1000})
          AND latest.last_ts > c.arrival
          AND ST_DistanceSphere(ST_MakePoint(c.lon, c.lat), ST_MakePoint(latest.last_lon, latest.last_lat)) > ${leftM}`.execute(db);
      return rows.map((r) => Number(r.start_ms)).sort((a, b) => a - b);
    },

    /**
     * The calls of these vessels arriving in [from, to), by vessel then arrival: the voyage
     * history before a window (the detector's voyage rule), at most PORT_CALL_LIST_MAX per vessel.
     */
    async arrivingIn(mmsis: readonly number[], from: Date, to: Date): Promise<Map<number, PortCallRecord[]>> {
      const out = new Map<number, PortCallRecord[]>();
      const ids = [...new Set(mmsis)].filter((m) => Number.isInteger(m));
      if (ids.length === 0 || !(from < to)) return out;
      const rows = await db
        .selectFrom('port_calls')
        .selectAll()
        .where('mmsi', '=', sql<number>`any(${ids}::int[])`)
        .where('arrival', '>=', from)
        .where('arrival', '<', to)
        .orderBy('mmsi')
        .orderBy('arrival')
        .orderBy('key')
        .execute();
      for (const r of rows) {
        const list = out.get(r.mmsi) ?? [];
        if (list.length === 0) out.set(r.mmsi, list);
        if (list.length < PORT_CALL_LIST_MAX) list.push(toRecord(r));
      }
      return out;
    },
  };
}

function toRecord(r: Selectable<Database['port_calls']>): PortCallRecord {
  return {
    key: r.key,
    mmsi: r.mmsi,
    segment: r.segment,
    portId: r.port_id,
    portName: r.port_name,
    country: r.country,
    lon: r.lon,
    lat: r.lat,
    arrival: r.arrival.getTime(),
    departure: r.departure ? r.departure.getTime() : null,
    draughtArrivalM: r.draught_arrival === null ? null : Math.round(Number(r.draught_arrival) * 100) / 100,
    draughtDepartureM: r.draught_departure === null ? null : Math.round(Number(r.draught_departure) * 100) / 100,
    reasons: r.reasons,
    detectorVersion: r.detector_version,
  };
}
export type PortCallRepository = ReturnType<typeof createPortCallRepository>;
