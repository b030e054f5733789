import { describe, expect, it } from 'vitest';
import { CSV_REJECTIONS, createCsvRowParser, type CsvRowResult, type Observation } from '../src/index.ts';

const HEADER = 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
const NOW = Date.UTC(2026, 0, 1);
const parser = () => createCsvRowParser(HEADER, { now: NOW });

/** A row from named values over a base row (MarineCadastre 2022-01-03, line 3 of the real file). */
function row(over: Partial<Record<string, string>> = {}): string {
  const base: Record<string, string> = {
    MMSI: '367379190',
    BaseDateTime: '2022-01-03T00:00:00',
    LAT: '30.3706',
    LON: '-88.56408',
    SOG: '0',
    COG: '336.2',
    Heading: '511',
    VesselName: 'EAGLE',
    IMO: 'IMO8207721',
    CallSign: 'WTD4583',
    VesselType: '31',
    Status: '0',
    Length: '28',
    Width: '11',
    Draft: '3.3',
    Cargo: '52',
    TransceiverClass: 'A',
  };
  return HEADER.split(',')
    .map((k) => over[k] ?? base[k]!)
    .join(',');
}

const TS = Date.UTC(2022, 0, 3);
const POSITION = {
  kind: 'position',
  mmsi: 367379190,
  ts: TS,
  tsFromFeed: true,
  lon: -88.56408,
  lat: 30.3706,
  sog: 0,
  cog: 336.2,
  heading: null,
  navStatus: 0,
  msgType: 0,
  source: 'marinecadastre',
  dedupKey: null,
  mmsiInvalid: false,
} as const;
const STATIC = {
  kind: 'static',
  mmsi: 367379190,
  ts: TS,
  tsFromFeed: true,
  imo: 8207721,
  name: 'EAGLE',
  callsign: 'WTD4583',
  shipType: 31,
  length: 28,
  width: 11,
  draught: 3.3,
  destination: null,
  msgType: 0,
  source: 'marinecadastre',
  dedupKey: null,
  mmsiInvalid: false,
} as const;

function ok(r: CsvRowResult): Observation[] {
  if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  return r.observations;
}
function reason(r: CsvRowResult): string {
  if (r.ok) throw new Error('accepted');
  expect(CSV_REJECTIONS).toContain(r.reason);
  return r.reason;
}
function pos(r: CsvRowResult) {
  const o = ok(r)[0]!;
  if (o.kind !== 'position') throw new Error('no position');
  return o;
}
function stat(r: CsvRowResult) {
  const o = ok(r).find((x) => x.kind === 'static');
  if (o?.kind !== 'static') throw new Error('no static');
  return o;
}

describe('MarineCadastre rows', () => {
  it('yields a position and a static observation with the same UTC time', () => {
    const r = parser().parse(row(), 2);
    expect(r).toEqual({ ok: true, observations: [POSITION, STATIC], positionRejection: null });
  });

  it('maps columns by name: reordered, snake_case, BOM, CRLF, no TransceiverClass', () => {
    const cols = ['base_date_time', 'lon', 'lat', 'mmsi', 'sog', 'cog', 'heading', 'vessel_name', 'imo', 'call_sign', 'vessel_type', 'status', 'length', 'width', 'draft'];
    const p = createCsvRowParser('\uFEFF' + cols.join(',') + '\r', { now: NOW });
    expect(p.columns).toBe(15);
    const r = p.parse('2022-01-03T00:00:00,-88.56408,30.3706,367379190,0,336.2,511,EAGLE,IMO8207721,WTD4583,31,0,28,11,3.3\r', 2);
    expect(r).toEqual({ ok: true, observations: [POSITION, STATIC], positionRejection: null });
  });

  it('reads only position columns when the file has no identity columns', () => {
    const p = createCsvRowParser('MMSI,BaseDateTime,LAT,LON', { now: NOW });
    expect(ok(p.parse('367379190,2022-01-03T00:00:00,30.3706,-88.56408', 2))).toEqual([
      { ...POSITION, sog: null, cog: null, navStatus: null },
    ]);
  });

  it('unquotes names with commas and doubled quotes', () => {
    const p = parser();
    expect(stat(p.parse(row({ VesselName: '"SEA, STAR"' }), 2)).name).toBe('SEA, STAR');
    expect(stat(p.parse(row({ VesselName: '"RAY ""CHIEF"" TONEY"' }), 2)).name).toBe('RAY "CHIEF" TONEY');
    expect(stat(p.parse(row({ VesselName: '  PADDED  ' }), 2)).name).toBe('PADDED');
  });

  it('maps every "not available" convention to null', () => {
    const p = parser();
    const r = p.parse(
      row({ SOG: '102.3', COG: '360', Heading: '511', Status: '15', VesselType: '0', Length: '0', Width: '0', Draft: '0', IMO: 'IMO0000000', VesselName: '', CallSign: '' }),
      2,
    );
    // No identity left → no static observation.
    expect(ok(r)).toEqual([{ ...POSITION, sog: null, cog: null, heading: null, navStatus: null }]);
    const empty = p.parse(row({ SOG: '', COG: '', Heading: '', Status: '', VesselType: '', Length: '', Width: '', Draft: '', IMO: '', VesselName: '', CallSign: '', Cargo: '', TransceiverClass: '' }), 3);
    expect(ok(empty)).toEqual([{ ...POSITION, sog: null, cog: null, heading: null, navStatus: null }]);
    // The aisdb NOAA export writes floats: "511.0", "360.0", "15.0"
    expect(pos(p.parse(row({ Heading: '511.0', COG: '360.0', Status: '15.0', SOG: '0.0' }), 4))).toMatchObject({ heading: null, cog: null, navStatus: null, sog: 0 });
    // Negative COG/heading (signed decoding in older vintages) is no direction.
    expect(pos(p.parse(row({ COG: '-49.6', Heading: '-1' }), 5))).toMatchObject({ cog: null, heading: null });
    // Older MarineCadastre vessel-group codes are not AIS ship types.
    expect(stat(p.parse(row({ VesselType: '1004' }), 6)).shipType).toBeNull();
  });

  it('keeps real values next to the sentinels', () => {
    const r = parser().parse(row({ SOG: '102.2', COG: '359.9', Heading: '0', Status: '14', VesselType: '80' }), 2);
    expect(pos(r)).toMatchObject({ sog: 102.2, cog: 359.9, heading: 0, navStatus: 14 });
    expect(stat(r).shipType).toBe(80);
  });

  it('keeps an IMO with a failing check digit, strips the prefix, accepts bare digits', () => {
    const p = parser();
    expect(stat(p.parse(row({ IMO: 'IMO0008171' }), 2)).imo).toBe(8171);
    expect(stat(p.parse(row({ IMO: 'IMO999975000' }), 2)).imo).toBe(999975000);
    expect(stat(p.parse(row({ IMO: '9307839' }), 2)).imo).toBe(9307839);
    expect(stat(p.parse(row({ IMO: 'imo 9307839' }), 2)).imo).toBe(9307839);
  });

  it('maps a Status label when a vintage spells it out', () => {
    expect(pos(parser().parse(row({ Status: 'moored' }), 2)).navStatus).toBe(5);
    expect(pos(parser().parse(row({ Status: 'something else' }), 2)).navStatus).toBeNull();
  });

  it('flags an invalid MMSI but keeps the row', () => {
    const r = parser().parse(row({ MMSI: '12345678' }), 2);
    expect(pos(r).mmsiInvalid).toBe(true);
    expect(stat(r).mmsiInvalid).toBe(true);
  });

  it('rejects bad numbers', () => {
    const p = parser();
    for (const over of [
      { LAT: 'abc' },
      { LON: '0x1A' },
      { SOG: 'fast' },
      { COG: '1.2.3' },
      { Heading: 'N' },
      { Status: '-' },
      { Length: 'n/a' },
      { Width: '1e' },
      { Draft: 'deep' },
      { VesselType: 'Tanker' },
      { IMO: 'IMOABC' },
      { MMSI: '3670x' },
      { MMSI: '367379190.5' },
      { MMSI: '-367379190' },
    ]) {
      expect(reason(p.parse(row(over), 2)), JSON.stringify(over)).toBe('bad_number');
    }
  });

  it('rejects bad timestamps and accepts the tolerated ISO variants', () => {
    const p = parser();
    for (const t of ['', '2022-13-03T00:00:00', '2022-02-29T00:00:00', '2022-01-32T00:00:00', '2022/01/03 00:00:00', '2022-01-03T24:00:00', '2022-01-03T00:60:00', '2022-01-03T00:00:60', '2022-01-03T00:00:00+01:00', '2022-01-03', '03/01/2022 00:00:00', 'yesterday']) {
      expect(reason(p.parse(row({ BaseDateTime: t }), 2)), t).toBe('bad_timestamp');
    }
    expect(pos(p.parse(row({ BaseDateTime: '2022-01-03 00:00:00' }), 2)).ts).toBe(TS);
    expect(pos(p.parse(row({ BaseDateTime: '2022-01-03T00:00:01.250Z' }), 2)).ts).toBe(TS + 1250);
    expect(pos(p.parse(row({ BaseDateTime: '2020-02-29T23:59:59' }), 2)).ts).toBe(Date.UTC(2020, 1, 29, 23, 59, 59));
    // The per-day cache must not leak between days.
    expect(pos(p.parse(row({ BaseDateTime: '2020-03-01T00:00:00' }), 2)).ts).toBe(Date.UTC(2020, 2, 1));
  });

  it('rejects a missing MMSI', () => {
    expect(reason(parser().parse(row({ MMSI: '' }), 2))).toBe('mmsi_missing');
    expect(reason(parser().parse(row({ MMSI: '0' }), 2))).toBe('mmsi_missing');
  });

  it('rejects short, long, blank and malformed lines without throwing', () => {
    const p = parser();
    const full = row();
    expect(reason(p.parse(full.split(',').slice(0, 10).join(','), 2))).toBe('wrong_field_count');
    expect(reason(p.parse(row({ VesselName: 'SEA, STAR' }), 2))).toBe('wrong_field_count'); // unquoted comma
    expect(reason(p.parse('', 2))).toBe('blank_line');
    expect(reason(p.parse('\r', 2))).toBe('blank_line');
    expect(reason(p.parse('   ', 2))).toBe('blank_line');
    expect(reason(p.parse(row({ VesselName: '"RAY ""CHIEF' }), 2))).toBe('malformed_csv');
    expect(reason(p.parse(row({ VesselName: '"RAY"CHIEF' }), 2))).toBe('malformed_csv');
    expect(reason(p.parse(HEADER, 2))).toBe('header_repeated');
    const r = p.parse('', 77);
    expect(r.ok === false && r.lineNo).toBe(77);
  });

  it('returns position rejections from validate.ts as-is', () => {
    const p = parser();
    const noId = { VesselName: '', IMO: '', CallSign: '', VesselType: '', Length: '', Width: '', Draft: '' };
    expect(reason(p.parse(row({ ...noId, LAT: '91', LON: '181' }), 2))).toBe('position_unavailable');
    expect(reason(p.parse(row({ ...noId, LAT: '', LON: '' }), 2))).toBe('position_unavailable');
    expect(reason(p.parse(row({ ...noId, LAT: '95' }), 2))).toBe('position_out_of_range');
    expect(reason(p.parse(row({ ...noId, LAT: '0', LON: '0' }), 2))).toBe('position_null_island');
    expect(reason(p.parse(row({ ...noId, SOG: '150' }), 2))).toBe('speed_out_of_range');
    expect(reason(p.parse(row({ ...noId, SOG: '-0.1' }), 2))).toBe('speed_out_of_range');
    expect(reason(p.parse(row({ ...noId, BaseDateTime: '1999-01-03T00:00:00' }), 2))).toBe('time_out_of_range');
    expect(reason(p.parse(row({ ...noId, BaseDateTime: '2026-01-01T00:11:00' }), 2))).toBe('time_out_of_range');
    expect(ok(p.parse(row({ ...noId, BaseDateTime: '2026-01-01T00:09:00' }), 2))).toHaveLength(1); // within clock skew
  });

  it('keeps the identity of a row whose position is rejected', () => {
    const p = parser();
    const r = p.parse(row({ LAT: '0', LON: '0' }), 2);
    expect(r).toEqual({ ok: true, observations: [STATIC], positionRejection: 'position_null_island' });
    const r2 = p.parse(row({ LAT: '91', LON: '181', SOG: '150' }), 3);
    expect(r2).toEqual({ ok: true, observations: [STATIC], positionRejection: 'position_unavailable' });
    // …but not when the time is what is wrong: the static report would carry it.
    expect(reason(p.parse(row({ LAT: '0', LON: '0', BaseDateTime: '1999-01-03T00:00:00' }), 4))).toBe('time_out_of_range');
  });

  it('uses the source option', () => {
    const p = createCsvRowParser(HEADER, { now: NOW, source: 'mc-2022' });
    expect(ok(p.parse(row(), 2)).map((o) => o.source)).toEqual(['mc-2022', 'mc-2022']);
  });

  it('never throws on garbage and always answers with a listed reason', () => {
    const p = parser();
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = '0123456789,,,,"".-:TIMO \r\uFEFFabc';
    const base = row();
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      let line: string;
      if (i % 2 === 0) {
        line = '';
        const n = rnd(120);
        for (let k = 0; k < n; k++) line += alphabet[rnd(alphabet.length)];
      } else {
        // Mutate one character of a valid row.
        const at = rnd(base.length);
        line = base.slice(0, at) + alphabet[rnd(alphabet.length)] + base.slice(at + 1);
      }
      const r = p.parse(line, i);
      if (r.ok) {
        accepted++;
        expect(r.observations.length).toBeGreaterThan(0);
      } else {
        expect(CSV_REJECTIONS).toContain(r.reason);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('CSV_REJECTIONS', () => {
  it('is a stable, duplicate-free snake_case list including every position reason', () => {
    expect(new Set(CSV_REJECTIONS).size).toBe(CSV_REJECTIONS.length);
    for (const r of CSV_REJECTIONS) expect(r).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
    expect(CSV_REJECTIONS).toEqual([
      'blank_line',
      'header_repeated',
      'malformed_csv',
      'wrong_field_count',
      'bad_number',
      'bad_timestamp',
      'position_unavailable',
      'position_out_of_range',
      'position_null_island',
      'speed_out_of_range',
      'time_out_of_range',
      'mmsi_missing',
    ]);
  });
});
