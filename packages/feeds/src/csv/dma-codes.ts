/**
 * Text → AIS code tables for sources that publish labels instead of codes (the DMA aisdk CSVs;
 * some MarineCadastre vintages may do the same for Status). Keys are compared after
 * `labelKey` (lower case, single spaces), so "Under Way Using Engine" matches too.
 */

export function labelKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Navigational status, ITU-R M.1371-5 Table 45, with the spellings the DMA files use
 * ("Restricted maneuverability", "Reserved for future amendment [HSC]", "Unknown value"…) and
 * common variants. 15 ("not defined") is absent on purpose: it means "not available" → null.
 */
export const NAV_STATUS_BY_LABEL: ReadonlyMap<string, number> = new Map([
  ['under way using engine', 0],
  ['at anchor', 1],
  ['not under command', 2],
  ['restricted maneuverability', 3],
  ['restricted manoeuverability', 3],
  ['restricted manoeuvrability', 3],
  ['constrained by her draught', 4],
  ['moored', 5],
  ['aground', 6],
  ['engaged in fishing', 7],
  ['under way sailing', 8],
  ['reserved for future amendment [hsc]', 9],
  ['reserved for future amendment [wig]', 10],
  ['power-driven vessel towing astern', 11],
  ['power-driven vessel pushing ahead or towing alongside', 12],
  ['reserved for future use', 13],
  ['ais-sart (active)', 14],
  ['ais-sart', 14],
]);

/**
 * DMA "Ship type" labels → the first code of the AIS ship-type range they name (ITU-R M.1371-5
 * Table 53): the label keeps only the range, so e.g. every tanker (80–89) becomes 80 and the
 * hazard-category digit is lost. Labels as seen in aisdk files.
 * "Undefined", "Unknown" and "Reserved" (38–39, 100–199…: no single code) → null.
 */
export const SHIP_TYPE_BY_LABEL: ReadonlyMap<string, number> = new Map([
  ['wig', 20],
  ['fishing', 30],
  ['towing', 31],
  ['towing long/wide', 32],
  ['dredging', 33],
  ['diving', 34],
  ['military', 35],
  ['sailing', 36],
  ['pleasure', 37],
  ['hsc', 40],
  ['pilot', 50],
  ['sar', 51],
  ['tug', 52],
  ['port tender', 53],
  ['anti-pollution', 54],
  ['anti pollution', 54],
  ['law enforcement', 55],
  ['spare 1', 56],
  ['spare 2', 57],
  ['medical', 58],
  ['not party to conflict', 59],
  ['ships according to rr', 59],
  ['passenger', 60],
  ['cargo', 70],
  ['tanker', 80],
  ['other', 90],
]);

/** DMA's words for "no value" in text-coded and numeric columns (aisdk files: IMO "Unknown", types "Undefined"). */
export const DMA_NOT_AVAILABLE: ReadonlySet<string> = new Set([
  'unknown',
  'undefined',
  'unknown value',
  'not available',
  'reserved',
]);
