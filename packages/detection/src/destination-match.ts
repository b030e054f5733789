/**
 * Declared destination (AIS type 5, ITU-R M.1371: 20 six-bit characters, uppercase, '@' = padding)
 * against the port a vessel actually reached. The field is typed in by the crew: a UN/LOCODE
 * ("NLRTM", "NL RTM"), a port name with typos or abbreviations ("ROTERDAM", "R'DAM"), a route
 * ("SGSIN>CNSHA", the last part is the destination) or free text ("FOR ORDERS", "OPL", "SEA").
 *
 * Conservative by design: `mismatch` only when the destination is clearly another place — a
 * LOCODE whose country is not the reached port's country, or a name that resolves to a known port
 * (options.knownPorts, e.g. the PORTS_FILE list) far from the one reached. Anything else that does
 * not match is `unknown`, never `mismatch`: a false "lied about its destination" is worse than a
 * missed one, since the field is free text nobody checks.
 */
import { geodesicDistanceM } from '@rendezvous/geodesy';

/** The part of a port the match needs (structurally compatible with port-calls.ts `Port`). */
export interface DestinationPort {
  id: string;
  name: string | null;
  /** ISO 3166-1 alpha-3, or null. */
  country: string | null;
  lon: number;
  lat: number;
}

export type DestinationVerdict = 'match' | 'mismatch' | 'unknown';

export interface DestinationMatch {
  verdict: DestinationVerdict;
  /** The destination as compared (normalised, last leg of a route), or null when empty. */
  normalised: string | null;
  reason: string;
}

export interface DestinationMatchOptions {
  /**
   * Ports a declared name may resolve to (a gazetteer). A name that matches none of them, and not
   * the port reached, is `unknown`. Default: none (names can only match, never mismatch).
   */
  knownPorts?: readonly DestinationPort[];
  /**
   * A declared port within this distance of the port reached counts as the same place (terminals
   * and anchorages of one port area: Europoort is ~30 km from Rotterdam city). Project choice.
   */
  samePlaceM?: number;
}

export const DEFAULT_SAME_PLACE_M = 50_000;

/**
 * ISO 3166-1 alpha-3 → alpha-2, PARTIAL: the main tanker-trade and STS-area countries only. A
 * LOCODE whose country is outside this table, or a reached port whose country is, gives `unknown`.
 */
export const ISO3_TO_ISO2: Readonly<Record<string, string>> = Object.freeze({
  NLD: 'NL', BEL: 'BE', DEU: 'DE', FRA: 'FR', GBR: 'GB', ESP: 'ES', PRT: 'PT', ITA: 'IT', GRC: 'GR',
  MLT: 'MT', TUR: 'TR', RUS: 'RU', NOR: 'NO', DNK: 'DK', SWE: 'SE', FIN: 'FI', EST: 'EE', POL: 'PL',
  USA: 'US', CAN: 'CA', MEX: 'MX', BRA: 'BR', VEN: 'VE', SGP: 'SG', MYS: 'MY', IDN: 'ID', CHN: 'CN',
  HKG: 'HK', KOR: 'KR', JPN: 'JP', IND: 'IN', ARE: 'AE', SAU: 'SA', OMN: 'OM', IRN: 'IR', IRQ: 'IQ',
  KWT: 'KW', QAT: 'QA', EGY: 'EG', NGA: 'NG', AGO: 'AO', ZAF: 'ZA', TWN: 'TW', THA: 'TH', VNM: 'VN',
  AUS: 'AU', NZL: 'NZ', FJI: 'FJ', GAB: 'GA', LBY: 'LY', DZA: 'DZ', MAR: 'MA', CYP: 'CY', UKR: 'UA',
});
const KNOWN_ISO2 = new Set(Object.values(ISO3_TO_ISO2));

/**
 * Entries that say "no destination": orders awaited, offshore port limits, at sea, blanks.
 * Compared after normalisation (no spaces or punctuation).
 */
const FREE_TEXT = new Set([
  'FORORDERS', 'FORORDER', 'ORDERS', 'ORDER', 'AWAITINGORDERS', 'WAITINGORDERS', 'TBA', 'TBC', 'TBN', 'TBD',
  'OPL', 'SEA', 'ATSEA', 'OPENSEA', 'HIGHSEAS', 'NONE', 'NIL', 'NA', 'UNKNOWN', 'ANCHORAGE', 'ANCH',
  'DRIFTING', 'STANDBY', 'STS', 'BUNKERING', 'FISHING', 'TRIAL', 'SEATRIAL', 'SEATRIALS', 'CLASSIFIED',
]);

/**
 * Common crew abbreviations of port names (partial, project choice: the ones seen in practice
 * for the ports we test). Keys and values are normalised (letters and digits only).
 */
const ABBREVIATIONS: Readonly<Record<string, string>> = Object.freeze({
  RDAM: 'ROTTERDAM', RTDM: 'ROTTERDAM', ADAM: 'AMSTERDAM', SPORE: 'SINGAPORE', SPORES: 'SINGAPORE', SIN: 'SINGAPORE',
  ANTW: 'ANTWERP', ANTWERPEN: 'ANTWERP', FUJ: 'FUJAIRAH', HK: 'HONGKONG', STPETERSBURG: 'SAINTPETERSBURG', SPB: 'SAINTPETERSBURG',
});

/** AIS padding '@', case, and the route: "SGSIN>CNSHA" → "CNSHA", "A->B", "A=>B", "A TO B"? no: only arrows. */
export function normaliseDestination(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  // The field is 20 characters; anything much longer is not a type 5 destination: cut (bounded work).
  let s = raw.slice(0, 64).toUpperCase().replaceAll('@', ' ');
  const parts = s.split('>').map((p) => p.replace(/[-=]+$/, '').trim()).filter((p) => p !== '');
  s = parts.length > 0 ? parts[parts.length - 1]! : '';
  s = s.replace(/\s+/g, ' ').trim();
  return s === '' ? null : s;
}

/** Letters and digits only: "R'DAM" → "RDAM", "PORT SAID" → "PORTSAID". */
const compact = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Forms a port name is known by: compact, and without a leading "PORT OF". */
function nameForms(name: string): string[] {
  const c = compact(name);
  const forms = [c];
  if (c.startsWith('PORTOF') && c.length > 8) forms.push(c.slice(6));
  return forms;
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped:
 * returns max + 1 as soon as the distance must exceed max.
 */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(n + 1).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * Typos allowed for a name of this length. Damerau (1964, CACM 7(3)) found ~80 % of misspellings
 * are one insertion, deletion, substitution or transposition: 1 edit from 5 characters, 2 from 9
 * (long names, e.g. "ROTTERDAMM" → "ROTERDAM" is 2). Short names (≤ 4) must be exact: one edit
 * turns one short port name into another ("TEMA"/"TEMO", "BARI"/"BAR").
 */
export function allowedEdits(length: number): number {
  if (length <= 4) return 0;
  if (length <= 8) return 1;
  return 2;
}

/** True when the declared (compact) text names this port: exact, abbreviation, or within the typo allowance. */
function namesPort(declared: string, port: DestinationPort): boolean {
  if (!port.name) return false;
  const candidates = new Set([declared]);
  const expanded = ABBREVIATIONS[declared];
  if (expanded) candidates.add(expanded);
  for (const form of nameForms(port.name)) {
    if (form === '') continue;
    // The field holds 20 characters: long names arrive cut ("SAINT PETERSBURG SEA" …); a cut of ≥ 5 letters counts.
    if (declared.length >= 5 && form.startsWith(declared)) return true;
    for (const c of candidates) {
      const allowed = allowedEdits(Math.min(c.length, form.length));
      if (damerauLevenshtein(c, form, allowed) <= allowed) return true;
    }
  }
  return false;
}

/**
 * UN/LOCODE: 2-letter country, 3-character location (letters and 2–9), with or without a space.
 * Caveat: a 5-letter port name not in the gazetteer ("BREST", "CADIZ") reads as one too; the
 * country then decides, which can only err towards `match` for the wrong reason or a `mismatch`
 * that is one anyway (the name is not the port reached, nor a cut of its name).
 */
const LOCODE = /^([A-Z]{2}) ?([A-Z2-9]{3})$/;

/**
 * The verdict for one declared destination against the port reached, with the reason. Order:
 * empty / free text → unknown; the name of the port reached (with typos) → match; a name that is
 * another known port → match when within samePlaceM, else mismatch; a LOCODE → its country
 * against the reached port's country (the location part is not checked: our ports have no
 * LOCODE and initials are not reliable); otherwise unknown.
 */
export function matchDestination(declared: string | null | undefined, reached: DestinationPort, options: DestinationMatchOptions = {}): DestinationMatch {
  const samePlaceM = options.samePlaceM ?? DEFAULT_SAME_PLACE_M;
  const normalised = normaliseDestination(declared);
  if (normalised === null) return { verdict: 'unknown', normalised, reason: 'no destination declared' };
  const c = compact(normalised);
  if (c === '' || FREE_TEXT.has(c)) return { verdict: 'unknown', normalised, reason: `"${normalised}" names no port (free text)` };
  const reachedName = reached.name ?? reached.id;

  // The full text, or one of its words (e.g. "ROTTERDAM NL", "FUJAIRAH ANCH"), naming the port reached.
  const words = normalised.split(' ').map(compact).filter((w) => w.length >= 4);
  const texts = [c, ...words.filter((w) => w !== c)];
  if (texts.some((t) => namesPort(t, reached))) return { verdict: 'match', normalised, reason: `"${normalised}" names ${reachedName}` };

  // A name that resolves to other known ports: the nearest one decides (several ports may share a
  // name or be within a typo of it; the benefit of the doubt goes to the vessel).
  let nearest: { port: DestinationPort; d: number } | null = null;
  for (const port of options.knownPorts ?? []) {
    if (port.id === reached.id || !namesPort(c, port)) continue;
    const d = geodesicDistanceM(port.lon, port.lat, reached.lon, reached.lat);
    if (nearest === null || d < nearest.d) nearest = { port, d };
  }
  if (nearest) {
    const km = (nearest.d / 1000).toFixed(0);
    if (nearest.d <= samePlaceM) return { verdict: 'match', normalised, reason: `"${normalised}" names ${nearest.port.name}, ${km} km from ${reachedName}` };
    return { verdict: 'mismatch', normalised, reason: `"${normalised}" names ${nearest.port.name}, ${km} km from ${reachedName} (reached)` };
  }

  const locode = LOCODE.exec(normalised);
  if (locode) {
    const declaredCountry = locode[1]!;
    const reachedCountry = reached.country ? ISO3_TO_ISO2[reached.country.toUpperCase()] : undefined;
    if (!KNOWN_ISO2.has(declaredCountry) || reachedCountry === undefined) {
      return { verdict: 'unknown', normalised, reason: `"${normalised}" read as a UN/LOCODE, but its country or the reached port's (${reached.country ?? 'none'}) is not in the country table` };
    }
    if (declaredCountry === reachedCountry) {
      return { verdict: 'match', normalised, reason: `UN/LOCODE "${normalised}" is in ${declaredCountry}, like ${reachedName} (location part not checked)` };
    }
    return { verdict: 'mismatch', normalised, reason: `UN/LOCODE "${normalised}" is in ${declaredCountry}; ${reachedName} is in ${reachedCountry}` };
  }
  return { verdict: 'unknown', normalised, reason: `"${normalised}" is not ${reachedName} nor a known port or UN/LOCODE` };
}
