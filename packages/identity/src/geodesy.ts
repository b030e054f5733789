/**
 * Distances on the WGS-84 ellipsoid. Degrees are not distances: near the antimeridian a naive
 * Δlon of 359.99° is really 0.01°, and at 80° N a degree of longitude is 19 km, not 111 km
 * (DESIGN.md "AIS facts that bite").
 */

const A = 6378137; // WGS-84 semi-major axis (m)
const F = 1 / 298.257223563; // WGS-84 flattening
const B = A * (1 - F);
/** IUGG mean Earth radius (m), for the spherical fallback. */
const MEAN_RADIUS = 6371008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres on the mean sphere (error ≤ ~0.5 % against the ellipsoid). */
export function haversineMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD; // sin² is 2π-periodic: no antimeridian special case needed
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Geodesic distance in metres on WGS-84 (Vincenty 1975, inverse formula; sub-millimetre for
 * ship-scale distances). Near-antipodal points, where the iteration does not converge, fall back
 * to the haversine distance: no consecutive AIS fixes are 20,000 km apart for a reason that needs
 * better than 0.5 %.
 */
export function geodesicMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  let L = (lon2 - lon1) * RAD;
  // Shortest way round the globe: crossing ±180° is a small step, not a trip round the world.
  L = L - 2 * Math.PI * Math.round(L / (2 * Math.PI));
  const U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD));
  const U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);

  let lambda = L;
  let sinSigma = 0;
  let cosSigma = 0;
  let sigma = 0;
  let cos2Alpha = 0;
  let cos2SigmaM = 0;
  for (let i = 0; i < 200; i++) {
    const sinLambda = Math.sin(lambda);
    const cosLambda = Math.cos(lambda);
    const t1 = cosU2 * sinLambda;
    const t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda;
    sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
    if (sinSigma === 0) return 0; // coincident points
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    // On the equator cos²α = 0 and the term vanishes.
    cos2SigmaM = cos2Alpha !== 0 ? cosSigma - (2 * sinU1 * sinU2) / cos2Alpha : 0;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const previous = lambda;
    lambda = L + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - previous) < 1e-12) {
      const u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
      const bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const deltaSigma =
        bigB *
        sinSigma *
        (cos2SigmaM +
          (bigB / 4) *
            (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
              (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
      return B * bigA * (sigma - deltaSigma);
    }
  }
  return haversineMeters(lon1, lat1, lon2, lat2);
}

export const METERS_PER_NM = 1852;
