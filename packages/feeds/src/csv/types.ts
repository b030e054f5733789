import type { Observation } from '../observation.ts';
import { POSITION_REJECTIONS, type PositionRejection } from '../validate.ts';

/**
 * Why a CSV row yields nothing (counted per reason by ingest; never thrown). Position reasons
 * come from validate.ts unchanged so CSV and NMEA ingest share counters.
 */
export const CSV_ROW_REJECTIONS = [
  'blank_line', // empty or whitespace-only line (e.g. the trailing newline of a file)
  'header_repeated', // the header again mid-file: files concatenated with `cat`
  'malformed_csv', // broken quoting: unterminated quote, or text after a closing quote
  'wrong_field_count', // not as many fields as the header: an unquoted delimiter, a truncated line
  'bad_number', // a numeric cell (or IMO) that is not a number and not a documented "not available" value
  'bad_timestamp', // the time cell is empty or not in the format's layout
] as const;

export const CSV_REJECTIONS: readonly CsvRejection[] = [...CSV_ROW_REJECTIONS, ...POSITION_REJECTIONS];
export type CsvRejection = (typeof CSV_ROW_REJECTIONS)[number] | PositionRejection;

export type CsvRowResult =
  | {
      ok: true;
      /** The position, then the identity (static) observation when the row reported any identity. */
      observations: Observation[];
      /**
       * Non-null when the row's position was rejected but its identity was kept: the only
       * observation is then the static one. Ingest should count this reason too.
       */
      positionRejection: PositionRejection | null;
    }
  | { ok: false; reason: CsvRejection; lineNo: number };

export interface CsvRowParser {
  readonly format: 'marinecadastre' | 'dma-aisdk';
  /** Field count every data row must have (the header's). */
  readonly columns: number;
  parse(line: string, lineNo: number): CsvRowResult;
}

export interface CsvParserOptions {
  /** "Now" for the future-timestamp check (validate.ts); defaults to Date.now() when the parser is created. */
  now?: number;
  /** `source` on every observation; defaults to 'marinecadastre' / 'dma'. */
  source?: string;
}
