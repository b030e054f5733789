/**
 * Field clean-up shared by the parsers: whitespace, dates, IMO/MMSI, alias lists.
 * Data problems in official lists (a bad IMO, a scraped label in an MMSI column) are tolerated
 * and reported, because we cannot fix the source; structural problems are ParseErrors.
 */
import { classifyMmsi, isValidImo } from '@rendezvous/ais';
import type { InvalidImo, ListedVessel } from './types.ts';

/** Trim, turn NBSP/tabs/newlines into single spaces; empty → null. */
export function clean(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const t = value.replace(/[\s\u00a0\u2000-\u200b\u3000]+/g, ' ').trim();
  return t === '' ? null : t;
}

export interface ImoFields {
  imo: number | null;
  imoRaw: string | null;
  imoValid: boolean | null;
}

/**
 * IMO column or remark → fields. A value without any digit ("Does not exist" in the EU DPRK
 * annex, "N/A") means "no IMO given". Anything else is kept in imoRaw; it becomes `imo` only
 * if it is 7 digits (optionally prefixed "IMO") and passes the check digit, otherwise it is
 * reported in invalidImos with its location.
 */
export function imoFields(raw: string | null, location: string, invalid: InvalidImo[]): ImoFields {
  const text = clean(raw);
  if (text === null || !/[0-9]/.test(text)) return { imo: null, imoRaw: null, imoValid: null };
  const digits = /^(?:IMO[\s:.-]*)?([0-9]+)$/i.exec(text)?.[1];
  if (digits !== undefined && digits.length === 7 && isValidImo(digits)) {
    return { imo: Number(digits), imoRaw: text, imoValid: true };
  }
  invalid.push({ location, imoRaw: text });
  return { imo: null, imoRaw: text, imoValid: false };
}

/**
 * An MMSI cell → 9-digit number or null. Letters mean a scraped label ("Call sign" in GUR's
 * mmsi_current), not an MMSI. Other non-digits (a U+FFFD before some GUR legacy MMSIs, spaces)
 * are dropped. The number is kept even if its MID is unallocated: matching needs the value the
 * transponder sends, valid or not.
 */
export function parseMmsi(raw: string | null | undefined): number | null {
  const text = clean(raw);
  if (text === null || /[A-Za-z]/.test(text)) return null;
  const digits = text.replace(/[^0-9]/g, '');
  if (classifyMmsi(digits).reason === 'not_9_digits') return null;
  return Number(digits);
}

/** All 9-digit runs in a cell (GUR mmsi_legacy may hold several). */
export function parseMmsiList(raw: string | null | undefined): number[] {
  const text = clean(raw);
  if (text === null) return [];
  const out: number[] = [];
  for (const m of text.matchAll(/(?<![0-9])([0-9]{9})(?![0-9])/g)) {
    const v = Number(m[1]);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * Call signs are letters and digits. OFAC writes some with a space ("5IM 592") where AIS sends
 * "5IM592", so spaces are removed. A cell with lower-case words is a scraped label ("Vessel
 * name" in GUR's callsign column), not a call sign.
 */
export function parseCallsign(raw: string | null | undefined): string | null {
  const text = clean(raw);
  if (text === null) return null;
  if (/[a-z]/.test(text) && text.includes(' ')) return null;
  const up = text.toUpperCase().replace(/[\s-]+/g, '');
  return /^[A-Z0-9]{2,12}$/.test(up) ? up : null;
}

function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > dim) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Day-first dates: "25.6.2024" (EU), "03-10-2017" and "03/10/2017" (UK) → "YYYY-MM-DD". */
export function parseDmyDate(raw: string | null | undefined): string | null {
  const text = clean(raw);
  if (text === null) return null;
  const m = /^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})$/.exec(text);
  if (m === null) return null;
  return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
}

/**
 * ISO date or timestamp ("2024-05-03", "2021-08-18T09:39:01+00:00") → UTC calendar date.
 */
export function parseIsoDate(raw: string | null | undefined): string | null {
  const text = clean(raw);
  if (text === null) return null;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:$|[T ])/.exec(text);
  if (m === null) return null;
  if (text.length === 10) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const ms = Date.parse(text.replace(' ', 'T'));
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Epoch ms of an ISO date (UTC midnight), or null. */
export function isoDateToMs(date: string | null): number | null {
  if (date === null) return null;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** Split a list cell ("A;B", "A / B") into cleaned, distinct names. */
export function splitNames(raw: string | null | undefined, separator: RegExp): string[] {
  const text = clean(raw);
  if (text === null) return [];
  const out: string[] = [];
  for (const part of text.split(separator)) {
    const t = clean(part);
    if (t !== null && !out.includes(t)) out.push(t);
  }
  return out;
}

/**
 * "Kavya (formerly Hana)", "Apar (formerly Feng Shou; Andromeda Star)", "Chong Bong (Greenlight)
 * (Blue Nouvelle)" → primary name plus former names. The EU DMA list and the EU DPRK annex
 * put former names in parentheses; one DMA row lacks the closing parenthesis.
 */
export function splitParenthesisedNames(raw: string | null): { name: string | null; former: string[] } {
  const text = clean(raw);
  if (text === null) return { name: null, former: [] };
  const open = text.indexOf('(');
  if (open <= 0) return { name: text, former: [] };
  const name = clean(text.slice(0, open));
  const former: string[] = [];
  for (const m of text.slice(open).matchAll(/\(([^()]*)(?:\)|$)/g)) {
    const inner = (m[1] ?? '').replace(/^\s*(?:formerly|ex\.?|f\.k\.a\.?)\s*/i, '');
    for (const part of inner.split(/[;,]/)) {
      const t = clean(part);
      if (t !== null && !former.includes(t)) former.push(t);
    }
  }
  return { name, former };
}

/** Distinct aliases, case-insensitive, without the primary name. */
export function mergeAliases(name: string | null, ...lists: string[][]): string[] {
  const seen = new Set<string>();
  if (name !== null) seen.add(name.toUpperCase());
  const out: string[] = [];
  for (const list of lists) {
    for (const a of list) {
      const u = a.toUpperCase();
      if (seen.has(u)) continue;
      seen.add(u);
      out.push(a);
    }
  }
  return out;
}

/** Defaults for the fields most sources do not give. */
export function vessel(fields: Partial<ListedVessel> & Pick<ListedVessel, 'key' | 'source' | 'location'>): ListedVessel {
  return {
    name: null,
    aliases: [],
    imo: null,
    imoRaw: null,
    imoValid: null,
    mmsi: null,
    mmsiLegacy: [],
    callsign: null,
    flag: null,
    formerFlags: [],
    vesselType: null,
    program: null,
    listedAt: null,
    subject: 'vessel',
    ...fields,
  };
}

/**
 * Key for a vessel without a source id: the IMO if valid, else the raw IMO, else the normalised
 * name; null when there is nothing to key on (the caller skips the row).
 */
export function fallbackKey(imo: ImoFields, nameKey: string | null): string | null {
  if (imo.imo !== null) return String(imo.imo);
  if (imo.imoRaw !== null) return `imo:${imo.imoRaw}`;
  if (nameKey !== null && nameKey !== '') return `name:${nameKey}`;
  return null;
}
