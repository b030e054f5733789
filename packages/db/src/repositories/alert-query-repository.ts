import type { Kysely, RawBuilder, Selectable, SelectQueryBuilder } from 'kysely';
import { sql } from 'kysely';
import { NotFoundError, ValidationError } from '@rendezvous/errors';
import { prepared } from '../prepared-statements.ts';
import type { Database } from '../schema.ts';
import { ALERT_STATUSES, type AlertEvidenceTable, type AlertStatus, type AlertType, type AlertsTable, type AlertTriageHistoryTable, type TriageState } from '../schema-tables.ts';
import type { Bbox } from './track-repository.ts';

export const ALERT_SORTS = ['-start', 'start', '-score', 'score', '-updated', 'updated'] as const;
export type AlertSort = (typeof ALERT_SORTS)[number];

/** Retracted alerts are history, not work: lists show them only when asked for. */
export const DEFAULT_ALERT_STATUSES: readonly AlertStatus[] = ['ongoing', 'closed'];
export const ALERT_PAGE_DEFAULT = 50;
export const ALERT_PAGE_MAX = 500;

/**
 * "What changed since": either a change cursor (a `change_seq` the caller saw, e.g. the previous
 * response's `sync.updatedSince`) or an instant compared with `updated_at`. Both move on every
 * detector revision, retraction AND triage (triage sets updated_at and takes a new change_seq),
 * so a dashboard sees an analyst's acknowledgement like any other change. The cursor is the exact
 * form: change_seq is assigned in commit order (migrations/0006), updated_at is the writer's
 * transaction start and can commit out of order by a few milliseconds.
 */
export type UpdatedSince = { kind: 'seq'; seq: string } | { kind: 'time'; at: Date };

export interface AlertFilter {
  /** Alert span [start_at, end_at] intersects [from, to). */
  from?: Date;
  to?: Date;
  /** On the centroid; west > east is a box crossing the antimeridian. */
  bbox?: Bbox;
  /** Either vessel. */
  mmsi?: number;
  /** Either vessel's identity snapshot at the time of the meeting. */
  imo?: number;
  /** A list name in `alerts.watchlists`. */
  watchlist?: string;
  /** Any of these types (default all). */
  type?: readonly AlertType[];
  /** Default DEFAULT_ALERT_STATUSES. */
  status?: readonly AlertStatus[];
  triage?: readonly TriageState[];
  minScore?: number;
  updatedSince?: UpdatedSince;
}

export interface AlertPageRequest {
  /** Default `updated` with updatedSince (a change feed reads oldest first), otherwise `-start`. */
  sort?: AlertSort;
  /** 1..ALERT_PAGE_MAX, default ALERT_PAGE_DEFAULT. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
}

/**
 * One alert as lists read it: the `alerts` row (kysely's Selectable: generated columns as read)
 * without score factors, event or evidence, and with the centroid as lon/lat.
 */
export interface AlertRow extends Omit<Selectable<AlertsTable>, 'centroid' | 'score_factors' | 'event'> {
  lon: number;
  lat: number;
  /** start_at in epoch microseconds (the exact keyset value; a JS Date keeps only milliseconds). */
  start_us: string;
}

/** With the score factors and the detector's event (the behaviour's own facts: gap ends, hull…). */
export interface AlertDetailRow extends AlertRow, Pick<Selectable<AlertsTable>, 'score_factors' | 'event'> {}

/** Evidence tracks are [epoch ms, lon, lat, sog | null] rows, as the detector wrote them. */
export type AlertEvidenceRow = Pick<Selectable<AlertEvidenceTable>, 'margin_s' | 'track_a' | 'track_b'>;

export type TriageHistoryRow = Selectable<AlertTriageHistoryTable>;

export interface AlertListPage {
  rows: AlertRow[];
  nextCursor: string | null;
  /** Highest committed change_seq when the page was read ("0" for an empty table). */
  highWater: string;
  sort: AlertSort;
}

const SUMMARY_COLUMNS = [
  'alerts.id',
  'alerts.alert_key',
  'alerts.type',
  'alerts.status',
  'alerts.mmsi_a',
  'alerts.mmsi_b',
  'alerts.vessel_a',
  'alerts.vessel_b',
  'alerts.start_at',
  'alerts.end_at',
  'alerts.duration_s',
  'alerts.closest_m',
  'alerts.median_m',
  'alerts.median_sog_a',
  'alerts.median_sog_b',
  sql<number>`ST_X(alerts.centroid)`.as('lon'),
  sql<number>`ST_Y(alerts.centroid)`.as('lat'),
  'alerts.in_port',
  'alerts.score',
  'alerts.watchlists',
  'alerts.profile',
  'alerts.detector_version',
  'alerts.retraction_reason',
  'alerts.replaced_by',
  'alerts.first_detected_at',
  'alerts.updated_at',
  'alerts.triage_state',
  'alerts.triage_note',
  'alerts.triaged_by',
  'alerts.triaged_at',
  // The pool parses int8 as a JS number; change_seq stays text so it never loses precision.
  sql<string>`alerts.change_seq::text`.as('change_seq'),
  sql<string>`(extract(epoch FROM alerts.start_at) * 1000000)::bigint::text`.as('start_us'),
] as const;

// ---- cursors ---------------------------------------------------------------------------------

interface CursorKey {
  /** The sort the cursor was made for: a cursor is only valid with the same sort. */
  s: AlertSort;
  /** The last row's sort value: start_us, score, or change_seq. */
  k: string | number;
  /** The last row's id (tie-breaker). */
  i: number;
}

const INT64 = /^-?\d{1,19}$/;
const MAX_INT64 = 9_223_372_036_854_775_807n;
const isInt64 = (s: string) => INT64.test(s) && BigInt(s) <= MAX_INT64 && BigInt(s) >= -MAX_INT64;
const sortField = (sort: AlertSort) => sort.replace(/^-/, '') as 'start' | 'score' | 'updated';

export function encodeAlertCursor(sort: AlertSort, row: Pick<AlertRow, 'id' | 'start_us' | 'score' | 'change_seq'>): string {
  const field = sortField(sort);
  const k = field === 'start' ? row.start_us : field === 'score' ? row.score : row.change_seq;
  return Buffer.from(JSON.stringify({ s: sort, k, i: row.id } satisfies CursorKey)).toString('base64url');
}

/**
 * A cursor comes back from a client and is untrusted: every field is checked before it reaches
 * SQL (as a parameter), and anything malformed is a 400 naming the problem, never a 500.
 */
export function decodeAlertCursor(cursor: string, sort: AlertSort): CursorKey {
  const bad = (why: string) => new ValidationError(`cursor is not valid (${why}); start again without one`);
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw bad('not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('undecodable');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('not an object');
  const { s, k, i, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw bad('unknown fields');
  if (typeof s !== 'string' || !(ALERT_SORTS as readonly string[]).includes(s)) throw bad('unknown sort');
  if (s !== sort) throw new ValidationError(`cursor was made for sort ${s}, not ${sort}: pass the same sort as the first page`);
  if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 1) throw bad('bad id');
  const field = sortField(sort);
  if (field === 'score') {
    if (typeof k !== 'number' || !Number.isFinite(k) || Math.abs(k) > 1e6) throw bad('bad score');
  } else if (typeof k !== 'string' || !isInt64(k) || (field === 'updated' && k.startsWith('-'))) {
    throw bad(`bad ${field} key`);
  }
  return { s, k: k as string | number, i };
}

// ---- filters ---------------------------------------------------------------------------------

type AlertQuery = SelectQueryBuilder<Database, 'alerts', object>;

/** The list's WHERE on any query over `alerts` (exported so the map's clusters count exactly the list's rows). */
export function applyFilter<Q extends AlertQuery>(query: Q, filter: AlertFilter): Q {
  let q = query as AlertQuery;
  if (filter.from) q = q.where('alerts.end_at', '>=', filter.from);
  if (filter.to) q = q.where('alerts.start_at', '<', filter.to);
  const box = filter.bbox;
  if (box) {
    // Inside the box (or on its edge), overlapping the time range and scored at least minScore,
    // in one n-D GiST search (`&&&` on the alert as a (lon, lat, epoch s, score) segment,
    // migrations/0011; the exact time and score tests refine the closed-interval overlap). A box whose west edge is east of its east
    // edge crosses the antimeridian: two boxes, one either side of it.
    const t0 = filter.from ? filter.from.getTime() / 1000 : -1e11;
    const t1 = filter.to ? filter.to.getTime() / 1000 : 1e11;
    const s0 = filter.minScore ?? -1e9;
    const envelope = (w: number, e: number) =>
      sql<boolean>`alert_spacetime(alerts.centroid, alerts.start_at, alerts.end_at, alerts.score) &&& ST_MakeLine(ST_MakePoint(${w}::float8, ${box.south}::float8, ${t0}::float8, ${s0}::float8), ST_MakePoint(${e}::float8, ${box.north}::float8, ${t1}::float8, 1e9::float8))`;
    q = box.west <= box.east ? q.where(envelope(box.west, box.east)) : q.where(sql<boolean>`(${envelope(box.west, 180)} OR ${envelope(-180, box.east)})`);
  }
  if (filter.mmsi !== undefined) {
    const mmsi = filter.mmsi;
    q = q.where((eb) => eb.or([eb('alerts.mmsi_a', '=', mmsi), eb('alerts.mmsi_b', '=', mmsi)]));
  }
  if (filter.imo !== undefined) {
    // Snapshots hold the IMO as a JSON number; ->> gives its decimal text (indexed: migrations/0008).
    const imo = String(filter.imo);
    q = q.where(sql<boolean>`(alerts.vessel_a->>'imo' = ${imo} OR alerts.vessel_b->>'imo' = ${imo})`);
  }
  if (filter.watchlist !== undefined) q = q.where(sql<boolean>`alerts.watchlists @> ARRAY[${filter.watchlist}]::text[]`);
  if (filter.type !== undefined) q = q.where('alerts.type', 'in', [...filter.type]);
  const statuses = filter.status && filter.status.length > 0 ? filter.status : DEFAULT_ALERT_STATUSES;
  if (statuses.length < ALERT_STATUSES.length) q = q.where('alerts.status', 'in', [...statuses]);
  if (filter.triage && filter.triage.length > 0) q = q.where('alerts.triage_state', 'in', [...filter.triage]);
  if (filter.minScore !== undefined) q = q.where('alerts.score', '>=', filter.minScore);
  const since = filter.updatedSince;
  if (since?.kind === 'seq') q = q.where(sql<boolean>`alerts.change_seq > ${since.seq}::bigint`);
  // The API shows updatedAt to the millisecond; updated_at holds microseconds. "After" means after
  // the millisecond shown, so passing back an alert's own updatedAt does not return it again.
  else if (since?.kind === 'time') q = q.where('alerts.updated_at', '>=', new Date(since.at.getTime() + 1));
  return q as Q;
}

/** Rows after a cursor in (start_at, id) order (`cmp` '<' newest first): applyKeyset's, and the cell walk's branches'. */
const startKeyset = (cmp: RawBuilder<unknown>, key: CursorKey) =>
  sql<boolean>`(alerts.start_at, alerts.id) ${cmp} (timestamptz 'epoch' + ${key.k}::bigint * interval '1 microsecond', ${key.i}::bigint)`;

function applyKeyset<Q extends AlertQuery>(query: Q, sort: AlertSort, key: CursorKey | null): Q {
  let q = query as AlertQuery;
  const desc = sort.startsWith('-');
  const field = sortField(sort);
  const dir = desc ? 'desc' : 'asc';
  const cmp = desc ? sql.raw('<') : sql.raw('>');
  if (field === 'start') {
    if (key) q = q.where(startKeyset(cmp, key));
    q = q.orderBy('alerts.start_at', dir).orderBy('alerts.id', dir);
  } else if (field === 'score') {
    // The key went out as the shortest decimal of the float4 score; ::real rounds it back exactly.
    if (key) q = q.where(sql<boolean>`(alerts.score, alerts.id) ${cmp} (${key.k}::real, ${key.i}::bigint)`);
    q = q.orderBy('alerts.score', dir).orderBy('alerts.id', dir);
  } else {
    // change_seq is unique: it alone orders the rows.
    if (key) q = q.where(sql<boolean>`alerts.change_seq ${cmp} ${key.k}::bigint`);
    q = q.orderBy('alerts.change_seq', dir);
  }
  return q as Q;
}

// ---- repository ------------------------------------------------------------------------------

/**
 * The alerts' change high-water mark: the highest committed change_seq, "0" for an empty table,
 * as text (int8 would lose precision as a JS number). The one definition: the list query embeds
 * it, `highWater()` runs it, and the API's change feed runs `ALERT_HIGH_WATER_SQL` on its LISTEN
 * connection.
 */
const HIGH_WATER_EXPR = 'coalesce(max(change_seq), 0)::text';
export const ALERT_HIGH_WATER_SQL = `SELECT ${HIGH_WATER_EXPR} AS v FROM alerts`;

/** Runs ALERT_HIGH_WATER_SQL on any node-postgres client or pool. */
export async function readAlertHighWater(client: { query<R extends object>(text: string): Promise<{ rows: R[] }> }): Promise<string> {
  const { rows } = await client.query<{ v: string }>(ALERT_HIGH_WATER_SQL);
  return rows[0]!.v;
}

/**
 * The default newest-first page first looks for its rows among this many newest candidates
 * (alert-query-repository.ts list(), migrations/0025); beyond, the general query answers.
 */
export const ALERT_WALK_CANDIDATES = 4000;

/**
 * A newest-first walk of a box reads only the box's 1° cells (migrations/0027) when it touches at
 * most this many. Each cell is one more branch of the statement, which PostgreSQL plans once per
 * connection (prepared-statements.ts); beyond, the walk reads the whole world's newest alerts (0025).
 */
export const ALERT_WALK_MAX_CELLS = 16;

/**
 * PostGIS compares a box with a point on float4-rounded bounds (box2df), so a point up to one
 * float4 step (≤ 1.6e-5° at 180°) outside the box can count as inside it: the cells are taken
 * from the box widened by more than that, so such a point's cell is walked too.
 */
const CELL_MARGIN_DEG = 1e-4;

/**
 * The cells (migrations/0027 alert_cell: (floor(lat) + 90) * 361 + floor(lon) + 180) a box
 * touches, or null when more than `max`. A box whose west edge is east of its east edge crosses
 * the antimeridian: its columns run from the west edge to 180 and from -180 to the east edge.
 */
export function alertCellsOf(box: Bbox, max = ALERT_WALK_MAX_CELLS): number[] | null {
  const col = (lon: number) => Math.floor(Math.min(180, Math.max(-180, lon))) + 180;
  const row = (lat: number) => Math.floor(Math.min(90, Math.max(-90, lat))) + 90;
  const cols: number[] = [];
  const span = (w: number, e: number) => {
    for (let c = col(w - CELL_MARGIN_DEG); c <= col(e + CELL_MARGIN_DEG); c++) if (!cols.includes(c)) cols.push(c);
  };
  if (box.west <= box.east) span(box.west, box.east);
  else {
    span(box.west, 180);
    span(-180, box.east);
  }
  const r0 = row(box.south - CELL_MARGIN_DEG);
  const r1 = row(box.north + CELL_MARGIN_DEG);
  if (cols.length * (r1 - r0 + 1) > max) return null;
  const cells: number[] = [];
  for (let r = r0; r <= r1; r++) for (const c of cols) cells.push(r * 361 + c);
  return cells;
}

export interface AlertQueryRepositoryOptions {
  /** Candidates the newest-first walk reads before handing over to the general query (tests shrink it). */
  walkCandidates?: number;
  /** Most cells a box's walk reads instead of the world's newest alerts (default ALERT_WALK_MAX_CELLS; 0: never). */
  walkMaxCells?: number;
}

type PageRow = AlertRow & { high_water?: string };

/** Columns the newest-first walk filters on: all in alerts_start_cover (migrations/0025). */
const WALK_COLUMNS = ['alerts.id', 'alerts.start_at', 'alerts.end_at', 'alerts.score', 'alerts.status', 'alerts.type', 'alerts.triage_state', 'alerts.centroid'] as const;
const WALK_SELECT_LIST = sql.raw(WALK_COLUMNS.join(', '));

/** Read side of alerts for the API and CLI: filtered keyset pages, detail, triage with its audit. */
export function createAlertQueryRepository(db: Kysely<Database>, options: AlertQueryRepositoryOptions = {}) {
  // Kysely builders are immutable: the select lists are parsed once, not on every page (parsing
  // the 32 summary columns and each cell branch's 8 cost a list page more than its WHERE).
  const summariesOfDb = db.selectFrom('alerts').select(SUMMARY_COLUMNS);
  const walkColumns = db.selectFrom('alerts').select(WALK_COLUMNS);
  const summaries = (from: Kysely<Database> = db) => (from === db ? summariesOfDb : from.selectFrom('alerts').select(SUMMARY_COLUMNS));
  const walkCandidates = options.walkCandidates ?? ALERT_WALK_CANDIDATES;
  const walkMaxCells = options.walkMaxCells ?? ALERT_WALK_MAX_CELLS;

  async function highWater(): Promise<string> {
    const { rows } = await sql<{ v: string }>`${sql.raw(ALERT_HIGH_WATER_SQL)}`.execute(db);
    return rows[0]!.v;
  }

  /**
   * A page's rows by id, in the page's order, with the high-water mark read in the same statement
   * (an InitPlan: one round trip, the same snapshot as the rows). The ids come from a query that
   * reads only an index when the filter's columns are in it (migrations/0025), so only the rows
   * of the page itself are read from the table.
   */
  const rowsOf = async (ids: SelectQueryBuilder<Database, 'alerts', { id: number }>, sort: AlertSort) =>
    (await withHighWater(applyKeyset(summaries(), sort, null).where('alerts.id', 'in', ids)).execute()) as PageRow[];
  const withHighWater = <Q extends SelectQueryBuilder<Database, 'alerts', object>>(q: Q) => q.select(sql<string>`(${sql.raw(ALERT_HIGH_WATER_SQL)})`.as('high_water'));

  /** Any filter and sort: the matching ids in keyset order (the planner picks the index). */
  const generalIds = (filter: AlertFilter, sort: AlertSort, key: CursorKey | null, take: number) =>
    applyKeyset(applyFilter(db.selectFrom('alerts').select('alerts.id'), filter), sort, key).limit(take);
  const generalPage = (filter: AlertFilter, sort: AlertSort, key: CursorKey | null, take: number) => rowsOf(generalIds(filter, sort, key, take), sort);

  /**
   * The newest-first page of a filter on the covered columns (time, box, score, status, type,
   * triage): the first `walkCandidates` alerts in (start_at, id) order after the cursor, read from
   * alerts_start_cover alone, filtered there. They are a prefix of the order, so the matches
   * among them are the first matches overall: when `take` of them match, that is the page,
   * whatever the planner thinks of the filter's selectivity (PostGIS's n-D estimate is far too low
   * for a busy area, which would otherwise send every boxed query to the spacetime index and a
   * sort of all its matches). Fewer matches: the general query's ids instead — in the same
   * statement, behind a one-time filter on the walk's count, so a sparse filter costs no second
   * round trip and no rows read twice.
   */
  async function walkPage(filter: AlertFilter, key: CursorKey | null, take: number) {
    const box = filter.bbox;
    /** The world's newest alerts after the cursor (alerts_start_cover). */
    const newest = () => {
      let q = walkColumns;
      if (filter.to) q = q.where('alerts.start_at', '<', filter.to);
      return applyKeyset(q, '-start', key).limit(walkCandidates);
    };
    // In the box's cells, when few: the newest alerts of each cell merged in (start_at, id) order
    // (a Merge Append of one index range per cell, each read only as far as the merge takes it).
    // That is a prefix of the box's own order, since every alert in the box lies in these cells.
    // The branches are SQL text with parameters, not query builders: building and compiling nine
    // builders (Kysely freezes every node it makes, then visits each) was most of a page's
    // compile cost (services/api/bench/probes/kcompile.ts). Each is newest() within one cell.
    const cells = box && walkMaxCells > 0 ? alertCellsOf(box, walkMaxCells) : null;
    const inCells = (cells: number[]) => {
      const before = filter.to ? sql` AND alerts.start_at < ${filter.to}` : sql``;
      const after = key ? sql` AND ${startKeyset(sql.raw('<'), key)}` : sql``;
      const branch = (cell: number, i: number) =>
        sql`SELECT * FROM (SELECT ${WALK_SELECT_LIST} FROM alerts WHERE alert_cell(alerts.centroid) = ${cell}${before}${after} ORDER BY alerts.start_at DESC, alerts.id DESC LIMIT ${walkCandidates}) AS ${sql.raw(`c${i}`)}`;
      return sql<{ id: number }>`(${sql.join(cells.map(branch), sql.raw(' UNION ALL '))} ORDER BY start_at DESC, id DESC LIMIT ${walkCandidates})`;
    };
    // The derived table keeps the name `alerts`, so the list's own filter applies to it unchanged.
    type Walked = SelectQueryBuilder<Database, 'alerts', { id: number }>;
    let walked = (cells ? db.selectFrom(inCells(cells).as('alerts')).select('alerts.id') : db.selectFrom(newest().as('alerts')).select('alerts.id')) as unknown as Walked;
    if (box) {
      // The box's 2-D test first, so the n-D one (building each alert's segment: ~1.5 µs a row)
      // runs on matches only. It adds no condition: PostGIS rounds x and y to the same float
      // bounds in both (box2df and gidx), so `&&&` below implies it.
      const envelope = (w: number, e: number) => sql<boolean>`alerts.centroid && ST_MakeEnvelope(${w}::float8, ${box.south}::float8, ${e}::float8, ${box.north}::float8, 4326)`;
      walked = walked.where(box.west <= box.east ? envelope(box.west, box.east) : sql<boolean>`(${envelope(box.west, 180)} OR ${envelope(-180, box.east)})`);
    }
    const walkIds = applyKeyset(applyFilter(walked, filter), '-start', null).limit(take);
    // `walked` is referenced twice, so PostgreSQL materialises it: the walk runs once.
    const query = db
      .with('walked', () => walkIds)
      .selectFrom('alerts')
      .select(SUMMARY_COLUMNS)
      .where(
        sql<boolean>`alerts.id IN (SELECT walked.id FROM walked WHERE (SELECT count(*) FROM walked) = ${take}
          UNION ALL SELECT general.id FROM (${generalIds(filter, '-start', key, take)}) AS general WHERE (SELECT count(*) FROM walked) < ${take})`,
      );
    // A named statement: planning this (one branch per cell) costs more than running it.
    return (await prepared(withHighWater(applyKeyset(query as unknown as SelectQueryBuilder<Database, 'alerts', object>, '-start', null))).execute()) as PageRow[];
  }

  const walkable = (filter: AlertFilter, sort: AlertSort) =>
    sort === '-start' && walkCandidates > 0 && filter.mmsi === undefined && filter.imo === undefined && filter.watchlist === undefined && filter.updatedSince === undefined;

  return {
    /** Highest committed change_seq ("0" when there are no alerts). */
    highWater,

    /**
     * One keyset page. Stable under concurrent writes: rows are found by their sort key, not an
     * offset, so inserts never shift a walk and no row that existed at the start is skipped.
     */
    async list(filter: AlertFilter, page: AlertPageRequest = {}): Promise<AlertListPage> {
      const sort = page.sort ?? (filter.updatedSince ? 'updated' : '-start');
      const limit = page.limit ?? ALERT_PAGE_DEFAULT;
      if (!Number.isInteger(limit) || limit < 1 || limit > ALERT_PAGE_MAX) throw new ValidationError(`limit must be an integer from 1 to ${ALERT_PAGE_MAX}`);
      const key = page.cursor ? decodeAlertCursor(page.cursor, sort) : null;
      // Every change ≤ the high-water mark is committed and visible (change_seq is drawn in
      // commit order, 0006), so a client resuming from it misses nothing. An empty page has no
      // row to carry it: then the mark is read first and the page again, so the mark is never
      // newer than the page (which could only repeat a change next time, never lose one).
      const readPage = () => (walkable(filter, sort) ? walkPage(filter, key, limit + 1) : generalPage(filter, sort, key, limit + 1));
      let found = await readPage();
      let high: string;
      if (found.length > 0) high = found[0]!.high_water!;
      else {
        high = await highWater();
        found = await readPage();
        if (found.length > 0) high = found[0]!.high_water!;
      }
      // Rows keep their high_water column (not part of AlertRow; the views pick their fields):
      // deleting it turned every row into a slow dictionary-mode object.
      const rows: AlertRow[] = found;
      const more = rows.length > limit;
      if (more) rows.length = limit;
      return { rows, nextCursor: more ? encodeAlertCursor(sort, rows[rows.length - 1]!) : null, highWater: high, sort };
    },

    /** One alert with its score factors and evidence (null evidence if none was stored); NotFoundError if there is no such alert. */
    async get(id: number): Promise<{ alert: AlertDetailRow; evidence: AlertEvidenceRow | null }> {
      const alert = (await summaries().select(['alerts.score_factors', 'alerts.event']).where('alerts.id', '=', id).executeTakeFirst()) as AlertDetailRow | undefined;
      if (!alert) throw alertNotFound(id);
      const evidence = await db.selectFrom('alert_evidence').select(['margin_s', 'track_a', 'track_b']).where('alert_id', '=', id).executeTakeFirst();
      return { alert, evidence: evidence ?? null };
    },

    /**
     * Every alert (any status) changed after `seq`, oldest change first: the SSE stream's feed.
     * Resuming from the last seen change_seq loses nothing (commit order, migrations/0006).
     */
    async changedAfter(seq: string, limit = 500): Promise<AlertRow[]> {
      if (!isInt64(seq) || seq.startsWith('-')) throw new ValidationError(`change cursor ${JSON.stringify(seq)} must be a non-negative integer`);
      return (await summaries()
        .where(sql<boolean>`alerts.change_seq > ${seq}::bigint`)
        .orderBy('alerts.change_seq', 'asc')
        .limit(limit)
        .execute()) as AlertRow[];
    },

    /**
     * Sets an alert's triage state and records who did it, from what, to what and why, in one
     * transaction with the alert row locked (two analysts triaging at once are serialised, and
     * each history row's from_state is the state the other left). Bumps updated_at (and so
     * change_seq): dashboards see triage as a change. Detector re-runs never touch these columns.
     */
    async triage(id: number, change: { state: TriageState; note?: string | null }, actor: string): Promise<AlertDetailRow> {
      return db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('alerts').select('triage_state').where('id', '=', id).forUpdate().executeTakeFirst();
        if (!current) throw alertNotFound(id);
        const note = change.note ?? null;
        await trx
          .updateTable('alerts')
          .set({ triage_state: change.state, triage_note: note, triaged_by: actor, triaged_at: sql`now()`, updated_at: sql`now()` })
          .where('id', '=', id)
          .execute();
        await trx
          .insertInto('alert_triage_history')
          .values({ alert_id: id, from_state: current.triage_state, to_state: change.state, note, actor })
          .execute();
        return (await summaries(trx).select(['alerts.score_factors', 'alerts.event']).where('alerts.id', '=', id).executeTakeFirstOrThrow()) as AlertDetailRow;
      });
    },

    /** Triage history of an alert, oldest first; NotFoundError if there is no such alert. */
    async history(id: number): Promise<TriageHistoryRow[]> {
      const exists = await db.selectFrom('alerts').select('id').where('id', '=', id).executeTakeFirst();
      if (!exists) throw alertNotFound(id);
      return (await db
        .selectFrom('alert_triage_history')
        .select(['id', 'alert_id', 'from_state', 'to_state', 'note', 'actor', 'at'])
        .where('alert_id', '=', id)
        .orderBy('id', 'asc')
        .execute()) as TriageHistoryRow[];
    },
  };
}
export type AlertQueryRepository = ReturnType<typeof createAlertQueryRepository>;

/** get, triage and history agree: an unknown id is this NotFoundError (a 404 at the API). */
function alertNotFound(id: number): NotFoundError {
  return new NotFoundError(`no alert with id ${id}`);
}
