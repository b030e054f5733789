import { ParseError } from '@rendezvous/errors';
import { detectFormat } from './detect-format.ts';
import { createDmaAisdkParser } from './dma-aisdk.ts';
import { createMarineCadastreParser } from './marinecadastre.ts';
import type { CsvParserOptions, CsvRowParser } from './types.ts';

/**
 * The row parser for a CSV file, chosen from its header line. Throws ParseError when the header
 * is not one we know (the whole file is then unreadable); row problems are results, never throws.
 */
export function createCsvRowParser(headerLine: string, options: CsvParserOptions = {}): CsvRowParser {
  const format = detectFormat(headerLine);
  if (format === 'marinecadastre') return createMarineCadastreParser(headerLine, options);
  if (format === 'dma-aisdk') return createDmaAisdkParser(headerLine, options);
  if (format === 'nmea') throw new ParseError('this is an NMEA file, not CSV: use the AIS decoder', 'line 1');
  throw new ParseError(
    'unrecognised CSV header: expected MarineCadastre (MMSI, BaseDateTime, LAT, LON, …) or DMA aisdk (# Timestamp, Type of mobile, MMSI, Latitude, Longitude, …) columns',
    'line 1',
  );
}
