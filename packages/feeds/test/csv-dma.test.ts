import { describe, expect, it } from 'vitest';
import { CSV_REJECTIONS, createCsvRowParser, SHIP_TYPE_BY_LABEL, type CsvRowResult, type Observation } from '../src/index.ts';

const COLS = [
  '# Timestamp',
  'Type of mobile',
  'MMSI',
  'Latitude',
  'Longitude',
  'Navigational status',
  'ROT',
  'SOG',
  'COG',
  'Heading',
  'IMO',
  'Callsign',
  'Name',
  'Ship type',
  'Cargo type',
  'Width',
  'Length',
  'Type of position fixing device',
  'Draught',
  'Destination',
  'ETA',
  'Data source type',
];
const HEADER = COLS.join(',');
const NOW = Date.UTC(2026, 0, 1);
const parser = (header = HEADER) => createCsvRowParser(header, { now: NOW });

/** Row 2 of the mobiml aisdk sample (2018-02-08, Kattegat), with overrides by column name. */
function row(over: Partial<Record<string, string>> = {}, cols = COLS): string {
  const base: Record<string, string> = {
    '# Timestamp': '08/02/2018 00:00:00',
    'Type of mobile': 'Class A',
    MMSI: '244678000',
    Latitude: '57.549578',
    Longitude: '11.666492',
    'Navigational status': 'At anchor',
    ROT: '-5.4',
    SOG: '0.2',
    COG: '162.7',
    Heading: '227.0',
    IMO: 'Unknown',
    Callsign: '',
    Name: '',
    'Ship type': 'Undefined',
    'Cargo type': '',
    Width: '',
    Length: '',
    'Type of position fixing device': 'Undefined',
    Draught: '',
    Destination: '',
    ETA: '',
    'Data source type': 'AIS',
    A: '',
    B: '',
    C: '',
    D: '',
  };
  return cols.map((k) => over[k] ?? base[k] ?? '').join(',');
}

const TS = Date.UTC(2018, 1, 8);
const POSITION = {
  kind: 'position',
  mmsi: 244678000,
  ts: TS,
  tsFromFeed: true,
  lon: 11.666492,
  lat: 57.549578,
  sog: 0.2,
  cog: 162.7,
  heading: 227,
  navStatus: 1,
  msgType: 0,
  source: 'dma',
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
function stat(r: CsvRowResult) {
  const o = ok(r).find((x) => x.kind === 'static');
  if (o?.kind !== 'static') throw new Error('no static');
  return o;
}
function position(r: CsvRowResult) {
  const o = ok(r)[0];
  if (o?.kind !== 'position') throw new Error('no position');
  return o;
}

describe('DMA aisdk rows', () => {
  it('reads a position; "Unknown"/"Undefined" identity yields no static observation', () => {
    expect(parser().parse(row(), 2)).toEqual({ ok: true, observations: [POSITION], positionRejection: null });
  });

  it('reads identity columns into a static observation with the same time', () => {
    const r = parser().parse(
      row({ IMO: '9307839', Callsign: 'OXYZ2', Name: '"NORD, STAR"', 'Ship type': 'Tanker', Width: '32', Length: '183', Draught: '11.2', Destination: 'SKAW' }),
      2,
    );
    expect(r).toEqual({
      ok: true,
      positionRejection: null,
      observations: [
        POSITION,
        {
          kind: 'static',
          mmsi: 244678000,
          ts: TS,
          tsFromFeed: true,
          imo: 9307839,
          name: 'NORD, STAR',
          callsign: 'OXYZ2',
          shipType: 80,
          length: 183,
          width: 32,
          draught: 11.2,
          destination: 'SKAW',
          msgType: 0,
          source: 'dma',
          dedupKey: null,
          mmsiInvalid: false,
        },
      ],
    });
  });

  it('handles the pandas index column, newer A–D columns and a BOM', () => {
    const cols = ['', ...COLS, 'A', 'B', 'C', 'D'];
    const p = parser('\uFEFF' + cols.join(','));
    expect(p.columns).toBe(27);
    const line = row({ '': '92', A: '10', B: '20', C: '5', D: '5' }, cols);
    expect(ok(p.parse(line, 2))).toEqual([POSITION]);
  });

  it('maps columns by name when the order differs', () => {
    const cols = [...COLS].reverse();
    expect(ok(parser(cols.join(',')).parse(row({}, cols), 2))).toEqual([POSITION]);
  });

  it('maps navigational status labels (ITU-R M.1371 Table 45); unknown labels → null', () => {
    const p = parser();
    const cases: [string, number | null][] = [
      ['Under way using engine', 0],
      ['At anchor', 1],
      ['Not under command', 2],
      ['Restricted maneuverability', 3],
      ['Constrained by her draught', 4],
      ['Moored', 5],
      ['Aground', 6],
      ['Engaged in fishing', 7],
      ['Under way sailing', 8],
      ['Reserved for future amendment [HSC]', 9],
      ['Reserved for future amendment [WIG]', 10],
      ['Power-driven vessel towing astern', 11],
      ['Power-driven vessel pushing ahead or towing alongside', 12],
      ['Reserved for future use', 13],
      ['AIS-SART (active)', 14],
      ['Unknown value', null],
      ['', null],
      ['Something new', null],
      ['UNDER WAY  USING ENGINE', 0],
      ['5', 5],
      ['15', null],
    ];
    for (const [label, code] of cases) {
      expect(position(p.parse(row({ 'Navigational status': label }), 2)).navStatus, label).toBe(code);
    }
  });

  it('maps ship-type labels to the first code of their AIS range', () => {
    const p = parser();
    const expected: Record<string, number | null> = {
      Tanker: 80,
      Cargo: 70,
      Passenger: 60,
      Fishing: 30,
      Tug: 52,
      Towing: 31,
      'Towing long/wide': 32,
      Dredging: 33,
      Diving: 34,
      Military: 35,
      Sailing: 36,
      Pleasure: 37,
      HSC: 40,
      WIG: 20,
      Pilot: 50,
      SAR: 51,
      'Port tender': 53,
      'Anti-pollution': 54,
      'Law enforcement': 55,
      'Spare 1': 56,
      'Spare 2': 57,
      Medical: 58,
      'Not party to conflict': 59,
      Other: 90,
      '84': 84,
    };
    for (const [label, code] of Object.entries(expected)) {
      expect(stat(p.parse(row({ 'Ship type': label }), 2)).shipType, label).toBe(code);
    }
    // Every label in the table is covered above (plus spelling variants).
    for (const [label, code] of SHIP_TYPE_BY_LABEL) {
      expect(Object.values(expected), label).toContain(code);
    }
    // No code → no identity → no static observation.
    for (const label of ['Undefined', 'Reserved', 'Unknown', 'Brand new type']) {
      expect(ok(p.parse(row({ 'Ship type': label }), 2)), label).toEqual([POSITION]);
    }
  });

  it('maps every "not available" convention to null', () => {
    const p = parser();
    const r = p.parse(row({ SOG: '102.3', COG: '360.0', Heading: '511.0', IMO: 'Unknown', Width: 'Unknown', Length: '0', Draught: 'Undefined', Name: 'Unknown' }), 2);
    expect(ok(r)).toEqual([{ ...POSITION, sog: null, cog: null, heading: null }]);
    expect(ok(p.parse(row({ SOG: '', COG: '', Heading: '' }), 2))).toEqual([{ ...POSITION, sog: null, cog: null, heading: null }]);
  });

  it('rejects the DMA lat 91 sentinel and keeps identity when present', () => {
    const p = parser();
    expect(reason(p.parse(row({ Latitude: '91', Longitude: '0' }), 2))).toBe('position_unavailable');
    const r = p.parse(row({ Latitude: '91', Longitude: '0', Name: 'NORD STAR' }), 2);
    expect(r.ok && r.positionRejection).toBe('position_unavailable');
    expect(stat(r).name).toBe('NORD STAR');
    expect(ok(r)).toHaveLength(1);
  });

  it('rejects bad timestamps (the layout is dd/mm/yyyy HH:MM:SS, UTC)', () => {
    const p = parser();
    for (const t of ['', '2018-02-08T00:00:00', '31/02/2018 00:00:00', '08/13/2018 00:00:00', '8/2/2018 00:00:00', '08/02/2018 00:00', '08/02/2018 24:00:00', '08-02-2018 00:00:00']) {
      expect(reason(p.parse(row({ '# Timestamp': t }), 2)), t).toBe('bad_timestamp');
    }
    expect(position(p.parse(row({ '# Timestamp': '31/12/2015 23:59:59' }), 2)).ts).toBe(Date.UTC(2015, 11, 31, 23, 59, 59));
  });

  it('rejects bad numbers, short rows, blank and malformed lines', () => {
    const p = parser();
    expect(reason(p.parse(row({ SOG: 'fast' }), 2))).toBe('bad_number');
    expect(reason(p.parse(row({ Latitude: '57,549578' }), 2))).toBe('wrong_field_count'); // decimal comma unquoted
    expect(reason(p.parse(row({ Latitude: '"57,549578"' }), 2))).toBe('bad_number'); // decimal comma quoted
    expect(reason(p.parse(row({ Length: '12 m' }), 2))).toBe('bad_number');
    expect(reason(p.parse(row({ IMO: 'IMO-12' }), 2))).toBe('bad_number');
    expect(reason(p.parse(row({ MMSI: '' }), 2))).toBe('mmsi_missing');
    expect(reason(p.parse(row().split(',').slice(0, 5).join(','), 2))).toBe('wrong_field_count');
    expect(reason(p.parse('', 2))).toBe('blank_line');
    expect(reason(p.parse(row({ Name: '"NORD STAR' }), 2))).toBe('malformed_csv');
    expect(reason(p.parse(HEADER, 2))).toBe('header_repeated');
  });

  it('keeps Class B, base stations and other mobiles: msgType stays 0', () => {
    const p = parser();
    for (const t of ['Class B', 'Base Station', 'AtoN', 'SAR Airborne']) {
      expect(position(p.parse(row({ 'Type of mobile': t }), 2)).msgType, t).toBe(0);
    }
  });
});
