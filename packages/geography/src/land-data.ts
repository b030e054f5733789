/**
 * Loader (file I/O): Natural Earth 1:10m land polygons, v4.1.0, as redistributed in the npm
 * package world-atlas@2.0.2 (`land-10m.json`, TopoJSON, quantised to 0.0036° × 0.00169°), decoded
 * with topojson-client. Natural Earth is public domain (naturalearthdata.com/about/terms-of-use);
 * world-atlas is ISC. The only module of this package that reads a file besides sts-areas-file.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { Ring } from './rings.ts';
import { buildShoreIndex, type ShoreIndex } from './shore-index.ts';

/** Absolute path of the land TopoJSON in node_modules. */
export const LAND_10M_FILE: string = createRequire(import.meta.url).resolve('world-atlas/land-10m.json');

/** Every ring (outer and holes) of the `land` object of a world-atlas TopoJSON file. */
export function readLandRings(file: string = LAND_10M_FILE): Ring[] {
  const topo = JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof feature>[0];
  const land = topo.objects?.['land'];
  if (!land || land.type !== 'GeometryCollection') {
    throw new Error(`${file}: no "land" GeometryCollection (expected a world-atlas land TopoJSON)`);
  }
  const fc = feature(topo, land);
  const rings: Ring[] = [];
  for (const f of fc.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') rings.push(...g.coordinates);
    else if (g.type === 'MultiPolygon') for (const p of g.coordinates) rings.push(...p);
  }
  return rings;
}

let cached: ShoreIndex | null = null;

/** The shore index over Natural Earth 1:10m land, built on first call (~1 s) and cached. */
export function loadShoreIndex(): ShoreIndex {
  cached ??= buildShoreIndex(readLandRings());
  return cached;
}
