/**
 * Tiny synthetic track generator for the detection tests: vessels follow waypoint scripts
 * (linear in lat/lon along the shorter way round the antimeridian), reporting at a fixed
 * interval, with optional silences.
 */
import { geodesicDistanceM, METRES_PER_NM, MS_TO_KN, wrapLon } from '@rendezvous/geodesy';
import type { Track, TrackPoint } from '../src/tracks.ts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
/** 2024-03-10T00:00:00Z, a grid-aligned day start. */
export const DAY0 = Date.UTC(2024, 2, 10);

export interface Waypoint {
  t: number;
  lon: number;
  lat: number;
}

const R = 6371008.8;
const RAD = Math.PI / 180;

/** Point reached from (lon, lat) going distM metres on bearingDeg (spherical forward; ~0.5 % accurate). */
export function offset(lon: number, lat: number, bearingDeg: number, distM: number): { lon: number; lat: number } {
  const d = distM / R;
  const b = bearingDeg * RAD;
  const p1 = lat * RAD;
  const l1 = lon * RAD;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { lon: wrapLon(l2 / RAD), lat: p2 / RAD };
}

/** Position at time t along the waypoints (clamped to the ends). */
export function positionAt(wps: readonly Waypoint[], t: number): { lon: number; lat: number; sog: number } {
  if (t <= wps[0]!.t) return { lon: wps[0]!.lon, lat: wps[0]!.lat, sog: 0 };
  for (let i = 1; i < wps.length; i++) {
    const a = wps[i - 1]!;
    const b = wps[i]!;
    if (t <= b.t) {
      const f = b.t === a.t ? 1 : (t - a.t) / (b.t - a.t);
      let dl = b.lon - a.lon;
      if (dl > 180) dl -= 360;
      if (dl < -180) dl += 360;
      const sog = b.t === a.t ? 0 : (geodesicDistanceM(a.lon, a.lat, b.lon, b.lat) / ((b.t - a.t) / 1000)) * MS_TO_KN;
      return { lon: wrapLon(a.lon + f * dl), lat: a.lat + f * (b.lat - a.lat), sog };
    }
  }
  const l = wps[wps.length - 1]!;
  return { lon: l.lon, lat: l.lat, sog: 0 };
}

export interface ReportOptions {
  /** Report interval (ms). */
  everyMs: number;
  /** First report at waypoints[0].t + phaseMs. */
  phaseMs?: number;
  /** [from, to) intervals without reports. */
  silences?: readonly (readonly [number, number])[];
  segment?: string | number;
}

export function track(mmsi: number, wps: readonly Waypoint[], o: ReportOptions): Track {
  const points: TrackPoint[] = [];
  const end = wps[wps.length - 1]!.t;
  for (let t = wps[0]!.t + (o.phaseMs ?? 0); t <= end; t += o.everyMs) {
    if (o.silences?.some(([a, b]) => t >= a && t < b)) continue;
    const p = positionAt(wps, t);
    points.push({ t, lon: p.lon, lat: p.lat, sog: Math.round(p.sog * 10) / 10 });
  }
  return o.segment === undefined ? { mmsi, points } : { mmsi, segment: o.segment, points };
}

/**
 * Waypoints for a vessel that sails `approachM` at `kn` towards `station`, sits there from
 * `arrive` to `leave`, then sails away on the same bearing it came from (reversed).
 */
export function visit(station: { lon: number; lat: number }, arrive: number, leave: number, fromBearing: number, kn = 12, approachM = 30_000): Waypoint[] {
  // Whole minutes, so reports of a 1-min reporter land on grid times exactly.
  const travelMs = Math.round(approachM / ((kn * METRES_PER_NM) / 3600) / 60) * 60_000;
  const far = offset(station.lon, station.lat, fromBearing, approachM);
  return [
    { t: arrive - travelMs, ...far },
    { t: arrive, ...station },
    { t: leave, ...station },
    { t: leave + travelMs, ...far },
  ];
}

/** A straight passage through `via` at time tVia, on bearing, at kn, for durationMs either side. */
export function passage(via: { lon: number; lat: number }, tVia: number, bearing: number, kn: number, durationMs: number): Waypoint[] {
  const d = ((kn * METRES_PER_NM) / 3600) * (durationMs / 1000);
  const a = offset(via.lon, via.lat, bearing + 180, d);
  const b = offset(via.lon, via.lat, bearing, d);
  return [
    { t: tVia - durationMs, ...a },
    { t: tVia, ...via },
    { t: tVia + durationMs, ...b },
  ];
}

