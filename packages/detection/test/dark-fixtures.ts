/**
 * Shared fixtures for the dark-activity tests: straight sailing tracks with silences, a fake shore
 * (a line of longitude) and a context builder.
 */
import { geodesicDistanceM, METRES_PER_NM } from '@rendezvous/geodesy';
import type { DarkContext } from '../src/dark-context.ts';
import type { Track } from '../src/tracks.ts';
import { DAY0, HOUR, MIN, offset, track, type Waypoint } from './gen.ts';

export { DAY0, HOUR, MIN };
export const NM = METRES_PER_NM;
/** Arabian Sea, far from our fake shore at 55°E (≈ 280 nm). */
export const HERE = { lon: 60, lat: 20 };

/** Distance to a shore that is the meridian `shoreLon` (wraps at ±180 like every geodesic). */
export const shoreAt = (shoreLon: number) => (lon: number, lat: number) => geodesicDistanceM(lon, lat, shoreLon, lat);

export function ctx(o: Partial<DarkContext> = {}): DarkContext {
  return { window: { from: DAY0 - 24 * HOUR, to: DAY0 + 72 * HOUR }, horizon: DAY0 + 72 * HOUR, shoreDistanceM: shoreAt(55), ...o };
}

export interface SailOptions {
  everyMs?: number;
  silences?: readonly (readonly [number, number])[];
  segment?: string;
}

/** A vessel sailing a straight line from `from` on `bearing` at `kn`, reporting every 10 min. */
export function sail(mmsi: number, from: { lon: number; lat: number }, t0: number, t1: number, bearing: number, kn: number, o: SailOptions = {}): Track {
  const to = offset(from.lon, from.lat, bearing, kn * NM * ((t1 - t0) / HOUR));
  const wps: Waypoint[] = [
    { t: t0, ...from },
    { t: t1, ...to },
  ];
  return track(mmsi, wps, { everyMs: o.everyMs ?? 10 * MIN, silences: o.silences, segment: o.segment });
}

/** Sails in at 10 kn (2 h), drifts `driftKn` from arrive to leave, sails off (2 h). */
export function loiterer(mmsi: number, spot: { lon: number; lat: number }, arrive: number, leave: number, driftKn: number, o: SailOptions = {}): Track {
  const inFrom = offset(spot.lon, spot.lat, 0, 20 * NM);
  const driftEnd = offset(spot.lon, spot.lat, 90, driftKn * NM * ((leave - arrive) / HOUR));
  const away = offset(driftEnd.lon, driftEnd.lat, 180, 20 * NM);
  const wps: Waypoint[] = [
    { t: arrive - 2 * HOUR, ...inFrom },
    { t: arrive, ...spot },
    { t: leave, ...driftEnd },
    { t: leave + 2 * HOUR, ...away },
  ];
  return track(mmsi, wps, { everyMs: o.everyMs ?? 10 * MIN, silences: o.silences, segment: o.segment });
}

/** Deterministic shuffle (reverse + rotate): input order must not matter. */
export function scramble<T>(xs: readonly T[]): T[] {
  const r = [...xs].reverse();
  return r.length > 1 ? [...r.slice(1), r[0]!] : r;
}
