import { ConfigError } from '@rendezvous/errors';
import { createHubIndex, DEFAULT_STS_AREAS_FILE, loadStsAreas, type StsArea } from '@rendezvous/geography';

/**
 * The STS hubs the `hub` score factor names (STS_AREAS_FILE: empty = the hubs shipped in
 * @rendezvous/geography, `off` = none, else a GeoJSON file). A file that cannot be used is a
 * configuration error naming the variable, like PORTS_FILE.
 */
export function loadStsHubs(setting: string | null | 'off'): { hubAt: (lon: number, lat: number) => string | null; areas: StsArea[]; file: string | null } {
  if (setting === 'off') return { hubAt: () => null, areas: [], file: null };
  const file = setting ?? DEFAULT_STS_AREAS_FILE;
  let areas: StsArea[];
  try {
    areas = loadStsAreas(file);
  } catch (err) {
    throw new ConfigError([{ variable: 'STS_AREAS_FILE', message: (err as Error).message }]);
  }
  const index = createHubIndex(areas);
  return { hubAt: (lon, lat) => index.hubAt(lon, lat)?.name ?? null, areas, file };
}
