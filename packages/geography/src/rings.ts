/**
 * Rings as they come from spherical sources (TopoJSON/world-atlas, GeoJSON) → edges in a plane of
 * (lon, lat) degrees that planar point-in-polygon tests can use.
 *
 * world-atlas rings are spherical (d3-geo convention): an edge may cross the antimeridian as a
 * short step from +179.9° to −180°, and Antarctica's ring goes once around the south pole. So each
 * ring is "unwrapped" (longitudes made continuous, ±360° added at each jump > 180°); a ring that
 * then ends 360° away from where it started encloses a pole and is closed through it (down to the
 * pole and across), and the planar ring is repeated at −360°/0/+360° wherever it overlaps
 * [−180°, 180°]. The result is correct for longitudes in [−180°, 180°) (RFC 7946 §3.1.9 describes
 * the same problem for GeoJSON).
 */
export type Ring = readonly (readonly number[])[];

/** Planar edges: ring vertices unwrapped, pole-closed and shifted, as flat [x1, y1, x2, y2] runs. */
export interface PlanarEdges {
  readonly x1: number[];
  readonly y1: number[];
  readonly x2: number[];
  readonly y2: number[];
}

export function emptyEdges(): PlanarEdges {
  return { x1: [], y1: [], x2: [], y2: [] };
}

/** Longitudes made continuous along the ring (each step < 180°). Returns [lon, lat] pairs. */
export function unwrapRing(ring: Ring): [number, number][] {
  const out: [number, number][] = [];
  let prev = NaN;
  let shift = 0;
  for (const p of ring) {
    const lon = p[0]!;
    const lat = p[1]!;
    if (!Number.isNaN(prev)) {
      const d = lon + shift - prev;
      if (d > 180) shift -= 360;
      else if (d < -180) shift += 360;
    }
    prev = lon + shift;
    out.push([prev, lat]);
  }
  return out;
}

/**
 * Adds a ring's planar edges to `edges`. A ring that winds once around a pole (net Δlon ±360°) is
 * closed through the pole on the side of its mean latitude.
 */
export function addRingEdges(ring: Ring, edges: PlanarEdges): void {
  if (ring.length < 3) return;
  const u = unwrapRing(ring);
  const first = u[0]!;
  const last = u[u.length - 1]!;
  const net = last[0] - first[0];
  if (Math.abs(net) > 180) {
    let meanLat = 0;
    for (const p of u) meanLat += p[1];
    const pole = meanLat < 0 ? -90 : 90;
    u.push([last[0], pole], [first[0], pole], [first[0], first[1]]);
  } else if (last[0] !== first[0] || last[1] !== first[1]) {
    u.push([first[0], first[1]]);
  }
  let minX = Infinity;
  let maxX = -Infinity;
  for (const p of u) {
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
  }
  for (const k of [-720, -360, 0, 360, 720]) {
    if (maxX + k < -180 || minX + k > 180) continue;
    for (let i = 1; i < u.length; i++) {
      edges.x1.push(u[i - 1]![0] + k);
      edges.y1.push(u[i - 1]![1]);
      edges.x2.push(u[i]![0] + k);
      edges.y2.push(u[i]![1]);
    }
  }
}

/** Longitude into [−180, 180). */
export function normLon(lon: number): number {
  return lon >= -180 && lon < 180 ? lon : ((((lon + 180) % 360) + 360) % 360) - 180;
}

/** Even-odd point-in-polygon over planar edges (W. R. Franklin's PNPOLY crossing test). */
export function insideEdges(edges: PlanarEdges, from: number, to: number, x: number, y: number): boolean {
  let inside = false;
  const { x1, y1, x2, y2 } = edges;
  for (let i = from; i < to; i++) {
    const ya = y1[i]!;
    const yb = y2[i]!;
    if (ya > y !== yb > y) {
      const xa = x1[i]!;
      const xi = xa + ((y - ya) * (x2[i]! - xa)) / (yb - ya);
      if (x < xi) inside = !inside;
    }
  }
  return inside;
}
