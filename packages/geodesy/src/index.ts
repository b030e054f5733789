/**
 * WGS-84 geodesy for the detector. No degree arithmetic on distances (DESIGN.md "AIS facts that
 * bite": near the antimeridian and at high latitude distances need real geodesy).
 *
 * - `geodesicDistanceM`: Vincenty's inverse formula on the WGS-84 ellipsoid (sub-millimetre for
 *   the short distances the detector decides on; checked against GeographicLib in the tests).
 *   It iterates only for nearly antipodal points, where it falls back to a spherical estimate
 *   (irrelevant for encounters: they are decided at ≤ a few km).
 * - `toEcef`: Earth-centred coordinates on the ellipsoid surface. The straight-line (chord)
 *   distance between two surface points is never longer than the geodesic between them, so a
 *   chord test is an exact *superset* filter for "geodesic ≤ r" and the 3-D spatial hash built
 *   on it needs no special case at the antimeridian or the poles. The chord is shorter than the
 *   geodesic by ≈ s³/(24 R²): 1 µm at 1 km, 1 mm at 10 km.
 * - `haversineM` is kept for comparison only: on the mean sphere it is off by up to ~0.5 %
 *   (≈ 2.5 m at 500 m), which is why the detector does not decide on it.
 * - `sphericalDestination`, `sphericalIntermediate`, `initialBearingDeg`, `offsetEastNorth`: the
 *   direct problem on the mean sphere, for synthesising tracks (the simulator). Same ~0.3 % as
 *   haversine, far inside the margins scenarios keep around the 500 m rule; never for deciding.
 *
 * Longitudes: every function here returns them wrapped into [-180, 180) (`wrapLon`).
 */

export const WGS84_A = 6378137;
export const WGS84_F = 1 / 298.257223563;
export const WGS84_B = WGS84_A * (1 - WGS84_F);
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);
/** IUGG mean Earth radius (m), for the spherical comparison only. */
export const MEAN_RADIUS_M = 6371008.8;
/** The international nautical mile (1929), exactly. */
export const METRES_PER_NM = 1852;
/** Metres per second → knots (1 kn = 1852 m / 3600 s). */
export const MS_TO_KN = 3600 / METRES_PER_NM;
/** Knots → metres per second. */
export const KN_TO_MS = METRES_PER_NM / 3600;

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Longitude wrapped into [-180, 180). */
export function wrapLon(lon: number): number {
  if (lon >= -180 && lon < 180) return lon;
  return wrapLonModular(lon);
}

/**
 * Into [-180, 180) by the modular form even when already in range, where it can move the last bit.
 * The spherical track functions use it so the simulator's output stayed byte-identical when they
 * moved here (its ground truth rounds medians that sit on those bits: a 0.25 kn drift → 0.2 or 0.3).
 */
function wrapLonModular(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/** Signed shortest longitude difference lon2 − lon1 in degrees, in [-180, 180). */
export function lonDelta(lon1: number, lon2: number): number {
  return wrapLon(lon2 - lon1);
}

/**
 * Geodesic distance in metres between two WGS-84 positions (Vincenty inverse).
 * Correct across the antimeridian (the longitude difference is wrapped) and at the poles.
 */
export function geodesicDistanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const L = lonDelta(lon1, lon2) * RAD;
  const f = WGS84_F;
  const U1 = Math.atan((1 - f) * Math.tan(lat1 * RAD));
  const U2 = Math.atan((1 - f) * Math.tan(lat2 * RAD));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  let sinSigma = 0;
  let cosSigma = 1;
  let sigma = 0;
  let cos2Alpha = 1;
  let cos2SigmaM = 0;
  let converged = false;
  for (let iter = 0; iter < 100; iter++) {
    const sinL = Math.sin(lambda);
    const cosL = Math.cos(lambda);
    const t1 = cosU2 * sinL;
    const t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosL;
    sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
    if (sinSigma === 0) return 0; // coincident points
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cos2Alpha !== 0 ? cosSigma - (2 * sinU1 * sinU2) / cos2Alpha : 0; // equatorial line
    const C = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda =
      L +
      (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - prev) < 1e-12) {
      converged = true;
      break;
    }
  }
  if (!converged) return haversineM(lon1, lat1, lon2, lat2); // nearly antipodal only
  const u2 = (cos2Alpha * (WGS84_A * WGS84_A - WGS84_B * WGS84_B)) / (WGS84_B * WGS84_B);
  const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  const c2 = cos2SigmaM * cos2SigmaM;
  const dSigma =
    B *
    sinSigma *
    (cos2SigmaM +
      (B / 4) * (cosSigma * (-1 + 2 * c2) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * c2)));
  return WGS84_B * A * (sigma - dSigma);
}

/** Great-circle distance on the mean sphere (comparison only; see the module comment). */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dp = p2 - p1;
  const dl = lonDelta(lon1, lon2) * RAD;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * MEAN_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Earth-centred, Earth-fixed coordinates (m) of a point on the WGS-84 surface, written to
 * out[o], out[o+1], out[o+2]… via three arrays (allocation-free for hot loops).
 */
export function ecefInto(
  lon: number,
  lat: number,
  xs: Float64Array,
  ys: Float64Array,
  zs: Float64Array,
  i: number,
): void {
  const phi = lat * RAD;
  const lam = lon * RAD;
  const sp = Math.sin(phi);
  const cp = Math.cos(phi);
  const N = WGS84_A / Math.sqrt(1 - WGS84_E2 * sp * sp);
  xs[i] = N * cp * Math.cos(lam);
  ys[i] = N * cp * Math.sin(lam);
  zs[i] = N * (1 - WGS84_E2) * sp;
}

/** ECEF coordinates (m) of a surface point, as a fresh tuple (convenience; not for hot loops). */
export function toEcef(lon: number, lat: number): [number, number, number] {
  const x = new Float64Array(1);
  const y = new Float64Array(1);
  const z = new Float64Array(1);
  ecefInto(lon, lat, x, y, z, 0);
  return [x[0]!, y[0]!, z[0]!];
}

/** Straight-line distance (m) through the Earth between two surface points; ≤ the geodesic. */
export function chordDistanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const [x1, y1, z1] = toEcef(lon1, lat1);
  const [x2, y2, z2] = toEcef(lon2, lat2);
  return Math.hypot(x2 - x1, y2 - y1, z2 - z1);
}

/**
 * Accumulates positions as unit normals (n-vectors) and returns their mean direction: the
 * centroid "averaged on the unit sphere", correct across the antimeridian and near the poles
 * (averaging longitudes in degrees would put a meeting at 179.99°E/W near 0°). Sum in the
 * order `add` is called; callers add in time order so the result is reproducible bit for bit.
 */
export class SphereMean {
  #x = 0;
  #y = 0;
  #z = 0;
  #n = 0;

  add(lon: number, lat: number): void {
    const phi = lat * RAD;
    const lam = lon * RAD;
    const cp = Math.cos(phi);
    this.#x += cp * Math.cos(lam);
    this.#y += cp * Math.sin(lam);
    this.#z += Math.sin(phi);
    this.#n++;
  }

  get count(): number {
    return this.#n;
  }

  /** Mean position; `null` when nothing was added or the points cancel out (antipodal). */
  mean(): { lon: number; lat: number } | null {
    const h = Math.hypot(this.#x, this.#y);
    if (this.#n === 0 || (h === 0 && this.#z === 0)) return null;
    const lat = Math.atan2(this.#z, h) / RAD;
    const lon = h === 0 ? 0 : wrapLon(Math.atan2(this.#y, this.#x) / RAD);
    return { lon, lat };
  }
}

/** Initial great-circle bearing from a to b on the sphere, degrees in [0, 360). */
export function initialBearingDeg(a: LatLon, b: LatLon): number {
  const φ1 = a.lat * RAD;
  const φ2 = b.lat * RAD;
  const Δλ = (b.lon - a.lon) * RAD;
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return (Math.atan2(y, x) * DEG + 360) % 360;
}

/** The point `distanceM` metres from `p` along initial bearing `bearingDeg`, on the mean sphere. */
export function sphericalDestination(p: LatLon, bearingDeg: number, distanceM: number): LatLon {
  const δ = distanceM / MEAN_RADIUS_M;
  const θ = bearingDeg * RAD;
  const φ1 = p.lat * RAD;
  const λ1 = p.lon * RAD;
  const sinφ2 = Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ);
  const φ2 = Math.asin(Math.max(-1, Math.min(1, sinφ2)));
  const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * sinφ2);
  return { lat: φ2 * DEG, lon: wrapLonModular(λ2 * DEG) };
}

/** The point a fraction `f` of the way from a to b along the great circle (mean sphere). */
export function sphericalIntermediate(a: LatLon, b: LatLon, f: number): LatLon {
  if (f <= 0) return { lat: a.lat, lon: a.lon };
  if (f >= 1) return { lat: b.lat, lon: b.lon };
  const δ = haversineM(a.lon, a.lat, b.lon, b.lat) / MEAN_RADIUS_M;
  // Short or degenerate arcs: the slerp weights lose precision, and linear interpolation of the
  // (wrapped) difference is exact enough below a few kilometres.
  if (δ < 1e-6) {
    let dLon = b.lon - a.lon;
    if (dLon > 180) dLon -= 360;
    if (dLon < -180) dLon += 360;
    return { lat: a.lat + (b.lat - a.lat) * f, lon: wrapLonModular(a.lon + dLon * f) };
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
  return { lat: Math.atan2(z, Math.hypot(x, y)) * DEG, lon: wrapLonModular(Math.atan2(y, x) * DEG) };
}

/** `p` moved by metres east and north (small offsets: GPS noise, berths, abeam stations). */
export function offsetEastNorth(p: LatLon, eastM: number, northM: number): LatLon {
  const dist = Math.hypot(eastM, northM);
  if (dist === 0) return { lat: p.lat, lon: p.lon };
  return sphericalDestination(p, (Math.atan2(eastM, northM) * DEG + 360) % 360, dist);
}
