/**
 * normalizeVesselName and the match index: rules, confidences, time-aware MMSI pairing, and a
 * randomised comparison against a naive reference written here from the rules in the README.
 */
import { mulberry32 } from '@rendezvous/test-support';
import { describe, expect, it } from 'vitest';
import {
  buildMatchIndex,
  match,
  normalizeVesselName,
  parseOfacSdn,
  toMatchEntries,
  type MatchEntry,
  type MatchResult,
  type VesselIdentity,
} from '../src/index.ts';

describe('normalizeVesselName', () => {
  it.each([
    ['Mikhail Ulyanov', 'MIKHAIL ULYANOV'],
    ['M/T KAZAN', 'KAZAN'],
    ['m.t. kazan', 'KAZAN'],
    ['MT  KAZAN', 'KAZAN'],
    ['M/V Sea-Star', 'SEA STAR'],
    ['MV.  Sea Star', 'SEA STAR'],
    ['SS Rainbow', 'RAINBOW'],
    ['S.S. Rainbow', 'RAINBOW'],
    ['MV', 'MV'],
    ['MTK STAR', 'MTK STAR'],
    ['Søløy Æbelø', 'SOLOY AEBELO'],
    ['Škoda Đurđevac Ålesund', 'SKODA DURDEVAC ALESUND'],
    ['NР DUDINKA', 'NP DUDINKA'], // Cyrillic Р (U+0420) as in the GUR list
    ['PIONЕ', 'PIONE'], // Cyrillic Е
    ['Oceanic IІ', 'OCEANIC II'], // Ukrainian І
    ["BILLIONS NO. 18", 'BILLIONS NO 18'],
    ['"Apar"  (ex Feng Shou)', 'APAR EX FENG SHOU'],
    ['   ', null],
    ['---', null],
  ])('%s → %s', (input, want) => {
    expect(normalizeVesselName(input)).toBe(want);
  });
  it('is null for null', () => {
    expect(normalizeVesselName(null)).toBeNull();
  });
});

const entry = (e: Partial<MatchEntry> & { entryId: string }): MatchEntry => ({
  imo: null,
  mmsi: null,
  nameKey: null,
  callsign: null,
  validFrom: null,
  validTo: null,
  ...e,
});
const V = (v: Partial<VesselIdentity>): VesselIdentity => ({ imo: null, mmsi: 211000000, name: null, callsign: null, ...v });
const T2020 = Date.UTC(2020, 0, 1);

describe('match', () => {
  const index = buildMatchIndex([
    entry({ entryId: 'ofac:1', imo: 9258002, mmsi: 636011916, nameKey: 'KAZAN', callsign: 'A8CE6', validFrom: Date.UTC(2023, 10, 16) }),
    entry({ entryId: 'ofac:1', imo: 9258002, nameKey: 'KAZAN SPIRIT' }), // alias of the same entry
    entry({ entryId: 'uk:RUS1', nameKey: 'KAZAN' }), // name-only list
    entry({ entryId: 'eu:2', imo: 9187629, nameKey: 'ARTAVIL' }),
    entry({ entryId: 'gur:3', mmsi: 273414440, nameKey: 'ADLER', callsign: 'UGPS', validFrom: Date.UTC(2019, 0, 1), validTo: Date.UTC(2022, 0, 1) }),
    entry({ entryId: 'long', nameKey: 'AKADEMIK ALEKSANDR KARPINSKIY' }),
  ]);

  it('IMO first (1.0), each entry once, other entries by their own rule', () => {
    expect(match(index, V({ imo: 9258002, mmsi: 636011916, name: 'M/T KAZAN', callsign: 'A8CE6' }), T2020)).toEqual([
      { entryId: 'ofac:1', rule: 'imo', confidence: 1 },
      { entryId: 'uk:RUS1', rule: 'name', confidence: 0.4 },
    ]);
  });

  it('MMSI (0.9) only inside [validFrom, validTo)', () => {
    const v = V({ mmsi: 273414440 });
    expect(match(index, v, Date.UTC(2018, 11, 31, 23, 59))).toEqual([]);
    expect(match(index, v, Date.UTC(2019, 0, 1))).toEqual([{ entryId: 'gur:3', rule: 'mmsi', confidence: 0.9 }]);
    expect(match(index, v, Date.UTC(2022, 0, 1))).toEqual([]);
  });

  it('name + call sign (0.7); name alone (0.4) only for entries without IMO', () => {
    expect(match(index, V({ name: 'Adler', callsign: 'ugps' }), T2020)).toEqual([{ entryId: 'gur:3', rule: 'name_callsign', confidence: 0.7 }]);
    expect(match(index, V({ name: 'ADLER' }), T2020)).toEqual([{ entryId: 'gur:3', rule: 'name', confidence: 0.4 }]);
    // ARTAVIL's entry has an IMO: a name alone does not match it.
    expect(match(index, V({ name: 'ARTAVIL' }), T2020)).toEqual([]);
    // An alias carrying the entry's call sign would be needed for 0.7; the alias has none.
    expect(match(index, V({ name: 'KAZAN SPIRIT', callsign: 'A8CE6' }), T2020)).toEqual([]);
    expect(match(index, V({ name: 'KAZAN', callsign: 'A8CE6' }), T2020)).toEqual([
      { entryId: 'ofac:1', rule: 'name_callsign', confidence: 0.7 },
      { entryId: 'uk:RUS1', rule: 'name', confidence: 0.4 },
    ]);
  });

  it('a different valid IMO on the vessel vetoes the weaker rules for that entry', () => {
    const v = V({ imo: 9187629, mmsi: 636011916, name: 'KAZAN', callsign: 'A8CE6' });
    expect(match(index, v, Date.UTC(2024, 5, 1))).toEqual([
      { entryId: 'eu:2', rule: 'imo', confidence: 1 },
      { entryId: 'uk:RUS1', rule: 'name', confidence: 0.4 },
    ]);
    // An invalid vessel IMO (AIS type 5 often carries junk) is ignored, not a veto.
    expect(match(index, { ...v, imo: 1234568 }, Date.UTC(2024, 5, 1))[0]).toEqual({ entryId: 'ofac:1', rule: 'mmsi', confidence: 0.9 });
  });

  it('a listed name longer than 20 characters matches the AIS-truncated name', () => {
    expect(match(index, V({ name: 'AKADEMIK ALEKSANDR K' }), T2020)).toEqual([{ entryId: 'long', rule: 'name', confidence: 0.4 }]);
    expect(match(index, V({ name: 'AKADEMIK' }), T2020)).toEqual([]);
  });

  it('returns one shared empty array when nothing matches', () => {
    const a = match(index, V({ mmsi: 1 }), T2020);
    expect(a).toEqual([]);
    expect(match(index, V({ mmsi: 2 }), T2020)).toBe(a);
  });
});

describe('toMatchEntries + KAZAN (SOURCES.md time-aware case, inline row)', () => {
  const DERIVED = [
    'ent_num,sdn_name,program,call_sign,vess_type,tonnage,grt,vess_flag,vess_owner,imo,mmsi,former_names,former_flags,linked_to,first_seen_in_scrape,last_seen_in_scrape,remarks',
    '45330,KAZAN,RUSSIA-EO14024,A8CE6,Crude Oil Tanker,,,Liberia,,9258002,636011916,,,KAZAN SHIPPING INCORPORATED,2023-11-16T18:43:29+00:00,2024-05-03T18:43:23+00:00,Vessel Registration Identification IMO 9258002; MMSI 636011916; Linked To: KAZAN SHIPPING INCORPORATED.',
  ].join('\n');

  it('MMSI 636011916 in the 2010 DMA stream is not KAZAN; in 2024 it is', () => {
    const [kazan] = parseOfacSdn(DERIVED).vessels;
    const entries = toMatchEntries(kazan!);
    expect(entries).toEqual([
      { entryId: 'ofac-sdn:45330', imo: 9258002, mmsi: 636011916, nameKey: 'KAZAN', callsign: 'A8CE6', validFrom: Date.UTC(2023, 10, 16), validTo: null },
    ]);
    const index = buildMatchIndex(entries);
    const seen = { imo: null, mmsi: 636011916, name: null, callsign: null };
    expect(match(index, seen, Date.UTC(2010, 5, 11, 12))).toEqual([]);
    expect(match(index, seen, Date.UTC(2024, 5, 1))).toEqual([{ entryId: 'ofac-sdn:45330', rule: 'mmsi', confidence: 0.9 }]);
  });

  it('company subjects (UN) yield name entries only', () => {
    const [kazan] = parseOfacSdn(DERIVED).vessels;
    const company = { ...kazan!, subject: 'company' as const, imo: null, imoRaw: '1790183', aliases: ['OMM', 'omm'] };
    expect(toMatchEntries(company, 'un:1').map((e) => [e.imo, e.mmsi, e.nameKey])).toEqual([
      [null, null, 'KAZAN'],
      [null, null, 'OMM'],
    ]);
  });
});

/** The rules as written in the README, as a plain linear scan: the reference for match(). */
function naiveMatch(entries: MatchEntry[], v: VesselIdentity, at: number): MatchResult[] {
  const imoOk = v.imo !== null && /^[1-9][0-9]{6}$/.test(String(v.imo)) &&
    [...String(v.imo).slice(0, 6)].reduce((s, d, i) => s + Number(d) * (7 - i), 0) % 10 === v.imo % 10;
  const key = normalizeVesselName(v.name);
  const cs = v.callsign?.toUpperCase().replace(/[^A-Z0-9]/g, '') || null;
  const best = new Map<string, MatchResult>();
  const rank = { imo: 0, mmsi: 1, name_callsign: 2, name: 3 } as const;
  const offer = (id: string, rule: MatchResult['rule'], confidence: number): void => {
    const prev = best.get(id);
    if (prev === undefined || rank[rule] < rank[prev.rule]) best.set(id, { entryId: id, rule, confidence });
  };
  for (const e of entries) {
    if (imoOk && e.imo === v.imo) offer(e.entryId, 'imo', 1);
  }
  for (const e of entries) {
    const veto = imoOk && e.imo !== null && e.imo !== v.imo;
    if (veto) continue;
    if (e.mmsi === v.mmsi && (e.validFrom === null || at >= e.validFrom) && (e.validTo === null || at < e.validTo)) offer(e.entryId, 'mmsi', 0.9);
    const nameHit = key !== null && e.nameKey !== null && (e.nameKey === key || (e.nameKey.length > 20 && key.length >= 16 && e.nameKey.slice(0, 20).trimEnd() === key));
    if (nameHit && cs !== null && e.callsign === cs) offer(e.entryId, 'name_callsign', 0.7);
    if (nameHit && e.imo === null) offer(e.entryId, 'name', 0.4);
  }
  return [...best.values()];
}

describe('match agrees with a naive linear scan on random data', () => {
  it('5,000 lookups against 2,000 entries', () => {
    const next = mulberry32(42);
    const rnd = (n: number): number => Math.floor(next() * n);
    const validImo = (base: number): number => {
      const s = String(base);
      const check = [...s].reduce((a, d, i) => a + Number(d) * (7 - i), 0) % 10;
      return base * 10 + check;
    };
    const names = Array.from({ length: 300 }, (_, i) => `VESSEL ${i}`);
    const callsigns = Array.from({ length: 50 }, (_, i) => `CS${i}`);
    const entries: MatchEntry[] = [];
    for (let i = 0; i < 2000; i++) {
      const from = rnd(3) === 0 ? null : Date.UTC(2010 + rnd(10), 0, 1);
      entries.push({
        entryId: `e${rnd(1500)}`,
        imo: rnd(2) === 0 ? validImo(900000 + rnd(400)) : null,
        mmsi: rnd(2) === 0 ? 200000000 + rnd(500) : null,
        nameKey: rnd(4) === 0 ? null : names[rnd(names.length)]!,
        callsign: rnd(2) === 0 ? callsigns[rnd(callsigns.length)]! : null,
        validFrom: from,
        validTo: from !== null && rnd(3) === 0 ? from + 365 * 86400000 * (1 + rnd(5)) : null,
      });
    }
    const index = buildMatchIndex(entries);
    const sort = (r: MatchResult[]): MatchResult[] => [...r].sort((a, b) => a.entryId.localeCompare(b.entryId));
    let hits = 0;
    for (let q = 0; q < 5000; q++) {
      const v: VesselIdentity = {
        imo: rnd(3) === 0 ? validImo(900000 + rnd(400)) : rnd(5) === 0 ? 1234568 : null,
        mmsi: 200000000 + rnd(600),
        name: rnd(3) === 0 ? null : `m/t ${names[rnd(names.length)]!.toLowerCase()}`,
        callsign: rnd(2) === 0 ? callsigns[rnd(callsigns.length)]! : null,
      };
      const at = Date.UTC(2008 + rnd(20), rnd(12), 1);
      const got = match(index, v, at);
      expect(sort(got)).toEqual(sort(naiveMatch(entries, v, at)));
      if (got.length > 0) hits++;
    }
    expect(hits).toBeGreaterThan(1000);
  });
});
