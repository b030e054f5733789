/**
 * Convex hull of positions, for drawing a loitering area. Antimeridian-safe: longitudes are
 * unwrapped around a reference longitude (the centroid's) before the hull is taken, so fixes at
 * 179.99°E and 179.99°W are neighbours, not 360° apart. The ring therefore keeps continuous
 * longitudes, which can pass ±180 (e.g. 180.01): wrap them only when drawing on a split map.
 */
import { lonDelta } from '@rendezvous/geodesy';

/**
 * Hull vertices [lon, lat] counter-clockwise (in unwrapped lon/lat), without repeating the first;
 * one or two points when the input is degenerate. Deterministic for a given multiset of points.
 */
export function convexHull(lons: ArrayLike<number>, lats: ArrayLike<number>, from: number, to: number, refLon: number): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = from; i < to; i++) pts.push([refLon + lonDelta(refLon, lons[i]!), lats[i]!]);
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const uniq: [number, number][] = [];
  for (const p of pts) {
    const last = uniq[uniq.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) uniq.push(p);
  }
  if (uniq.length <= 2) return uniq;
  // Andrew's monotone chain; cross ≤ 0 drops collinear points.
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const p of uniq) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: [number, number][] = [];
  for (let i = uniq.length - 1; i >= 0; i--) {
    const p = uniq[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  const hull = lower.concat(upper);
  return hull.length ? hull : uniq.slice(0, 2);
}
