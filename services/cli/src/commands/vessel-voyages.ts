import { analyseVoyages, type VoyagePortCall } from '@rendezvous/detection';
import { createDestinationRepository, createPortCallRepository, createVesselRepository, type DatabaseHandle, type DestinationPoint, type PortCallRecord } from '@rendezvous/db';

const iso = (t: number) => new Date(t).toISOString();
const tenth = (x: number) => Math.round(x * 10) / 10;
/** The international nautical mile. */
const METRES_PER_NM = 1852;

/**
 * `vessel <mmsi> --voyages`: the legs between the vessel's stored port calls overlapping
 * [from, to], read and analysed as GET /v1/vessels/:mmsi/voyages does (services/api
 * routes/voyage-view.ts): the same calls, the destinations over their span, the vessel's length,
 * and `analyseVoyages`, so the CLI and the API find the same irregularities. Printed as JSON like
 * --port-calls, each leg flattened (port names, hours) for reading in a terminal.
 */
export async function vesselVoyages(database: DatabaseHandle, mmsi: number, range: { from?: Date | undefined; to?: Date | undefined }) {
  const records = await createPortCallRepository(database.db).forVessel(mmsi, range);
  if (records.length === 0) return { mmsi, usualSpeedKn: null, voyages: [] };
  const first = Math.min(...records.map((c) => c.arrival));
  const last = Math.max(...records.map((c) => c.arrival));
  const [series, vessel] = await Promise.all([
    createDestinationRepository(database.db).destinationChanges([mmsi], new Date(first), new Date(last)),
    createVesselRepository(database.db).get(mmsi),
  ]);
  const destinations = series.get(mmsi) ?? [];
  const lengthM = vessel?.length ?? null;
  const analysed = voyageRuns(records).flatMap((run) => analyseVoyages(run.map(voyageCall), () => ({ destinations, lengthM })));
  const withLegs = analysed.find((a) => a.voyage.legs.length > 0);
  return {
    mmsi,
    usualSpeedKn: withLegs ? tenth(withLegs.usualSpeedKn) : null,
    voyages: analysed.map(({ voyage, irregularities }) => ({
      segment: voyage.segment,
      ongoing: voyage.ongoing,
      calls: voyage.calls.length,
      legs: voyage.legs.map((leg) => {
        const d = declaredAt(destinations, leg.arrival);
        return {
          leg: leg.index,
          from: leg.from.port.name ?? leg.from.port.id,
          to: leg.to.port.name ?? leg.to.port.id,
          departure: iso(leg.departure),
          arrival: iso(leg.arrival),
          hours: tenth(leg.durationMs / 3_600_000),
          distanceNm: tenth(leg.distanceM / METRES_PER_NM),
          impliedSpeedKn: leg.impliedSpeedKn === null ? null : tenth(leg.impliedSpeedKn),
          draughtDeparture: leg.draughtDepartureM,
          draughtArrival: leg.draughtArrivalM,
          draughtChange: leg.draughtChangeM,
          declaredDestination: d === null ? null : d.destination,
          declaredAt: d === null ? null : iso(d.t),
          irregularities: irregularities.filter((i) => i.legIndex === leg.index).map((i) => ({ kind: i.kind, reason: i.reason })),
        };
      }),
    })),
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
 * Per segment, by arrival, a new run wherever a call starts before the previous one ended (a call
 * left stored as ongoing before later calls): each run is one voyage, as the API cuts them.
 */
function voyageRuns(records: readonly PortCallRecord[]): PortCallRecord[][] {
  const bySegment = new Map<string | null, PortCallRecord[]>();
  for (const c of records) {
    const list = bySegment.get(c.segment);
    if (list) list.push(c);
    else bySegment.set(c.segment, [c]);
  }
  const runs: PortCallRecord[][] = [];
  for (const segment of [...bySegment.keys()].sort((a, b) => (a ?? '').localeCompare(b ?? ''))) {
    let run: PortCallRecord[] = [];
    for (const c of [...bySegment.get(segment)!].sort((a, b) => a.arrival - b.arrival || a.key.localeCompare(b.key))) {
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

function declaredAt(series: readonly DestinationPoint[], t: number): DestinationPoint | null {
  let found: DestinationPoint | null = null;
  for (const d of series) {
    if (d.t > t) break;
    found = d;
  }
  return found;
}
