import { toAlertSummary, type AlertSummary } from '@rendezvous/alerts';
import { ALERT_PAGE_MAX, decodeAlertCursor, type AlertFilter, type AlertQueryRepository, type AlertSort } from '@rendezvous/db';

/**
 * Alerts as CSV (RFC 4180) for spreadsheets. Text cells that a spreadsheet would run as a formula
 * (starting with = + - @, or a tab/carriage return: OWASP "CSV injection") get a leading
 * apostrophe; numbers are left alone, so a negative longitude stays a number.
 */
type Cell = string | number | boolean | null;

const COLUMNS: readonly [string, (a: AlertSummary) => Cell][] = [
  ['id', (a) => a.id],
  ['key', (a) => a.key],
  ['type', (a) => a.type],
  ['status', (a) => a.status],
  ['triage_state', (a) => a.triage.state],
  ['triage_note', (a) => a.triage.note],
  ['triaged_by', (a) => a.triage.by],
  ['triaged_at', (a) => a.triage.at],
  ['start', (a) => a.start],
  ['end', (a) => a.end],
  ['duration_s', (a) => a.durationS],
  ['closest_m', (a) => a.closestM],
  ['median_m', (a) => a.medianM],
  ['median_sog_a', (a) => a.medianSogA],
  ['median_sog_b', (a) => a.medianSogB],
  ['lon', (a) => a.centroid.lon],
  ['lat', (a) => a.centroid.lat],
  ['in_port', (a) => a.inPort],
  ['score', (a) => a.score],
  ['watchlists', (a) => a.watchlists.join(';')],
  ['profile', (a) => a.profile],
  ['mmsi_a', (a) => a.vesselA.mmsi],
  ['imo_a', (a) => a.vesselA.imo],
  ['name_a', (a) => a.vesselA.name],
  ['callsign_a', (a) => a.vesselA.callsign],
  ['flag_a', (a) => a.vesselA.flag],
  ['ship_type_a', (a) => a.vesselA.shipType],
  ['mmsi_b', (a) => a.vesselB?.mmsi ?? null],
  ['imo_b', (a) => a.vesselB?.imo ?? null],
  ['name_b', (a) => a.vesselB?.name ?? null],
  ['callsign_b', (a) => a.vesselB?.callsign ?? null],
  ['flag_b', (a) => a.vesselB?.flag ?? null],
  ['ship_type_b', (a) => a.vesselB?.shipType ?? null],
  ['retraction_reason', (a) => a.retraction?.reason ?? null],
  ['replaced_by', (a) => a.retraction?.replacedBy ?? null],
  ['detector_version', (a) => a.detectorVersion],
  ['first_detected_at', (a) => a.firstDetectedAt],
  ['updated_at', (a) => a.updatedAt],
  ['change_seq', (a) => a.changeSeq],
];

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One cell: formula-neutralised if text, quoted (quotes doubled) when RFC 4180 requires it. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const CSV_HEADER = COLUMNS.map(([name]) => name).join(',') + '\r\n';

export function toCsvRow(alert: AlertSummary): string {
  return COLUMNS.map(([, get]) => csvCell(get(alert))).join(',') + '\r\n';
}

/** A spreadsheet export stops here (about 40 MB of CSV); the last line says so. */
export const CSV_EXPORT_MAX_ROWS = 100_000;

export const csvTruncationNote = (maxRows: number) => `# truncated after ${maxRows} rows: narrow the filters (from/to, bbox, minScore) to export the rest\r\n`;

/**
 * Every alert matching the filter (from the cursor, if any), walked in keyset pages so memory
 * stays flat and concurrent inserts neither repeat nor skip rows. The cursor and the first page
 * are checked before the stream starts, so a bad cursor or an unreachable database is still a
 * problem+json answer, not a torn download.
 */
export async function alertCsvStream(
  repo: AlertQueryRepository,
  filter: AlertFilter,
  page: { sort: AlertSort; cursor?: string | null },
  maxRows: number = CSV_EXPORT_MAX_ROWS,
  pageSize: number = ALERT_PAGE_MAX,
): Promise<AsyncGenerator<string>> {
  if (page.cursor) decodeAlertCursor(page.cursor, page.sort);
  const first = await repo.list(filter, { sort: page.sort, cursor: page.cursor ?? null, limit: pageSize });
  async function* rows(): AsyncGenerator<string> {
    yield CSV_HEADER;
    let written = 0;
    let current = first;
    for (;;) {
      let chunk = '';
      for (const row of current.rows) {
        if (written === maxRows) {
          yield chunk + csvTruncationNote(maxRows);
          return;
        }
        chunk += toCsvRow(toAlertSummary(row));
        written++;
      }
      if (chunk) yield chunk;
      if (!current.nextCursor) return;
      if (written === maxRows) {
        yield csvTruncationNote(maxRows);
        return;
      }
      current = await repo.list(filter, { sort: page.sort, cursor: current.nextCursor, limit: pageSize });
    }
  }
  return rows();
}
