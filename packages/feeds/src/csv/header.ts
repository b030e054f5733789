import { CSV_MALFORMED, CsvSplitter } from './csv-line.ts';

/**
 * Header handling shared by detection and the row parsers: columns are found by NAME, never by
 * position, because column order and the column set differ between vintages (MarineCadastre
 * 2015–2017 files lack TransceiverClass; DMA added "A,B,C,D" antenna offsets in later years;
 * pandas exports add a leading unnamed index column).
 */

export interface CsvHeader {
  /** Normalised column names (see `normalizeColumnName`), in file order. */
  names: string[];
  delimiter: string;
}

/**
 * Lower case, alphanumerics only: "# Timestamp" → "timestamp", "Type of mobile" →
 * "typeofmobile", "BaseDateTime" and "base_date_time" → "basedatetime".
 */
export function normalizeColumnName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Strips a UTF-8 byte-order mark, which Excel and some exporters put before the header. */
export function stripBom(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/**
 * Splits a header line. The delimiter is the one of `,` `;` TAB that yields the most columns
 * (comma on ties): both our sources use commas, but a re-saved spreadsheet often uses `;`.
 * Returns null when the line's quoting is broken.
 */
export function parseHeader(line: string): CsvHeader | null {
  const text = stripBom(line);
  let best: CsvHeader | null = null;
  for (const delimiter of [',', ';', '\t']) {
    const sp = new CsvSplitter(delimiter);
    const n = sp.split(text);
    if (n === CSV_MALFORMED) continue;
    if (best === null || n > best.names.length) {
      const names = new Array<string>(n);
      for (let i = 0; i < n; i++) names[i] = normalizeColumnName(sp.text(text, i));
      best = { names, delimiter };
    }
  }
  return best;
}

/** Index of the first column whose normalised name is one of `aliases`, or -1. */
export function findColumn(names: readonly string[], aliases: readonly string[]): number {
  for (let i = 0; i < names.length; i++) {
    if (aliases.includes(names[i]!)) return i;
  }
  return -1;
}
