import { ParseError } from '@rendezvous/errors';
import { CsvSplitter } from './csv-line.ts';
import { UtcTimeParser } from './csv-time.ts';
import { labelKey, NAV_STATUS_BY_LABEL } from './dma-codes.ts';
import { findColumn, parseHeader } from './header.ts';
import {
  angleValue,
  imoCell,
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
 * MarineCadastre (NOAA/BOEM "AIS Data", US waters) daily CSVs:
 *   MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,
 *   Length,Width,Draft,Cargo,TransceiverClass
 * Per the MarineCadastre AIS data dictionary: BaseDateTime is UTC (`2017-02-01T20:05:07`),
 * LAT/LON decimal degrees, SOG knots, COG/Heading degrees, VesselType the AIS ship-and-cargo
 * code, Status the AIS navigational status code, Length/Width/Draft metres, IMO as "IMO1234567".
 * Columns are mapped by name (lower case, alphanumerics only), so snake_case variants
 * (`base_date_time`, `vessel_name`) and files without TransceiverClass (2015–2017) load too.
 *
 * Not mapped: Cargo (a second copy of the cargo/type code, often disagreeing with VesselType)
 * and TransceiverClass (A/B). `msgType` is 0: a CSV row does not say which AIS message it was.
 *
 * Sentinels seen in the files, all → null: empty cells; SOG 102.3; COG 360; Heading 511;
 * Status 15; VesselType 0; Length/Width/Draft 0; "IMO0000000". VesselType outside 1–255 (older
 * MarineCadastre vintages used their own 1001–1025 vessel-group codes) → null: not AIS codes.
 */
export const MARINECADASTRE_COLUMNS = {
  mmsi: ['mmsi'],
  ts: ['basedatetime'],
  lat: ['lat', 'latitude'],
  lon: ['lon', 'longitude'],
  sog: ['sog'],
  cog: ['cog'],
  heading: ['heading'],
  name: ['vesselname'],
  imo: ['imo'],
  callsign: ['callsign'],
  shipType: ['vesseltype'],
  status: ['status'],
  length: ['length'],
  width: ['width'],
  draught: ['draft', 'draught'],
} as const;

export function createMarineCadastreParser(headerLine: string, options: CsvParserOptions = {}): CsvRowParser {
  const header = parseHeader(headerLine);
  if (header === null) throw new ParseError('header has broken quoting', 'line 1');
  const col = (k: keyof typeof MARINECADASTRE_COLUMNS): number => findColumn(header.names, MARINECADASTRE_COLUMNS[k]);
  const c = {
    mmsi: col('mmsi'),
    ts: col('ts'),
    lat: col('lat'),
    lon: col('lon'),
    sog: col('sog'),
    cog: col('cog'),
    heading: col('heading'),
    name: col('name'),
    imo: col('imo'),
    callsign: col('callsign'),
    shipType: col('shipType'),
    status: col('status'),
    length: col('length'),
    width: col('width'),
    draught: col('draught'),
  };
  const missing = (['mmsi', 'ts', 'lat', 'lon'] as const).filter((k) => c[k] < 0);
  if (missing.length > 0) {
    throw new ParseError(`not a MarineCadastre header: no ${missing.map((k) => MARINECADASTRE_COLUMNS[k][0]).join(', ')} column`, 'line 1');
  }
  const hasIdentityColumns = [c.name, c.imo, c.callsign, c.shipType, c.length, c.width, c.draught].some((i) => i >= 0);
  const columns = header.names.length;
  const sp = new CsvSplitter(header.delimiter, columns + 1);
  const time = new UtcTimeParser();
  const out = new RowAssembler(options.source ?? 'marinecadastre', options.now ?? Date.now());

  function parse(line: string, lineNo: number): CsvRowResult {
    const mmsi = rowMmsi(sp, line, columns, c.mmsi, lineNo);
    if (typeof mmsi !== 'number') return mmsi;
    const ts = time.iso(line, sp.starts[c.ts]!, sp.ends[c.ts]!);
    if (Number.isNaN(ts)) return { ok: false, reason: 'bad_timestamp', lineNo };

    const lat = numberCell(sp, line, c.lat);
    const lon = numberCell(sp, line, c.lon);
    const sog = numberCell(sp, line, c.sog);
    const cog = numberCell(sp, line, c.cog);
    const heading = numberCell(sp, line, c.heading);
    // NaN !== NaN: one comparison per cell to catch any unparseable number.
    if (lat !== lat || lon !== lon || sog !== sog || cog !== cog || heading !== heading) {
      return { ok: false, reason: 'bad_number', lineNo };
    }
    const status = statusValue(sp, line, c.status);
    if (status !== status) return { ok: false, reason: 'bad_number', lineNo };

    let identity: IdentityFields | null = null;
    if (hasIdentityColumns) {
      const imo = imoCell(sp, line, c.imo);
      const shipType = numberCell(sp, line, c.shipType);
      const length = numberCell(sp, line, c.length);
      const width = numberCell(sp, line, c.width);
      const draught = numberCell(sp, line, c.draught);
      if (imo !== imo || shipType !== shipType || length !== length || width !== width || draught !== draught) {
        return { ok: false, reason: 'bad_number', lineNo };
      }
      identity = {
        imo,
        name: textCell(sp, line, c.name),
        callsign: textCell(sp, line, c.callsign),
        shipType: shipTypeValue(shipType),
        length: positiveValue(length),
        width: positiveValue(width),
        draught: positiveValue(draught),
        destination: null,
      };
    }
    return out.assemble(
      lineNo,
      mmsi,
      ts,
      lon,
      lat,
      sogValue(sog),
      angleValue(cog),
      angleValue(heading),
      status,
      identity,
    );
  }

  return { format: 'marinecadastre', columns, parse };
}

/**
 * Status is the numeric navigational status in the 2018+ files; a label ("moored") is mapped
 * too in case an older vintage spells it out. Unknown labels → null; NaN only for a
 * number-like cell that does not parse.
 */
function statusValue(sp: CsvSplitter, line: string, col: number): number | null {
  const v = numberCell(sp, line, col);
  if (v === null) return null;
  if (v === v) return navStatusValue(v);
  const text = textCell(sp, line, col);
  if (text === null) return null; // whitespace parseDecimal does not skip (NBSP, BOM)
  if (/^[-+.\d]/.test(text)) return NaN;
  return NAV_STATUS_BY_LABEL.get(labelKey(text)) ?? null;
}
