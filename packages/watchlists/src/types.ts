/**
 * Shared shapes. Every parser returns a ParseOutcome of ListedVessel records, whatever the
 * source format, so the loader can import any list in one transaction.
 */

export type ListFormat = 'ofac-sdn' | 'eu' | 'uk' | 'un' | 'opensanctions' | 'csv' | 'gur';

export const LIST_FORMATS: readonly ListFormat[] = ['ofac-sdn', 'eu', 'uk', 'un', 'opensanctions', 'csv', 'gur'];

export interface ListedVessel {
  /** Stable key within the list (source's own id if any, e.g. OFAC ent_num, else IMO, else normalised name). */
  key: string;
  /** Primary name as listed (whitespace tidied; parenthesised former names moved to `aliases`). */
  name: string | null;
  /** a.k.a. / f.k.a. / former names / alias columns, de-duplicated, primary name excluded. */
  aliases: string[];
  /** Only if the 7-digit value passes the IMO check digit (and `subject` is 'vessel'). */
  imo: number | null;
  /** As written, kept when invalid. */
  imoRaw: string | null;
  /** null when no IMO given. */
  imoValid: boolean | null;
  /** 9-digit MMSI if the list gives one. */
  mmsi: number | null;
  /** Former MMSIs where given (GUR mmsi_legacy), current MMSI excluded. */
  mmsiLegacy: number[];
  callsign: string | null;
  /** As written (country name or code). */
  flag: string | null;
  /** Former flags where given (OFAC "Former Vessel Flag", FtM pastFlags). */
  formerFlags: string[];
  vesselType: string | null;
  /** Sanctions programme / regime / annex / reason. */
  program: string | null;
  /** ISO date (YYYY-MM-DD) the vessel was designated/listed, where the source gives it. */
  listedAt: string | null;
  /**
   * 'vessel' for ship records. 'company' for UN entries: the UN list carries IMO *company*
   * (registered owner / manager) numbers of sanctioned shipping firms, not ship IMO numbers,
   * so `imo` stays null there and `imoRaw` holds the company number.
   */
  subject: 'vessel' | 'company';
  source: ListFormat;
  /** 'line N' or an XML path, for error messages and audit. */
  location: string;
}

export interface SkippedRow {
  location: string;
  reason: string;
}

export interface InvalidImo {
  location: string;
  imoRaw: string;
}

export interface ParseOutcome {
  vessels: ListedVessel[];
  skipped: SkippedRow[];
  invalidImos: InvalidImo[];
}

/** One row of the match index; the loader makes one per name/alias of a listed vessel. */
export interface MatchEntry {
  entryId: string;
  imo: number | null;
  mmsi: number | null;
  /** normalizeVesselName() of a name or alias. */
  nameKey: string | null;
  callsign: string | null;
  /** Epoch ms from which the MMSI pairing counts (the listing date when known); null = unbounded. */
  validFrom: number | null;
  /** Epoch ms, exclusive; null = unbounded. */
  validTo: number | null;
}

export type MatchRule = 'imo' | 'mmsi' | 'name_callsign' | 'name';

export interface MatchResult {
  entryId: string;
  rule: MatchRule;
  confidence: number;
}

export interface VesselIdentity {
  imo: number | null;
  mmsi: number;
  name: string | null;
  callsign: string | null;
}
