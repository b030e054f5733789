/**
 * A small strict RFC 4180 reader for the list files (OFAC sdn.csv, EU, UK, GUR, analyst CSVs).
 *
 * Why not split on newlines: OFAC remarks and EU reasons are quoted fields that may contain the
 * delimiter and, in principle, newlines. Why strict: the loader imports a list in one
 * transaction, so a malformed file must fail with the line to fix, never yield a partial list.
 *
 * - Quoted fields may contain delimiters, newlines and doubled quotes ("").
 * - Spaces/tabs between a closing quote and the delimiter are tolerated (seen in hand-edited
 *   files); anything else after a closing quote is an error.
 * - A quote inside an unquoted field is kept literally (e.g. `12" PIPE`), as most readers do.
 * - Blank lines are skipped. A leading BOM and a trailing DOS EOF mark (0x1A, which the OFAC
 *   sdn.csv download ends with) are dropped.
 * - A NUL character means binary input: rejected with its line.
 * - One record may not exceed `maxRecordChars` (default 1 MiB): an unterminated quote in a
 *   large file then fails near its start instead of swallowing the rest of the file.
 */
import { ParseError } from '@rendezvous/errors';

export interface CsvOptions {
  delimiter?: string;
  maxRecordChars?: number;
}

/** Called once per non-blank record with its fields and the physical line it starts on. */
export type CsvRowHandler = (fields: string[], line: number) => void;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

export const DEFAULT_MAX_RECORD_CHARS = 1 << 20;

/** Line (1-based) of character offset `pos`. Only used on the error path. */
export function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Drop a BOM and a trailing DOS EOF mark; reject NUL (binary) input. */
export function prepareText(text: string): string {
  let t = text;
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  const nul = t.indexOf('\0');
  if (nul !== -1) throw new ParseError('binary data (NUL character) in a text list', `line ${lineOf(t, nul)}`);
  let end = t.length;
  while (end > 0) {
    const c = t.charCodeAt(end - 1);
    if (c === 0x1a || c === LF || c === CR || c === SPACE || c === TAB) end--;
    else break;
  }
  return end === t.length ? t : t.slice(0, end);
}

export function readCsv(input: string, onRow: CsvRowHandler, options: CsvOptions = {}): void {
  const text = prepareText(input);
  const delim = (options.delimiter ?? ',').charCodeAt(0);
  const maxRecord = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const n = text.length;
  let pos = 0;
  let line = 1;
  while (pos < n) {
    const recordStart = pos;
    const recordLine = line;
    const fields: string[] = [];
    // Parse fields until end of record.
    for (;;) {
      if (pos - recordStart > maxRecord) {
        throw new ParseError(`record longer than ${maxRecord} characters (unterminated quote?)`, `line ${recordLine}`);
      }
      const c = pos < n ? text.charCodeAt(pos) : -1;
      if (c === QUOTE) {
        const quoteLine = line;
        let value = '';
        let p = pos + 1;
        for (;;) {
          const q = text.indexOf('"', p);
          if (q === -1 || q - recordStart > maxRecord) {
            throw new ParseError(
              q === -1 ? 'unterminated quoted field' : `quoted field longer than ${maxRecord} characters (unterminated quote?)`,
              `line ${quoteLine}`,
            );
          }
          const chunk = text.slice(p, q);
          value += chunk;
          for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) line++;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            p = q + 2;
            continue;
          }
          p = q + 1;
          break;
        }
        while (p < n && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p++;
        const after = p < n ? text.charCodeAt(p) : -1;
        if (after !== -1 && after !== delim && after !== LF && after !== CR) {
          // A quote that spans lines and then runs into data is almost always an unbalanced
          // quote where the field opened: report that line.
          throw new ParseError(
            quoteLine === line
              ? `unexpected ${JSON.stringify(text[p])} after closing quote of field ${fields.length + 1}`
              : `quoted field ${fields.length + 1} opened here runs to line ${line} and is followed by ${JSON.stringify(text[p])} (unbalanced quote?)`,
            `line ${quoteLine}`,
          );
        }
        fields.push(value);
        pos = p;
      } else {
        let p = pos;
        while (p < n) {
          const d = text.charCodeAt(p);
          if (d === delim || d === LF || d === CR) break;
          p++;
        }
        fields.push(text.slice(pos, p));
        pos = p;
      }
      // pos is at a delimiter, a line end or the end of text.
      const d = pos < n ? text.charCodeAt(pos) : -1;
      if (d === delim) {
        pos++;
        continue;
      }
      if (d === CR) pos++;
      if (pos < n && text.charCodeAt(pos) === LF) pos++;
      if (d !== -1) line++;
      break;
    }
    if (pos - recordStart > maxRecord) {
      throw new ParseError(`record longer than ${maxRecord} characters`, `line ${recordLine}`);
    }
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    onRow(fields, recordLine);
  }
}

/**
 * Reads a table whose first record is a header; every later record must have the header's
 * column count. Calls onRecord with a column accessor bound to the header names.
 */
export function readTable(
  text: string,
  onHeader: (header: string[]) => void,
  onRecord: (fields: string[], line: number) => void,
  options: CsvOptions = {},
): void {
  let width = -1;
  readCsv(
    text,
    (fields, line) => {
      if (width === -1) {
        width = fields.length;
        onHeader(fields);
        return;
      }
      if (fields.length !== width) {
        throw new ParseError(`expected ${width} columns as in the header, found ${fields.length}`, `line ${line}`);
      }
      onRecord(fields, line);
    },
    options,
  );
  if (width === -1) throw new ParseError('empty file: no header row', 'line 1');
}

/** Index of each required column in a header (trimmed, case-insensitive); ParseError if one is missing. */
export function columnIndex<K extends string>(header: string[], required: readonly K[], optional: readonly K[] = []): Record<K, number> {
  const norm = header.map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase());
  const out = {} as Record<K, number>;
  const missing: string[] = [];
  for (const name of required) {
    const i = norm.indexOf(name.toLowerCase());
    if (i === -1) missing.push(name);
    out[name] = i;
  }
  for (const name of optional) out[name] = norm.indexOf(name.toLowerCase());
  if (missing.length > 0) throw new ParseError(`header lacks column(s) ${missing.join(', ')}`, 'line 1');
  return out;
}
