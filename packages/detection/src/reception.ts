/**
 * Reception index: which other vessels were heard near a position during a time span. The AIS-gap
 * rule uses it to tell a vessel's silence from a coverage hole (DESIGN.md "Dark activity": "if
 * nearby vessels kept reporting, the silence is the vessel's, not the receiver's"; Welch et al.
 * 2022 judge the same thing from satellite reception per cell).
 *
 * Built once per window over every loaded report (thousands of vessels): one pass, each report
 * appended to its (time bucket, ECEF cube) list, so building is linear. ECEF cubes (as in
 * spatial-hash.ts) need no special case at the antimeridian or the poles, and a query touches
 * only the cubes within the radius for the buckets of its span. Decisions are on the geodesic.
 */
import { ecefInto, geodesicDistanceM, MEAN_RADIUS_M } from '@rendezvous/geodesy';
import { MIN_CELL_M, packKey } from './spatial-hash.ts';
import { normaliseTracks, type TrackInput } from './tracks.ts';

export interface ReceptionIndex {
  /** Reports indexed. */
  readonly reports: number;
  /** Cube side (m) and time-bucket length (ms) the index was built with. */
  readonly cellM: number;
  readonly bucketMs: number;
  /**
   * Distinct MMSIs other than `excludeMmsi` with a report at t ∈ [from, to] within radiusM
   * (geodesic) of (lon, lat).
   */
  neighboursHeard(lon: number, lat: number, from: number, to: number, radiusM: number, excludeMmsi: number): number;
  /** The same MMSIs, added to `into` (to take the union over several positions). */
  neighbourMmsis(lon: number, lat: number, from: number, to: number, radiusM: number, excludeMmsi: number, into?: Set<number>): Set<number>;
}

export interface ReceptionIndexOptions {
  /**
   * Cube side (m). Default 50 km, the default reception radius (DarkActivityProfile.receptionRadiusM):
   * a query of that radius then reads 3 × 3 × 3 cubes per bucket.
   */
  cellM?: number;
  /** Time bucket (ms). Default 1 h: a 12 h gap reads 13 buckets. */
  bucketMs?: number;
}

export function createReceptionIndex(tracks: readonly TrackInput[], options: ReceptionIndexOptions = {}): ReceptionIndex {
  const cellM = Math.max(options.cellM ?? 50_000, MIN_CELL_M);
  const bucketMs = options.bucketMs ?? 3_600_000;
  if (!(bucketMs > 0)) throw new RangeError('bucketMs must be positive');
  const norm = normaliseTracks(tracks);
  let total = 0;
  for (const tr of norm) total += tr.n;
  const t = new Float64Array(total);
  const lon = new Float64Array(total);
  const lat = new Float64Array(total);
  const x = new Float64Array(total);
  const y = new Float64Array(total);
  const z = new Float64Array(total);
  const mmsi = new Float64Array(total);
  // bucket → cube key → report indices (in canonical track order, then time order).
  const buckets = new Map<number, Map<number, number[]>>();
  let k = 0;
  for (const tr of norm) {
    let lastBucket = Number.NaN;
    let cells: Map<number, number[]> | undefined;
    for (let i = 0; i < tr.n; i++, k++) {
      t[k] = tr.t[i]!;
      lon[k] = tr.lon[i]!;
      lat[k] = tr.lat[i]!;
      mmsi[k] = tr.mmsi;
      ecefInto(lon[k]!, lat[k]!, x, y, z, k);
      const b = Math.floor(t[k]! / bucketMs);
      if (b !== lastBucket) {
        cells = buckets.get(b);
        if (!cells) buckets.set(b, (cells = new Map()));
        lastBucket = b;
      }
      const key = packKey(Math.floor(x[k]! / cellM), Math.floor(y[k]! / cellM), Math.floor(z[k]! / cellM));
      const list = cells!.get(key);
      if (list) list.push(k);
      else cells!.set(key, [k]);
    }
  }
  const q = { x: new Float64Array(1), y: new Float64Array(1), z: new Float64Array(1) };

  const neighbourMmsis = (plon: number, plat: number, from: number, to: number, radiusM: number, exclude: number, into = new Set<number>()): Set<number> => {
    if (!(radiusM >= 0) || !(to >= from)) return into;
    ecefInto(plon, plat, q.x, q.y, q.z, 0);
    const qx = q.x[0]!;
    const qy = q.y[0]!;
    const qz = q.z[0]!;
    const cx = Math.floor(qx / cellM);
    const cy = Math.floor(qy / cellM);
    const cz = Math.floor(qz / cellM);
    const reach = Math.ceil(radiusM / cellM);
    // The chord is never longer than the geodesic, so chord ≤ r (1 mm slack) is a superset test;
    // the geodesic exceeds the chord by ≈ c³ / (24 R²), so below r − that it is already decided.
    const r2 = (radiusM + 1e-3) ** 2;
    const sure = radiusM - radiusM ** 3 / (24 * MEAN_RADIUS_M * MEAN_RADIUS_M) - 1;
    const sure2 = sure > 0 ? sure * sure : -1;
    const b1 = Math.floor(to / bucketMs);
    for (let b = Math.floor(from / bucketMs); b <= b1; b++) {
      const cells = buckets.get(b);
      if (!cells) continue;
      for (let dx = -reach; dx <= reach; dx++)
        for (let dy = -reach; dy <= reach; dy++)
          for (let dz = -reach; dz <= reach; dz++) {
            const list = cells.get(packKey(cx + dx, cy + dy, cz + dz));
            if (!list) continue;
            for (const i of list) {
              const m = mmsi[i]!;
              if (m === exclude || t[i]! < from || t[i]! > to || into.has(m)) continue;
              const ex = qx - x[i]!;
              const ey = qy - y[i]!;
              const ez = qz - z[i]!;
              const c2 = ex * ex + ey * ey + ez * ez;
              if (c2 > r2) continue;
              if (c2 <= sure2 || geodesicDistanceM(plon, plat, lon[i]!, lat[i]!) <= radiusM) into.add(m);
            }
          }
    }
    return into;
  };

  return {
    reports: total,
    cellM,
    bucketMs,
    neighbourMmsis,
    neighboursHeard: (plon, plat, from, to, radiusM, exclude) => neighbourMmsis(plon, plat, from, to, radiusM, exclude).size,
  };
}
