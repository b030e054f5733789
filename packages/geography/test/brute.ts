/**
 * Independent brute force for tests and the bench: distance to every coastline arc with Veness's
 * cross-track / along-track formulas (movable-type.co.uk "Calculate distance, bearing and more
 * between latitude/longitude points") on haversine distances from @rendezvous/geodesy.
 */
import { haversineM, initialBearingDeg, MEAN_RADIUS_M } from '@rendezvous/geodesy';
import type { Ring } from '../src/index.ts';

export function bruteDistanceM(rings: readonly Ring[], lon: number, lat: number): number {
  let best = Infinity;
  const P = { lon, lat };
  for (const r of rings) {
    for (let i = 1; i < r.length; i++) {
      const A = { lon: r[i - 1]![0]!, lat: r[i - 1]![1]! };
      const B = { lon: r[i]![0]!, lat: r[i]![1]! };
      if (Math.abs(A.lon) === 180 && A.lon === B.lon) continue; // antimeridian cut, not coast
      const dAP = haversineM(A.lon, A.lat, lon, lat);
      const dBP = haversineM(B.lon, B.lat, lon, lat);
      let d = Math.min(dAP, dBP);
      const dAB = haversineM(A.lon, A.lat, B.lon, B.lat);
      if (dAB > 0 && dAP < d + dAB + 1) {
        const d13 = dAP / MEAN_RADIUS_M;
        const t = ((initialBearingDeg(A, P) - initialBearingDeg(A, B)) * Math.PI) / 180;
        const xt = Math.asin(Math.sin(d13) * Math.sin(t));
        const at = Math.acos(Math.min(1, Math.max(-1, Math.cos(d13) / Math.cos(xt))));
        if (Math.cos(t) > 0 && at * MEAN_RADIUS_M <= dAB) d = Math.min(d, Math.abs(xt) * MEAN_RADIUS_M);
      }
      if (d < best) best = d;
    }
  }
  return best;
}
