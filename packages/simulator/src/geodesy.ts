/**
 * Spherical geodesy (mean Earth radius). Accurate to ~0.3 % against WGS-84, which is far below the
 * margins the scenarios keep around the 500 m rule; what matters is that it is real geodesy and not
 * degrees, so the antimeridian and high latitudes behave.
 */
import { haversineM } from '@rendezvous/geodesy';

export const EARTH_RADIUS_M = 6_371_008.8;
export const METRES_PER_NM = 1852;
/** Metres per second in one knot. */
export const KNOT_MS = METRES_PER_NM / 3600;

export interface LatLon {
  lat: number;
  lon: number;
}

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/** Longitude into (-180, 180]; AIS encodes 180 but a track crossing the antimeridian must wrap. */
export function normalizeLon(lon: number): number {
  let x = ((((lon + 180) % 360) + 360) % 360) - 180;
  if (x === -180) x = 180;
  return x;
}

/** Great-circle (haversine) distance in metres, from the project's one geodesy module. */
export function distanceM(a: LatLon, b: LatLon): number {
  return haversineM(a.lon, a.lat, b.lon, b.lat);
}

/** Initial great-circle bearing from a to b, degrees [0, 360). */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const φ1 = a.lat * RAD;
  const φ2 = b.lat * RAD;
  const Δλ = (b.lon - a.lon) * RAD;
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return (Math.atan2(y, x) * DEG + 360) % 360;
}

/** The point `distance` metres from `p` along initial bearing `bearing` (degrees). */
export function destination(p: LatLon, bearing: number, distance: number): LatLon {
  const δ = distance / EARTH_RADIUS_M;
  const θ = bearing * RAD;
  const φ1 = p.lat * RAD;
  const λ1 = p.lon * RAD;
  const sinφ2 = Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ);
  const φ2 = Math.asin(Math.max(-1, Math.min(1, sinφ2)));
  const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * sinφ2);
  return { lat: φ2 * DEG, lon: normalizeLon(λ2 * DEG) };
}

/** The point a fraction `f` of the way from a to b along the great circle. */
export function intermediate(a: LatLon, b: LatLon, f: number): LatLon {
  if (f <= 0) return { lat: a.lat, lon: a.lon };
  if (f >= 1) return { lat: b.lat, lon: b.lon };
  const δ = distanceM(a, b) / EARTH_RADIUS_M;
  // Short or degenerate arcs: the slerp weights lose precision, and linear interpolation of the
  // (wrapped) difference is exact enough below a few kilometres.
  if (δ < 1e-6) {
    let dLon = b.lon - a.lon;
    if (dLon > 180) dLon -= 360;
    if (dLon < -180) dLon += 360;
    return { lat: a.lat + (b.lat - a.lat) * f, lon: normalizeLon(a.lon + dLon * f) };
  }
  const A = Math.sin((1 - f) * δ) / Math.sin(δ);
  const B = Math.sin(f * δ) / Math.sin(δ);
  const φ1 = a.lat * RAD;
  const φ2 = b.lat * RAD;
  const λ1 = a.lon * RAD;
  const λ2 = b.lon * RAD;
  const x = A * Math.cos(φ1) * Math.cos(λ1) + B * Math.cos(φ2) * Math.cos(λ2);
  const y = A * Math.cos(φ1) * Math.sin(λ1) + B * Math.cos(φ2) * Math.sin(λ2);
  const z = A * Math.sin(φ1) + B * Math.sin(φ2);
  return { lat: Math.atan2(z, Math.hypot(x, y)) * DEG, lon: normalizeLon(Math.atan2(y, x) * DEG) };
}

/** Shift a point by metres east and north (small offsets: GPS noise, abeam stations). */
export function offsetEN(p: LatLon, eastM: number, northM: number): LatLon {
  const dist = Math.hypot(eastM, northM);
  if (dist === 0) return { lat: p.lat, lon: p.lon };
  return destination(p, (Math.atan2(eastM, northM) * DEG + 360) % 360, dist);
}
