/**
 * OFAC Specially Designated Nationals list, two shapes:
 *
 * 1. The raw `sdn.csv` download (treasury.gov/ofac/downloads/sdn.csv; see OFAC's "SDN data
 *    specification"): no header, 12 columns ent_num, SDN_Name, SDN_Type, Program, Title,
 *    Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks; "-0-" means empty.
 *    Only SDN_Type "vessel" rows are vessels. IMO, MMSI, names and flags live in Remarks:
 *      "Vessel Registration Identification IMO 9187629; MMSI 572469210; f.k.a. 'ALPHA';
 *       Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; Linked To: …"
 *    Programs are joined as "IRAN] [NPWMD] [IFSR" (the brackets of "[IRAN] [NPWMD]" minus the
 *    outer pair). sdn.csv has no designation date: listedAt is null.
 *    "Vessel Registration Identification 9894387" without "IMO" (a national register number,
 *    e.g. "15411 (Malta)", "RS 150443 (Russia)") is not taken as an IMO.
 * 2. The DERIVED `ofac_sdn_vessels_*.csv` built from the git-scrape history (header
 *    ent_num,sdn_name,program,call_sign,…,imo,mmsi,former_names,former_flags,linked_to,
 *    first_seen_in_scrape,last_seen_in_scrape,remarks). listedAt = first_seen_in_scrape: the
 *    vessel was designated on or before that date (2021-08-18, the first scrape, covers
 *    everything listed earlier). Its imo/mmsi columns missed values written "IMO  8730455"
 *    (two spaces), so an empty column falls back to the remarks.
 */
import { ParseError } from '@rendezvous/errors';
import { columnIndex, readCsv } from './csv.ts';
import { clean, imoFields, mergeAliases, parseCallsign, parseIsoDate, parseMmsi, splitNames, vessel } from './fields.ts';
import type { InvalidImo, ListedVessel, ParseOutcome, SkippedRow } from './types.ts';

const RAW_COLUMNS = 12;
const DERIVED_COLUMNS = [
  'ent_num', 'sdn_name', 'program', 'call_sign', 'vess_type', 'vess_flag', 'imo', 'mmsi',
  'former_names', 'former_flags', 'first_seen_in_scrape', 'remarks',
] as const;

/** "-0-" (with the trailing space OFAC writes) is OFAC's empty value. */
function ofacValue(raw: string | undefined): string | null {
  const t = clean(raw);
  return t === null || t === '-0-' ? null : t;
}

export interface OfacRemarks {
  imo: string | null;
  mmsi: string | null;
  aliases: string[];
  formerFlags: string[];
}

/** Pulls the vessel identifiers out of an SDN Remarks cell. */
export function parseOfacRemarks(remarks: string | null): OfacRemarks {
  const out: OfacRemarks = { imo: null, mmsi: null, aliases: [], formerFlags: [] };
  if (remarks === null) return out;
  out.imo = /\bIMO\s+([0-9]+)/.exec(remarks)?.[1] ?? null;
  out.mmsi = /\bMMSI\s+([0-9]+)/.exec(remarks)?.[1] ?? null;
  // a.k.a. / f.k.a. / n.k.a. 'NAME' — a quote inside a name ("CAPTAIN'S") does not end it.
  for (const m of remarks.matchAll(/\b[afn]\.k\.a\.\s+'(.+?)'(?=\s*(?:[;,)]|\.?\s*$))/g)) {
    const a = clean(m[1]);
    if (a !== null && !out.aliases.includes(a)) out.aliases.push(a);
  }
  for (const m of remarks.matchAll(/Former Vessel Flag\s+([^;]+?)\s*(?=;|\.?\s*$)/g)) {
    const f = clean(m[1]);
    if (f !== null && f !== 'None Identified' && !out.formerFlags.includes(f)) out.formerFlags.push(f);
  }
  return out;
}

/** "IRAN] [NPWMD] [IFSR" → "IRAN; NPWMD; IFSR". */
function program(raw: string | null): string | null {
  if (raw === null) return null;
  return clean(raw.replace(/^\[|\]$/g, '').split(/\]\s*\[/).map((p) => p.trim()).filter((p) => p !== '').join('; '));
}

export function parseOfacSdn(text: string): ParseOutcome {
  const vessels: ListedVessel[] = [];
  const skipped: SkippedRow[] = [];
  const invalidImos: InvalidImo[] = [];
  const seen = new Map<string, string>();
  let shape: 'raw' | 'derived' | null = null;
  let col: Record<(typeof DERIVED_COLUMNS)[number], number> | null = null;
  let width = 0;

  const add = (v: ListedVessel): void => {
    const prev = seen.get(v.key);
    if (prev !== undefined) throw new ParseError(`duplicate ent_num ${v.key} (first at ${prev})`, v.location);
    seen.set(v.key, v.location);
    vessels.push(v);
  };

  readCsv(text, (f, line) => {
    const location = `line ${line}`;
    if (shape === null) {
      if (clean(f[0])?.toLowerCase() === 'ent_num') {
        shape = 'derived';
        width = f.length;
        col = columnIndex(f, DERIVED_COLUMNS);
        return;
      }
      shape = 'raw';
      width = RAW_COLUMNS;
    }
    if (f.length !== width) {
      throw new ParseError(
        `expected ${width} columns${shape === 'raw' ? ' (OFAC sdn.csv)' : ' as in the header'}, found ${f.length}`,
        location,
      );
    }
    const entNum = clean(f[0]);
    if (entNum === null || !/^[0-9]+$/.test(entNum)) {
      throw new ParseError(`ent_num must be a number, found ${JSON.stringify(f[0]?.slice(0, 40))}`, location);
    }
    if (shape === 'raw') {
      if (ofacValue(f[2])?.toLowerCase() !== 'vessel') return;
      const remarks = ofacValue(f[11]);
      const r = parseOfacRemarks(remarks);
      const name = ofacValue(f[1]);
      if (name === null) skipped.push({ location, reason: `vessel ${entNum} has no name` });
      add(
        vessel({
          key: entNum,
          name,
          aliases: mergeAliases(name, r.aliases),
          ...imoFields(r.imo, location, invalidImos),
          mmsi: parseMmsi(r.mmsi),
          callsign: parseCallsign(ofacValue(f[5])),
          flag: ofacValue(f[9]),
          formerFlags: r.formerFlags,
          vesselType: ofacValue(f[6]),
          program: program(ofacValue(f[3])),
          listedAt: null,
          source: 'ofac-sdn',
          location,
        }),
      );
      return;
    }
    const c = col!;
    const remarks = clean(f[c.remarks]);
    const r = parseOfacRemarks(remarks);
    const name = clean(f[c.sdn_name]);
    const imoCell = clean(f[c.imo]) ?? r.imo;
    const firstSeen = clean(f[c.first_seen_in_scrape]);
    const listedAt = parseIsoDate(firstSeen);
    if (firstSeen !== null && listedAt === null) {
      throw new ParseError(`first_seen_in_scrape ${JSON.stringify(firstSeen)} is not an ISO date`, location);
    }
    add(
      vessel({
        key: entNum,
        name,
        aliases: mergeAliases(name, splitNames(f[c.former_names], /;/), r.aliases),
        ...imoFields(imoCell, location, invalidImos),
        mmsi: parseMmsi(clean(f[c.mmsi]) ?? r.mmsi),
        callsign: parseCallsign(f[c.call_sign]),
        flag: clean(f[c.vess_flag]),
        formerFlags: mergeAliases(null, splitNames(f[c.former_flags], /;/).filter((x) => x !== 'None Identified'), r.formerFlags),
        vesselType: clean(f[c.vess_type]),
        program: program(clean(f[c.program])),
        listedAt,
        source: 'ofac-sdn',
        location,
      }),
    );
  });
  if (shape === null) throw new ParseError('empty file', 'line 1');
  return { vessels, skipped, invalidImos };
}
