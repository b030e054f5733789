/**
 * Two transmitters on one MMSI, ~300 km apart, reporting interleaved (a cloned or mistyped MMSI).
 * A detector that joins them into one track draws lines across the sea; a bystander loitering
 * halfway between them is where such a spurious track would "meet" someone.
 */
import { sphericalDestination, haversineM } from '@rendezvous/geodesy';
import { AnchorTrack, WaypointTrack } from '../kinematics.ts';
import { drift } from './choreography.ts';
import { HOUR, scripted, type Scenario } from './scenario.ts';

export const sharedMmsi: Scenario = {
  name: 'shared_mmsi',
  hub: { label: 'Central Mediterranean (Ionian Sea)', lat: 34.5, lon: 17.5 },
  jitterM: 10_000,
  build(ctx) {
    const r = ctx.rng;
    const axis = Math.round(r.range(60, 120));
    const halfM = r.range(140_000, 160_000);
    const east = sphericalDestination(ctx.centre, axis, halfM);
    const west = sphericalDestination(ctx.centre, (axis + 180) % 360, halfM);
    const t0 = ctx.window.startMs - HOUR;
    const t1 = ctx.window.endMs + HOUR;
    const loiter = (from: typeof east, kn: number) => {
      const bearing = Math.round(r.range(0, 360));
      return new WaypointTrack([
        { ...from, tMs: t0 },
        { ...drift(from, bearing, kn, t1 - t0), tMs: t1 },
      ]);
    };
    const first = scripted(ctx, 'transmitter_1', 'tanker', loiter(east, r.range(0.3, 0.6)), { watchlisted: true, shadowFlag: true });
    // The clone: same MMSI, its own name, IMO and call sign; lies at anchor and reports every 3 min.
    const cloneId = ctx.factory.make('cargo', { mmsi: first.identity.mmsi });
    const second = scripted(ctx, 'transmitter_2', 'cargo', new AnchorTrack(west, r.range(40, 100), r.range(0, 2 * Math.PI)), { identity: cloneId });
    const bystander = scripted(ctx, 'bystander', 'tanker', loiter(ctx.centre, r.range(0.2, 0.5)));
    const separationKm = Math.round(haversineM(east.lon, east.lat, west.lon, west.lat) / 100) / 10;
    const why = `shared MMSI: the transmitters are ~${Math.round(separationKm)} km apart and each ~${Math.round(separationKm / 2)} km from the bystander; only a track drawn across both would come near it`;
    return {
      description: 'Two transmitters share one MMSI ~300 km apart and report interleaved: split the track; no encounter with the bystander between them.',
      vessels: [first, second, bystander],
      pairs: [
        { a: 'transmitter_1', b: 'bystander', override: { expected: false, why } },
        { a: 'transmitter_2', b: 'bystander', override: { expected: false, why } },
      ],
      params: { sharedMmsi: first.identity.mmsi, separationKm, namesOnAir: [first.identity.name, cloneId.name] },
      extra: { sharedMmsi: { mmsi: first.identity.mmsi, transmitters: [first.key, second.key], separationKm } },
    };
  },
};
