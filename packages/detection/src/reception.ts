/**
 * Reception index: which other vessels were heard near a position during a time span. The AIS-gap
 * rule uses it to tell a vessel's silence from a coverage hole (DESIGN.md "Dark activity": "if
 * nearby vessels kept reporting, the silence is the vessel's, not the receiver's"; Welch et al.
 * 2022 judge the same thing from satellite reception per cell).
 *
 * Built once per window over every loaded report (thousands of vessels) in linear time: reports are
 * grouped by (time bucket, ECEF cube) with a counting sort into flat typed arrays. ECEF cubes (as in
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
  /** Time span (ms) of the indexed reports; reception outside it is unknown (-Infinity/Infinity when empty). */
  readonly firstT: number;
  readonly lastT: number;
  /**
   * Distinct MMSIs other than `excludeMmsi` with a report at t ∈ [from, to] within radiusM
   * (geodesic) of (lon, lat).
   */
  neighboursHeard(lon: number, lat: number, from: number, to: number, radiusM: number, excludeMmsi: number): number;
  /**
   * The same MMSIs, added to `into` (to take the union over several positions); the search stops
   * once `into` holds `limit` (e.g. 1 to ask "was anyone heard?").
   */
  neighbourMmsis(lon: number, lat: number, from: number, to: number, radiusM: number, excludeMmsi: number, into?: Set<number>, limit?: number): Set<number>;
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

/** Group keys are (bucket − first bucket) · 2^31 + cube id: exact in a double for 2^22 buckets. */
const CUBE_SPAN = 2 ** 31;

export function createReceptionIndex(tracks: readonly TrackInput[], options: ReceptionIndexOptions = {}): ReceptionIndex {
  const cellM = Math.max(options.cellM ?? 50_000, MIN_CELL_M);
  const bucketMs = options.bucketMs ?? 3_600_000;
  if (!(bucketMs > 0)) throw new RangeError('bucketMs must be positive');
  const norm = normaliseTracks(tracks);
  let total = 0;
  for (const tr of norm) total += tr.n;

  // Tracks are sorted by time, so the first and last buckets come from their ends.
  let minBucket = Infinity;
  let maxBucket = -Infinity;
  let firstT = Infinity;
  let lastT = -Infinity;
  for (const tr of norm) {
    if (tr.n === 0) continue;
    firstT = Math.min(firstT, tr.t[0]!);
    lastT = Math.max(lastT, tr.t[tr.n - 1]!);
    minBucket = Math.min(minBucket, Math.floor(tr.t[0]! / bucketMs));
    maxBucket = Math.max(maxBucket, Math.floor(tr.t[tr.n - 1]! / bucketMs));
  }
  if (total > 0 && maxBucket - minBucket >= 2 ** 22) throw new RangeError('reception index: data spans too many time buckets');

  // Pass 1: the (bucket, cube) group of every report, counted. Consecutive reports of a track
  // mostly share their cube and bucket, so the maps are consulted only when one changes.
  const cubeIds = new Map<number, number>();
  const groups = new Map<number, number>();
  const groupOf = new Int32Array(total);
  const ex = new Float64Array(total);
  const ey = new Float64Array(total);
  const ez = new Float64Array(total);
  let counts: number[] = [];
  let k = 0;
  for (const tr of norm) {
    let lastCubeKey = Number.NaN;
    let cube = -1;
    let lastGroupKey = Number.NaN;
    let group = -1;
    for (let i = 0; i < tr.n; i++, k++) {
      ecefInto(tr.lon[i]!, tr.lat[i]!, ex, ey, ez, k);
      const key = packKey(Math.floor(ex[k]! / cellM), Math.floor(ey[k]! / cellM), Math.floor(ez[k]! / cellM));
      if (key !== lastCubeKey) {
        let id = cubeIds.get(key);
        if (id === undefined) cubeIds.set(key, (id = cubeIds.size));
        lastCubeKey = key;
        cube = id;
      }
      const gk = (Math.floor(tr.t[i]! / bucketMs) - minBucket) * CUBE_SPAN + cube;
      if (gk !== lastGroupKey) {
        let g = groups.get(gk);
        if (g === undefined) {
          groups.set(gk, (g = groups.size));
          counts.push(0);
        }
        lastGroupKey = gk;
        group = g;
      }
      groupOf[k] = group;
      counts[group]!++;
    }
  }

  // Counting sort: each group's reports together (in track order, then time order, so one
  // vessel's reports are adjacent).
  const groupStart = new Int32Array(groups.size + 1);
  for (let g = 0; g < groups.size; g++) groupStart[g + 1] = groupStart[g]! + counts[g]!;
  counts = [];
  const fill = Int32Array.from(groupStart.subarray(0, groups.size));
  const t = new Float64Array(total);
  const lon = new Float64Array(total);
  const lat = new Float64Array(total);
  const x = new Float64Array(total);
  const y = new Float64Array(total);
  const z = new Float64Array(total);
  const mmsi = new Float64Array(total);
  k = 0;
  for (const tr of norm) {
    for (let i = 0; i < tr.n; i++, k++) {
      const j = fill[groupOf[k]!]!++;
      t[j] = tr.t[i]!;
      lon[j] = tr.lon[i]!;
      lat[j] = tr.lat[i]!;
      x[j] = ex[k]!;
      y[j] = ey[k]!;
      z[j] = ez[k]!;
      mmsi[j] = tr.mmsi;
    }
  }
  const q = { x: new Float64Array(1), y: new Float64Array(1), z: new Float64Array(1) };

  const neighbourMmsis = (plon: number, plat: number, from: number, to: number, radiusM: number, exclude: number, into = new Set<number>(), limit = Infinity): Set<number> => {
    if (!(radiusM >= 0) || !(to >= from) || total === 0 || into.size >= limit) return into;
    ecefInto(plon, plat, q.x, q.y, q.z, 0);
    const qx = q.x[0]!;
    const qy = q.y[0]!;
    const qz = q.z[0]!;
    const cx = Math.floor(qx / cellM);
    const cy = Math.floor(qy / cellM);
    const cz = Math.floor(qz / cellM);
    const reach = Math.ceil(radiusM / cellM);
    const cubes: number[] = [];
    for (let dx = -reach; dx <= reach; dx++)
      for (let dy = -reach; dy <= reach; dy++)
        for (let dz = -reach; dz <= reach; dz++) {
          const id = cubeIds.get(packKey(cx + dx, cy + dy, cz + dz));
          if (id !== undefined) cubes.push(id);
        }
    // The chord is never longer than the geodesic, so chord ≤ r (1 mm slack) is a superset test;
    // the geodesic exceeds the chord by ≈ c³ / (24 R²), so below r − that it is already decided.
    const r2 = (radiusM + 1e-3) ** 2;
    const sure = radiusM - radiusM ** 3 / (24 * MEAN_RADIUS_M * MEAN_RADIUS_M) - 1;
    const sure2 = sure > 0 ? sure * sure : -1;
    const b0 = Math.max(Math.floor(from / bucketMs), minBucket);
    const b1 = Math.min(Math.floor(to / bucketMs), maxBucket);
    for (let b = b0; b <= b1; b++) {
      const edge = b * bucketMs < from || (b + 1) * bucketMs > to; // only edge buckets need the time test
      for (const cube of cubes) {
        const g = groups.get((b - minBucket) * CUBE_SPAN + cube);
        if (g === undefined) continue;
        const end = groupStart[g + 1]!;
        for (let i = groupStart[g]!; i < end; i++) {
          const m = mmsi[i]!;
          if (m === exclude || (edge && (t[i]! < from || t[i]! > to)) || into.has(m)) continue;
          const dx = qx - x[i]!;
          const dy = qy - y[i]!;
          const dz = qz - z[i]!;
          const c2 = dx * dx + dy * dy + dz * dz;
          if (c2 > r2) continue;
          if (c2 <= sure2 || geodesicDistanceM(plon, plat, lon[i]!, lat[i]!) <= radiusM) {
            into.add(m);
            if (into.size >= limit) return into;
            while (i + 1 < end && mmsi[i + 1] === m) i++; // the vessel's other reports here: counted
          }
        }
      }
    }
    return into;
  };

  return {
    reports: total,
    cellM,
    bucketMs,
    firstT,
    lastT,
    neighbourMmsis,
    neighboursHeard: (plon, plat, from, to, radiusM, exclude) => neighbourMmsis(plon, plat, from, to, radiusM, exclude).size,
  };
}
