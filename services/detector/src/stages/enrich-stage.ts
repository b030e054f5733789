import type { ColumnarPositions, IdentityRepository, TrackRepository } from '@rendezvous/db';
import { ANOMALY_KINDS } from '@rendezvous/identity';

/** A vessel an event is about, over the event's time (ms). */
export interface EventVessel {
  mmsi: number;
  start: number;
  end: number;
  /** Read its evidence even beyond the loaded context (a gap's reports either side of it). */
  unclamped?: boolean;
}

export interface Enrichment {
  /** Each event vessel's raw reports over its events ± the evidence margin (within the context). */
  evidence: Map<number, ColumnarPositions>;
  /** Identity anomaly kinds of each event vessel over the context. */
  anomalyKinds: Map<number, string[]>;
  evidenceStartAt: number;
  evidenceMs: number;
}

/**
 * Enrich: what the alerts need beyond the events — raw evidence tracks and identity anomalies
 * (lists are matched at scoring, from the matcher the load stage fetched). The evidence is read
 * on one connection while the anomaly queries run on others.
 */
export function createEnrichStage(
  deps: { evidence: Pick<TrackRepository, 'loadSpans'>; anomalies: Pick<IdentityRepository, 'anomalousVessels'> },
  options: { marginMs: number },
) {
  const { marginMs } = options;
  return async function enrich(vessels: readonly EventVessel[], context: { from: number; to: number }, splitMmsis: readonly number[]): Promise<Enrichment> {
    // Evidence is raw: each event vessel's reports over its events ± the margin, within the
    // loaded context (what the raw read of the whole context used to give).
    const spans = new Map<number, { mmsi: number; from: number; to: number }>();
    for (const v of vessels) {
      const f = v.unclamped ? v.start - marginMs : Math.max(context.from, v.start - marginMs);
      const t = v.unclamped ? v.end + marginMs : Math.min(context.to - 1, v.end + marginMs);
      const s = spans.get(v.mmsi);
      if (!s) spans.set(v.mmsi, { mmsi: v.mmsi, from: f, to: t });
      else [s.from, s.to] = [Math.min(s.from, f), Math.max(s.to, t)];
    }
    const evidenceStartAt = performance.now();
    let evidenceMs = 0;
    const anomalyKinds = new Map<number, string[]>();
    const [evidence] = await Promise.all([
      deps.evidence.loadSpans([...spans.values()]).then((r) => {
        evidenceMs = performance.now() - evidenceStartAt;
        return r;
      }),
      (async () => {
        if (vessels.length === 0) return;
        const involved = new Set(vessels.map((v) => v.mmsi));
        for (const v of await deps.anomalies.anomalousVessels({
          from: new Date(context.from),
          to: new Date(context.to),
          // Shared MMSIs are known from the split of this window's tracks (below).
          kinds: ANOMALY_KINDS.filter((k) => k !== 'shared_mmsi'),
        })) {
          if (involved.has(v.mmsi)) anomalyKinds.set(v.mmsi, [...v.kinds]);
        }
        for (const m of splitMmsis) anomalyKinds.set(m, [...(anomalyKinds.get(m) ?? []), 'shared_mmsi']);
      })(),
    ]);
    return { evidence, anomalyKinds, evidenceStartAt, evidenceMs };
  };
}
export type EnrichStage = ReturnType<typeof createEnrichStage>;
