import { DEFAULT_PORT_CALL_OPTIONS, detectPortCalls, type PortCall, type PortLookup } from '@rendezvous/detection';
import type { DraughtPoint, DraughtRepository, PortCallRecord, PortCallRepository, VesselRepository } from '@rendezvous/db';
import { DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import { toDetectorTracks } from '../track-splitting.ts';
import { loadWindowPositions, type PositionReader } from './load-stage.ts';
import type { WindowData } from './window-data.ts';

export interface PortCallStageOptions {
  ports: PortLookup;
  /** How far before and after the loaded data a call still open at either end is read (the longest meeting, 7 days). */
  lookaheadMs: number;
  bucketGrid: boolean;
}

/** Version of the port-call rule, stored with each call (a reprocess with a new rule rewrites them). */
export const PORT_CALL_VERSION = 'port-calls/1.0.0';
const TEN_MIN = 600_000;
/**
 * The draught on departure is the value in force this long after the last fix in port: crews
 * key the new draught in as they sail (often after the pilot leaves), rarely at the berth.
 */
const DEPARTURE_DRAUGHT_MS = 2 * 3_600_000;

/**
 * Port calls (issue 15) of a window's vessels: detected on the loaded tracks, owned by the
 * window holding their arrival. A stay reaching either end of the loaded data is read again for
 * that vessel from `lookaheadMs` before the data to `lookaheadMs` after it (at most to the data
 * horizon), so its arrival and departure do not depend on where the window's read stopped; one
 * still open at the end of that read is stored as ongoing (departure null), one still open at its
 * start (in port for over a week before the window) is left to no window. Draught on arrival and
 * departure from the type 5 history. Then reconciled with the stored calls the window owns.
 */
export function createPortCallStage(
  deps: {
    positions: PositionReader;
    vessels: Pick<VesselRepository, 'dataHorizon'>;
    draughts: Pick<DraughtRepository, 'draughtChanges'>;
    portCalls: Pick<PortCallRepository, 'reconcile'>;
  },
  options: PortCallStageOptions,
) {
  const { ports, lookaheadMs, bucketGrid } = options;
  return async function portCalls(data: WindowData): Promise<{ calls: PortCall[]; upserted: number; deleted: number }> {
    const window = { from: data.from, to: data.to };
    const horizon = Math.max(data.context.to, (await deps.vessels.dataHorizon()) ?? data.context.to);
    const first = detectPortCalls(data.tracks, ports, { range: data.context, window, horizon }, DEFAULT_PORT_CALL_OPTIONS);
    let calls = first.calls;
    if (first.readOn.length > 0) {
      const mmsis = [...new Set(first.readOn.map((v) => v.mmsi))];
      const from = Math.floor((data.context.from - lookaheadMs) / TEN_MIN) * TEN_MIN;
      const to = Math.ceil(Math.min(horizon, data.context.to + lookaheadMs) / TEN_MIN) * TEN_MIN;
      const { positions } = await loadWindowPositions(deps.positions, { from: new Date(from), to: new Date(to), bbox: null, mmsis }, bucketGrid);
      const tracks = toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS).tracks;
      // The end of this read counts as the end of the data: what is still in port there is ongoing.
      const again = detectPortCalls(tracks, ports, { range: { from, to }, window, horizon: to }, DEFAULT_PORT_CALL_OPTIONS);
      const reread = new Set(mmsis);
      calls = [...calls.filter((c) => !reread.has(c.mmsi)), ...again.calls.filter((c) => reread.has(c.mmsi))];
    }
    calls = await withDraught(calls);
    const owner = { from: window.from, to: window.to, mmsis: data.bbox ? data.positions.map((p) => p.mmsi) : undefined };
    const { upserted, deleted } = await deps.portCalls.reconcile({ from: new Date(owner.from), to: new Date(owner.to), mmsis: owner.mmsis }, calls.map(record));
    return { calls, upserted, deleted };
  };

  async function withDraught(calls: PortCall[]): Promise<PortCall[]> {
    if (calls.length === 0) return calls;
    const from = Math.min(...calls.map((c) => c.arrival));
    const to = Math.max(...calls.map((c) => (c.departure ?? c.arrival) + DEPARTURE_DRAUGHT_MS));
    const series = await deps.draughts.draughtChanges([...new Set(calls.map((c) => c.mmsi))], new Date(from), new Date(to));
    return calls.map((c) => {
      const s = series.get(c.mmsi) ?? [];
      return {
        ...c,
        draughtArrivalM: inForce(s, c.arrival),
        draughtDepartureM: c.departure === null ? null : inForce(s, c.departure + DEPARTURE_DRAUGHT_MS),
      };
    });
  }
}

/** The draught reported last at or before t (the series is time-ordered), or null. */
function inForce(series: readonly DraughtPoint[], t: number): number | null {
  let v: number | null = null;
  for (const p of series) {
    if (p.t > t) break;
    v = p.draughtM;
  }
  return v;
}

function record(c: PortCall): PortCallRecord {
  return {
    key: c.key,
    mmsi: c.mmsi,
    segment: c.segment,
    portId: c.port.id,
    portName: c.port.name,
    country: c.port.country,
    lon: c.port.lon,
    lat: c.port.lat,
    arrival: c.arrival,
    departure: c.departure,
    draughtArrivalM: c.draughtArrivalM,
    draughtDepartureM: c.draughtDepartureM,
    reasons: c.reasons,
    detectorVersion: PORT_CALL_VERSION,
  };
}
