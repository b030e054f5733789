import { buildMatchIndex, match, type MatchIndex } from './match-index.ts';
import { normalizeVesselName } from './normalize.ts';
import type { MatchEntry, MatchRule, VesselIdentity } from './types.ts';

/** A stored list entry as the matcher needs it (one row of watchlist_entries with its list). */
export interface ListEntryRow {
  id: number;
  list: string;
  entry_key: string;
  name: string | null;
  aliases: string[];
  imo: number | null;
  mmsi: number | null;
  callsign: string | null;
  listed_at: string | Date | null;
  subject: string;
  program: string | null;
  added_at: Date;
  removed_at: Date | null;
}

export interface SuspectRow {
  id: number;
  imo: number | null;
  mmsi: number | null;
  reason: string;
  added_by: string;
  added_at: Date;
}

export interface ListMatch {
  kind: 'watchlist';
  list: string;
  entryKey: string;
  entryName: string | null;
  program: string | null;
  rule: MatchRule;
  confidence: number;
  /** Designation date from the list, if it gives one. */
  listedAt: string | null;
  /**
   * 'listed': on the list at the time asked about. 'listed_later': the same hull (by IMO) was
   * designated after that time — worth knowing, but it was not sanctioned then.
   */
  status: 'listed' | 'listed_later';
}

export interface SuspectMatch {
  kind: 'suspect';
  suspectId: number;
  rule: 'imo' | 'mmsi';
  confidence: number;
  reason: string;
  addedBy: string;
  addedAt: string;
}

const toMs = (d: string | Date | null): number | null => (d === null ? null : d instanceof Date ? d.getTime() : Date.parse(`${d.slice(0, 10)}T00:00:00Z`));

/**
 * Time-aware screening of a vessel against every list version ever imported plus the active
 * suspects. An MMSI pairing counts from the listing date, or — when the list gives none — from
 * when the entry was first imported: MMSIs are reassigned, so an undated pairing is not projected
 * into the past (636011916 was a ship in the 2010 DMA stream years before OFAC listed it for the
 * tanker KAZAN). Entries removed from a list stop matching from their removal. An IMO names one
 * hull for life, so IMO matches before the listing date come back as 'listed_later'.
 */
export function createListMatcher(entries: readonly ListEntryRow[], suspects: readonly SuspectRow[]) {
  const rows = new Map<string, ListEntryRow>();
  const matchEntries: MatchEntry[] = [];
  for (const r of entries) {
    const entryId = String(r.id);
    rows.set(entryId, r);
    const listedMs = toMs(r.listed_at);
    const validFrom = listedMs ?? r.added_at.getTime();
    const validTo = r.removed_at ? r.removed_at.getTime() : null;
    const isVessel = r.subject === 'vessel';
    const imo = isVessel ? r.imo : null;
    const names = new Set<string>();
    const primary = normalizeVesselName(r.name);
    matchEntries.push({ entryId, imo, mmsi: isVessel ? r.mmsi : null, nameKey: primary, callsign: r.callsign, validFrom, validTo });
    if (primary) names.add(primary);
    for (const a of r.aliases) {
      const k = normalizeVesselName(a);
      if (k === null || names.has(k)) continue;
      names.add(k);
      matchEntries.push({ entryId, imo, mmsi: null, nameKey: k, callsign: null, validFrom, validTo });
    }
  }
  const index: MatchIndex = buildMatchIndex(matchEntries);
  const suspectsByImo = new Map<number, SuspectRow[]>();
  const suspectsByMmsi = new Map<number, SuspectRow[]>();
  for (const s of suspects) {
    if (s.imo !== null) suspectsByImo.set(s.imo, [...(suspectsByImo.get(s.imo) ?? []), s]);
    if (s.mmsi !== null) suspectsByMmsi.set(s.mmsi, [...(suspectsByMmsi.get(s.mmsi) ?? []), s]);
  }

  return {
    entryCount: entries.length,
    /** Lists and suspects `vessel` matches at `atMs`, strongest rule first. */
    matchAt(vessel: VesselIdentity, atMs: number): (ListMatch | SuspectMatch)[] {
      const out: (ListMatch | SuspectMatch)[] = [];
      for (const m of match(index, vessel, atMs)) {
        const r = rows.get(m.entryId)!;
        if (r.removed_at && atMs >= r.removed_at.getTime()) continue; // delisted by then
        const listedMs = toMs(r.listed_at);
        out.push({
          kind: 'watchlist',
          list: r.list,
          entryKey: r.entry_key,
          entryName: r.name,
          program: r.program,
          rule: m.rule,
          confidence: m.confidence,
          listedAt: listedMs === null ? null : new Date(listedMs).toISOString().slice(0, 10),
          status: listedMs !== null && atMs < listedMs ? 'listed_later' : 'listed',
        });
      }
      const seen = new Set<number>();
      const push = (s: SuspectRow, rule: 'imo' | 'mmsi') => {
        if (seen.has(s.id)) return;
        seen.add(s.id);
        out.push({ kind: 'suspect', suspectId: s.id, rule, confidence: rule === 'imo' ? 1 : 0.9, reason: s.reason, addedBy: s.added_by, addedAt: s.added_at.toISOString() });
      };
      if (vessel.imo !== null) for (const s of suspectsByImo.get(vessel.imo) ?? []) push(s, 'imo');
      for (const s of suspectsByMmsi.get(vessel.mmsi) ?? []) push(s, 'mmsi');
      return out;
    },
  };
}
export type ListMatcher = ReturnType<typeof createListMatcher>;
