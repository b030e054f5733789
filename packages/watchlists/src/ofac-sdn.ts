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
import { columnIndex, readCsv } from './csv-reader.ts';
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

/**
 * Pulls the vessel identifiers out of an SDN Remarks cell. Linear in the cell's length whatever
 * it holds: the IMO and MMSI patterns have one quantifier per run of input; aliases and former
 * flags are scanned by hand (their former regexes retried every split of a run of spaces and
 * were cubic: 4,000 spaces took ~26 s; test/reliability/12-regex-hardening.test.ts).
 */
export function parseOfacRemarks(remarks: string | null): OfacRemarks {
  const out: OfacRemarks = { imo: null, mmsi: null, aliases: [], formerFlags: [] };
  if (remarks === null) return out;
  out.imo = /\bIMO\s+([0-9]+)/.exec(remarks)?.[1] ?? null;
  out.mmsi = /\bMMSI\s+([0-9]+)/.exec(remarks)?.[1] ?? null;
  for (const raw of akaNames(remarks)) {
    const a = clean(raw);
    if (a !== null && !out.aliases.includes(a)) out.aliases.push(a);
  }
  for (const raw of formerFlags(remarks)) {
    const f = clean(raw);
    if (f !== null && f !== 'None Identified' && !out.formerFlags.includes(f)) out.formerFlags.push(f);
  }
  return out;
}

const WS = /\s/;
const isWs = (c: string | undefined): boolean => c !== undefined && WS.test(c);
const isWordChar = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
const isLineEnd = (c: string): boolean => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/**
 * a.k.a. / f.k.a. / n.k.a. 'NAME': the name runs to the first quote that ends it, i.e. a quote
 * followed by optional spaces and `;`, `,` or `)`, or by an optional full stop and the end of the
 * cell. A quote inside a name ("CAPTAIN'S") does not end it, nor does the name cross a line break.
 * One right-to-left pass marks where the next such closing quote and the next line break are, so
 * each name is found in constant time after it: unclosed quotes cost nothing extra.
 */
function akaNames(text: string): string[] {
  const n = text.length;
  // nextClose[i]: the first closing quote at or after i (n if none); nextBreak[i]: same for line breaks.
  const nextClose = new Int32Array(n + 1).fill(n);
  const nextBreak = new Int32Array(n + 1).fill(n);
  // What follows position i after skipping spaces: the first non-space character's index.
  let afterSpaces = n;
  for (let i = n - 1; i >= 0; i--) {
    const c = text[i]!;
    nextBreak[i] = isLineEnd(c) ? i : nextBreak[i + 1]!;
    let closes = false;
    if (c === "'") {
      const j = afterSpaces; // first non-space after the quote
      const d = text[j];
      if (j === n || d === ';' || d === ',' || d === ')') closes = true;
      else if (d === '.') {
        let k = j + 1;
        while (k < n && isWs(text[k])) k++;
        closes = k === n;
      }
    }
    nextClose[i] = closes ? i : nextClose[i + 1]!;
    if (!isWs(c)) afterSpaces = i;
  }
  const names: string[] = [];
  let i = 0;
  while (i + 6 < n) {
    const at = text.indexOf('.k.a.', i + 1);
    if (at < 0) break;
    const letter = text[at - 1]!;
    i = at;
    if ((letter !== 'a' && letter !== 'f' && letter !== 'n') || isWordChar(text[at - 2])) continue;
    let j = at + 5;
    if (!isWs(text[j])) continue;
    while (j < n && isWs(text[j])) j++;
    if (text[j] !== "'") continue;
    const close = j + 2 <= n ? nextClose[j + 2]! : n; // the name has at least one character
    if (close >= n || nextBreak[j + 1]! < close) continue;
    names.push(text.slice(j + 1, close));
    i = close;
  }
  return names;
}

/**
 * "Former Vessel Flag X": X runs to the next `;`, spaces trimmed, or to the end of the cell
 * without a final full stop.
 */
function formerFlags(text: string): string[] {
  const KEY = 'Former Vessel Flag';
  const flags: string[] = [];
  let i = text.indexOf(KEY);
  while (i >= 0) {
    let j = i + KEY.length;
    if (!isWs(text[j])) {
      i = text.indexOf(KEY, i + 1);
      continue;
    }
    while (j < text.length && isWs(text[j])) j++;
    const semi = text.indexOf(';', j);
    let end = semi < 0 ? text.length : semi;
    while (end > j && isWs(text[end - 1])) end--;
    if (semi < 0 && text[end - 1] === '.') {
      end--;
      while (end > j && isWs(text[end - 1])) end--;
    }
    if (end > j) flags.push(text.slice(j, end));
    i = text.indexOf(KEY, semi < 0 ? text.length : semi);
  }
  return flags;
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
