/** Geometry the browser needs: distances, interpolation along a track, and the antimeridian. */

const R = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Longitudes made continuous (each within 180° of the one before), so a track crossing the
 * antimeridian is drawn across it (179.9 → 180.1) instead of round the world.
 */
export function unwrap(coords: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let prev: number | null = null;
  for (const [lon, lat] of coords) {
    let x = lon;
    if (prev !== null) {
      while (x - prev > 180) x -= 360;
      while (x - prev < -180) x += 360;
    }
    out.push([x, lat]);
    prev = x;
  }
  return out;
}

export interface TimedPoint {
  t: number;
  lon: number;
  lat: number;
}

/** Position at time t by linear interpolation (lon unwrapped first); null outside the track. */
export function positionAt(track: readonly TimedPoint[], t: number): TimedPoint | null {
  if (track.length === 0 || t < track[0]!.t || t > track[track.length - 1]!.t) return null;
  let lo = 0;
  let hi = track.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (track[mid]!.t <= t) lo = mid;
    else hi = mid;
  }
  const a = track[lo]!;
  const b = track[hi]!;
  if (b.t === a.t) return a;
  const k = (t - a.t) / (b.t - a.t);
  let dLon = b.lon - a.lon;
  if (dLon > 180) dLon -= 360;
  if (dLon < -180) dLon += 360;
  return { t, lon: a.lon + k * dLon, lat: a.lat + k * (b.lat - a.lat) };
}

const wrapLon = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;

/**
 * The API's bbox (w,s,e,n, west > east across the antimeridian) of a lon/lat view extent whose
 * longitudes may run past ±180 (a map scrolled across it); the whole world when it spans 360°.
 */
export function bboxOfExtent(west: number, south: number, east: number, north: number): string {
  const s = Math.max(-90, south);
  const n = Math.min(90, north);
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  if (east - west >= 360) return `-180,${r(s)},180,${r(n)}`;
  let w = wrapLon(west);
  let e = wrapLon(east);
  // A view ending exactly on the antimeridian keeps 180, not -180.
  if (e === -180 && east > west) e = 180;
  if (w === 180) w = -180;
  return `${r(w)},${r(s)},${r(e)},${r(n)}`;
}

/**
 * A land polygon made continuous across the antimeridian: Natural Earth cuts land at ±180°, so
 * a ring can step from 180 to -180 (Chukotka, Fiji) and would be drawn as a band round the whole
 * world. Its rings are unwrapped from the outer ring's first longitude; a ring that still spans
 * the world (Antarctica, closed along the pole) is circumpolar and stays as it is.
 */
export function continuousPolygon(rings: [number, number][][]): [number, number][][] {
  const outer = rings[0];
  if (!outer || outer.length === 0) return rings;
  const start = outer[0]![0];
  const out: [number, number][][] = [];
  for (const ring of rings) {
    const u = unwrap([[start, 0], ...ring]).slice(1);
    let min = Infinity;
    let max = -Infinity;
    for (const [x] of u) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    if (max - min >= 359) return rings;
    out.push(u);
  }
  return out;
}
