/**
 * @rendezvous/watchlists — parsers for sanctions and suspect-vessel lists and the vessel match
 * index (pure, no I/O). See README.md.
 */
export type {
  ListFormat,
  ListedVessel,
  ParseOutcome,
  SkippedRow,
  InvalidImo,
  MatchEntry,
  MatchRule,
  MatchResult,
  VesselIdentity,
} from './types.ts';
export { LIST_FORMATS } from './types.ts';
export { decodeText, decodeTextWithInfo, type DecodedText, type TextEncodingName } from './decode-text.ts';
export { parseOfacSdn, parseOfacRemarks, type OfacRemarks } from './ofac-sdn.ts';
export { parseEuVessels } from './eu.ts';
export { parseUkShips } from './uk.ts';
export { parseUnConsolidatedXml } from './un-xml.ts';
export { parseOpenSanctionsFtm } from './opensanctions-ftm.ts';
export { parsePlainCsv } from './analyst-csv.ts';
export { parseGurShadowFleet } from './gur.ts';
export { detectListFormat, parseList } from './sniff-format.ts';
export { normalizeVesselName, AIS_NAME_LENGTH } from './normalize.ts';
export {
  buildMatchIndex,
  match,
  toMatchEntries,
  isValidImoNumber,
  normalizeCallsign,
  CONFIDENCE,
  type MatchIndex,
} from './match-index.ts';
export { parseXml, DEFAULT_XML_LIMITS, type XmlLimits, type XmlHandler } from './xml.ts';
export { readCsv, DEFAULT_MAX_RECORD_CHARS, type CsvOptions } from './csv-reader.ts';
export { prepareListSnapshot, MAX_LIST_BYTES, type ListSnapshot, type SnapshotEntry } from './import-list.ts';
export { createListMatcher, type ListMatcher, type ListEntryRow, type SuspectRow, type ListMatch, type SuspectMatch } from './list-matcher.ts';
