import {
  DETECTOR_VERSION,
  gapEventKey,
  gapNearSanctionedArea,
  portCallSanctioned,
  type AisGapEvent,
  type AnalysedVoyage,
  type GapNearSanctionedAreaFinding,
  type PortCall,
  type SanctionedAreaInput,
  type SanctionedPortList,
  type VoyageIrregularity,
  type VoyageLeg,
} from '@rendezvous/detection';
import type { BehaviourAlertWrite, ColumnarPositions, VesselIdentity } from '@rendezvous/db';
import type { DraughtChangeFinding } from '@rendezvous/identity';
import { scoreGapNearSanctionedArea, scoreSanctionedPortCall, scoreVoyageIrregularity, type EventContext } from '@rendezvous/scoring';
import type { ListMatcher } from '@rendezvous/watchlists';
import { oneVesselWrite } from './dark-writes.ts';
import type { Enrichment } from './enrich-stage.ts';
import { evidenceSlice, vesselSnapshot } from './score-stage.ts';

/**
 * The sanctions alerts (issue 15): a call at a sanctioned port, a gap near a sanctioned area after
 * which the vessel is deeper, and a voyage leg's irregularities. One-vessel alerts of the profile
 * `sanctions` (judged by the SANCTIONED_* lists and the voyage rules, not by a detection profile).
 */
const PROFILE = 'sanctions';

export interface SanctionedPortScoring {
  identities: Map<number, VesselIdentity>;
  matcher: ListMatcher;
  enrichment: Pick<Enrichment, 'anomalyKinds'>;
  /** The window's positions: the evidence track is the vessel's reports over the call. */
  byMmsi: Map<number, ColumnarPositions>;
  now: number;
  contextOf: (where: { lon: number; lat: number }, mmsis: readonly number[], start: number, end: number) => EventContext;
}

/** When a call ends for the alert: its departure, or its last slow time while still in port. */
export const callEnd = (c: PortCall): number => c.departure ?? c.arrival + c.durationMs;

/**
 * `port_call_sanctioned` (issue 15): each port call the rule finds at a sanctioned port or a port
 * of a sanctioned country, as a one-vessel alert shown at the port, owned like the call by the
 * window holding its arrival. Open while the vessel is still in port and the call is recent.
 */
export function sanctionedPortCallWrites(
  calls: readonly PortCall[],
  sanctioned: SanctionedPortList,
  input: SanctionedPortScoring,
  options: { marginMs: number; liveHorizonMs: number },
): BehaviourAlertWrite[] {
  const out: BehaviourAlertWrite[] = [];
  for (const call of calls) {
    const finding = portCallSanctioned(call, sanctioned);
    if (!finding) continue;
    const end = callEnd(call);
    const where = { lon: call.port.lon, lat: call.port.lat };
    const vessel = vesselSnapshot(call.mmsi, call.arrival, input.identities, input.matcher, input.enrichment.anomalyKinds.get(call.mmsi) ?? []);
    const { score, factors } = scoreSanctionedPortCall({
      start: call.arrival,
      end,
      centroid: where,
      reason: finding.reasons.join('; '),
      vessel: vessel.scored,
      context: input.contextOf(where, [call.mmsi], call.arrival, end),
    });
    const open = call.departure === null && input.now - end < options.liveHorizonMs;
    const event = { ...finding, profile: PROFILE, detectorVersion: DETECTOR_VERSION, call: { key: call.key, port: call.port, draughtArrivalM: call.draughtArrivalM, draughtDepartureM: call.draughtDepartureM, reasons: call.reasons } };
    const evidence = { marginS: options.marginMs / 1000, trackA: evidenceSlice(input.byMmsi.get(call.mmsi), call.arrival - options.marginMs, end + options.marginMs), trackB: null };
    // In port by definition: the row says so (the list's in-port flag), unlike the other one-vessel alerts.
    const key = `port_call_sanctioned:${call.key.slice('port_call:'.length)}`;
    out.push({ ...oneVesselWrite('port_call_sanctioned', key, open, event as BehaviourAlertWrite['event'], vessel, { mmsi: call.mmsi, start: call.arrival, end }, where, { score, factors }, null, evidence), inPort: true });
  }
  return out;
}

/** A gap's sanctioned-area finding with the draught finding it rests on. */
export interface AreaGapHit {
  gap: AisGapEvent;
  finding: GapNearSanctionedAreaFinding;
  draught: DraughtChangeFinding;
}

/**
 * The closed gaps after which the vessel is deeper (the draught rule of packages/identity, by
 * size class, typos skipped) and from whose off and on positions a sanctioned area was within
 * reach at `reachSpeedKn` (the dark profile's top speed): the area needing the least time.
 */
export function gapsNearSanctionedAreas(
  gaps: readonly AisGapEvent[],
  areas: readonly SanctionedAreaInput[],
  draughtOf: (gap: AisGapEvent) => DraughtChangeFinding | null,
  reachSpeedKnOf: (gap: AisGapEvent) => number,
): AreaGapHit[] {
  if (areas.length === 0) return [];
  const hits: AreaGapHit[] = [];
  for (const gap of gaps) {
    if (gap.on === null) continue;
    const draught = draughtOf(gap);
    if (!draught || !draught.laden) continue;
    let best: GapNearSanctionedAreaFinding | null = null;
    for (const area of areas) {
      const f = gapNearSanctionedArea(gap, area, {
        reachSpeedKn: reachSpeedKnOf(gap),
        draughtBeforeM: draught.beforeM,
        draughtAfterM: draught.afterM,
        minDraughtIncreaseM: draught.thresholdM,
      });
      if (f && (best === null || f.neededMs < best.neededMs)) best = f;
    }
    if (best) hits.push({ gap, finding: best, draught });
  }
  return hits;
}

/** `gap_near_sanctioned_area` alerts, shown at the off position, owned like the gap by the window holding its start. */
export function sanctionedAreaGapWrites(hits: readonly AreaGapHit[], input: SanctionedPortScoring, options: { marginMs: number }): BehaviourAlertWrite[] {
  return hits.map(({ gap, finding, draught }) => {
    const vessel = vesselSnapshot(gap.mmsi, gap.start, input.identities, input.matcher, input.enrichment.anomalyKinds.get(gap.mmsi) ?? []);
    const reasons = [...finding.reasons, `draught rule: ${draught.reason}`];
    const { score, factors } = scoreGapNearSanctionedArea({
      start: gap.start,
      end: gap.end,
      centroid: gap.off,
      reason: finding.reasons.join('; '),
      vessel: vessel.scored,
      context: input.contextOf(gap.off, [], gap.start, gap.end),
    });
    const event = { ...finding, reasons, gapKey: gapEventKey(gap), off: gap.off, on: gap.on, draughtSizeClass: draught.sizeClass, profile: PROFILE, detectorVersion: DETECTOR_VERSION };
    return oneVesselWrite('gap_near_sanctioned_area', `gap_near_sanctioned_area:${gapEventKey(gap)}`, false, event as BehaviourAlertWrite['event'], vessel, gap, { lon: gap.off.lon, lat: gap.off.lat }, { score, factors }, null, {
      marginS: options.marginMs / 1000,
      trackA: evidenceSlice(input.byMmsi.get(gap.mmsi), gap.off.t - options.marginMs, gap.on!.t + options.marginMs),
      trackB: null,
    });
  });
}

/** A leg with its findings (one alert per leg, all its kinds in it). */
export interface IrregularLeg {
  leg: VoyageLeg;
  usualSpeedKn: number;
  findings: VoyageIrregularity[];
}

/** The legs of these voyages that have findings and arrive within [from, to) (the window holding the arrival owns the leg). */
export function irregularLegs(voyages: readonly AnalysedVoyage[], from: number, to: number): IrregularLeg[] {
  const out: IrregularLeg[] = [];
  for (const v of voyages) {
    for (const leg of v.voyage.legs) {
      if (leg.arrival < from || leg.arrival >= to) continue;
      const findings = v.irregularities.filter((f) => f.legIndex === leg.index);
      if (findings.length > 0) out.push({ leg, usualSpeedKn: v.usualSpeedKn, findings });
    }
  }
  return out;
}

const portOf = (c: VoyageLeg['from']) => ({ id: c.port.id, name: c.port.name, country: c.port.country, lon: c.port.lon, lat: c.port.lat });

/**
 * `voyage_irregularity` alerts: one per leg with findings, from departure to arrival, shown at
 * the port reached; keyed by the two calls, so a leg keeps its alert whatever else changes.
 */
export function voyageIrregularityWrites(legs: readonly IrregularLeg[], input: SanctionedPortScoring, options: { marginMs: number }): BehaviourAlertWrite[] {
  return legs.map(({ leg, usualSpeedKn, findings }) => {
    const vessel = vesselSnapshot(leg.mmsi, leg.departure, input.identities, input.matcher, input.enrichment.anomalyKinds.get(leg.mmsi) ?? []);
    const { score, factors } = scoreVoyageIrregularity({
      findings: findings.map((f) => ({ kind: f.kind, reason: f.reason })),
      vessel: vessel.scored,
      context: input.contextOf(leg.to.port, [], leg.departure, leg.arrival),
    });
    const event = {
      type: 'voyage_irregularity',
      kinds: findings.map((f) => f.kind),
      mmsi: leg.mmsi,
      segment: leg.segment,
      from: { ...portOf(leg.from), callKey: leg.from.key, departure: leg.departure, draughtM: leg.draughtDepartureM },
      to: { ...portOf(leg.to), callKey: leg.to.key, arrival: leg.arrival, draughtM: leg.draughtArrivalM },
      durationMs: leg.durationMs,
      distanceM: Math.round(leg.distanceM),
      usualSpeedKn: Math.round(usualSpeedKn * 10) / 10,
      findings: findings.map((f) => ({ kind: f.kind, reason: f.reason, values: f.values })),
      reasons: findings.map((f) => f.reason),
      // The window holding the arrival owns the leg (alert-repository.ts ownedStarting).
      ownedAt: leg.arrival,
      profile: PROFILE,
      detectorVersion: DETECTOR_VERSION,
    };
    const key = `voyage_irregularity:${leg.from.key.replace(/^port_call:/, '')}>${leg.to.key.replace(/^port_call:/, '')}`;
    return oneVesselWrite('voyage_irregularity', key, false, event as BehaviourAlertWrite['event'], vessel, { mmsi: leg.mmsi, start: leg.departure, end: leg.arrival }, { lon: leg.to.port.lon, lat: leg.to.port.lat }, { score, factors }, null, {
      marginS: options.marginMs / 1000,
      // The window's own reports of the vessel around the arrival (a leg may span weeks: its
      // whole track is the vessel's track route, not evidence stored with the alert).
      trackA: evidenceSlice(input.byMmsi.get(leg.mmsi), leg.arrival - options.marginMs, leg.arrival + options.marginMs),
      trackB: null,
    });
  });
}
