import { analyseVoyages, type AnalysedVoyage, type DeclaredDestination, type DestinationPort, type VoyagePortCall } from '@rendezvous/detection';
import { createDestinationRepository, createPortCallRepository, createVesselRepository, type DatabaseHandle, type DestinationPoint, type PortCallRecord } from '@rendezvous/db';

/**
 * A vessel's port calls and voyages (issue 15) as the API (GET /v1/vessels/:mmsi/port-calls and
 * /voyages) and the CLI (`vessel <mmsi> --port-calls | --voyages`) give them: one reading, one
 * composition (`analyseVoyages`, the detector's own), so the page, the terminal and the
 * `voyage_irregularity` alerts agree.
 */

/** The international nautical mile (1929), as @rendezvous/geodesy has it. */
const METRES_PER_NM = 1852;
const iso = (t: number) => new Date(t).toISOString();
const tenth = (x: number) => Math.round(x * 10) / 10;

/** A stored call as the port-calls list (and each voyage's `calls`) shows it. */
export function portCallItem(c: PortCallRecord) {
  return {
    key: c.key,
    mmsi: c.mmsi,
    segment: c.segment,
    port: { id: c.portId, name: c.portName, country: c.country, lon: c.lon, lat: c.lat },
    arrival: iso(c.arrival),
    departure: c.departure === null ? null : iso(c.departure),
    durationS: c.departure === null ? null : Math.round((c.departure - c.arrival) / 1000),
    draughtArrival: c.draughtArrivalM,
    draughtDeparture: c.draughtDepartureM,
    reasons: c.reasons,
  };
}

function voyageCall(c: PortCallRecord): VoyagePortCall {
  return {
    key: c.key,
    mmsi: c.mmsi,
    segment: c.segment,
    port: { id: c.portId, name: c.portName, country: c.country, lon: c.lon, lat: c.lat },
    arrival: c.arrival,
    departure: c.departure,
    draughtArrivalM: c.draughtArrivalM,
    draughtDepartureM: c.draughtDepartureM,
  };
}

/**
 * The calls cut into runs `buildVoyages` accepts: per segment, by arrival, a new run wherever a
 * call starts before the previous one ended. Stored calls can overlap that way: a call stored as
 * ongoing (departure null) stays so until the window owning its arrival runs again, while later
 * windows store the vessel's next calls (services/detector port-call-stage.ts). A voyage cannot
 * cross such a break (its leg has no known departure), so each run is its own voyage, rather than
 * the whole answer failing on buildVoyages' RangeError.
 */
export function voyageRuns(records: readonly PortCallRecord[]): PortCallRecord[][] {
  const bySegment = new Map<string | null, PortCallRecord[]>();
  for (const c of records) {
    const list = bySegment.get(c.segment);
    if (list) list.push(c);
    else bySegment.set(c.segment, [c]);
  }
  const runs: PortCallRecord[][] = [];
  const segments = [...bySegment.keys()].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
  for (const segment of segments) {
    const sorted = [...bySegment.get(segment)!].sort((a, b) => a.arrival - b.arrival || a.key.localeCompare(b.key));
    let run: PortCallRecord[] = [];
    for (const c of sorted) {
      const prev = run[run.length - 1];
      if (prev && (prev.departure === null || c.arrival < prev.departure)) {
        runs.push(run);
        run = [];
      }
      run.push(c);
    }
    if (run.length > 0) runs.push(run);
  }
  return runs;
}

/** The last destination declared at or before `t` (the series is time-ordered). */
function declaredAt(series: readonly DestinationPoint[], t: number): DestinationPoint | null {
  let found: DestinationPoint | null = null;
  for (const d of series) {
    if (d.t > t) break;
    found = d;
  }
  return found;
}

/** The vessel's stored calls as voyages, each leg with its numbers, its declared destination and its irregularities. */
export function voyagesView(mmsi: number, records: readonly PortCallRecord[], destinations: readonly DestinationPoint[], lengthM: number | null, knownPorts: readonly DestinationPort[] = []) {
  const declared: DeclaredDestination[] = destinations.map((d) => ({ t: d.t, destination: d.destination }));
  const byKey = new Map(records.map((c) => [c.key, c]));
  const analysed: AnalysedVoyage[] = voyageRuns(records).flatMap((run) =>
    analyseVoyages(run.map(voyageCall), () => ({ destinations: declared, lengthM }), { destinationMatch: { knownPorts } }),
  );
  const withLegs = analysed.find((a) => a.voyage.legs.length > 0);
  const port = (c: VoyagePortCall) => ({ id: c.port.id, name: c.port.name, country: c.port.country, lon: c.port.lon, lat: c.port.lat });
  return {
    mmsi,
    usualSpeedKn: withLegs ? tenth(withLegs.usualSpeedKn) : null,
    voyages: analysed.map(({ voyage, irregularities }) => ({
      segment: voyage.segment,
      ongoing: voyage.ongoing,
      calls: voyage.calls.map((c) => portCallItem(byKey.get(c.key)!)),
      legs: voyage.legs.map((leg) => {
        const d = declaredAt(destinations, leg.arrival);
        return {
          index: leg.index,
          from: port(leg.from),
          to: port(leg.to),
          departure: iso(leg.departure),
          arrival: iso(leg.arrival),
          durationS: Math.round(leg.durationMs / 1000),
          distanceNm: tenth(leg.distanceM / METRES_PER_NM),
          impliedSpeedKn: leg.impliedSpeedKn === null ? null : tenth(leg.impliedSpeedKn),
          draughtDeparture: leg.draughtDepartureM,
          draughtArrival: leg.draughtArrivalM,
          draughtChange: leg.draughtChangeM,
          declaredDestination: d === null ? null : { destination: d.destination, declaredAt: iso(d.t) },
          irregularities: irregularities.filter((i) => i.legIndex === leg.index).map((i) => ({ kind: i.kind, reason: i.reason, values: i.values })),
        };
      }),
    })),
  };
}
export type VoyagesView = ReturnType<typeof voyagesView>;

/**
 * Reads and analyses a vessel's voyages over its calls overlapping [from, to]: the calls, the
 * destinations declared over their span (with the one in force at the first arrival: a leg
 * compares the last one declared by its arrival), and its length for the draught threshold.
 */
export async function readVoyages(db: DatabaseHandle['db'], mmsi: number, range: { from?: Date | undefined; to?: Date | undefined }, knownPorts: readonly DestinationPort[] = []): Promise<VoyagesView> {
  const records = await createPortCallRepository(db).forVessel(mmsi, range);
  if (records.length === 0) return { mmsi, usualSpeedKn: null, voyages: [] };
  const first = Math.min(...records.map((c) => c.arrival));
  const last = Math.max(...records.map((c) => c.arrival));
  const [series, vessel] = await Promise.all([createDestinationRepository(db).destinationChanges([mmsi], new Date(first), new Date(last)), createVesselRepository(db).get(mmsi)]);
  return voyagesView(mmsi, records, series.get(mmsi) ?? [], vessel?.length ?? null, knownPorts);
}
