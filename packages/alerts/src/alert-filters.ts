import {
  ALERT_PAGE_DEFAULT,
  ALERT_PAGE_MAX,
  ALERT_SORTS,
  ALERT_STATUSES,
  ALERT_TYPES,
  TRIAGE_STATES,
  type AlertFilter,
  type AlertPageRequest,
  type AlertSort,
  type AlertStatus,
  type AlertType,
  type TriageState,
} from '@rendezvous/db';
import { EARLIEST_AIS_MS } from '@rendezvous/ais';
import { ValidationError } from '@rendezvous/errors';

/**
 * The alert list's query parameters, validated once for both the API (GET /v1/alerts, whose
 * querystring schema below is built from the same patterns) and the CLI (`alerts`, whose flags
 * map onto the same names): the two accept and refuse exactly the same input, with the same
 * messages, and hand the repository the same filter.
 */
export interface AlertQueryInput {
  from?: string | undefined;
  to?: string | undefined;
  bbox?: string | undefined;
  mmsi?: number | string | undefined;
  imo?: number | string | undefined;
  watchlist?: string | undefined;
  type?: string | undefined;
  status?: string | undefined;
  triage?: string | undefined;
  minScore?: number | string | undefined;
  updatedSince?: string | undefined;
  sort?: string | undefined;
  limit?: number | string | undefined;
  cursor?: string | undefined;
}

export const ALERT_FORMATS = ['json', 'geojson', 'csv'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

// Patterns: each is anchored and bounded, so no input reaches SQL unchecked (and SQL only ever
// sees parameters anyway).
const NUM = '-?\\d{1,3}(?:\\.\\d{1,12})?';
export const BBOX_PATTERN = `^${NUM},${NUM},${NUM},${NUM}$`;
/** RFC 3339 date-time (what JSON Schema's `format: date-time` means), bounded in length. */
export const DATE_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:[Zz]|[+-]\\d{2}:\\d{2})$';
/** A change cursor (change_seq) or an RFC 3339 instant. */
export const UPDATED_SINCE_PATTERN = `^(?:\\d{1,19}|${DATE_TIME_PATTERN.slice(1, -1)})$`;
const enumList = (values: readonly string[]) => `^(?:${values.join('|')})(?:,(?:${values.join('|')}))*$`;
export const STATUS_PATTERN = enumList(ALERT_STATUSES);
export const TRIAGE_PATTERN = enumList(TRIAGE_STATES);
/** Watchlist names as lists are created (routes/schemas.ts listName). */
export const WATCHLIST_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';
export const TYPE_PATTERN = enumList(ALERT_TYPES);
export const CURSOR_PATTERN = '^[A-Za-z0-9_-]{1,512}$';
export const MMSI_MAX = 999_999_999;
export const IMO_MIN = 1_000_000;
export const IMO_MAX = 9_999_999;

/** Times before AIS (2002) or more than a year ahead are typos, not queries (issue 6 brief). */
const YEAR_MS = 366 * 86_400_000;

/** The querystring schema of the list routes: the same rules as parseAlertQuery, for ajv and OpenAPI. */
export const alertQueryProperties = {
  from: { type: 'string', format: 'date-time', pattern: DATE_TIME_PATTERN, description: 'alerts whose span ends at or after this instant' },
  to: { type: 'string', format: 'date-time', pattern: DATE_TIME_PATTERN, description: 'alerts whose span starts before this instant' },
  bbox: { type: 'string', pattern: BBOX_PATTERN, description: 'west,south,east,north (degrees) on the centroid; west > east crosses the antimeridian' },
  mmsi: { type: 'integer', minimum: 0, maximum: MMSI_MAX, description: 'either vessel' },
  imo: { type: 'integer', minimum: IMO_MIN, maximum: IMO_MAX, description: "either vessel's IMO in its snapshot at the time of the meeting" },
  watchlist: { type: 'string', pattern: WATCHLIST_PATTERN, description: 'a watchlist that matched either vessel' },
  type: { type: 'string', pattern: TYPE_PATTERN, description: `comma-separated alert types: ${ALERT_TYPES.join(', ')}` },
  status: { type: 'string', pattern: STATUS_PATTERN, description: 'comma-separated; default ongoing,closed' },
  triage: { type: 'string', pattern: TRIAGE_PATTERN, description: 'comma-separated triage states' },
  minScore: { type: 'number', minimum: 0, maximum: 100 },
  updatedSince: {
    type: 'string',
    pattern: UPDATED_SINCE_PATTERN,
    description: 'a previous response\'s sync.updatedSince (change cursor) or an ISO-8601 instant; triage counts as a change',
  },
  sort: { type: 'string', enum: [...ALERT_SORTS], description: 'default -start (updated with updatedSince)' },
  limit: { type: 'integer', minimum: 1, maximum: ALERT_PAGE_MAX, description: `page size, default ${ALERT_PAGE_DEFAULT}` },
  cursor: { type: 'string', pattern: CURSOR_PATTERN, description: "the previous page's nextCursor" },
} as const;

export const alertQuerystring = {
  type: 'object',
  additionalProperties: false,
  properties: { ...alertQueryProperties, format: { type: 'string', enum: [...ALERT_FORMATS], description: 'instead of the Accept header' } },
} as const;

const test = (pattern: string, value: string) => new RegExp(pattern).test(value);

export function parseInstant(name: string, value: string, now: number): Date {
  if (!test(DATE_TIME_PATTERN, value)) throw new ValidationError(`${name} must be an ISO-8601 date-time such as 2025-01-31T12:00:00Z, not ${JSON.stringify(value.slice(0, 40))}`);
  const date = new Date(value);
  // Date would roll 2025-02-30 over into March: require the calendar day to exist.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (Number.isNaN(date.getTime()) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) throw new ValidationError(`${name} is not a valid date-time: ${value}`);
  if (date.getTime() < EARLIEST_AIS_MS || date.getTime() > now + YEAR_MS) throw new ValidationError(`${name} must be between 2002-01-01 and a year from now, not ${value}`);
  return date;
}

function integer(name: string, value: number | string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ValidationError(`${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(String(value).slice(0, 40))}`);
  return n;
}

function list<T extends string>(name: string, value: string, pattern: string, allowed: readonly T[]): T[] {
  if (!test(pattern, value)) throw new ValidationError(`${name} must be a comma-separated list of ${allowed.join(', ')}`);
  return [...new Set(value.split(','))] as T[];
}

/** Parses `w,s,e,n`; west > east means the box crosses the antimeridian. */
export function parseBbox(value: string): { west: number; south: number; east: number; north: number } {
  const message = 'bbox must be west,south,east,north in degrees: longitudes within ±180, latitudes within ±90, south below north';
  if (!test(BBOX_PATTERN, value)) throw new ValidationError(`${message}; got ${JSON.stringify(value.slice(0, 60))}`);
  const [west, south, east, north] = value.split(',').map(Number) as [number, number, number, number];
  if ([west, east].some((x) => x < -180 || x > 180) || [south, north].some((y) => y < -90 || y > 90) || south >= north) {
    throw new ValidationError(`${message}; got ${value}`);
  }
  return { west, south, east, north };
}

export interface ParsedAlertQuery {
  filter: AlertFilter;
  page: AlertPageRequest & { sort: AlertSort; limit: number };
}

/** Validates list parameters (API query or CLI flags) into a repository filter and page request. */
export function parseAlertQuery(input: AlertQueryInput, now: number = Date.now()): ParsedAlertQuery {
  const filter: AlertFilter = {};
  if (input.from !== undefined) filter.from = parseInstant('from', input.from, now);
  if (input.to !== undefined) filter.to = parseInstant('to', input.to, now);
  if (filter.from && filter.to && filter.from >= filter.to) throw new ValidationError('from must be before to');
  if (input.bbox !== undefined) filter.bbox = parseBbox(input.bbox);
  if (input.mmsi !== undefined) filter.mmsi = integer('mmsi', input.mmsi, 0, MMSI_MAX);
  if (input.imo !== undefined) filter.imo = integer('imo', input.imo, IMO_MIN, IMO_MAX);
  if (input.watchlist !== undefined) {
    if (!test(WATCHLIST_PATTERN, input.watchlist)) throw new ValidationError('watchlist must be a list name: lower-case letters, digits, ".", "_" or "-", up to 64 characters');
    filter.watchlist = input.watchlist;
  }
  if (input.type !== undefined) {
    filter.type = list<AlertType>('type', input.type, TYPE_PATTERN, ALERT_TYPES);
  }
  if (input.status !== undefined) filter.status = list<AlertStatus>('status', input.status, STATUS_PATTERN, ALERT_STATUSES);
  if (input.triage !== undefined) filter.triage = list<TriageState>('triage', input.triage, TRIAGE_PATTERN, TRIAGE_STATES);
  if (input.minScore !== undefined) {
    const n = typeof input.minScore === 'number' ? input.minScore : /^\d{1,3}(\.\d{1,6})?$/.test(input.minScore) ? Number(input.minScore) : Number.NaN;
    if (!Number.isFinite(n) || n < 0 || n > 100) throw new ValidationError(`minScore must be a number from 0 to 100, not ${JSON.stringify(String(input.minScore).slice(0, 40))}`);
    filter.minScore = n;
  }
  if (input.updatedSince !== undefined) {
    const v = input.updatedSince;
    if (/^\d{1,19}$/.test(v)) {
      if (BigInt(v) > 9_223_372_036_854_775_807n) throw new ValidationError('updatedSince change cursor is out of range');
      filter.updatedSince = { kind: 'seq', seq: BigInt(v).toString() };
    } else if (test(UPDATED_SINCE_PATTERN, v)) {
      filter.updatedSince = { kind: 'time', at: parseInstant('updatedSince', v, now) };
    } else {
      throw new ValidationError('updatedSince must be a change cursor (the sync.updatedSince of a previous response) or an ISO-8601 date-time');
    }
  }
  let sort: AlertSort = filter.updatedSince ? 'updated' : '-start';
  if (input.sort !== undefined) {
    if (!(ALERT_SORTS as readonly string[]).includes(input.sort)) throw new ValidationError(`sort must be one of ${ALERT_SORTS.join(', ')}`);
    sort = input.sort as AlertSort;
  }
  const limit = input.limit === undefined ? ALERT_PAGE_DEFAULT : integer('limit', input.limit, 1, ALERT_PAGE_MAX);
  const page: ParsedAlertQuery['page'] = { sort, limit };
  if (input.cursor !== undefined) {
    if (!test(CURSOR_PATTERN, input.cursor)) throw new ValidationError('cursor is not valid (not base64url); start again without one');
    page.cursor = input.cursor;
  }
  return { filter, page };
}
