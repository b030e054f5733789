import { eventKey, type RendezvousEvent } from '@rendezvous/detection';
import { EvidenceTrack, unknownVessel, type AlertWrite, type ColumnarPositions, type VesselIdentity } from '@rendezvous/db';
import { scoreRendezvous, type EventContext, type ScoredVessel } from '@rendezvous/scoring';
import type { ListMatch, ListMatcher, SuspectMatch } from '@rendezvous/watchlists';
import type { Enrichment } from './enrich-stage.ts';

/** The vessel as the alert shows it: identity, list matches and anomalies at the event's start. */
export function vesselSnapshot(mmsi: number, at: number, identities: Map<number, VesselIdentity>, matcher: ListMatcher, anomalies: string[]) {
  const id = identities.get(mmsi) ?? unknownVessel(mmsi);
  const matches: (ListMatch | SuspectMatch)[] = matcher.matchAt(id, at);
  const listMatches = matches
    .filter((m): m is ListMatch => m.kind === 'watchlist' && m.status === 'listed')
    .map((m) => ({ list: m.list, rule: m.rule, confidence: m.confidence, entryName: m.entryName }));
  const suspects = matches.filter((m): m is SuspectMatch => m.kind === 'suspect').map((m) => ({ suspectId: m.suspectId, rule: m.rule, reason: m.reason }));
  const scored: ScoredVessel = { mmsi, name: id.name, shipType: id.shipType, listMatches, suspects, anomalies };
  return { scored, json: { ...id, listMatches, suspects, anomalies } };
}

export interface RendezvousScoring {
  identities: Map<number, VesselIdentity>;
  matcher: ListMatcher;
  enrichment: Enrichment;
  byMmsi: Map<number, ColumnarPositions>;
  provisional: ReadonlySet<string>;
  /** Wall clock now (ms). */
  now: number;
  /** Circumstances that raise the event's score (STS hub, nearby dark activity, draught). */
  contextOf?: (e: RendezvousEvent) => EventContext;
}

/**
 * Score: each rendezvous event as the alert to write — status (open while it may still grow),
 * both vessels' snapshots, the explainable score, the lists involved and the evidence tracks.
 */
export function rendezvousWrites(
  events: readonly RendezvousEvent[],
  input: RendezvousScoring,
  options: { marginMs: number; liveHorizonMs: number; maxMergeGapMs: number },
): AlertWrite[] {
  const { identities, matcher, enrichment, byMmsi, provisional, now } = input;
  const { marginMs, liveHorizonMs, maxMergeGapMs } = options;
  return events.map((e) => {
    const key = eventKey(e);
    const lastData = Math.max(lastT(byMmsi.get(e.a)), lastT(byMmsi.get(e.b)));
    // Open while recent and not yet seen apart for the merge gap (or still unsettled): an
    // archive meeting is closed whatever the data after it.
    const mayGrow = now - e.end < liveHorizonMs && (provisional.has(key) || lastData - e.end < maxMergeGapMs);
    const vesselA = vesselSnapshot(e.a, e.start, identities, matcher, enrichment.anomalyKinds.get(e.a) ?? []);
    const vesselB = vesselSnapshot(e.b, e.start, identities, matcher, enrichment.anomalyKinds.get(e.b) ?? []);
    const context = input.contextOf?.(e);
    const { score, factors } = scoreRendezvous({ ...e, a: vesselA.scored, b: vesselB.scored, ...(context ? { context } : {}) });
    return {
      key,
      status: mayGrow ? ('ongoing' as const) : ('closed' as const),
      event: e,
      vesselA: vesselA.json,
      vesselB: vesselB.json,
      score,
      scoreFactors: factors,
      watchlists: [...new Set([...vesselA.scored.listMatches, ...vesselB.scored.listMatches].map((m) => m.list))].sort(),
      evidence: {
        marginS: marginMs / 1000,
        trackA: evidenceSlice(enrichment.evidence.get(e.a), e.start - marginMs, e.end + marginMs),
        trackB: evidenceSlice(enrichment.evidence.get(e.b), e.start - marginMs, e.end + marginMs),
      },
    };
  });
}

const lastT = (p: ColumnarPositions | undefined) => (p && p.t.length ? p.t[p.t.length - 1]! : -Infinity);

/**
 * Evidence rows as stored: [epoch ms, lon, lat, sog | null], lon/lat to 7 decimals (1 cm), as the
 * events' centroids and hulls are: AIS reports positions in 1/10,000 minute (1/600,000°, ITU-R
 * M.1371), so every distinct reported value stays distinct, while the JSON is a quarter shorter
 * than with the 15–17 digits of the stored doubles (evidence is most of what a window writes:
 * issue 13 benchmark). A view of the vessel's columns (EvidenceTrack, written by the alert
 * repository's serializer), not an array of rows: those were the largest allocation of a job.
 */
export function evidenceSlice(p: ColumnarPositions | undefined, fromMs: number, toMs: number): EvidenceTrack {
  if (!p) return EMPTY;
  const t = p.t;
  const n = t.length;
  let i = 0;
  while (i < n && (t[i]! < fromMs || t[i]! > toMs)) i++;
  let j = i;
  while (j < n && t[j]! >= fromMs && t[j]! <= toMs) j++;
  // Time-ordered columns hold the slice as one run; anything after it in range (columns out of
  // time order) makes it a copy of the rows in range, in column order.
  let k = j;
  while (k < n && (t[k]! < fromMs || t[k]! > toMs)) k++;
  if (k === n) return new EvidenceTrack(t, p.lon, p.lat, p.sog, i, j);
  const idx: number[] = [];
  for (let m = i; m < n; m++) if (t[m]! >= fromMs && t[m]! <= toMs) idx.push(m);
  const pick = (a: Float64Array) => Float64Array.from(idx, (m) => a[m]!);
  return new EvidenceTrack(pick(t), pick(p.lon), pick(p.lat), pick(p.sog), 0, idx.length);
}

const EMPTY = new EvidenceTrack(new Float64Array(0), new Float64Array(0), new Float64Array(0), new Float64Array(0), 0, 0);

