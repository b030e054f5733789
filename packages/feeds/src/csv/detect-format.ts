import { findColumn, parseHeader, stripBom, type CsvHeader } from './header.ts';
import { DMA_COLUMNS } from './dma-aisdk.ts';
import { MARINECADASTRE_COLUMNS } from './marinecadastre.ts';

export type CsvFormat = 'marinecadastre' | 'dma-aisdk';
export type FeedFormat = CsvFormat | 'nmea' | 'unknown';

/**
 * What kind of file starts with `firstLine`: one of the two CSV schemas (recognised by column
 * names, in any order and case), raw NMEA, or unknown. A headerless CSV is 'unknown': without
 * names we cannot tell LAT from LON.
 */
export function detectFormat(firstLine: string): FeedFormat {
  return detectHeader(firstLine).format;
}

/** `detectFormat` plus the parsed header, for the row-parser factories. */
export function detectHeader(firstLine: string): { format: FeedFormat; header: CsvHeader | null } {
  const line = stripBom(firstLine).trim();
  if (line === '') return { format: 'unknown', header: null };
  if (isNmea(line)) return { format: 'nmea', header: null };
  const header = parseHeader(line);
  if (header === null) return { format: 'unknown', header: null };
  const has = (aliases: readonly string[]): boolean => findColumn(header.names, aliases) >= 0;
  const core = has(['mmsi']);
  // The time column's name is what tells the two schemas apart; both have MMSI and a position.
  if (core && has(MARINECADASTRE_COLUMNS.ts) && has(MARINECADASTRE_COLUMNS.lat) && has(MARINECADASTRE_COLUMNS.lon)) {
    return { format: 'marinecadastre', header };
  }
  if (core && has(DMA_COLUMNS.ts) && has(DMA_COLUMNS.marker) && has(DMA_COLUMNS.lat) && has(DMA_COLUMNS.lon)) {
    return { format: 'dma-aisdk', header };
  }
  return { format: 'unknown', header };
}

/**
 * NMEA 0183 lines start with `!` (AIVDM), `$` (PGHP and other sentences) or `\` (TAG block);
 * simpleais-style logs prefix an epoch: `1609459200.123 !AIVDM,…`.
 */
function isNmea(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 33 || c === 36 || c === 92) return true;
  return /^\d{9,13}(?:\.\d+)?\s+[!$\\]/.test(line);
}
