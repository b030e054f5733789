/**
 * Unit-sphere vector helpers for distances to coastline arcs. The Earth is the sphere of mean
 * radius R1 = 6 371 008.8 m (IUGG; `MEAN_RADIUS_M` in @rendezvous/geodesy): versus the WGS-84
 * ellipsoid this errs by at most ~0.5 % of the distance, well inside the coastline's own error
 * (README, "Dataset"). Angles between unit vectors use atan2(|u×v|, u·v), which stays accurate
 * for both tiny and near-antipodal angles (Vincenty's remark; see also "Angle between vectors",
 * Kahan, "How futile are mindless assessments of roundoff", 2006, §12).
 */
import { MEAN_RADIUS_M } from '@rendezvous/geodesy';

export { MEAN_RADIUS_M };

const DEG = Math.PI / 180;

/** Writes the unit vector of (lon, lat) (degrees) into out[o..o+2]. */
export function unitInto(lon: number, lat: number, out: Float64Array, o: number): void {
  const la = lat * DEG;
  const lo = lon * DEG;
  const c = Math.cos(la);
  out[o] = c * Math.cos(lo);
  out[o + 1] = c * Math.sin(lo);
  out[o + 2] = Math.sin(la);
}

/** Angle (radians) between unit vectors (ax, ay, az) and (bx, by, bz). */
export function angleBetween(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
}

/**
 * Angle (radians) from unit vector P to the minor great-circle arc A→B: the cross-track angle
 * when the foot of the perpendicular lies on the arc, else the angle to the nearer end.
 * (Standard construction, e.g. Veness, "Calculate distance … between latitude/longitude points",
 * movable-type.co.uk, cross-track and along-track distance, in vector form.)
 */
export function angleToArc(
  px: number, py: number, pz: number,
  ax: number, ay: number, az: number,
  bx: number, by: number, bz: number,
): number {
  // n = A × B, the arc's pole (not normalised).
  const nx = ay * bz - az * by;
  const ny = az * bx - ax * bz;
  const nz = ax * by - ay * bx;
  const nn = Math.sqrt(nx * nx + ny * ny + nz * nz);
  if (nn > 1e-15) {
    // The foot lies between A and B iff (A × P)·n ≥ 0 and (P × B)·n ≥ 0.
    const s1 = (ay * pz - az * py) * nx + (az * px - ax * pz) * ny + (ax * py - ay * px) * nz;
    const s2 = (py * bz - pz * by) * nx + (pz * bx - px * bz) * ny + (px * by - py * bx) * nz;
    if (s1 >= 0 && s2 >= 0) {
      const sinD = (px * nx + py * ny + pz * nz) / nn;
      return Math.asin(Math.min(1, Math.abs(sinD)));
    }
  }
  return Math.min(angleBetween(px, py, pz, ax, ay, az), angleBetween(px, py, pz, bx, by, bz));
}

/** Chord length on the unit sphere for an angle θ ≤ π. */
export const chordOf = (theta: number): number => 2 * Math.sin(Math.min(theta, Math.PI) / 2);
