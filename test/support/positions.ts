// Position reports written straight into the store (PositionStore, as ingest writes them), for
// detector tests that script tracks point by point rather than through NMEA.
import type { DatabaseHandle } from '@rendezvous/db';
import type { PositionObservation } from '@rendezvous/feeds';
import { PositionStore } from '@rendezvous/ingest';
import { quietLogger } from './harness.ts';

/** A class A position report with a feed time stamp; `sog` in knots, null when not reported. */
export const position = (mmsi: number, ts: number, lon: number, lat: number, sog: number | null): PositionObservation => ({
  kind: 'position',
  mmsi,
  ts,
  tsFromFeed: true,
  lon,
  lat,
  sog,
  cog: null,
  heading: null,
  navStatus: null,
  msgType: 1,
  source: null,
  dedupKey: null,
  mmsiInvalid: false,
});

/** Stores the reports (positions, 10-minute buckets, vessels), one ingest batch per argument, in order. */
export async function storePositions(database: DatabaseHandle, ...batches: PositionObservation[][]): Promise<void> {
  const store = new PositionStore(database.pool, quietLogger);
  try {
    for (const positions of batches) await store.write({ positions, statics: [] });
  } finally {
    await store.close();
  }
}
