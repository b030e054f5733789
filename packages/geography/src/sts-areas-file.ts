/** Loader (file I/O): STS areas from a GeoJSON file, and the path of the one shipped here. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseStsAreas, type StsArea } from './sts-areas.ts';

/** Absolute path of data/sts-hubs.geojson (approximate polygons of publicly reported STS hubs). */
export const DEFAULT_STS_AREAS_FILE: string = fileURLToPath(new URL('../data/sts-hubs.geojson', import.meta.url));

/** Reads and validates a GeoJSON FeatureCollection; errors name the file (and the feature). */
export function loadStsAreas(path: string): StsArea[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read STS areas GeoJSON: ${(err as Error).message}`);
  }
  return parseStsAreas(json, path);
}
