import { ParseError } from '@rendezvous/errors';
import { CsvSplitter } from './csv-line.ts';
import { UtcTimeParser } from './csv-time.ts';
import { DMA_NOT_AVAILABLE, labelKey, NAV_STATUS_BY_LABEL, SHIP_TYPE_BY_LABEL } from './dma-codes.ts';
import { findColumn, parseHeader } from './header.ts';
import {
  angleValue,
  imoValue,
  navStatusValue,
  numberCell,
  positiveValue,
  RowAssembler,
  shipTypeValue,
  sogValue,
  rowMmsi,
  textCell,
  type IdentityFields,
} from './row-builder.ts';
import type { CsvParserOptions, CsvRowParser, CsvRowResult } from './types.ts';

/**
 * Danish Maritime Authority "aisdk" daily CSVs (web.ais.dk/aisdata, readme "Columns in *.csv
 * file"):
 *   # Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,
 *   IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,
 *   Destination,ETA,Data source type[,A,B,C,D]
 * Timestamp `dd/mm/yyyy HH:MM:SS` is the base station's UTC time. Labels replace codes:
 * Navigational status and Ship type are text (tables in dma-codes.ts), and "Unknown",
 * "Undefined", "Unknown value" mean not available, in any column. Width/Length/Draught are metres.
 *
 * Not mapped: Type of mobile ("Class A", "Class B", "Base Station", "AtoN"…; `msgType` stays 0,
 * the CSV convention, since a class is not a message type), ROT, Cargo type, position-fixing
 * device, ETA, Data source type and the A–D antenna offsets (Length/Width already sum them).
 * Lat 91 / lon 181 "not available" are rejected by checkPosition as position_unavailable.
 */
export const DMA_COLUMNS = {
  ts: ['timestamp'],
  // One of these must be present too, so that any "timestamp,mmsi,latitude,longitude" export is not taken for DMA.
  marker: ['typeofmobile', 'navigationalstatus'],
  mmsi: ['mmsi'],
  lat: ['latitude', 'lat'],
  lon: ['longitude', 'lon'],
  navStatus: ['navigationalstatus'],
  sog: ['sog'],
  cog: ['cog'],
  heading: ['heading'],
  imo: ['imo'],
  callsign: ['callsign'],
  name: ['name'],
  shipType: ['shiptype'],
  width: ['width'],
  length: ['length'],
  draught: ['draught', 'draft'],
  destination: ['destination'],
} as const;

export function createDmaAisdkParser(headerLine: string, options: CsvParserOptions = {}): CsvRowParser {
  const header = parseHeader(headerLine);
  if (header === null) throw new ParseError('header has broken quoting', 'line 1');
  const col = (k: keyof typeof DMA_COLUMNS): number => findColumn(header.names, DMA_COLUMNS[k]);
  const c = {
    ts: col('ts'),
    marker: col('marker'),
    mmsi: col('mmsi'),
    lat: col('lat'),
    lon: col('lon'),
    navStatus: col('navStatus'),
    sog: col('sog'),
    cog: col('cog'),
    heading: col('heading'),
    imo: col('imo'),
    callsign: col('callsign'),
    name: col('name'),
    shipType: col('shipType'),
    width: col('width'),
    length: col('length'),
    draught: col('draught'),
    destination: col('destination'),
  };
  const missing = (['ts', 'marker', 'mmsi', 'lat', 'lon'] as const).filter((k) => c[k] < 0);
  if (missing.length > 0) {
    throw new ParseError(`not a DMA aisdk header: no ${missing.map((k) => DMA_COLUMNS[k].join('/')).join(', ')} column`, 'line 1');
  }
  const columns = header.names.length;
  const sp = new CsvSplitter(header.delimiter, columns + 1);
  const time = new UtcTimeParser();
  const out = new RowAssembler(options.source ?? 'dma', options.now ?? Date.now());

  /** Numeric cell where DMA's "Unknown"/"Undefined" words also mean null. NaN = bad number. */
  function num(line: string, i: number): number | null {
    const v = numberCell(sp, line, i);
    if (v === v) return v;
    return notAvailable(textCell(sp, line, i)) ? null : NaN;
  }
  function text(line: string, i: number): string | null {
    const t = textCell(sp, line, i);
    return notAvailable(t) ? null : t;
  }

  function parse(line: string, lineNo: number): CsvRowResult {
    const mmsi = rowMmsi(sp, line, columns, c.mmsi, lineNo);
    if (typeof mmsi !== 'number') return mmsi;
    const ts = time.dmy(line, sp.starts[c.ts]!, sp.ends[c.ts]!);
    if (Number.isNaN(ts)) return { ok: false, reason: 'bad_timestamp', lineNo };

    const lat = num(line, c.lat);
    const lon = num(line, c.lon);
    const sog = num(line, c.sog);
    const cog = num(line, c.cog);
    const heading = num(line, c.heading);
    const length = num(line, c.length);
    const width = num(line, c.width);
    const draught = num(line, c.draught);
    const imo = imoValue(text(line, c.imo));
    if (
      lat !== lat ||
      lon !== lon ||
      sog !== sog ||
      cog !== cog ||
      heading !== heading ||
      length !== length ||
      width !== width ||
      draught !== draught ||
      imo !== imo
    ) {
      return { ok: false, reason: 'bad_number', lineNo };
    }
    const identity: IdentityFields = {
      imo,
      name: text(line, c.name),
      callsign: text(line, c.callsign),
      shipType: coded(text(line, c.shipType), SHIP_TYPE_BY_LABEL, shipTypeValue),
      length: positiveValue(length),
      width: positiveValue(width),
      draught: positiveValue(draught),
      destination: text(line, c.destination),
    };
    return out.assemble(
      lineNo,
      mmsi,
      ts,
      lon,
      lat,
      sogValue(sog),
      angleValue(cog),
      angleValue(heading),
      coded(text(line, c.navStatus), NAV_STATUS_BY_LABEL, navStatusValue),
      identity,
    );
  }

  return { format: 'dma-aisdk', columns, parse };
}

function notAvailable(text: string | null): boolean {
  return text !== null && DMA_NOT_AVAILABLE.has(labelKey(text));
}

/**
 * A label column: its code from the table, or the number itself when a file already has codes.
 * Unlisted labels → null rather than a rejection: a label the table lacks must not cost the
 * position.
 */
function coded(
  text: string | null,
  table: ReadonlyMap<string, number>,
  numeric: (v: number | null) => number | null,
): number | null {
  if (text === null) return null;
  const fromLabel = table.get(labelKey(text));
  if (fromLabel !== undefined) return fromLabel;
  return /^\d+(?:\.0+)?$/.test(text) ? numeric(Number(text)) : null;
}
