import type { PositionObservation, StaticObservation } from '../observation.ts';
import { checkPosition, isMmsiInvalid, timeInRange } from '../validate.ts';
import { CSV_MALFORMED, type CsvSplitter } from './csv-line.ts';
import { parseDecimal } from './csv-number.ts';
import type { CsvRejection, CsvRowResult } from './types.ts';

/**
 * What the two CSV row parsers share: cell readers, the "not available" conventions that are
 * the AIS field's own (ITU-R M.1371-5, as the NMEA decoder maps them), and the assembly of
 * observations. Format-specific sentinels live in marinecadastre.ts / dma-aisdk.ts.
 */

/** Splits a data row; returns why it cannot be read, or null when it has the header's field count. */
export function splitRow(sp: CsvSplitter, line: string, columns: number): CsvRejection | null {
  const n = sp.split(line);
  if (n === columns) return null;
  if (n === CSV_MALFORMED) return 'malformed_csv';
  if (n === 1 && sp.isBlank(line, 0)) return 'blank_line';
  return 'wrong_field_count';
}

/**
 * The start every row parser shares: split the row and read its MMSI. Returns the MMSI, or the
 * rejection (a missing MMSI, a non-number, or the header repeated where files were joined).
 */
export function rowMmsi(sp: CsvSplitter, line: string, columns: number, mmsiCol: number, lineNo: number): number | Extract<CsvRowResult, { ok: false }> {
  const broken = splitRow(sp, line, columns);
  if (broken !== null) return { ok: false, reason: broken, lineNo };
  const mmsi = numberCell(sp, line, mmsiCol);
  if (mmsi === null || mmsi === 0) return { ok: false, reason: 'mmsi_missing', lineNo };
  if (!Number.isInteger(mmsi) || mmsi < 0) {
    const again = textCell(sp, line, mmsiCol)?.toLowerCase() === 'mmsi';
    return { ok: false, reason: again ? 'header_repeated' : 'bad_number', lineNo };
  }
  return mmsi;
}

/** Numeric cell: null when the column is absent or the cell blank, NaN when not a number. */
export function numberCell(sp: CsvSplitter, line: string, col: number): number | null {
  if (col < 0) return null;
  return parseDecimal(line, sp.starts[col]!, sp.ends[col]!);
}

/** Text cell, trimmed: null when the column is absent or the cell blank. */
export function textCell(sp: CsvSplitter, line: string, col: number): string | null {
  if (col < 0 || sp.starts[col] === sp.ends[col]) return null;
  const s = sp.text(line, col).trim();
  return s === '' ? null : s;
}

/**
 * IMO as published: "IMO9307839" (MarineCadastre) or "9307839". Digits are kept even when the
 * check digit fails (the identity module flags that); 0 ("IMO0000000") means not available.
 * Returns NaN for anything else so the caller can count it. Read from the span: this runs per row.
 */
export function imoCell(sp: CsvSplitter, line: string, col: number): number | null {
  if (col < 0) return null;
  return imoFromSpan(line, sp.starts[col]!, sp.ends[col]!);
}

/** `imoCell` for text already extracted (DMA, after its "Unknown" words are removed). */
export function imoValue(text: string | null): number | null {
  return text === null ? null : imoFromSpan(text, 0, text.length);
}

function imoFromSpan(line: string, p: number, end: number): number | null {
  while (p < end && line.charCodeAt(p) === 32) p++;
  while (end > p && line.charCodeAt(end - 1) === 32) end--;
  if (p === end) return null;
  // Optional "IMO" prefix, any case, optionally followed by spaces.
  if (end - p > 3 && (line.charCodeAt(p) | 32) === 105 && (line.charCodeAt(p + 1) | 32) === 109 && (line.charCodeAt(p + 2) | 32) === 111) {
    p += 3;
    while (p < end && line.charCodeAt(p) === 32) p++;
  }
  if (p === end || end - p > 15) return NaN;
  let n = 0;
  for (; p < end; p++) {
    const d = line.charCodeAt(p) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n === 0 ? null : n;
}

/** SOG 102.3 kn is the "not available" value (raw 1023); checkPosition rejects other speeds beyond 102.2. */
export function sogValue(v: number | null): number | null {
  return v === 102.3 ? null : v;
}

/** COG 360 (raw 3600) and heading 511 are "not available"; anything outside [0, 360) cannot be a direction. */
export function angleValue(v: number | null): number | null {
  return v !== null && v >= 0 && v < 360 ? v : null;
}

/** Navigational status 0–14; 15 is "not defined" (default) and maps to null as in the NMEA decoder. */
export function navStatusValue(v: number | null): number | null {
  return v !== null && Number.isInteger(v) && v >= 0 && v <= 14 ? v : null;
}

/** Ship and cargo type 1–255 (0 = not available); the decoder keeps 100–255 (reserved) too. */
export function shipTypeValue(v: number | null): number | null {
  return v !== null && Number.isInteger(v) && v >= 1 && v <= 255 ? v : null;
}

/** Dimensions and draught: 0 is "not available" in AIS, negatives are noise. */
export function positiveValue(v: number | null): number | null {
  return v !== null && v > 0 ? v : null;
}

export interface IdentityFields {
  imo: number | null;
  name: string | null;
  callsign: string | null;
  shipType: number | null;
  length: number | null;
  width: number | null;
  draught: number | null;
  destination: string | null;
}

export function hasIdentity(f: IdentityFields): boolean {
  return (
    f.imo !== null ||
    f.name !== null ||
    f.callsign !== null ||
    f.shipType !== null ||
    f.length !== null ||
    f.width !== null ||
    f.draught !== null ||
    f.destination !== null
  );
}

/** Per-parser state the assembly needs. */
export class RowAssembler {
  readonly source: string;
  readonly now: number;
  // A file repeats each MMSI many times; classifyMmsi allocates, so remember its verdicts.
  private readonly invalid = new Map<number, boolean>();

  constructor(source: string, now: number) {
    this.source = source;
    this.now = now;
  }

  mmsiInvalid(mmsi: number): boolean {
    let v = this.invalid.get(mmsi);
    if (v === undefined) {
      if (this.invalid.size >= 200_000) this.invalid.clear();
      v = isMmsiInvalid(mmsi);
      this.invalid.set(mmsi, v);
    }
    return v;
  }

  /**
   * Validates the position (validate.ts) and builds the observations. A row whose position is
   * rejected still yields its identity: a static report needs only MMSI and time, and CSV
   * archives often carry identity columns on rows with unusable fixes. A bad time voids both.
   */
  assemble(
    lineNo: number,
    mmsi: number,
    ts: number,
    lon: number | null,
    lat: number | null,
    sog: number | null,
    cog: number | null,
    heading: number | null,
    navStatus: number | null,
    identity: IdentityFields | null,
  ): CsvRowResult {
    const rejection = checkPosition(lon, lat, sog, ts, this.now);
    const mmsiInvalid = this.mmsiInvalid(mmsi);
    const stat = identity !== null && hasIdentity(identity) ? this.identityObservation(mmsi, ts, identity, mmsiInvalid) : null;
    if (rejection === null) {
      const position: PositionObservation = {
        kind: 'position',
        mmsi,
        ts,
        tsFromFeed: true,
        lon: lon!,
        lat: lat!,
        sog,
        cog,
        heading,
        navStatus,
        msgType: 0,
        source: this.source,
        dedupKey: null,
        mmsiInvalid,
      };
      return { ok: true, observations: stat === null ? [position] : [position, stat], positionRejection: null };
    }
    if (stat === null) return { ok: false, reason: rejection, lineNo };
    // checkPosition tests the position before the time; a static report must not carry a bad time.
    if (!timeInRange(ts, this.now)) return { ok: false, reason: 'time_out_of_range', lineNo };
    return { ok: true, observations: [stat], positionRejection: rejection };
  }

  private identityObservation(mmsi: number, ts: number, f: IdentityFields, mmsiInvalid: boolean): StaticObservation {
    return {
      kind: 'static',
      mmsi,
      ts,
      tsFromFeed: true,
      imo: f.imo,
      name: f.name,
      callsign: f.callsign,
      shipType: f.shipType,
      length: f.length,
      width: f.width,
      draught: f.draught,
      destination: f.destination,
      msgType: 0,
      source: this.source,
      dedupKey: null,
      mmsiInvalid,
    };
  }
}
