import { parseRendezvousEvent, type RendezvousEvent } from '@rendezvous/detection';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { AlertStatus, AlertType } from '../schema-tables.ts';
import { evidenceTrackJsonBytes } from './evidence-json.ts';

interface AlertWriteBase {
  key: string;
  /** A detector never writes an alert retracted (retract does). */
  status: Exclude<AlertStatus, 'retracted'>;
  vesselA: unknown;
  score: number;
  scoreFactors: unknown;
  watchlists: string[];
}

/** What the detector writes per rendezvous: the exact event plus everything derived for analysts. */
export interface RendezvousAlertWrite extends AlertWriteBase {
  type?: 'rendezvous';
  /** Stored as JSON in `alerts.event`, read back by activeIntersecting (parsed, never cast). */
  event: RendezvousEvent;
  vesselB: unknown;
  evidence: { marginS: number; trackA: unknown; trackB: unknown };
}

/**
 * An alert of another behaviour (AIS gap, loitering, dark rendezvous: migrations/0017): its event
 * as JSON and the columns every alert has, which only the behaviour knows how to derive.
 */
export interface BehaviourAlertWrite extends AlertWriteBase {
  type: Exclude<AlertType, 'rendezvous'>;
  event: { profile: string; detectorVersion: string };
  mmsiA: number;
  /** The second vessel of a dark rendezvous; null for one-vessel alerts. */
  mmsiB: number | null;
  vesselB: unknown | null;
  start: number;
  end: number;
  centroid: { lon: number; lat: number };
  inPort: boolean;
  /** Distances between the two vessels, where both were seen (else null). */
  closestM: number | null;
  medianM: number | null;
  medianSogA: number | null;
  medianSogB: number | null;
  evidence: { marginS: number; trackA: unknown; trackB: unknown | null };
}

export type AlertWrite = RendezvousAlertWrite | BehaviourAlertWrite;

const isBehaviour = (a: AlertWrite): a is BehaviourAlertWrite => a.type !== undefined && a.type !== 'rendezvous';

/** `excluded.<column>` in an ON CONFLICT … DO UPDATE: the row that was proposed for insertion. */
const ex = (column: string) => sql<never>`excluded.${sql.ref(column)}`;

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** Rows per INSERT: 22 parameters each, far below PostgreSQL's 65,535 per statement. */
const UPSERT_CHUNK = 500;

function rowOf(a: AlertWrite) {
  if (isBehaviour(a)) {
    return {
      alert_key: a.key,
      type: a.type,
      status: a.status,
      mmsi_a: a.mmsiA,
      mmsi_b: a.mmsiB,
      vessel_a: JSON.stringify(a.vesselA),
      vessel_b: a.vesselB === null ? null : JSON.stringify(a.vesselB),
      start_at: new Date(a.start),
      end_at: new Date(a.end),
      duration_s: Math.round((a.end - a.start) / 1000),
      closest_m: a.closestM,
      median_m: a.medianM,
      median_sog_a: a.medianSogA,
      median_sog_b: a.medianSogB,
      centroid: sql`ST_SetSRID(ST_MakePoint(${a.centroid.lon}, ${a.centroid.lat}), 4326)`,
      in_port: a.inPort,
      score: a.score,
      score_factors: JSON.stringify(a.scoreFactors),
      watchlists: a.watchlists,
      profile: a.event.profile,
      detector_version: a.event.detectorVersion,
      event: JSON.stringify(a.event),
    };
  }
  const e = a.event;
  return {
    alert_key: a.key,
    type: 'rendezvous' as const,
    status: a.status,
    mmsi_a: e.a,
    mmsi_b: e.b,
    vessel_a: JSON.stringify(a.vesselA),
    vessel_b: JSON.stringify(a.vesselB),
    start_at: new Date(e.start),
    end_at: new Date(e.end),
    duration_s: Math.round(e.durationMs / 1000),
    closest_m: e.closestDistanceM,
    median_m: e.medianDistanceM,
    median_sog_a: finiteOrNull(e.medianSpeedKnA),
    median_sog_b: finiteOrNull(e.medianSpeedKnB),
    centroid: sql`ST_SetSRID(ST_MakePoint(${e.centroid.lon}, ${e.centroid.lat}), 4326)`,
    in_port: e.inPort,
    score: a.score,
    score_factors: JSON.stringify(a.scoreFactors),
    watchlists: a.watchlists,
    profile: e.profile,
    detector_version: e.detectorVersion,
    event: JSON.stringify(e),
  };
}

/**
 * Alerts keyed by the detector's deterministic event key. Writes are idempotent: the same event
 * with the same derived fields changes nothing (not even updated_at), so re-runs converge.
 */
export function createAlertRepository(db: Kysely<Database>) {
  return {
    /**
     * The sanctioned-place history of these vessels (issue 15 item 4): their live alerts of a
     * call at a sanctioned port, a gap near a sanctioned area, or a voyage leg hiding a stop,
     * ending in [from, to); by vessel, then end. Each with its first reason, for a score detail.
     */
    async sanctionsHistory(mmsis: readonly number[], from: Date, to: Date): Promise<Map<number, SanctionsHistoryEntry[]>> {
      const out = new Map<number, SanctionsHistoryEntry[]>();
      const ids = [...new Set(mmsis)].filter((m) => Number.isInteger(m));
      if (ids.length === 0 || !(from < to)) return out;
      const rows = await db
        .selectFrom('alerts')
        .select(['mmsi_a', 'type', 'start_at', 'end_at', sql<string | null>`event->'reasons'->>0`.as('reason')])
        .where('mmsi_a', '=', sql<number>`any(${ids}::int[])`)
        .where('status', '!=', 'retracted')
        .where('end_at', '>=', from)
        .where('end_at', '<', to)
        .where((eb) =>
          eb.or([
            eb('type', 'in', ['port_call_sanctioned', 'gap_near_sanctioned_area']),
            eb.and([eb('type', '=', 'voyage_irregularity'), sql<boolean>`event->'kinds' ? 'hidden_stop'`]),
          ]),
        )
        .orderBy('mmsi_a')
        .orderBy('end_at')
        .execute();
      for (const r of rows) {
        const list = out.get(r.mmsi_a) ?? [];
        if (list.length === 0) out.set(r.mmsi_a, list);
        list.push({ type: r.type as SanctionsHistoryEntry['type'], start: r.start_at.getTime(), end: r.end_at.getTime(), reason: r.reason });
      }
      return out;
    },

    /**
     * The next detection data version (migrations/0015_alert_pair_versions.sql). A run takes it
     * before reading any position, so a run with a larger version never saw less (`reconcile`).
     */
    async nextDataVersion(): Promise<number> {
      const { rows } = await sql<{ v: string }>`SELECT nextval('detection_data_version')::text AS v`.execute(db);
      return Number(rows[0]!.v);
    },

    /**
     * Start times (ms, on the window grid) of the windows holding the start of each AIS gap still
     * stored without an "on" position (open when its window last ran) whose vessel has since been
     * heard after the gap began, last written at least `staleMs` ago. Archive data ingested in
     * batches reaches a running detector that way: the window of the silence runs before the batch
     * holding the vessel's next report is stored, and an archive gap is stored `closed` (older
     * than the live horizon), so the sweep of ongoing alerts never re-judges it. Re-running the
     * window closes the gap at its real end and judges what rests on it (a dark rendezvous, a gap
     * near a sanctioned area).
     */
    async reheardGapWindows(windowMs: number, staleMs: number): Promise<number[]> {
      const { rows } = await sql<{ start_ms: string }>`
        SELECT DISTINCT floor(extract(epoch FROM a.start_at) * 1000 / ${windowMs}) * ${windowMs} AS start_ms
        FROM alerts a
        JOIN vessels v ON v.mmsi = a.mmsi_a
        WHERE a.type = 'ais_gap'
          AND a.status <> 'retracted'
          AND jsonb_typeof(a.event->'on') IS DISTINCT FROM 'object'
          -- A gap of one transmitter of a shared MMSI (a segment) may stay open while the other
          -- keeps the MMSI's last_seen moving: it is left to the sweep of ongoing alerts.
          AND jsonb_typeof(a.event->'segment') IS DISTINCT FROM 'string'
          AND v.last_seen > a.start_at
          AND a.updated_at < now() - make_interval(secs => ${staleMs / 1000})`.execute(db);
      return rows.map((r) => Number(r.start_ms)).sort((a, b) => a - b);
    },

    /**
     * Start times (ms, on the window grid) of the detection windows holding the end of each
     * `ongoing` alert that ended at least `endedMsAgo` before now (the database's clock, which
     * stamps the alerts): the windows the detector's close sweep re-runs so a meeting whose
     * ships have parted gets closed.
     */
    async ongoingEndWindows(windowMs: number, endedMsAgo: number): Promise<number[]> {
      const rows = await db
        .selectFrom('alerts')
        .select(sql<string>`floor(extract(epoch FROM end_at) * 1000 / ${windowMs}) * ${windowMs}`.as('start_ms'))
        .distinct()
        .where('type', '=', 'rendezvous')
        .where('status', '=', 'ongoing')
        .where('end_at', '<', sql<Date>`now() - make_interval(secs => ${endedMsAgo / 1000})`)
        .execute();
      return rows.map((r) => Number(r.start_ms)).sort((a, b) => a - b);
    },

    /** Non-retracted alerts whose span intersects [from, to) — what a detection window may revise. */
    activeIntersecting: (from: Date, to: Date, mmsis?: readonly number[]) => activeIntersecting(db, { from, to, mmsis }),

    /**
     * Start times (ms, on the window grid) of the windows owning each `ongoing` AIS gap, loitering
     * or dark rendezvous (the window holding its start) last evaluated at least `staleMs` ago:
     * re-running them extends the event or closes it once the vessel is heard again.
     */
    async ongoingStartWindows(windowMs: number, staleMs: number): Promise<number[]> {
      const rows = await db
        .selectFrom('alerts')
        .select(sql<string>`floor(extract(epoch FROM start_at) * 1000 / ${windowMs}) * ${windowMs}`.as('start_ms'))
        .distinct()
        .where('type', '<>', 'rendezvous')
        .where('status', '=', 'ongoing')
        .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${staleMs / 1000})`)
        .execute();
      return rows.map((r) => Number(r.start_ms)).sort((a, b) => a - b);
    },

    /**
     * Inserts or updates alerts and their evidence; returns how many were created and changed.
     * One statement per chunk of alerts and one per chunk of evidence (not a round trip per
     * alert: that was a quarter of a 2,000-vessel window's time).
     */
    async upsert(alerts: readonly AlertWrite[]): Promise<{ created: number; updated: number; unchanged: number }> {
      return db.transaction().execute((trx) => upsertIn(trx, alerts));
    },

    /** Marks alerts retracted (kept, never deleted), naming what superseded each, if anything. */
    retract: (items: readonly RetractItem[]) => retractIn(db, items),

    /**
     * The write of one detection run, guarded against stale runs (0015_alert_pair_versions.sql):
     * in one transaction, the run claims each pair it would write (its computed events' pairs
     * and those of the stored alerts it may revise) with its data version, in pair order; a pair
     * a run with a larger version has already written is left alone. The stored alerts of the
     * claimed pairs are then read (after the claims: a concurrent run's write to them has
     * committed by then), `plan` decides what to write and retract, and both are written before
     * the claims are released at commit.
     */
    /**
     * Builds and compiles, without running, the statements `reconcile` would send to write these
     * alerts: the detector's warm-up (services/detector/src/warm-up.ts) runs this code once before
     * the first job, which then does not build its alert writes in cold code. Returns the
     * statements' length.
     */
    compileWrites(alerts: readonly AlertWrite[]): number {
      return compileAlertWrites(db, alerts);
    },

    async reconcile(run: {
      dataVersion: number;
      from: Date;
      to: Date;
      /** Only alerts between these vessels (a bbox run). */
      mmsis?: readonly number[] | undefined;
      /** Only alerts of this profile (a profile run). */
      profile?: string | undefined;
      /** The pairs of the run's computed events. */
      pairs: readonly (readonly [number, number])[];
      /** Decides the rendezvous writes from the stored rendezvous alerts of the claimed pairs; none: the run writes no rendezvous (and reads none). */
      plan?: ((stored: StoredAlert[], claimed: (a: number, b: number) => boolean) => { upserts: AlertWrite[]; retracts: RetractItem[] }) | undefined;
      /**
       * Alerts of other behaviours the run computed, each type owned by the window holding its
       * start: the run writes these and retracts the stored ones of the type that start in
       * [from, to) and it did not compute. Claimed like the pairs (a one-vessel alert claims the
       * pair (mmsi, mmsi)).
       */
      owned?: readonly { type: Exclude<AlertType, 'rendezvous'>; writes: readonly BehaviourAlertWrite[] }[];
    }): Promise<{ created: number; updated: number; unchanged: number; retracted: number; stale: number }> {
      return db.transaction().execute(async (trx) => {
        const range = { from: run.from, to: run.to, mmsis: run.mmsis, profile: run.profile };
        const owned = run.owned ?? [];
        const ownedTypes = owned.map((o) => o.type);
        const key = (a: number, b: number) => `${a}:${b}`;
        const pairs = new Map<string, [number, number]>();
        const addPair = (a: number, b: number) => pairs.set(key(a, b), [a, b]);
        for (const [a, b] of run.pairs) addPair(a, b);
        if (run.plan) for (const s of await activeIntersecting(trx, range)) addPair(s.mmsi_a, s.mmsi_b);
        for (const o of owned) for (const w of o.writes) addPair(...subjectOf(w.mmsiA, w.mmsiB));
        for (const s of await ownedStarting(trx, range, ownedTypes)) addPair(...subjectOf(s.mmsi_a, s.mmsi_b));
        const sorted = [...pairs.values()].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
        const claimed = new Set<string>();
        if (sorted.length > 0) {
          // Sorted, so concurrent runs lock shared pairs in the same order (no deadlock). A
          // conflicting row is locked whether or not the WHERE lets this run update it.
          const rows = await trx
            .insertInto('alert_pair_versions')
            .columns(['mmsi_a', 'mmsi_b', 'data_version'])
            .expression(
              sql<never>`SELECT a, b, ${run.dataVersion}::bigint FROM unnest(${sorted.map((p) => p[0])}::int[], ${sorted.map((p) => p[1])}::int[]) AS p(a, b) ORDER BY a, b`,
            )
            .onConflict((oc) =>
              oc
                .columns(['mmsi_a', 'mmsi_b'])
                .doUpdateSet({ data_version: ex('data_version') })
                .where('alert_pair_versions.data_version', '<=', ex('data_version')),
            )
            .returning(['mmsi_a', 'mmsi_b'])
            .execute();
          for (const r of rows) claimed.add(key(r.mmsi_a, r.mmsi_b));
        }
        const isClaimed = (a: number, b: number) => claimed.has(key(a, b));
        const stored = run.plan ? (await activeIntersecting(trx, range)).filter((s) => isClaimed(s.mmsi_a, s.mmsi_b)) : [];
        const { upserts, retracts } = run.plan ? run.plan(stored, isClaimed) : { upserts: [], retracts: [] };
        // Other behaviours: what the run computed replaces what is stored for the claimed subjects.
        const subjectClaimed = (a: number, b: number | null) => isClaimed(...subjectOf(a, b));
        const ownedWrites = owned.flatMap((o) => o.writes.filter((w) => subjectClaimed(w.mmsiA, w.mmsiB)));
        const computed = new Set(owned.flatMap((o) => o.writes.map((w) => w.key)));
        for (const s of await ownedStarting(trx, range, ownedTypes)) {
          if (!computed.has(s.alert_key) && subjectClaimed(s.mmsi_a, s.mmsi_b)) {
            retracts.push({ key: s.alert_key, replacedBy: null, reason: 'no longer supported by the data' });
          }
        }
        const written = await upsertIn(trx, [...upserts, ...ownedWrites]);
        const retracted = await retractIn(trx, retracts);
        return { ...written, retracted, stale: sorted.length - claimed.size };
      });
    },
  };
}
export type AlertRepository = ReturnType<typeof createAlertRepository>;

export interface RetractItem {
  key: string;
  reason: string;
  replacedBy: string | null;
}

export type StoredAlert = Awaited<ReturnType<typeof activeIntersecting>>[number];

/**
 * Non-retracted rendezvous alerts whose span intersects [from, to), optionally only between
 * `mmsis` (an array parameter: a window can hold more vessels than a statement has bind
 * parameters) and of one profile.
 */
async function activeIntersecting(db: Kysely<Database>, range: { from: Date; to: Date; mmsis?: readonly number[] | undefined; profile?: string | undefined }) {
  let q = db
    .selectFrom('alerts')
    .select(['id', 'alert_key', 'status', 'event', 'mmsi_a', 'mmsi_b', 'start_at', 'end_at'])
    .where('type', '=', 'rendezvous')
    .where('status', '!=', 'retracted')
    .where('start_at', '<', range.to)
    .where('end_at', '>=', range.from);
  if (range.mmsis) {
    const mmsis = [...range.mmsis];
    q = q.where(sql<boolean>`mmsi_a = ANY(${mmsis}::int[]) AND mmsi_b = ANY(${mmsis}::int[])`);
  }
  if (range.profile !== undefined) q = q.where('profile', '=', range.profile);
  const rows = await q.execute();
  // A malformed stored event fails the run, naming the alert, instead of being reconciled as one.
  return rows.map((r) => ({ ...r, mmsi_b: r.mmsi_b!, event: parseRendezvousEvent(r.event, `alert ${r.alert_key}: stored event`) }));
}

/** The pair a one- or two-vessel alert claims in alert_pair_versions (one vessel: (mmsi, mmsi)). */
function subjectOf(a: number, b: number | null): [number, number] {
  return b === null ? [a, a] : a <= b ? [a, b] : [b, a];
}

/** One alert of a vessel's sanctioned-place history (`sanctionsHistory`). */
export interface SanctionsHistoryEntry {
  type: 'port_call_sanctioned' | 'gap_near_sanctioned_area' | 'voyage_irregularity';
  start: number;
  end: number;
  reason: string | null;
}

/** Types whose owning time is the event's `ownedAt`, not the alert's start. */
const OWNED_AT_TYPES: AlertType[] = ['dark_rendezvous', 'voyage_irregularity'];

/**
 * Non-retracted alerts of these (non-rendezvous) types a window over [from, to) owns. Same vessel and profile restrictions as activeIntersecting.
 */
async function ownedStarting(
  db: Kysely<Database>,
  range: { from: Date; to: Date; mmsis?: readonly number[] | undefined; profile?: string | undefined },
  types: readonly Exclude<AlertType, 'rendezvous'>[],
) {
  if (types.length === 0) return [];
  let q = db
    .selectFrom('alerts')
    .select(['alert_key', 'mmsi_a', 'mmsi_b'])
    .where('type', 'in', [...types])
    .where('status', '!=', 'retracted')
    // A dark rendezvous is owned by the time its event names (`ownedAt`: the start of its
    // loitering, or the later of two off times), which need not be the start of the overlap
    // the alert shows; a voyage irregularity likewise by its leg's arrival (the alert shows the
    // leg from departure); every other type by its start.
    .where((eb) =>
      eb.or([
        eb.and([eb('type', 'not in', OWNED_AT_TYPES), eb('start_at', '>=', range.from), eb('start_at', '<', range.to)]),
        eb.and([
          eb('type', 'in', OWNED_AT_TYPES),
          sql<boolean>`(event->>'ownedAt')::float8 >= ${range.from.getTime()} AND (event->>'ownedAt')::float8 < ${range.to.getTime()}`,
        ]),
      ]),
    );
  if (range.mmsis) {
    const mmsis = [...range.mmsis];
    q = q.where(sql<boolean>`mmsi_a = ANY(${mmsis}::int[]) AND (mmsi_b IS NULL OR mmsi_b = ANY(${mmsis}::int[]))`);
  }
  if (range.profile !== undefined) q = q.where('profile', '=', range.profile);
  return q.execute();
}

/** `upsert` on the caller's transaction (reconcile writes in its own). */
async function upsertIn(trx: Transaction<Database>, alerts: readonly AlertWrite[]): Promise<{ created: number; updated: number; unchanged: number }> {
  // One row per key (a statement cannot update the same row twice); the last write wins.
  const byKey = new Map(alerts.map((a) => [a.key, a]));
  const writes = [...byKey.values()];
  let created = 0;
  let updated = 0;
  for (let i = 0; i < writes.length; i += UPSERT_CHUNK) {
    const chunk = writes.slice(i, i + UPSERT_CHUNK);
    // Update only when something differs, so an unchanged re-run leaves updated_at alone:
    // such rows are not returned.
    const rows = await alertsUpsert(trx, chunk).execute();
    if (rows.length === 0) continue;
    for (const row of rows) {
      if (row.inserted) created++;
      else updated++;
    }
    await evidenceUpsert(
      trx,
      rows.map((row) => ({ id: row.id, evidence: byKey.get(row.alert_key)!.evidence })),
    ).execute();
  }
  return { created, updated, unchanged: writes.length - created - updated };
}

/** See the repository's compileWrites. */
function compileAlertWrites(db: Kysely<Database>, alerts: readonly AlertWrite[]): number {
  let n = 0;
  for (let i = 0; i < alerts.length; i += UPSERT_CHUNK) {
    const chunk = alerts.slice(i, i + UPSERT_CHUNK);
    n += alertsUpsert(db, chunk).compile().sql.length;
    n += evidenceUpsert(db, chunk.map((a, k) => ({ id: k, evidence: a.evidence }))).compile().sql.length;
  }
  return n;
}

function alertsUpsert(trx: Kysely<Database>, chunk: readonly AlertWrite[]) {
  return trx
    .insertInto('alerts')
    .values(chunk.map(rowOf))
    .onConflict((oc) =>
      oc
        .column('alert_key')
        .doUpdateSet({
          status: ex('status'),
          vessel_a: ex('vessel_a'),
          vessel_b: ex('vessel_b'),
          start_at: ex('start_at'),
          end_at: ex('end_at'),
          duration_s: ex('duration_s'),
          closest_m: ex('closest_m'),
          median_m: ex('median_m'),
          median_sog_a: ex('median_sog_a'),
          median_sog_b: ex('median_sog_b'),
          centroid: ex('centroid'),
          in_port: ex('in_port'),
          score: ex('score'),
          score_factors: ex('score_factors'),
          watchlists: ex('watchlists'),
          profile: ex('profile'),
          detector_version: ex('detector_version'),
          event: ex('event'),
          retraction_reason: null,
          replaced_by: null,
          updated_at: sql`now()`,
        })
        .where(
          sql<boolean>`(alerts.status, alerts.event, alerts.score_factors, alerts.vessel_a, alerts.vessel_b)
            IS DISTINCT FROM (excluded.status, excluded.event, excluded.score_factors, excluded.vessel_a, excluded.vessel_b)`,
        ),
    )
    .returning(['id', 'alert_key', sql<boolean>`(xmax = 0)`.as('inserted')]);
}

function evidenceUpsert(trx: Kysely<Database>, rows: readonly { id: number; evidence: AlertWrite['evidence'] }[]) {
  return trx
    .insertInto('alert_evidence')
    .values(
      rows.map(({ id, evidence: ev }) => ({ alert_id: id, margin_s: ev.marginS, track_a: evidenceTrackJsonBytes(ev.trackA), track_b: ev.trackB === null ? null : evidenceTrackJsonBytes(ev.trackB) })),
    )
    .onConflict((oc) =>
      oc.column('alert_id').doUpdateSet({
        margin_s: ex('margin_s'),
        track_a: ex('track_a'),
        track_b: ex('track_b'),
        updated_at: sql`now()`,
      }),
    );
}

async function retractIn(db: Kysely<Database>, items: readonly RetractItem[]): Promise<number> {
  let n = 0;
  for (const item of items) {
    const res = await db
      .updateTable('alerts')
      .set({ status: 'retracted', retraction_reason: item.reason, replaced_by: item.replacedBy, updated_at: sql`now()` })
      .where('alert_key', '=', item.key)
      .where('status', '!=', 'retracted')
      .executeTakeFirst();
    n += Number(res.numUpdatedRows);
  }
  return n;
}
