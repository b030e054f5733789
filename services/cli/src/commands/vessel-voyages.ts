import { readVoyages } from '@rendezvous/alerts';
import type { DatabaseHandle } from '@rendezvous/db';
import type { DestinationPort } from '@rendezvous/detection';

const tenth = (x: number) => Math.round(x * 10) / 10;

/**
 * `vessel <mmsi> --voyages`: the voyages GET /v1/vessels/:mmsi/voyages gives (the same reading
 * and analysis, @rendezvous/alerts voyage-view.ts), each leg flattened for a terminal: port
 * names, hours, the declared destination and its irregularities.
 */
export async function vesselVoyages(database: DatabaseHandle, mmsi: number, range: { from?: Date | undefined; to?: Date | undefined }, knownPorts: readonly DestinationPort[]) {
  const view = await readVoyages(database.db, mmsi, range, knownPorts);
  return {
    mmsi,
    usualSpeedKn: view.usualSpeedKn,
    voyages: view.voyages.map((v) => ({
      segment: v.segment,
      ongoing: v.ongoing,
      calls: v.calls.length,
      legs: v.legs.map((leg) => ({
        leg: leg.index,
        from: leg.from.name ?? leg.from.id,
        to: leg.to.name ?? leg.to.id,
        departure: leg.departure,
        arrival: leg.arrival,
        hours: tenth(leg.durationS / 3600),
        distanceNm: leg.distanceNm,
        impliedSpeedKn: leg.impliedSpeedKn,
        draughtDeparture: leg.draughtDeparture,
        draughtArrival: leg.draughtArrival,
        draughtChange: leg.draughtChange,
        declaredDestination: leg.declaredDestination?.destination ?? null,
        declaredAt: leg.declaredDestination?.declaredAt ?? null,
        irregularities: leg.irregularities.map((i) => ({ kind: i.kind, reason: i.reason })),
      })),
    })),
  };
}
