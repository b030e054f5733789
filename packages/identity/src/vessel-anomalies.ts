import { flagHoppingAnomalies, nameChangesAnomaly } from './identity-changes-rule.ts';
import { imoCheckDigitAnomaly } from './imo-rule.ts';
import { invalidMmsiAnomaly } from './mmsi-rule.ts';
import { identityOptions, type IdentityRuleOptions } from './options.ts';
import { imoMultipleMmsiAnomalies, mmsiMultipleImoAnomaly } from './pairing-rules.ts';
import { sharedMmsiAnomaly } from './speed-rule.ts';
import { fixedPatternAnomaly, imoFarApartAnomaly, onLandAnomaly, sogMismatchAnomaly, type IdentityHooks } from './spoofing-rules.ts';
import { ANOMALY_KINDS, type Anomaly, type VesselIdentityFacts } from './types.ts';
import { watchlistPairingAnomalies } from './watchlist-rule.ts';

/** The IMO values an MMSI reported, with first sightings (history; the vessels row as a fallback). */
export function reportedImos(facts: Pick<VesselIdentityFacts, 'history' | 'vessel'>): { imo: number; firstSeen: number }[] {
  const out = new Map<number, number>();
  for (const h of facts.history) {
    if (h.field !== 'imo') continue;
    const imo = Number(h.value);
    if (Number.isInteger(imo)) out.set(imo, Math.min(h.firstSeen, out.get(imo) ?? Infinity));
  }
  // Ingest writes each reported IMO to both tables, so this only matters for rows written otherwise.
  const current = facts.vessel?.imo ?? null;
  if (current !== null && !out.has(current)) out.set(current, facts.vessel!.firstSeen);
  return [...out].map(([imo, firstSeen]) => ({ imo, firstSeen })).sort((a, b) => a.firstSeen - b.firstSeen || a.imo - b.imo);
}

const order = new Map(ANOMALY_KINDS.map((k, i) => [k, i]));

/**
 * Every identity anomaly of one MMSI, in ANOMALY_KINDS order, then by detectedFrom. `on_land`
 * needs `hooks.isOnLand`, and `imo_far_apart` needs `facts.peerTracks`; without them they are not
 * evaluated.
 */
export function anomaliesFromFacts(facts: VesselIdentityFacts, options: Partial<IdentityRuleOptions> = {}, hooks: IdentityHooks = {}): Anomaly[] {
  const opts = identityOptions(options);
  const { mmsi } = facts;
  const out: Anomaly[] = [];
  const seen =
    facts.vessel ?? (facts.track.length ? { firstSeen: facts.track[0]!.ts, lastSeen: facts.track[facts.track.length - 1]!.ts } : null);
  if (seen) {
    const a = invalidMmsiAnomaly(mmsi, seen);
    if (a) out.push(a);
  }
  const imos = reportedImos(facts);
  for (const { imo, firstSeen } of imos) {
    const a = imoCheckDigitAnomaly(mmsi, imo, firstSeen);
    if (a) out.push(a);
  }
  const shared = sharedMmsiAnomaly(mmsi, facts.track, opts);
  if (shared) out.push(shared);
  out.push(...imoMultipleMmsiAnomalies(mmsi, facts.imoClaims));
  const multi = mmsiMultipleImoAnomaly(mmsi, imos);
  if (multi) out.push(multi);
  const names = nameChangesAnomaly(mmsi, facts.history, opts);
  if (names) out.push(names);
  out.push(...flagHoppingAnomalies(mmsi, facts.imoClaims, opts));
  out.push(...watchlistPairingAnomalies(mmsi, imos, facts.watchlist));
  const farApart = facts.peerTracks ? imoFarApartAnomaly(mmsi, facts.track, facts.peerTracks, opts) : null;
  if (farApart) out.push(farApart);
  const pattern = fixedPatternAnomaly(mmsi, facts.track, opts);
  if (pattern) out.push(pattern);
  const land = hooks.isOnLand ? onLandAnomaly(mmsi, facts.track, hooks.isOnLand, opts) : null;
  if (land) out.push(land);
  const sog = sogMismatchAnomaly(mmsi, facts.track, opts);
  if (sog) out.push(sog);
  return out.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || (a.detectedFrom < b.detectedFrom ? -1 : a.detectedFrom > b.detectedFrom ? 1 : 0));
}
