import type { PortCall, VoyagePortCall } from '@rendezvous/detection';
import type { PortCallRecord } from '@rendezvous/db';

/**
 * The calls a window's voyages are built from (issue 15): the vessels' calls stored by earlier
 * windows and this run's own (which win on the same key: they are read from newer data), all
 * arriving before the window's end, so a leg's usual speed is learnt from what came before it
 * whenever the window runs. A stored call that overlaps the next one (a call stored ongoing when
 * the data ended there, or one found by an older rule) is dropped: voyages need calls in order.
 */
export function voyageCalls(stored: ReadonlyMap<number, readonly PortCallRecord[]>, fresh: readonly PortCall[], before: number): VoyagePortCall[] {
  const byKey = new Map<string, VoyagePortCall & { fresh: boolean }>();
  for (const list of stored.values()) {
    for (const r of list) {
      byKey.set(r.key, {
        key: r.key,
        mmsi: r.mmsi,
        segment: r.segment,
        port: { id: r.portId, name: r.portName, country: r.country, lon: r.lon, lat: r.lat },
        arrival: r.arrival,
        departure: r.departure,
        draughtArrivalM: r.draughtArrivalM,
        draughtDepartureM: r.draughtDepartureM,
        fresh: false,
      });
    }
  }
  for (const c of fresh) {
    if (c.arrival >= before) continue;
    byKey.set(c.key, {
      key: c.key,
      mmsi: c.mmsi,
      segment: c.segment,
      port: { id: c.port.id, name: c.port.name, country: c.port.country, lon: c.port.lon, lat: c.port.lat },
      arrival: c.arrival,
      departure: c.departure,
      draughtArrivalM: c.draughtArrivalM,
      draughtDepartureM: c.draughtDepartureM,
      fresh: true,
    });
  }
  const byVessel = new Map<string, (VoyagePortCall & { fresh: boolean })[]>();
  for (const c of byKey.values()) {
    const k = `${c.mmsi}:${c.segment ?? ''}`;
    const list = byVessel.get(k);
    if (list) list.push(c);
    else byVessel.set(k, [c]);
  }
  const out: VoyagePortCall[] = [];
  for (const list of byVessel.values()) {
    list.sort((a, b) => a.arrival - b.arrival || a.key.localeCompare(b.key));
    const kept: (VoyagePortCall & { fresh: boolean })[] = [];
    const overlaps = (prev: VoyagePortCall | undefined, c: VoyagePortCall) => prev !== undefined && (prev.departure === null || c.arrival < prev.departure);
    for (const c of list) {
      // Of overlapping calls keep the fresh one (newer data), else the earlier; a stored call
      // still marked ongoing with a later call after it was stored when the data ended in port
      // and its window has not run since: its departure is unknown, so it makes no leg.
      while (overlaps(kept[kept.length - 1], c) && !kept[kept.length - 1]!.fresh && (c.fresh || kept[kept.length - 1]!.departure === null)) kept.pop();
      if (!overlaps(kept[kept.length - 1], c)) kept.push(c);
    }
    for (const { fresh: _fresh, ...c } of kept) out.push(c);
  }
  return out;
}
