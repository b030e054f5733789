/**
 * Every parser against the real lists in the shared data folder (read-only, never copied here;
 * SOURCES.md section 4). Each expected count is computed INDEPENDENTLY below with line splits and
 * regular expressions (and the test's own IMO check digit), not with the parsers' code; SOURCES.md
 * figures are asserted as a second cross-check where they describe the same thing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildMatchIndex,
  decodeText,
  decodeTextWithInfo,
  detectListFormat,
  match,
  parseList,
  toMatchEntries,
  type ListFormat,
  type ParseOutcome,
} from '../src/index.ts';

const DATA_DIR = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const has = (rel: string): boolean => existsSync(DATA_DIR + rel);

const F = {
  sdn: 'sanctions-ofac-sdn/sdn_20240503.csv',
  ofacDerived: 'sanctions-ofac-sdn/ofac_sdn_vessels_20240503.csv',
  euAnnex: 'sanctions-eu/eu_reg833-2014_annexXLII_vessels.csv',
  euDprk: 'sanctions-eu/eu_reg2017-1509_dprk_vessels.csv',
  euDma: 'sanctions-eu/ImportversionListOfEUDesignatedVessels231025.csv',
  uk: 'sanctions-uk/uk_sanctions_list_20250811_ships.csv',
  un: 'sanctions-un/un_consolidated_20250419.xml',
  gur: 'shadowfleet-gur/gur_vessels_master.csv',
} as const;
for (const rel of Object.values(F)) if (!has(rel)) console.warn(`shared data file ${DATA_DIR}${rel} not found; skipping its tests`);

/** The test's own IMO check (IMO Res. A.1117(30)), independent of @rendezvous/ais. */
function imoCheck(s: string): boolean {
  if (!/^[0-9]{7}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(s[i]) * (7 - i);
  return sum % 10 === Number(s[6]);
}

function bytes(rel: string): Buffer {
  return readFileSync(DATA_DIR + rel);
}
/** Physical lines, without a trailing empty string and without a trailing DOS EOF (0x1A). */
function lines(text: string): string[] {
  const all = text.split(/\r?\n/);
  while (all.length > 0 && /^[\s\x1a]*$/.test(all.at(-1)!)) all.pop();
  return all;
}
function parseFile(rel: string): { out: ParseOutcome; text: string; format: ListFormat } {
  const text = decodeText(bytes(rel));
  const format = detectListFormat(rel, text.slice(0, 4096));
  return { out: parseList(format, text), text, format };
}

/** Every returned IMO passes the test's check; every invalid one is reported with a line that holds it. */
function checkImos(out: ParseOutcome, text: string): void {
  const fileLines = lines(text);
  for (const v of out.vessels) {
    if (v.imo !== null) expect(imoCheck(String(v.imo)), `${v.location} IMO ${v.imo}`).toBe(true);
    if (v.subject === 'vessel' && v.imoValid === false) {
      expect(out.invalidImos).toContainEqual({ location: v.location, imoRaw: v.imoRaw });
    }
  }
  for (const bad of out.invalidImos) {
    const n = Number(/^line ([0-9]+)$/.exec(bad.location)?.[1]);
    expect(fileLines[n - 1], bad.location).toContain(bad.imoRaw);
  }
}

const count = <T>(xs: T[], p: (x: T) => boolean): number => xs.reduce((a, x) => a + (p(x) ? 1 : 0), 0);

describe.skipIf(!has(F.sdn))('OFAC sdn.csv (raw)', () => {
  it('finds every vessel row, its IMO and MMSI', () => {
    const { out, text, format } = parseFile(F.sdn);
    expect(format).toBe('ofac-sdn');
    // Independent: one record per line; SDN_Type is the third, quoted field.
    const vesselLines = lines(text).filter((l) => /^[0-9]+,"(?:[^"]|"")*","vessel"/.test(l));
    const withImo = vesselLines.map((l) => /IMO\s+([0-9]{7})\b/.exec(l)?.[1]).filter((x): x is string => x !== undefined);
    const withMmsi = count(vesselLines, (l) => /MMSI\s+[0-9]{9}\b/.test(l));
    expect(out.vessels.length).toBe(vesselLines.length);
    expect(count(out.vessels, (v) => v.imo !== null)).toBe(count(withImo, imoCheck));
    expect(count(out.vessels, (v) => v.imoRaw !== null)).toBe(withImo.length);
    expect(count(out.vessels, (v) => v.mmsi !== null)).toBe(withMmsi);
    checkImos(out, text);
    // SOURCES.md: 851 vessels, 842 with IMO, 154 with MMSI. The 842 comes from the derived
    // file's imo column, which missed the two remarks written "IMO  8730455" (two spaces).
    expect(out.vessels.length).toBe(851);
    expect(count(vesselLines, (l) => /IMO [0-9]{7}\b/.test(l))).toBe(842);
    expect(withImo.length).toBe(844);
    expect(withMmsi).toBe(154);
    expect(out.invalidImos).toEqual([]);
  });
});

describe.skipIf(!has(F.ofacDerived) || !has(F.sdn))('OFAC derived vessel list', () => {
  it('parses every row with first_seen_in_scrape as listedAt and agrees with the raw file', () => {
    const { out, text } = parseFile(F.ofacDerived);
    const data = lines(text).slice(1);
    const withImo = data.filter((l) => /IMO\s+[0-9]{7}\b/.test(l)).length;
    const firstSeen = data.map((l) => /,([0-9]{4}-[0-9]{2}-[0-9]{2})T[^,]*,[0-9]{4}-[0-9]{2}-[0-9]{2}T/.exec(l)?.[1]);
    expect(out.vessels.length).toBe(data.length);
    expect(count(out.vessels, (v) => v.imo !== null)).toBe(withImo);
    expect(out.vessels.map((v) => v.listedAt)).toEqual(firstSeen);
    checkImos(out, text);
    expect(out.vessels.length).toBe(851); // SOURCES.md
    const raw = parseFile(F.sdn).out;
    const byKey = new Map(raw.vessels.map((v) => [v.key, v]));
    for (const v of out.vessels) {
      const r = byKey.get(v.key)!;
      expect({ imo: v.imo, mmsi: v.mmsi, name: v.name, aliases: [...v.aliases].sort() }).toEqual({
        imo: r.imo,
        mmsi: r.mmsi,
        name: r.name,
        aliases: [...r.aliases].sort(),
      });
    }
  });

  it('time-aware: MMSI 636011916 is the tanker KAZAN from its listing, not in 2010', () => {
    const { out } = parseFile(F.ofacDerived);
    const kazan = out.vessels.find((v) => v.mmsi === 636011916)!;
    expect(kazan).toMatchObject({ key: '45330', name: 'KAZAN', imo: 9258002, listedAt: '2023-11-16' });
    const index = buildMatchIndex(out.vessels.flatMap((v) => toMatchEntries(v)));
    const ship2010 = { imo: null, mmsi: 636011916, name: null, callsign: null };
    expect(match(index, ship2010, Date.UTC(2010, 5, 11))).toEqual([]);
    expect(match(index, ship2010, Date.UTC(2024, 5, 1))).toEqual([{ entryId: 'ofac-sdn:45330', rule: 'mmsi', confidence: 0.9 }]);
    // The hull itself (IMO 9258002) is the same ship whenever it is seen.
    expect(match(index, { ...ship2010, imo: 9258002 }, Date.UTC(2010, 5, 11))).toEqual([
      { entryId: 'ofac-sdn:45330', rule: 'imo', confidence: 1 },
    ]);
  });
});

describe.skipIf(!has(F.euAnnex))('EU Reg. 833/2014 Annex XLII (OpenSanctions extract)', () => {
  it('one vessel per unique IMO, dates from startDate', () => {
    const { out, text, format } = parseFile(F.euAnnex);
    expect(format).toBe('eu');
    const data = lines(text).slice(1);
    const imos = data.map((l) => /,([0-9]{7}),[^,]*,[^,]*,(?:consolidated|amendments)\/[^,]*$/.exec(l)?.[1]);
    expect(imos.every((x) => x !== undefined)).toBe(true);
    const unique = new Set(imos);
    expect(out.vessels.length).toBe(unique.size);
    expect(count(out.vessels, (v) => v.imo !== null)).toBe(count([...unique] as string[], imoCheck));
    expect(out.skipped.length).toBe(data.length - unique.size); // merged re-listings
    checkImos(out, text);
    expect([data.length, unique.size]).toEqual([673, 672]); // SOURCES.md
    const mu = out.vessels.find((v) => v.imo === 9333670)!;
    expect(mu.listedAt).toBe('2025-12-19'); // listed 19.12.2025 and again 24.4.2026: earliest
    expect(out.vessels.every((v) => v.listedAt !== null && /^20(24|25|26)-/.test(v.listedAt))).toBe(true);
  });
});

describe.skipIf(!has(F.euDprk))('EU Reg. 2017/1509 DPRK vessels', () => {
  it('merges the vessels listed in two annexes; "Does not exist" is no IMO', () => {
    const { out, text } = parseFile(F.euDprk);
    const data = lines(text).slice(1);
    const imoCells = data.map((l) => /,([0-9]{7}|Does not exist),,(?:"[^"]*"|[^,"]*)$/.exec(l)?.[1]);
    expect(imoCells.every((x) => x !== undefined)).toBe(true);
    const numeric = new Set(imoCells.filter((x): x is string => x !== undefined && /^[0-9]{7}$/.test(x)));
    const noImo = count(imoCells, (x) => x === 'Does not exist');
    expect(out.vessels.length).toBe(numeric.size + noImo);
    expect(count(out.vessels, (v) => v.imo !== null)).toBe(count([...numeric], imoCheck));
    checkImos(out, text);
    expect(data.length).toBe(75); // SOURCES.md "75 vessels" counts rows; 61 distinct hulls
    const chongBong = out.vessels.find((v) => v.imo === 8909575)!;
    expect(chongBong).toMatchObject({ name: 'Chong Bong', aliases: ['Greenlight', 'Blue Nouvelle'] });
    const haoFan6 = out.vessels.find((v) => v.imo === 8628597)!;
    expect(haoFan6.listedAt).toBe('2017-10-03');
  });
});

describe.skipIf(!has(F.euDma))('EU designated vessels, DMA list (latin-1, ;-separated)', () => {
  it('decodes as windows-1252 and finds every line', () => {
    const info = decodeTextWithInfo(bytes(F.euDma));
    expect(info.encoding).toBe('windows-1252');
    const { out, text } = parseFile(F.euDma);
    const data = lines(text).slice(1);
    const imos = data.map((l) => /;\s*([0-9]{7})\s*;[^;]*$/.exec(l)?.[1]);
    expect(imos.every((x) => x !== undefined)).toBe(true);
    const unique = new Set(imos);
    expect(out.vessels.length).toBe(unique.size);
    expect(count(out.vessels, (v) => v.imo !== null)).toBe(count([...unique] as string[], imoCheck));
    checkImos(out, text);
    expect(data.length).toBe(557); // SOURCES.md
    expect(out.vessels.find((v) => v.imo === 9247443)).toMatchObject({ name: 'Quartanus', aliases: ['Morpheus'] });
  });

  it('overlaps the OpenSanctions annex extract as SOURCES.md says (546 IMOs)', () => {
    if (!has(F.euAnnex)) return;
    const dma = new Set(parseFile(F.euDma).out.vessels.map((v) => v.imo));
    const annex = parseFile(F.euAnnex).out.vessels.map((v) => v.imo);
    expect(count(annex, (i) => dma.has(i))).toBe(546);
  });
});

describe.skipIf(!has(F.uk))('UK sanctions list, ships', () => {
  it('name-only entries with designation dates', () => {
    const { out, text, format } = parseFile(F.uk);
    expect(format).toBe('uk');
    const data = lines(text).slice(1);
    const ships = data.filter((l) => /,Ship,(?:UK|UN),[0-9]{2}-[0-9]{2}-[0-9]{4},/.test(l));
    expect(out.vessels.length).toBe(ships.length);
    expect(count(out.vessels, (v) => v.imoRaw !== null)).toBe(0);
    expect(count(out.vessels, (v) => v.program?.includes('(UN)') === true)).toBe(count(ships, (l) => l.includes(',Ship,UN,')));
    expect(ships.length).toBe(461); // SOURCES.md
    expect(count(ships, (l) => l.includes(',Ship,UN,'))).toBe(37);
    expect(out.vessels[0]).toMatchObject({ key: 'DPR0075', name: 'Petrel 8', listedAt: '2017-10-03' });
  });
});

describe.skipIf(!has(F.un))('UN consolidated list XML', () => {
  it('extracts every IMO number written in a record, as company entries', () => {
    const { out, text, format } = parseFile(F.un);
    expect(format).toBe('un');
    const found = [...text.matchAll(/IMO[^0-9<]{0,25}?([0-9]{7})(?![0-9])/g)].map((m) => m[1]!);
    expect(found.length).toBe(16);
    expect(out.vessels.map((v) => v.imoRaw).sort()).toEqual([...found].sort());
    expect(out.vessels.every((v) => v.subject === 'company' && v.imo === null && v.source === 'un')).toBe(true);
    expect(out.vessels.map((v) => v.imoValid)).toEqual(found.map(imoCheck));
    expect(count(found, imoCheck)).toBe(1); // company numbers do not follow the ship check digit
    const omm = out.vessels.find((v) => v.imoRaw === '1790183')!;
    expect(omm).toMatchObject({
      name: 'OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)',
      program: 'UN DPRK KPe.020',
      listedAt: '2014-07-28',
    });
    expect(omm.aliases).toContain('East Sea Shipping Company');
    expect(omm.location).toMatch(/^CONSOLIDATED_LIST\/ENTITIES\/ENTITY\[[0-9]+\]\/COMMENTS1 \(line 43990\)$/);
    expect(count([...text.matchAll(/<ENTITY>/g)], () => true)).toBe(193);
  });
});

describe.skipIf(!has(F.gur))('GUR shadow-fleet master list', () => {
  it('all rows, IMOs and current MMSIs, scrape labels dropped', () => {
    const { out, text, format } = parseFile(F.gur);
    expect(format).toBe('gur');
    const data = lines(text).slice(1);
    // gur_id, name (possibly quoted), imo, mmsi_current
    const cells = data.map((l) => /^[^,]*,(?:"(?:[^"]|"")*"|[^,]*),([^,]*),([^,]*),/.exec(l));
    expect(cells.every((c) => c !== null)).toBe(true);
    const imos = cells.map((c) => c![1]!);
    const mmsis = cells.map((c) => c![2]!);
    expect(out.vessels.length).toBe(data.length);
    expect(count(out.vessels, (v) => v.imo !== null)).toBe(count(imos, imoCheck));
    expect(count(out.vessels, (v) => v.imoRaw !== null)).toBe(count(imos, (s) => s !== ''));
    expect(count(out.vessels, (v) => v.mmsi !== null)).toBe(count(mmsis, (s) => /^[0-9]{9}$/.test(s)));
    checkImos(out, text);
    expect(data.length).toBe(1414); // SOURCES.md
    expect(out.invalidImos.map((x) => x.imoRaw)).toEqual(['RS 150443', 'RS 130280']);
    expect(out.vessels.some((v) => v.callsign === 'VESSELNAME' || v.aliases.includes('Flags (former)'))).toBe(false);
    expect(new Set(out.vessels.map((v) => v.key)).size).toBe(out.vessels.length);
  });
});
