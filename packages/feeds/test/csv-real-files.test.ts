/**
 * The CSV parsers against the real files in the shared data folder (read-only, never copied
 * here; SOURCES.md section 2). Each expected count is computed independently in the test with a
 * plain `split(',')` and `Number()`, then compared with what the parser accepts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCsvRowParser, detectFormat, type CsvRowParser } from '../src/index.ts';

const DATA_DIR = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const MC = 'tracks-marinecadastre-20220103/AIS_2022_01_03_sample99999.csv';
const NOAA = 'tracks-aisdb/test_data_noaa_20230101.csv';
const DMA = 'tracks-mobiml-aisdk/test_aisdk_20180208_sample.csv';
const has = (rel: string): boolean => existsSync(DATA_DIR + rel);
const skipNote = (rel: string): string => (has(rel) ? '' : ` (skipped: ${DATA_DIR}${rel} not found)`);
for (const rel of [MC, NOAA, DMA]) if (!has(rel)) console.warn(`shared data file ${DATA_DIR}${rel} not found; skipping its tests`);

const NOW = Date.UTC(2026, 0, 1);

/** Data lines of a file, without the header and the empty string after the final newline. */
function readData(rel: string): { header: string; lines: string[] } {
  const all = readFileSync(DATA_DIR + rel, 'utf8').split('\n');
  if (all.at(-1) === '') all.pop();
  return { header: all[0]!, lines: all.slice(1) };
}

interface Tally {
  positions: number;
  statics: number;
  rejected: Record<string, number>;
  positionRejected: Record<string, number>;
}

function run(p: CsvRowParser, lines: string[]): Tally {
  const t: Tally = { positions: 0, statics: 0, rejected: {}, positionRejected: {} };
  lines.forEach((line, i) => {
    const r = p.parse(line, i + 2);
    if (!r.ok) {
      t.rejected[r.reason] = (t.rejected[r.reason] ?? 0) + 1;
      return;
    }
    if (r.positionRejection) t.positionRejected[r.positionRejection] = (t.positionRejected[r.positionRejection] ?? 0) + 1;
    for (const o of r.observations) o.kind === 'position' ? t.positions++ : t.statics++;
  });
  return t;
}

/**
 * The MarineCadastre acceptance rule, restated without the parser: MMSI present, time parses,
 * LAT/LON numbers within range and not 0,0, SOG blank / the 102.3 sentinel / within 0–102.2.
 */
function independentMarineCadastre(lines: string[]): { positions: number; statics: number } {
  let positions = 0;
  let statics = 0;
  for (const line of lines) {
    const f = line.split(',');
    if (f.length !== 17) continue;
    const [mmsi, time, latS, lonS, sogS] = f;
    if (!mmsi || Number(mmsi) === 0) continue;
    const ts = Date.parse(time + 'Z');
    if (!Number.isFinite(ts) || ts < Date.UTC(2002, 0, 1) || ts > NOW) continue;
    const lat = Number(latS);
    const lon = Number(lonS);
    const sog = sogS === '' ? 0 : Number(sogS);
    if (latS === '' || lonS === '' || !(Math.abs(lat) <= 90 && Math.abs(lon) <= 180) || (lat === 0 && lon === 0)) continue;
    if (!(sog === 102.3 || (sog >= 0 && sog <= 102.2))) continue;
    positions++;
    // Identity: VesselName, IMO, CallSign, VesselType, Length, Width, Draft with a real value.
    const [name, imo, callsign, type] = [f[7], f[8], f[9], f[10]];
    const dims = [f[12], f[13], f[14]].map(Number).filter((n) => n > 0);
    if (name || callsign || (imo && Number(imo.replace('IMO', '')) !== 0) || (type && Number(type) > 0 && Number(type) <= 255) || dims.length > 0) {
      statics++;
    }
  }
  return { positions, statics };
}

describe.skipIf(!has(MC))(`MarineCadastre 2022-01-03 sample (99,999 rows)${skipNote(MC)}`, () => {
  it('accepts exactly the rows an independent check accepts', () => {
    const { header, lines } = readData(MC);
    expect(detectFormat(header)).toBe('marinecadastre');
    expect(lines).toHaveLength(99_999);
    // The simple split is valid here: quoted names exist ("RAY ""CHIEF"" TONEY") but none holds a comma.
    expect(lines.filter((l) => l.includes('"')).length).toBeGreaterThan(0);
    expect(lines.some((l) => /"[^"]*,[^"]*"/.test(l))).toBe(false);

    const expected = independentMarineCadastre(lines);
    const got = run(createCsvRowParser(header, { now: NOW }), lines);
    expect(got.positions).toBe(expected.positions);
    expect(got.statics).toBe(expected.statics);
    // What the sample holds: every row is a usable US-waters fix (no 0,0, no 91/181, no bad
    // time); 173 rows carry SOG 102.3 ("not available") and are kept with sog null.
    expect(got.positions).toBe(99_999);
    expect(got.rejected).toEqual({});
    expect(got.positionRejected).toEqual({});
    expect(got.statics).toBe(99_872);
  });

  it('maps the sentinels the file actually uses', () => {
    const { header, lines } = readData(MC);
    const p = createCsvRowParser(header, { now: NOW });
    let sogNull = 0;
    let headingNull = 0;
    let cogNull = 0;
    let quotedNames = 0;
    for (const line of lines) {
      const r = p.parse(line, 0);
      if (!r.ok) continue;
      for (const o of r.observations) {
        if (o.kind === 'position') {
          if (o.sog === null) sogNull++;
          if (o.heading === null) headingNull++;
          if (o.cog === null) cogNull++;
        } else if (o.name?.includes('"')) quotedNames++;
      }
    }
    // Independent counts over the file's columns (SOG = 4, COG = 5, Heading = 6 zero-based).
    const col = (i: number, v: string) => lines.filter((l) => l.split(',')[i] === v).length;
    expect(sogNull).toBe(col(4, '102.3') + col(4, ''));
    expect(sogNull).toBe(173);
    // Heading: 511 is "not available"; 6 rows (MMSI 7751005) also report 360, outside 0–359.
    expect(headingNull).toBe(col(6, '511') + col(6, '360') + col(6, ''));
    expect(col(6, '360')).toBe(6);
    expect(cogNull).toBe(col(5, '360') + col(5, ''));
    expect(quotedNames).toBe(lines.filter((l) => l.includes('""')).length);
  });
});

describe.skipIf(!has(NOAA))(`aisdb NOAA 2023-01-11 export (1,000 rows)${skipNote(NOAA)}`, () => {
  it('accepts exactly the rows an independent check accepts', () => {
    const { header, lines } = readData(NOAA);
    expect(detectFormat(header)).toBe('marinecadastre');
    expect(lines).toHaveLength(1000);
    expect(lines.some((l) => l.includes('"'))).toBe(false);
    const expected = independentMarineCadastre(lines);
    const got = run(createCsvRowParser(header, { now: NOW }), lines);
    expect(got.positions).toBe(expected.positions);
    expect(got.statics).toBe(expected.statics);
    expect(got.positions).toBe(1000);
    expect(got.rejected).toEqual({});
  });

  it('reads the float-formatted sentinels ("511.0", "360.0") and IMO0000000', () => {
    const { header, lines } = readData(NOAA);
    const p = createCsvRowParser(header, { now: NOW });
    let imoZero = 0;
    let headingNull = 0;
    for (const line of lines) {
      const r = p.parse(line, 0);
      if (!r.ok) continue;
      for (const o of r.observations) {
        if (o.kind === 'position' && o.heading === null) headingNull++;
        if (o.kind === 'static' && line.includes(',IMO0000000,')) {
          expect(o.imo).toBeNull();
          imoZero++;
        }
      }
    }
    expect(imoZero).toBe(lines.filter((l) => l.includes(',IMO0000000,')).length);
    expect(imoZero).toBeGreaterThan(0);
    expect(headingNull).toBe(lines.filter((l) => l.split(',')[6] === '511.0').length);
  });
});

describe.skipIf(!has(DMA))(`mobiml DMA aisdk 2018-02-08 sample (10 rows)${skipNote(DMA)}`, () => {
  it('accepts exactly the rows an independent check accepts, with statuses mapped', () => {
    const { header, lines } = readData(DMA);
    expect(detectFormat(header)).toBe('dma-aisdk');
    // Independent: column 0 is the pandas index, then # Timestamp, Type of mobile, MMSI, Latitude, Longitude.
    const expected = lines.filter((l) => {
      const f = l.split(',');
      const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)$/.exec(f[1] ?? '');
      const lat = Number(f[4]);
      const lon = Number(f[5]);
      return f.length === 23 && m !== null && Number(f[3]) > 0 && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0);
    }).length;
    const p = createCsvRowParser(header, { now: NOW });
    const got = run(p, lines);
    expect(got.positions).toBe(expected);
    expect(got.positions).toBe(10);
    expect(got.rejected).toEqual({});
    // Every identity cell is "Unknown", "Undefined" or empty in this sample: no static observations.
    expect(got.statics).toBe(0);

    const statuses = lines.map((l) => {
      const r = p.parse(l, 0);
      return r.ok && r.observations[0]?.kind === 'position' ? r.observations[0].navStatus : 'x';
    });
    // Under way using engine, At anchor, …, "Reserved for future amendment [HSC]" = 9, "Unknown value" = null
    expect(statuses).toEqual([0, 1, 0, 9, null, 0, 7, 0, null, 0]);
    const first = p.parse(lines[0]!, 2);
    expect(first.ok && first.observations[0]).toMatchObject({ mmsi: 265177000, ts: Date.UTC(2018, 1, 8), lat: 57.602225, lon: 11.644943, sog: 15.7, cog: 61.4, heading: 63, source: 'dma' });
  });
});
