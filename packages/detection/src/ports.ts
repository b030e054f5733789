/**
 * Port / anchorage masking (DESIGN.md: encounters are "away from ports (GFW: ≥ 10 km from an
 * anchorage)"). `createPortIndex` builds a pure, in-memory index of anchorage points for the
 * detector's `isNearPort` hook: ECEF cubes of the index radius (see spatial-hash.ts), so a
 * lookup touches at most 27 cells, and the decision is on the geodesic distance.
 */
import { ecefInto, geodesicDistanceM } from '@rendezvous/geodesy';
import { MIN_CELL_M, packKey } from './spatial-hash.ts';

export interface PortIndex {
  /** The radius the index was built for (m); the largest radius it can answer. */
  readonly radiusM: number;
  readonly size: number;
  /** Whether some port point lies within radiusM (default and maximum: the index radius; above it throws). */
  isNearPort(lon: number, lat: number, radiusM?: number): boolean;
  /** Distance (m) to the nearest port point if within the index radius, else null. */
  nearestWithin(lon: number, lat: number): number | null;
}

export function createPortIndex(points: readonly { lon: number; lat: number }[], radiusM: number): PortIndex {
  if (!(radiusM > 0 && radiusM <= 1_000_000)) throw new RangeError('radiusM must be in (0, 1000 km]');
  const cellM = Math.max(radiusM + 1e-3, MIN_CELL_M);
  const n = points.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const cells = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    if (!(Number.isFinite(p.lon) && Number.isFinite(p.lat) && Math.abs(p.lat) <= 90)) {
      throw new RangeError(`port point ${i} is not a valid position`);
    }
    lon[i] = p.lon;
    lat[i] = p.lat;
    ecefInto(p.lon, p.lat, x, y, z, i);
    const key = packKey(Math.floor(x[i]! / cellM), Math.floor(y[i]! / cellM), Math.floor(z[i]! / cellM));
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  }
  const q = { x: new Float64Array(1), y: new Float64Array(1), z: new Float64Array(1) };

  /** Calls back with every port point whose chord ≤ r; stops when the callback returns true. */
  const scan = (plon: number, plat: number, r: number, cb: (i: number) => boolean): void => {
    ecefInto(plon, plat, q.x, q.y, q.z, 0);
    const qx = q.x[0]!;
    const qy = q.y[0]!;
    const qz = q.z[0]!;
    const cx = Math.floor(qx / cellM);
    const cy = Math.floor(qy / cellM);
    const cz = Math.floor(qz / cellM);
    const r2 = (r + 1e-3) * (r + 1e-3);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dz = -1; dz <= 1; dz++) {
          const list = cells.get(packKey(cx + dx, cy + dy, cz + dz));
          if (!list) continue;
          for (const i of list) {
            const ex = qx - x[i]!;
            const ey = qy - y[i]!;
            const ez = qz - z[i]!;
            if (ex * ex + ey * ey + ez * ez <= r2 && cb(i)) return; // r2 has 1 mm slack, see pairs.ts
          }
        }
  };

  return {
    radiusM,
    size: n,
    isNearPort(plon, plat, r = radiusM) {
      if (r > radiusM) throw new RangeError(`port index built for ${radiusM} m cannot answer ${r} m`);
      const rr = r;
      let near = false;
      scan(plon, plat, rr, (i) => (near = geodesicDistanceM(plon, plat, lon[i]!, lat[i]!) <= rr));
      return near;
    },
    nearestWithin(plon, plat) {
      let best = Infinity;
      scan(plon, plat, radiusM, (i) => {
        const d = geodesicDistanceM(plon, plat, lon[i]!, lat[i]!);
        if (d < best) best = d;
        return false;
      });
      return best <= radiusM ? best : null;
    },
  };
}
