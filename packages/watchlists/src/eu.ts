/**
 * EU vessel lists, two CSV shapes (detected by the header):
 *
 * 1. OpenSanctions' extraction of the EU Official Journal annexes
 *    (opensanctions `datasets/eu/journal_sanctions/data/consolidated/*.csv`; e.g. Reg. 833/2014
 *    Annex XLII "shadow fleet" port/service ban, Reg. 2017/1509 DPRK annexes):
 *    `celex,amendmentCelex,recordId,programKey,annex,measure,startDate,reason,name,alias,
 *    previousName,imoNumber,flag,notes[,source_file]`, startDate day-first ("25.6.2024").
 *    program = "<programKey> Annex <annex>: <measure>", listedAt = startDate.
 * 2. The Danish Maritime Authority's copy of the EU designated-vessel list:
 *    `Vessel name;IMO number ;Date of application`, `;`-separated, latin-1 (decode with
 *    decodeText first), dates "25.06.2024", former names in parentheses
 *    ("Apar (formerly Feng Shou; Andromeda Star)").
 *
 * Neither shape has a stable per-vessel id (recordId restarts per annex and is often empty), so
 * the key is the IMO, else the normalised name. A vessel listed twice (the same IMO in two
 * annexes, or re-listed) becomes one record: names and programmes are merged and listedAt is the
 * earliest date; the later row is reported in `skipped` as merged.
 */
import { ParseError } from '@rendezvous/errors';
import { columnIndex, prepareText, readTable } from './csv-reader.ts';
import { clean, fallbackKey, imoFields, mergeAliases, parseDmyDate, splitNames, splitParenthesisedNames, vessel } from './fields.ts';
import { normalizeVesselName } from './normalize.ts';
import type { InvalidImo, ListedVessel, ParseOutcome, SkippedRow } from './types.ts';

const ANNEX_COLUMNS = ['programKey', 'annex', 'measure', 'startDate', 'name', 'alias', 'previousName', 'imoNumber', 'flag'] as const;

export type EuShape = 'annex' | 'dma';

/** Which EU shape a header line is, or null. */
export function euShape(headerLine: string): EuShape | null {
  const h = headerLine.replace(/^\uFEFF/, '').toLowerCase();
  if (/^\s*"?vessel name"?\s*;\s*"?imo number/.test(h)) return 'dma';
  if (h.includes('imonumber') && h.includes('startdate') && h.includes('annex')) return 'annex';
  return null;
}

export function parseEuVessels(input: string): ParseOutcome {
  const text = prepareText(input); // NUL / BOM checks before looking at the header
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n|$/)));
  const shape = euShape(firstLine);
  if (shape === null) {
    throw new ParseError(
      'unrecognised EU list header (expected "Vessel name;IMO number;Date of application" or an OpenSanctions annex CSV with imoNumber,startDate)',
      'line 1',
    );
  }
  const byKey = new Map<string, ListedVessel>();
  const skipped: SkippedRow[] = [];
  const invalidImos: InvalidImo[] = [];

  const add = (v: ListedVessel): void => {
    const prev = byKey.get(v.key);
    if (prev === undefined) {
      byKey.set(v.key, v);
      return;
    }
    // Same vessel listed again: one record, earliest listing, all names and programmes.
    const names = [v.name, ...v.aliases].filter((x): x is string => x !== null);
    prev.aliases = mergeAliases(prev.name, prev.aliases, names);
    if (v.program !== null && !(prev.program ?? '').split('; ').includes(v.program)) {
      prev.program = prev.program === null ? v.program : `${prev.program}; ${v.program}`;
    }
    if (v.listedAt !== null && (prev.listedAt === null || v.listedAt < prev.listedAt)) prev.listedAt = v.listedAt;
    skipped.push({ location: v.location, reason: `same vessel as ${prev.location} (key ${v.key}): merged` });
  };

  if (shape === 'dma') {
    readTable(
      text,
      () => {},
      (f, line) => {
        const location = `line ${line}`;
        const { name, former } = splitParenthesisedNames(f[0] ?? null);
        const imo = imoFields(f[1] ?? null, location, invalidImos);
        const dateText = clean(f[2]);
        const listedAt = parseDmyDate(dateText);
        if (dateText !== null && listedAt === null) throw new ParseError(`bad date ${JSON.stringify(dateText)} (expected dd.mm.yyyy)`, location);
        const key = fallbackKey(imo, normalizeVesselName(name));
        if (key === null) {
          skipped.push({ location, reason: 'neither IMO nor name' });
          return;
        }
        add(vessel({ key, name, aliases: mergeAliases(name, former), ...imo, program: 'EU designated vessels (DMA list)', listedAt, source: 'eu', location }));
      },
      { delimiter: ';' },
    );
  } else {
    let c: Record<(typeof ANNEX_COLUMNS)[number], number> | null = null;
    readTable(
      text,
      (header) => {
        c = columnIndex(header, ANNEX_COLUMNS);
      },
      (f, line) => {
        const col = c!;
        const location = `line ${line}`;
        const { name, former } = splitParenthesisedNames(f[col.name] ?? null);
        const imo = imoFields(f[col.imoNumber] ?? null, location, invalidImos);
        const dateText = clean(f[col.startDate]);
        const listedAt = parseDmyDate(dateText);
        if (dateText !== null && listedAt === null) throw new ParseError(`bad startDate ${JSON.stringify(dateText)} (expected d.m.yyyy)`, location);
        const key = fallbackKey(imo, normalizeVesselName(name));
        if (key === null) {
          skipped.push({ location, reason: 'neither IMO nor name' });
          return;
        }
        const programKey = clean(f[col.programKey]);
        const annex = clean(f[col.annex]);
        const measure = clean(f[col.measure]);
        const program = clean(
          `${programKey ?? 'EU'}${annex === null ? '' : ` Annex ${annex}`}${measure === null ? '' : `: ${measure}`}`,
        );
        add(
          vessel({
            key,
            name,
            aliases: mergeAliases(name, former, splitNames(f[col.alias], /;/), splitNames(f[col.previousName], /;/)),
            ...imo,
            flag: clean(f[col.flag]),
            program,
            listedAt,
            source: 'eu',
            location,
          }),
        );
      },
    );
  }
  return { vessels: [...byKey.values()], skipped, invalidImos };
}
