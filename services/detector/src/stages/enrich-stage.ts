import type { AnomalousVessel, ColumnarPositions, IdentityRepository, TrackRepository } from '@rendezvous/db';
import { ANOMALY_KINDS, DEFAULT_IDENTITY_OPTIONS, fixedPatternAnomaly, onLandAnomaly, sogMismatchAnomaly, type AnomalyKind, type Fix } from '@rendezvous/identity';

/**
 * Spoofing kinds judged on a vessel's own reports: here on the raw reports already read for the
 * evidence (the event ± its margin), with the same rules as the identity API — instead of SQL
 * over the whole context, which cost seconds per window (issue 13 benchmark).
 */
const TRACK_KINDS: readonly AnomalyKind[] = ['fixed_pattern', 'on_land', 'sog_mismatch'];
/** Kinds read from the database: all but the track kinds and shared MMSIs (known from this window's split). */
const READ_KINDS = ANOMALY_KINDS.filter((k) => k !== 'shared_mmsi' && !TRACK_KINDS.includes(k));
/**
 * Of those, the one whose query takes the vessel list (it scans their positions). The others
 * read every vessel seen in the range whatever list is given, so one read per range serves
 * every branch of a run (RunAnomalies) instead of one per branch.
 */
const PER_VESSEL_KINDS: readonly AnomalyKind[] = ['imo_far_apart'];
const RANGE_KINDS = READ_KINDS.filter((k) => !PER_VESSEL_KINDS.includes(k));

/**
 * One run's reads of the anomaly kinds that do not depend on the vessel list, by range: the
 * rendezvous, dark and port-call branches of a run share them (the same context, the same
 * rows). Made per run, so a later run reads the database again.
 */
export type RunAnomalies = (range: { from: number; to: number }) => Promise<AnomalousVessel[]>;

/** A vessel an event is about, over the event's time (ms). */
export interface EventVessel {
  mmsi: number;
  start: number;
  end: number;
  /** Read its evidence even beyond the loaded context (a gap's reports either side of it). */
  unclamped?: boolean;
  /** Its evidence comes from elsewhere (a loitering's bucket reports): anomalies only. */
  noEvidence?: boolean;
}

export interface Enrichment {
  /** Each event vessel's raw reports over its events ± the evidence margin (within the context). */
  evidence: Map<number, ColumnarPositions>;
  /** Identity anomaly kinds of each event vessel over the context. */
  anomalyKinds: Map<number, string[]>;
  evidenceStartAt: number;
  evidenceMs: number;
  /** The identity anomaly queries (run beside the evidence read). */
  anomaliesMs: number;
}

/**
 * Enrich: what the alerts need beyond the events — raw evidence tracks and identity anomalies
 * (lists are matched at scoring, from the matcher the load stage fetched). The evidence is read
 * on one connection while the anomaly queries run on others.
 */
export function createEnrichStage(
  deps: { evidence: Pick<TrackRepository, 'loadSpans'>; anomalies: Pick<IdentityRepository, 'anomalousVessels'> },
  options: { marginMs: number; isOnLand?: ((lon: number, lat: number) => boolean) | undefined },
) {
  const { marginMs, isOnLand } = options;
  /** A run's shared reads (see RunAnomalies); each call gives a fresh one. */
  function forRun(): RunAnomalies {
    const byRange = new Map<string, Promise<AnomalousVessel[]>>();
    return (range) => {
      const key = `${range.from}:${range.to}`;
      let read = byRange.get(key);
      if (!read) {
        read = deps.anomalies.anomalousVessels({ from: new Date(range.from), to: new Date(range.to), kinds: RANGE_KINDS });
        byRange.set(key, read);
      }
      return read;
    };
  }
  async function enrich(vessels: readonly EventVessel[], context: { from: number; to: number }, splitMmsis: readonly number[], shared: RunAnomalies = forRun()): Promise<Enrichment> {
    // Evidence is raw: each event vessel's reports over its events ± the margin, within the
    // loaded context (what the raw read of the whole context used to give).
    const spans = new Map<number, { mmsi: number; from: number; to: number }>();
    for (const v of vessels) {
      if (v.noEvidence) continue;
      const f = v.unclamped ? v.start - marginMs : Math.max(context.from, v.start - marginMs);
      const t = v.unclamped ? v.end + marginMs : Math.min(context.to - 1, v.end + marginMs);
      const s = spans.get(v.mmsi);
      if (!s) spans.set(v.mmsi, { mmsi: v.mmsi, from: f, to: t });
      else [s.from, s.to] = [Math.min(s.from, f), Math.max(s.to, t)];
    }
    const evidenceStartAt = performance.now();
    let evidenceMs = 0;
    let anomaliesMs = 0;
    const anomalyKinds = new Map<number, string[]>();
    const [evidence] = await Promise.all([
      deps.evidence.loadSpans([...spans.values()]).then((r) => {
        evidenceMs = performance.now() - evidenceStartAt;
        return r;
      }),
      (async () => {
        if (vessels.length === 0) return;
        const involved = new Set(vessels.map((v) => v.mmsi));
        // Shared MMSIs are known from the split of this window's tracks (below); the track kinds
        // are judged on the evidence reports (after the read).
        const [ofRange, ofVessels] = await Promise.all([
          shared(context),
          deps.anomalies.anomalousVessels({ from: new Date(context.from), to: new Date(context.to), kinds: PER_VESSEL_KINDS, mmsis: [...involved] }),
        ]);
        const found = new Map<number, Set<string>>();
        for (const v of [...ofRange, ...ofVessels]) {
          if (!involved.has(v.mmsi)) continue;
          const kinds = found.get(v.mmsi) ?? new Set<string>();
          for (const k of v.kinds) kinds.add(k);
          found.set(v.mmsi, kinds);
        }
        // In ANOMALY_KINDS order, as one read of all the kinds returned them.
        for (const [mmsi, kinds] of found) anomalyKinds.set(mmsi, ANOMALY_KINDS.filter((k) => kinds.has(k)));
        for (const m of splitMmsis) anomalyKinds.set(m, [...(anomalyKinds.get(m) ?? []), 'shared_mmsi']);
        anomaliesMs = performance.now() - evidenceStartAt;
      })(),
    ]);
    const trackStarted = performance.now();
    for (const [mmsi, p] of evidence) {
      const track: Fix[] = [];
      for (let i = 0; i < p.t.length; i++) track.push({ ts: p.t[i]!, lon: p.lon[i]!, lat: p.lat[i]!, sog: Number.isNaN(p.sog[i]!) ? null : p.sog[i]! });
      const found = [
        fixedPatternAnomaly(mmsi, track, DEFAULT_IDENTITY_OPTIONS),
        isOnLand ? onLandAnomaly(mmsi, track, isOnLand, DEFAULT_IDENTITY_OPTIONS) : null,
        sogMismatchAnomaly(mmsi, track, DEFAULT_IDENTITY_OPTIONS),
      ].filter((a) => a !== null);
      if (found.length > 0) {
        const kinds = new Set([...(anomalyKinds.get(mmsi) ?? []), ...found.map((a) => a.kind)]);
        anomalyKinds.set(mmsi, ANOMALY_KINDS.filter((k) => kinds.has(k)));
      }
    }
    anomaliesMs += performance.now() - trackStarted;
    return { evidence, anomalyKinds, evidenceStartAt, evidenceMs, anomaliesMs };
  }
  return Object.assign(enrich, { forRun });
}
export type EnrichStage = ReturnType<typeof createEnrichStage>;
