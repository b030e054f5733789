/** Watchlist entries pair an IMO with an MMSI; AIS that breaks the pairing is worth a look. */
import { iso, mmsiText, when } from './format.ts';
import type { AnomalyOf, WatchlistPairing } from './types.ts';

const entryName = (e: WatchlistPairing) => `watchlist "${e.list}" entry ${e.entryKey}${e.name ? ` (${e.name})` : ''}`;

/**
 * `watchlist_pairing_mismatch` for one MMSI and the IMOs it reported:
 * - an entry lists this MMSI with IMO A, but the MMSI reports IMO B ≠ A (high: the listed
 *   identity is being worn by another hull, or the MMSI was reassigned — either way the list's
 *   MMSI no longer means the listed ship);
 * - an entry lists IMO A with MMSI M, and this MMSI (≠ M, not among the entry's former MMSIs)
 *   reports IMO A (medium: the listed hull still says who it is, so an IMO match already
 *   catches it, but it moved to an MMSI the list doesn't know — a reflagging after listing).
 */
export function watchlistPairingAnomalies(
  mmsi: number,
  reportedImos: readonly { imo: number; firstSeen: number }[],
  entries: readonly WatchlistPairing[],
): AnomalyOf<'watchlist_pairing_mismatch'>[] {
  const out: AnomalyOf<'watchlist_pairing_mismatch'>[] = [];
  const sorted = [...entries].sort((a, b) => (a.list < b.list ? -1 : a.list > b.list ? 1 : a.entryId - b.entryId));
  for (const e of sorted) {
    if (e.imo === null) continue;
    const listed = { imo: e.imo, mmsi: e.mmsi, mmsiLegacy: [...e.mmsiLegacy] };
    for (const r of reportedImos) {
      const base = { kind: 'watchlist_pairing_mismatch' as const, mmsi, detectedFrom: iso(r.firstSeen), detectedTo: null };
      const observed = { imo: r.imo, mmsi, firstSeen: iso(r.firstSeen) };
      const evidence = { list: e.list, entryId: e.entryId, entryKey: e.entryKey, entryName: e.name, listed, observed };
      if (e.mmsi === mmsi && r.imo !== e.imo) {
        out.push({
          ...base,
          severity: 'high',
          evidence: { ...evidence, mismatch: 'imo' },
          explanation: `${entryName(e)} pairs IMO ${e.imo} with MMSI ${mmsiText(mmsi)}, but MMSI ${mmsiText(mmsi)} reports IMO ${r.imo} (since ${when(r.firstSeen)})`,
        });
      } else if (r.imo === e.imo && e.mmsi !== null && e.mmsi !== mmsi && !e.mmsiLegacy.includes(mmsi)) {
        out.push({
          ...base,
          severity: 'medium',
          evidence: { ...evidence, mismatch: 'mmsi' },
          explanation:
            `${entryName(e)} pairs IMO ${e.imo} with MMSI ${mmsiText(e.mmsi)}, but IMO ${e.imo} is reported by MMSI ${mmsiText(mmsi)} (since ${when(r.firstSeen)}), ` +
            `which is neither the listed MMSI nor ${e.mmsiLegacy.length ? `one of its former MMSIs (${e.mmsiLegacy.map(mmsiText).join(', ')})` : 'a listed former MMSI'}`,
        });
      }
    }
  }
  return out;
}
