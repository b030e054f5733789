/**
 * Voyages: a vessel's consecutive port calls and the legs between them (departure of one call to
 * arrival at the next), and the `voyage_irregularity` rule over each leg. Pure: the calls come
 * from port-call detection (port-calls.ts); the declared destinations from type 5 reports.
 *
 * Why: the 2020 US advisory on illicit shipping (OFAC / State / US Coast Guard, "Guidance to
 * Address Illicit Shipping and Sanctions Evasion Practices", 14 May 2020) lists "voyage
 * irregularities" — indirect routing, unscheduled detours — next to AIS manipulation and STS
 * transfers; Global Fishing Watch (loitering events) and Windward describe the same signal as time
 * at sea a voyage does not explain. A leg that takes far longer than its distance at the vessel's
 * usual speed hides a stop; a draught change between two calls means cargo moved at sea; a
 * declared destination that is not the port reached hides the real route.
 */
import { geodesicDistanceM, METRES_PER_NM, MS_TO_KN } from '@rendezvous/geodesy';
import { matchDestination, type DestinationMatchOptions, type DestinationPort } from './destination-match.ts';

/** The part of a port call voyages need (structurally compatible with port-calls.ts `PortCall`). */
export interface VoyagePortCall {
  key: string;
  mmsi: number;
  segment: string | null;
  port: DestinationPort;
  /** Epoch ms. */
  arrival: number;
  /** Epoch ms; null while the vessel is still in port (ongoing call). */
  departure: number | null;
  draughtArrivalM: number | null;
  draughtDepartureM: number | null;
}

export interface VoyageLeg {
  mmsi: number;
  segment: string | null;
  /** Index of the leg in its voyage (0 = first). */
  index: number;
  from: VoyagePortCall;
  to: VoyagePortCall;
  /** from.departure and to.arrival (epoch ms). */
  departure: number;
  arrival: number;
  durationMs: number;
  /** Geodesic (WGS84) port centre to port centre: a lower bound of the distance sailed. */
  distanceM: number;
  /** distanceM / durationMs (kn); null for a zero-time leg. */
  impliedSpeedKn: number | null;
  draughtDepartureM: number | null;
  draughtArrivalM: number | null;
  /** draughtArrivalM − draughtDepartureM (m, 0.1 m steps); null when either is unknown. + = deeper. */
  draughtChangeM: number | null;
}

export interface Voyage {
  mmsi: number;
  segment: string | null;
  /** The vessel's calls, by arrival. */
  calls: VoyagePortCall[];
  /** calls.length − 1 legs. */
  legs: VoyageLeg[];
  /** The last call has no departure yet: the vessel is in port. */
  ongoing: boolean;
}

/** Type 5 draught: 0 = not available (ITU-R M.1371); anything non-positive or not finite is unknown. */
const draught = (m: number | null | undefined): number | null => (m !== null && m !== undefined && Number.isFinite(m) && m > 0 ? m : null);
/** 0.1 m steps: subtract the values typed in, not their float rounding. */
const dm = (m: number) => Math.round(m * 10);

const vesselKey = (c: Pick<VoyagePortCall, 'mmsi' | 'segment'>) => (c.segment === null ? `${c.mmsi}` : `${c.mmsi}:${c.segment}`);
const iso = (t: number) => new Date(t).toISOString();

/**
 * One voyage per vessel (mmsi and segment), calls sorted by arrival, legs between consecutive
 * calls. Throws RangeError on a call with a bad time (not finite, departure before arrival) and on
 * overlapping calls of one vessel (the next arrival before the previous departure, or any call
 * after an ongoing one): port-call detection must never produce them. Voyages come out by mmsi,
 * then segment.
 */
export function buildVoyages(calls: readonly VoyagePortCall[]): Voyage[] {
  const byVessel = new Map<string, VoyagePortCall[]>();
  for (const c of calls) {
    if (!Number.isFinite(c.arrival) || (c.departure !== null && !(Number.isFinite(c.departure) && c.departure >= c.arrival))) {
      throw new RangeError(`port call ${c.key}: arrival ${c.arrival} / departure ${c.departure} is not a valid time span`);
    }
    const k = vesselKey(c);
    const list = byVessel.get(k);
    if (list) list.push(c);
    else byVessel.set(k, [c]);
  }
  const voyages: Voyage[] = [];
  for (const list of byVessel.values()) {
    const sorted = [...list].sort((a, b) => a.arrival - b.arrival || a.key.localeCompare(b.key));
    const legs: VoyageLeg[] = [];
    for (let i = 1; i < sorted.length; i++) {
      const from = sorted[i - 1]!;
      const to = sorted[i]!;
      if (from.departure === null || to.arrival < from.departure) {
        throw new RangeError(
          `port calls ${from.key} and ${to.key} of vessel ${vesselKey(to)} overlap: arrival ${iso(to.arrival)} before ` +
            (from.departure === null ? 'the end of an ongoing call' : `departure ${iso(from.departure)}`),
        );
      }
      const distanceM = geodesicDistanceM(from.port.lon, from.port.lat, to.port.lon, to.port.lat);
      const durationMs = to.arrival - from.departure;
      const dep = draught(from.draughtDepartureM);
      const arr = draught(to.draughtArrivalM);
      legs.push({
        mmsi: to.mmsi,
        segment: to.segment,
        index: i - 1,
        from,
        to,
        departure: from.departure,
        arrival: to.arrival,
        durationMs,
        distanceM,
        impliedSpeedKn: durationMs > 0 ? (distanceM / (durationMs / 1000)) * MS_TO_KN : null,
        draughtDepartureM: dep,
        draughtArrivalM: arr,
        draughtChangeM: dep !== null && arr !== null ? (dm(arr) - dm(dep)) / 10 : null,
      });
    }
    const last = sorted[sorted.length - 1]!;
    voyages.push({ mmsi: last.mmsi, segment: last.segment, calls: sorted, legs, ongoing: last.departure === null });
  }
  return voyages.sort((a, b) => a.mmsi - b.mmsi || (a.segment ?? '').localeCompare(b.segment ?? ''));
}

// ---------------------------------------------------------------------------------------------
// The rule.

export type TankerSizeClass = 'small' | 'aframax' | 'suezmax' | 'vlcc';

export interface VoyageIrregularityOptions {
  /**
   * A leg is a hidden stop when it took at least this many times its great-circle distance at
   * the usual speed. Project choice 2.5, not 2: the great circle is a lower bound of the route
   * sailed, and routing round land can double it (Rotterdam–Singapore round the Cape is ~2× the
   * great circle); weather and slow steaming add the rest.
   */
  hiddenStopFactor: number;
  /**
   * …and at least this much longer than expected (ms). Project choice 24 h: Suez and Bosporus
   * queues and waiting for a berth outside port limits (not inside a port circle) are about a
   * day; short legs must not fire on a few hours of drift.
   */
  hiddenStopMinExcessMs: number;
  /**
   * Minimum draught change (m) between two calls, by size class: the same figures as
   * @rendezvous/identity draught-rule.ts (DESIGN.md "Dark activity": small < 200 m or unknown
   * 1 m, Aframax 200–250 m 1.5 m, Suezmax 250–300 m 2 m, VLCC > 300 m 3 m). Copied, not
   * imported: detection does not depend on identity (workspace dependency rules).
   */
  draughtThresholdsM: Readonly<Record<TankerSizeClass, number>>;
  /**
   * Compare only a destination first declared at or after the arrival at the leg's departure port
   * (set or updated for this leg). Project choice true: a value carried over from an earlier
   * voyage is more often a forgotten update than a lie.
   */
  destinationSincePreviousArrival: boolean;
  /** Usual-speed bounds when the vessel has too few regular legs (kn): tankers sail ~10–15 kn. */
  usualSpeedFloorKn: number;
  usualSpeedCeilingKn: number;
  /** Fewer regular legs than this: the median is clamped to [floor, ceiling]. */
  usualSpeedMinLegs: number;
  /** Legs slower than this (kn) include a stop and faster than the ceiling× 2 are errors: not "usual". */
  usualSpeedMinKn: number;
  usualSpeedMaxKn: number;
}

export const DEFAULT_VOYAGE_OPTIONS: Readonly<VoyageIrregularityOptions> = Object.freeze({
  hiddenStopFactor: 2.5,
  hiddenStopMinExcessMs: 24 * 3_600_000,
  draughtThresholdsM: Object.freeze({ small: 1, aframax: 1.5, suezmax: 2, vlcc: 3 }),
  destinationSincePreviousArrival: true,
  usualSpeedFloorKn: 8,
  usualSpeedCeilingKn: 16,
  usualSpeedMinLegs: 3,
  usualSpeedMinKn: 3,
  usualSpeedMaxKn: 30,
});

/** Size class by length overall (m), as in identity draught-rule.ts. */
export function tankerSizeClass(lengthM: number | null | undefined): TankerSizeClass {
  if (lengthM === null || lengthM === undefined || !Number.isFinite(lengthM) || lengthM < 200) return 'small';
  if (lengthM < 250) return 'aframax';
  if (lengthM <= 300) return 'suezmax';
  return 'vlcc';
}

const HOUR = 3_600_000;
const expectedMs = (distanceM: number, kn: number) => (distanceM / METRES_PER_NM / kn) * HOUR;

function isHiddenStop(leg: VoyageLeg, usualKn: number, o: VoyageIrregularityOptions): { expectedMs: number; excessMs: number } | null {
  const exp = expectedMs(leg.distanceM, usualKn);
  const excessMs = leg.durationMs - exp;
  return leg.durationMs >= o.hiddenStopFactor * exp && excessMs >= o.hiddenStopMinExcessMs ? { expectedMs: exp, excessMs } : null;
}

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The vessel's usual speed (kn): the median implied speed of its regular legs. Legs slower than
 * usualSpeedMinKn or faster than usualSpeedMaxKn are dropped; then the legs that are hidden stops
 * at the first median are dropped and the median taken again. With fewer than usualSpeedMinLegs
 * legs left it is clamped to [floor, ceiling]; with none it is the floor (the slowest usual speed
 * expects the longest legs: the fewest hidden stops). Implied speeds are over the great circle,
 * so they already carry the vessel's usual detour, which the hidden-stop test then tolerates.
 */
export function usualSpeedKn(legs: readonly VoyageLeg[], options: Partial<VoyageIrregularityOptions> = {}): number {
  const o = { ...DEFAULT_VOYAGE_OPTIONS, ...options };
  const plausible = legs.filter((l) => l.impliedSpeedKn !== null && l.impliedSpeedKn >= o.usualSpeedMinKn && l.impliedSpeedKn <= o.usualSpeedMaxKn);
  if (plausible.length === 0) return o.usualSpeedFloorKn;
  const first = medianOf(plausible.map((l) => l.impliedSpeedKn!));
  const regular = plausible.filter((l) => isHiddenStop(l, first, o) === null);
  const speeds = (regular.length > 0 ? regular : plausible).map((l) => l.impliedSpeedKn!);
  const m = medianOf(speeds);
  return speeds.length >= o.usualSpeedMinLegs ? m : Math.min(o.usualSpeedCeilingKn, Math.max(o.usualSpeedFloorKn, m));
}

export type VoyageIrregularityKind = 'destination_mismatch' | 'hidden_stop' | 'draught_change_at_sea';

export interface VoyageIrregularity {
  type: 'voyage_irregularity';
  kind: VoyageIrregularityKind;
  mmsi: number;
  segment: string | null;
  legIndex: number;
  fromPortId: string;
  toPortId: string;
  departure: number;
  arrival: number;
  /** The numbers behind the finding (units in the names). */
  values: Record<string, number | string | null>;
  reason: string;
}

/** One type 5 destination as first reported (epoch ms). */
export interface DeclaredDestination {
  t: number;
  destination: string | null;
}

export interface VoyageRuleInput {
  /** The vessel's usual speed (kn): usualSpeedKn(legs) over its history. */
  usualSpeedKn: number;
  /**
   * The destination series; per leg the last one declared at or before its arrival is compared
   * with the port reached. Absent: no destination finding.
   */
  destinations?: readonly DeclaredDestination[];
  /** Length overall (m) for the draught threshold; null/absent = small (the lowest threshold). */
  lengthM?: number | null;
  /** Gazetteer and same-place distance for the destination match. */
  destinationMatch?: DestinationMatchOptions;
  options?: Partial<VoyageIrregularityOptions>;
}

/**
 * `voyage_irregularity` over each leg of a voyage: destination_mismatch (only a clear mismatch,
 * see destination-match.ts), hidden_stop (duration ≥ hiddenStopFactor × expected at the usual
 * speed and ≥ hiddenStopMinExcessMs over it), draught_change_at_sea (|arrival − departure
 * draught| ≥ the size-class threshold: cargo moved between two calls). Findings by leg, then kind.
 */
export function voyageIrregularities(voyage: Voyage, input: VoyageRuleInput): VoyageIrregularity[] {
  const o = { ...DEFAULT_VOYAGE_OPTIONS, ...input.options };
  if (!(Number.isFinite(input.usualSpeedKn) && input.usualSpeedKn > 0)) throw new RangeError(`usualSpeedKn must be a positive number, got ${input.usualSpeedKn}`);
  const destinations = [...(input.destinations ?? [])].filter((d) => Number.isFinite(d.t)).sort((a, b) => a.t - b.t);
  const sizeClass = tankerSizeClass(input.lengthM);
  const draughtThresholdM = o.draughtThresholdsM[sizeClass];
  const out: VoyageIrregularity[] = [];
  for (const leg of voyage.legs) {
    const base = {
      type: 'voyage_irregularity' as const,
      mmsi: leg.mmsi,
      segment: leg.segment,
      legIndex: leg.index,
      fromPortId: leg.from.port.id,
      toPortId: leg.to.port.id,
      departure: leg.departure,
      arrival: leg.arrival,
    };
    const toName = leg.to.port.name ?? leg.to.port.id;
    const fromName = leg.from.port.name ?? leg.from.port.id;

    let declared: DeclaredDestination | undefined;
    for (const d of destinations) {
      if (d.t > leg.arrival) break;
      declared = d;
    }
    // Stale fields are the commonest "wrong" destination (crews forget to update it): one declared
    // before the vessel reached the previous port, or naming the port it left, says nothing about this leg.
    const fresh = declared !== undefined && (!o.destinationSincePreviousArrival || declared.t >= leg.from.arrival);
    if (declared && fresh && matchDestination(declared.destination, leg.from.port, input.destinationMatch).verdict !== 'match') {
      const m = matchDestination(declared.destination, leg.to.port, input.destinationMatch);
      if (m.verdict === 'mismatch') {
        out.push({
          ...base,
          kind: 'destination_mismatch',
          values: { declared: declared.destination, declaredAt: iso(declared.t), normalised: m.normalised, reached: toName },
          reason: `declared destination "${m.normalised}" (${iso(declared.t)}) but reached ${toName}: ${m.reason}`,
        });
      }
    }

    const hidden = isHiddenStop(leg, input.usualSpeedKn, o);
    if (hidden) {
      const h = (ms: number) => (ms / HOUR).toFixed(1);
      out.push({
        ...base,
        kind: 'hidden_stop',
        values: {
          distanceNm: Math.round((leg.distanceM / METRES_PER_NM) * 10) / 10,
          durationH: Math.round((leg.durationMs / HOUR) * 10) / 10,
          expectedH: Math.round((hidden.expectedMs / HOUR) * 10) / 10,
          excessH: Math.round((hidden.excessMs / HOUR) * 10) / 10,
          usualSpeedKn: Math.round(input.usualSpeedKn * 10) / 10,
          impliedSpeedKn: leg.impliedSpeedKn === null ? null : Math.round(leg.impliedSpeedKn * 10) / 10,
        },
        reason:
          `${fromName} → ${toName}: ${(leg.distanceM / METRES_PER_NM).toFixed(0)} nm in ${h(leg.durationMs)} h, ` +
          `${h(hidden.expectedMs)} h expected at the usual ${input.usualSpeedKn.toFixed(1)} kn: ${h(hidden.excessMs)} h unexplained ` +
          `(≥ ${o.hiddenStopFactor}× and ≥ ${h(o.hiddenStopMinExcessMs)} h over)`,
      });
    }

    if (leg.draughtChangeM !== null && Math.abs(leg.draughtChangeM) >= draughtThresholdM) {
      const laden = leg.draughtChangeM > 0;
      out.push({
        ...base,
        kind: 'draught_change_at_sea',
        values: { draughtDepartureM: leg.draughtDepartureM, draughtArrivalM: leg.draughtArrivalM, deltaM: leg.draughtChangeM, thresholdM: draughtThresholdM, sizeClass },
        reason:
          `draught ${leg.draughtDepartureM!.toFixed(1)} m leaving ${fromName}, ${leg.draughtArrivalM!.toFixed(1)} m arriving at ${toName} ` +
          `(${laden ? '+' : ''}${leg.draughtChangeM.toFixed(1)} m ≥ ${draughtThresholdM} m for a ${sizeClass} tanker): cargo ${laden ? 'loaded' : 'discharged'} at sea`,
      });
    }
  }
  return out;
}

/** A vessel's voyage with the findings of each leg, as the detector and the API read it. */
export interface AnalysedVoyage {
  voyage: Voyage;
  usualSpeedKn: number;
  irregularities: VoyageIrregularity[];
}

/**
 * The voyages of a set of port calls (one vessel's history, or several vessels') with their
 * irregularities: the usual speed of each vessel from its own legs, its destinations and length
 * from `vesselOf`. One place for the composition, so the detector's alerts and the API's
 * voyages page always agree.
 */
export function analyseVoyages(
  calls: readonly VoyagePortCall[],
  vesselOf: (mmsi: number) => { destinations?: readonly DeclaredDestination[]; lengthM?: number | null },
  common: Pick<VoyageRuleInput, 'destinationMatch' | 'options'> = {},
): AnalysedVoyage[] {
  return buildVoyages(calls).map((voyage) => {
    const usual = usualSpeedKn(voyage.legs, common.options);
    const vessel = vesselOf(voyage.mmsi);
    return { voyage, usualSpeedKn: usual, irregularities: voyageIrregularities(voyage, { ...common, ...vessel, usualSpeedKn: usual }) };
  });
}
