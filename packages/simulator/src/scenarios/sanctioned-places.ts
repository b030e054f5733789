/**
 * The sanctioned places the issue-15 scenarios are built around, copied from the files that ship
 * with @rendezvous/geography (the simulator stays pure and does not read them; the tests check the
 * copies against the files): DPRK's Nampho from data/sanctioned-ports.geojson (WPI position,
 * 10 km radius) and the West Sea polygon of data/sanctioned-areas.geojson (approximate DPRK
 * waters, not a legal boundary). The detector watches the sanctioned ports always (services/detector
 * main.ts), with the port's own radius as entry radius.
 */
import { haversineM, sphericalIntermediate, type LatLon } from '@rendezvous/geodesy';

export const NAMPHO = { id: 'sanctioned:PRK:Nampho', name: 'Nampho', country: 'PRK', lon: 125.4, lat: 38.716667, radiusM: 10_000 } as const;

export const DPRK_WEST_SEA = {
  name: 'DPRK waters (West Sea / Korea Bay)',
  country: 'PRK',
  ring: [
    [124.45, 39.95], [124.25, 39.7], [123.85, 39.2], [123.6, 38.3], [124, 38.05], [124.55, 38.07], [124.85, 37.95], [125.05, 37.83], [125.3, 37.7],
    [125.6, 37.72], [126.05, 37.76], [126.2, 37.9], [126.2, 38.1], [125.9, 38.9], [125.6, 39.5], [124.9, 40], [124.45, 39.95],
  ] as readonly (readonly [number, number])[],
} as const;

function inside(p: LatLon, ring: readonly (readonly [number, number])[]): boolean {
  let odd = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p.lat !== yj > p.lat && p.lon < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/**
 * Great-circle distance (m) from p to the polygon: 0 inside, else to the nearest point of its
 * edges, sampled every ≤ 200 m (an error of a few metres, nothing against the reach test's tens of
 * nautical miles). Deliberately not the detector's algorithm, so the tests compare two readings.
 */
export function distanceToRingM(p: LatLon, ring: readonly (readonly [number, number])[]): { distanceM: number; nearest: LatLon } {
  if (inside(p, ring)) return { distanceM: 0, nearest: p };
  let best = { distanceM: Infinity, nearest: p };
  for (let i = 1; i < ring.length; i++) {
    const a = { lon: ring[i - 1]![0], lat: ring[i - 1]![1] };
    const b = { lon: ring[i]![0], lat: ring[i]![1] };
    const n = Math.max(1, Math.ceil(haversineM(a.lon, a.lat, b.lon, b.lat) / 200));
    for (let k = 0; k <= n; k++) {
      const q = sphericalIntermediate(a, b, k / n);
      const d = haversineM(p.lon, p.lat, q.lon, q.lat);
      if (d < best.distanceM) best = { distanceM: d, nearest: q };
    }
  }
  return best;
}
