import {
  DETECTOR_VERSION,
  darkRendezvousKey,
  gapEventKey,
  loiteringEventKey,
  type AisGapEvent,
  type DarkActivityProfile,
  type DarkRendezvousEvent,
  type LoiteringEvent,
} from '@rendezvous/detection';
import type { BehaviourAlertWrite, ColumnarPositions, VesselIdentity } from '@rendezvous/db';
import { scoreDarkActivity, scoreDarkRendezvous, type EventContext } from '@rendezvous/scoring';
import type { ListMatcher } from '@rendezvous/watchlists';
import type { Enrichment, EventVessel } from './enrich-stage.ts';
import { evidenceSlice, vesselSnapshot } from './score-stage.ts';

export interface DarkScoring {
  identities: Map<number, VesselIdentity>;
  matcher: ListMatcher;
  enrichment: Enrichment;
  /** Wall clock now (ms). */
  now: number;
  /** Loitering vessels' bucket reports, and which loitering vessels were judged on raw reports. */
  buckets: Map<number, ColumnarPositions>;
  rawLoiterers: ReadonlySet<number>;
  /** Event context (STS hub, draught changes) at a place and time, per vessel. */
  contextOf: (where: { lon: number; lat: number }, mmsis: readonly number[], start: number, end: number) => EventContext;
}

export interface DarkWriteOptions {
  marginMs: number;
  /** An open event older than this is closed (its vessel may never be heard again). */
  liveHorizonMs: number;
  profiles: readonly DarkActivityProfile[];
}

/** The vessels and times each event's evidence and anomalies are read for. */
export function darkEventVessels(
  gaps: readonly AisGapEvent[],
  loiterings: readonly LoiteringEvent[],
  dark: readonly DarkRendezvousEvent[],
  gapByKey: Map<string, AisGapEvent>,
  rawLoiterers: ReadonlySet<number>,
): EventVessel[] {
  const out: EventVessel[] = [];
  // A gap's evidence is the vessel's reports either side of it, which may lie past the loaded data.
  for (const g of gaps) out.push({ mmsi: g.mmsi, start: g.off.t, end: g.on?.t ?? g.off.t, unclamped: true });
  // A loitering's evidence is the bucket reports it was judged on (hours of them; no raw read),
  // unless it was judged on raw reports (its vessel reported moving): then those, read here.
  for (const l of loiterings) out.push({ mmsi: l.mmsi, start: l.start, end: l.end, unclamped: true, ...(rawLoiterers.has(l.mmsi) ? {} : { noEvidence: true }) });
  for (const d of dark) {
    out.push({ mmsi: d.a, start: d.start, end: d.end, unclamped: true });
    const g = gapByKey.get(d.gapKeys[d.gapKeys.length - 1]!);
    out.push({ mmsi: d.b, start: g?.off.t ?? d.start, end: g?.on?.t ?? d.end, unclamped: true });
  }
  return out;
}

const versioned = <E extends { profile: string }>(e: E) => ({ ...e, detectorVersion: DETECTOR_VERSION });

function minDurationOf(profiles: readonly DarkActivityProfile[], name: string, field: 'gapMinMs' | 'loiterMinMs'): number {
  return profiles.find((p) => p.name === name)?.[field] ?? 0;
}

/** An AIS gap as the alert to write: the off position is where it is shown. */
export function gapWrites(gaps: readonly AisGapEvent[], input: DarkScoring, options: DarkWriteOptions): BehaviourAlertWrite[] {
  return gaps.map((g) => {
    const vessel = vesselSnapshot(g.mmsi, g.start, input.identities, input.matcher, input.enrichment.anomalyKinds.get(g.mmsi) ?? []);
    const { score, factors } = scoreDarkActivity({
      kind: 'ais_gap',
      start: g.start,
      end: g.end,
      minDurationMs: minDurationOf(options.profiles, g.profile, 'gapMinMs'),
      centroid: g.off,
      vessel: vessel.scored,
      shoreDistanceM: g.offShoreDistanceM,
      neighboursHeard: g.neighboursHeard,
      context: input.contextOf(g.off, [g.mmsi], g.start, g.end),
    });
    const open = g.ongoing && input.now - g.end < options.liveHorizonMs;
    return oneVesselWrite('ais_gap', gapEventKey(g), open, versioned(g), vessel, g, { lon: g.off.lon, lat: g.off.lat }, { score, factors }, null, {
      marginS: options.marginMs / 1000,
      trackA: evidenceSlice(input.enrichment.evidence.get(g.mmsi), g.off.t - options.marginMs, (g.on?.t ?? g.off.t) + options.marginMs),
      trackB: null,
    });
  });
}

/** A loitering as the alert to write. Open while it runs to the end of the data and is recent. */
export function loiteringWrites(loiterings: readonly LoiteringEvent[], input: DarkScoring, options: DarkWriteOptions): BehaviourAlertWrite[] {
  return loiterings.map((l) => {
    const vessel = vesselSnapshot(l.mmsi, l.start, input.identities, input.matcher, input.enrichment.anomalyKinds.get(l.mmsi) ?? []);
    const { score, factors } = scoreDarkActivity({
      kind: 'loitering',
      start: l.start,
      end: l.end,
      minDurationMs: minDurationOf(options.profiles, l.profile, 'loiterMinMs'),
      centroid: l.centroid,
      vessel: vessel.scored,
      shoreDistanceM: l.shoreDistanceM,
      context: input.contextOf(l.centroid, [l.mmsi], l.start, l.end),
    });
    const open = l.truncated && input.now - l.end < options.liveHorizonMs;
    return oneVesselWrite('loitering', loiteringEventKey(l), open, versioned(l), vessel, l, l.centroid, { score, factors }, l.meanSpeedKn, {
      marginS: options.marginMs / 1000,
      trackA: evidenceSlice(
        input.rawLoiterers.has(l.mmsi) ? input.enrichment.evidence.get(l.mmsi) : input.buckets.get(l.mmsi),
        l.start - options.marginMs,
        l.end + options.marginMs,
      ),
      trackB: null,
    });
  });
}

/** A dark rendezvous as the alert to write: both parties, the reasoning in its first factor. */
export function darkRendezvousWrites(
  dark: readonly DarkRendezvousEvent[],
  gapByKey: Map<string, AisGapEvent>,
  input: DarkScoring,
  options: DarkWriteOptions,
): BehaviourAlertWrite[] {
  return dark.map((d) => {
    const a = vesselSnapshot(d.a, d.start, input.identities, input.matcher, input.enrichment.anomalyKinds.get(d.a) ?? []);
    const b = vesselSnapshot(d.b, d.start, input.identities, input.matcher, input.enrichment.anomalyKinds.get(d.b) ?? []);
    const { score, factors } = scoreDarkRendezvous({
      start: d.start,
      end: d.end,
      centroid: d.centroid,
      confidence: d.confidence,
      reason: d.reasons.join('; '),
      a: a.scored,
      b: b.scored,
      context: input.contextOf(d.centroid, [d.a, d.b], d.start, d.end),
    });
    const gapB = gapByKey.get(d.gapKeys[d.gapKeys.length - 1]!);
    const open = d.gapKeys.some((k) => gapByKey.get(k)?.ongoing) && input.now - d.end < options.liveHorizonMs;
    const m = options.marginMs;
    return {
      type: 'dark_rendezvous' as const,
      key: darkRendezvousKey(d),
      status: open ? ('ongoing' as const) : ('closed' as const),
      event: versioned(d),
      mmsiA: d.a,
      mmsiB: d.b,
      vesselA: a.json,
      vesselB: b.json,
      start: d.start,
      end: d.end,
      centroid: d.centroid,
      inPort: false,
      closestM: null,
      medianM: null,
      medianSogA: null,
      medianSogB: null,
      score,
      scoreFactors: factors,
      watchlists: listsOf([a.scored, b.scored]),
      evidence: {
        marginS: m / 1000,
        trackA: evidenceSlice(input.enrichment.evidence.get(d.a), d.start - m, d.end + m),
        trackB: evidenceSlice(input.enrichment.evidence.get(d.b), (gapB?.off.t ?? d.start) - m, (gapB?.on?.t ?? d.end) + m),
      },
    };
  });
}

/** The alert row of a one-vessel behaviour (no second vessel, no distances between two). */
export function oneVesselWrite(
  type: BehaviourAlertWrite['type'],
  key: string,
  open: boolean,
  event: BehaviourAlertWrite['event'],
  vessel: ReturnType<typeof vesselSnapshot>,
  span: { mmsi: number; start: number; end: number },
  centroid: { lon: number; lat: number },
  scored: { score: number; factors: BehaviourAlertWrite['scoreFactors'] },
  medianSog: number | null,
  evidence: BehaviourAlertWrite['evidence'],
): BehaviourAlertWrite {
  return {
    type,
    key,
    status: open ? 'ongoing' : 'closed',
    event,
    mmsiA: span.mmsi,
    mmsiB: null,
    vesselA: vessel.json,
    vesselB: null,
    start: span.start,
    end: span.end,
    centroid,
    inPort: false,
    closestM: null,
    medianM: null,
    medianSogA: medianSog,
    medianSogB: null,
    score: scored.score,
    scoreFactors: scored.factors,
    watchlists: listsOf([vessel.scored]),
    evidence,
  };
}

function listsOf(vessels: readonly { listMatches: readonly { list: string }[] }[]): string[] {
  return [...new Set(vessels.flatMap((v) => v.listMatches.map((m) => m.list)))].sort();
}

