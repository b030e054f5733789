/**
 * Vessel-name keys for matching list names against AIS names.
 *
 * AIS names (ITU-R M.1371 types 5/19/24) are 20 characters of 6-bit ASCII: upper case, no
 * diacritics, no Cyrillic. Lists write "Mikhail Ulyanov", "M/T KAZAN", "NР DUDINKA" (GUR, with a
 * Cyrillic Р). normalizeVesselName maps both sides onto the same key:
 *   1. Unicode NFKD, combining marks dropped (Å → A, É → E); letters NFKD leaves alone are
 *      spelled out (Ø → O, Æ → AE, ß → SS, Ł → L, Đ → D, Þ → TH).
 *   2. Cyrillic and Greek letters that look like Latin ones become those Latin letters (А→A,
 *      Е→E, Р→P, С→C, Н→H, …): scraped lists mix them in, and an AIS transponder cannot send them.
 *   3. Upper case; every other non-alphanumeric character (punctuation, "/", quotes) becomes a
 *      space; spaces collapse.
 *   4. A leading vessel prefix is dropped: "M/T", "M.T.", "MT", "M/V", "MV", "SS" (also "S.S."),
 *      but only when a name follows it ("MV" alone stays "MV").
 * Returns null for names that are empty after this.
 */

const SPELLED: Record<string, string> = {
  Ø: 'O', ø: 'o', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', ß: 'SS', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd',
  Þ: 'TH', þ: 'th', Ð: 'D', ð: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŧ: 'T', ŧ: 't',
};

// Latin look-alikes only; other Cyrillic/Greek letters are kept and then dropped as non-Latin.
const HOMOGLYPHS: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', Ё: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  І: 'I', Ї: 'I', Ј: 'J', Ѕ: 'S', Ԛ: 'Q', Ԝ: 'W',
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  ο: 'o', ν: 'v',
};

const FOLD_RE = /[ØøÆæŒœßŁłĐđÞþÐðĦħıŦŧАВЕЁКМНОРСТУХІЇЈЅԚԜавеёкмнорстухіїјѕΑΒΕΖΗΙΚΜΝΟΡΤΥΧον]/g;
// "M", spaces, an optional "/" or "." with its own spaces, then T or V: written so that each run of
// spaces is read by one quantifier only (`M\s*[/.]?\s*` split a long run every possible way).
const PREFIX_RE = /^(?:M\s*(?:[/.]\s*)?[TV]\.?|S\.?\s*S\.?)\s+(?=\S)/;

export function normalizeVesselName(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  let s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  s = s.replace(FOLD_RE, (c) => SPELLED[c] ?? HOMOGLYPHS[c] ?? c);
  s = s.toUpperCase().trim();
  // Prefix before punctuation removal, so "M/T" and "M.T." are recognised as one token.
  s = s.replace(PREFIX_RE, '');
  s = s.replace(/[^A-Z0-9]+/g, ' ').trim();
  return s === '' ? null : s;
}

/** AIS name fields hold 20 characters; a longer listed name arrives cut. */
export const AIS_NAME_LENGTH = 20;
