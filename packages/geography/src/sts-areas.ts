/**
 * Known ship-to-ship transfer areas ("STS hubs", DESIGN.md "Risk context" / "STS hubs"): GeoJSON
 * validation and a lookup index. Pure; the file reading is in sts-areas-file.ts.
 * Point-in-polygon is planar in (lon, lat) with each ring unwrapped across ±180° (rings.ts), so
 * a polygon written from 179° to 181° (or 179° to −179°) is found at both spellings.
 */
import { addRingEdges, emptyEdges, insideEdges, normLon, type PlanarEdges, type Ring } from './rings.ts';

export interface StsArea {
  name: string;
  region: string | null;
  sources: string[];
  /** Rings of each polygon, outer ring first, [lon, lat] pairs. */
  polygons: Ring[][];
}

export interface HubIndex {
  /** The first area (in file order) containing (lon, lat), or null. */
  hubAt(lon: number, lat: number): StsArea | null;
  readonly areas: readonly StsArea[];
}

const isPos = (p: unknown): p is number[] =>
  Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[1] as number) <= 90;

function ring(r: unknown, where: string): Ring {
  if (!Array.isArray(r) || r.length < 4 || !r.every(isPos)) {
    throw new TypeError(`${where}: a ring must be ≥ 4 [lon, lat] positions`);
  }
  return r as number[][];
}

/** Validates a parsed GeoJSON FeatureCollection of STS areas; `what` names the source in errors. */
export function parseStsAreas(json: unknown, what: string): StsArea[] {
  const fc = json as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new TypeError(`${what}: not a GeoJSON FeatureCollection`);
  }
  return fc.features.map((f: unknown, i: number) => {
    const feat = f as { properties?: Record<string, unknown> | null; geometry?: { type?: unknown; coordinates?: unknown } | null };
    const props = feat?.properties ?? {};
    const name = props['name'];
    const where = `${what}: feature ${i}${typeof name === 'string' ? ` (${name})` : ''}`;
    if (typeof name !== 'string' || !name.trim()) throw new TypeError(`${where}: properties.name must be a non-empty string`);
    const g = feat.geometry;
    let polys: unknown[];
    if (g?.type === 'Polygon') polys = [g.coordinates];
    else if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates)) polys = g.coordinates;
    else throw new TypeError(`${where}: geometry must be a Polygon or MultiPolygon, got ${String(g?.type)}`);
    const polygons = polys.map((p, j) => {
      if (!Array.isArray(p) || p.length === 0) throw new TypeError(`${where}: polygon ${j} has no rings`);
      return p.map((r, k) => ring(r, `${where}: polygon ${j} ring ${k}`));
    });
    const region = typeof props['region'] === 'string' ? (props['region'] as string) : null;
    const src = props['sources'];
    const sources = Array.isArray(src) ? src.filter((s): s is string => typeof s === 'string') : [];
    return { name, region, sources, polygons };
  });
}

interface Entry {
  area: StsArea;
  edges: PlanarEdges;
  minX: number; minY: number; maxX: number; maxY: number;
}

/** Bounding-box prefilter, then even-odd point-in-polygon over the area's (unwrapped) rings. */
export function createHubIndex(areas: readonly StsArea[]): HubIndex {
  const entries: Entry[] = areas.map((area) => {
    const edges = emptyEdges();
    for (const p of area.polygons) for (const r of p) addRingEdges(r, edges);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < edges.x1.length; i++) {
      minX = Math.min(minX, edges.x1[i]!, edges.x2[i]!);
      maxX = Math.max(maxX, edges.x1[i]!, edges.x2[i]!);
      minY = Math.min(minY, edges.y1[i]!, edges.y2[i]!);
      maxY = Math.max(maxY, edges.y1[i]!, edges.y2[i]!);
    }
    return { area, edges, minX, minY, maxX, maxY };
  });
  return {
    areas,
    hubAt(lonIn, lat) {
      const lon = normLon(lonIn);
      for (const e of entries) {
        if (lat < e.minY || lat > e.maxY || lon < e.minX || lon > e.maxX) continue;
        if (insideEdges(e.edges, 0, e.edges.x1.length, lon, lat)) return e.area;
      }
      return null;
    },
  };
}
