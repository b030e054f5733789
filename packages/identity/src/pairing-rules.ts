/** One IMO under several MMSIs, and one MMSI under several IMOs. */
import { isValidImo } from '@rendezvous/ais';
import { iso, mmsiText, when } from './format.ts';
import type { AnomalyOf, ImoClaim } from './types.ts';

/** Earliest claim per (IMO, MMSI). */
function distinctClaims(claims: readonly ImoClaim[]): ImoClaim[] {
  const byKey = new Map<string, ImoClaim>();
  for (const c of claims) {
    const key = `${c.imo}:${c.mmsi}`;
    const prev = byKey.get(key);
    if (!prev || c.firstSeen < prev.firstSeen) byKey.set(key, c);
  }
  return [...byKey.values()].sort((a, b) => a.imo - b.imo || a.firstSeen - b.firstSeen || a.mmsi - b.mmsi);
}

const overlaps = (a: ImoClaim, b: ImoClaim) => a.firstSeen <= (b.lastSeen ?? Infinity) && b.firstSeen <= (a.lastSeen ?? Infinity);

/**
 * `imo_multiple_mmsi`: each valid IMO this MMSI reported that other MMSIs reported too. Only
 * IMOs passing the check digit count: placeholders such as 9999999 are shared by unrelated
 * craft, and an invalid IMO is already its own anomaly. Concurrent use (both MMSIs transmitting
 * while claiming the hull), or three or more MMSIs, is high; one MMSI after another is medium,
 * since a legitimate change of flag also changes the MMSI. (1234567, a common placeholder,
 * happens to pass the check digit: unrelated craft using it show up here.)
 */
export function imoMultipleMmsiAnomalies(mmsi: number, claims: readonly ImoClaim[]): AnomalyOf<'imo_multiple_mmsi'>[] {
  const all = distinctClaims(claims);
  const out: AnomalyOf<'imo_multiple_mmsi'>[] = [];
  for (const self of all) {
    if (self.mmsi !== mmsi || !isValidImo(self.imo)) continue;
    const others = all.filter((c) => c.imo === self.imo && c.mmsi !== mmsi);
    if (others.length === 0) continue;
    const concurrent = others.some((o) => overlaps(self, o));
    const firstOther = Math.min(...others.map((o) => o.firstSeen));
    const list = others
      .map((o) => `MMSI ${mmsiText(o.mmsi)} (since ${when(o.firstSeen)}${o.lastSeen !== null ? `, last heard ${when(o.lastSeen)}` : ''})`)
      .join(', ');
    out.push({
      kind: 'imo_multiple_mmsi',
      mmsi,
      severity: concurrent || others.length >= 2 ? 'high' : 'medium',
      detectedFrom: iso(Math.max(self.firstSeen, firstOther)),
      detectedTo: null,
      evidence: {
        imo: self.imo,
        self: { mmsi, firstSeen: iso(self.firstSeen) },
        others: others.map((o) => ({ mmsi: o.mmsi, firstSeen: iso(o.firstSeen), lastSeen: o.lastSeen === null ? null : iso(o.lastSeen), flag: o.flag })),
        concurrent,
      },
      explanation:
        `IMO ${self.imo}, reported by MMSI ${mmsiText(mmsi)} since ${when(self.firstSeen)}, is also reported by ${list}` +
        (concurrent ? '; the transmissions overlap in time, so more than one transmitter claims this hull' : '; one after the other, as when a ship changes MMSI'),
    });
  }
  return out;
}

/**
 * `mmsi_multiple_imo`: one MMSI reporting several IMO numbers. Every reported value counts here,
 * valid or not (a switch from a real IMO to a made-up one is exactly the signal). Two valid IMOs
 * is high (two hulls behind one identity, or a reused MMSI); otherwise medium.
 */
export function mmsiMultipleImoAnomaly(mmsi: number, imos: readonly { imo: number; firstSeen: number }[]): AnomalyOf<'mmsi_multiple_imo'> | null {
  const earliest = new Map<number, number>();
  for (const { imo, firstSeen } of imos) earliest.set(imo, Math.min(firstSeen, earliest.get(imo) ?? Infinity));
  if (earliest.size < 2) return null;
  const list = [...earliest].map(([imo, firstSeen]) => ({ imo, firstSeen, valid: isValidImo(imo) })).sort((a, b) => a.firstSeen - b.firstSeen || a.imo - b.imo);
  const valid = list.filter((x) => x.valid).length;
  return {
    kind: 'mmsi_multiple_imo',
    mmsi,
    severity: valid >= 2 ? 'high' : 'medium',
    detectedFrom: iso(list[1]!.firstSeen),
    detectedTo: null,
    evidence: { imos: list.map((x) => ({ imo: x.imo, firstSeen: iso(x.firstSeen), validCheckDigit: x.valid })) },
    explanation:
      `MMSI ${mmsiText(mmsi)} has reported ${list.length} IMO numbers: ` +
      list.map((x) => `${x.imo}${x.valid ? '' : ' (fails the IMO check)'} since ${when(x.firstSeen)}`).join(', '),
  };
}
