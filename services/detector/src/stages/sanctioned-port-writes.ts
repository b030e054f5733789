import { DETECTOR_VERSION, portCallSanctioned, type PortCall, type SanctionedPortList } from '@rendezvous/detection';
import type { BehaviourAlertWrite, ColumnarPositions, VesselIdentity } from '@rendezvous/db';
import { scoreSanctionedPortCall, type EventContext } from '@rendezvous/scoring';
import type { ListMatcher } from '@rendezvous/watchlists';
import type { Enrichment } from './enrich-stage.ts';
import { evidenceSlice, vesselSnapshot } from './score-stage.ts';

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
    out.push({
      type: 'port_call_sanctioned',
      key: `port_call_sanctioned:${call.key.slice('port_call:'.length)}`,
      status: open ? 'ongoing' : 'closed',
      event: { ...finding, profile: 'sanctions', detectorVersion: DETECTOR_VERSION, call: { key: call.key, port: call.port, draughtArrivalM: call.draughtArrivalM, draughtDepartureM: call.draughtDepartureM, reasons: call.reasons } } as BehaviourAlertWrite['event'],
      mmsiA: call.mmsi,
      mmsiB: null,
      vesselA: vessel.json,
      vesselB: null,
      start: call.arrival,
      end,
      centroid: where,
      inPort: true,
      closestM: null,
      medianM: null,
      medianSogA: null,
      medianSogB: null,
      score,
      scoreFactors: factors,
      watchlists: [...new Set(vessel.scored.listMatches.map((m) => m.list))].sort(),
      evidence: { marginS: options.marginMs / 1000, trackA: evidenceSlice(input.byMmsi.get(call.mmsi), call.arrival - options.marginMs, end + options.marginMs), trackB: null },
    });
  }
  return out;
}
