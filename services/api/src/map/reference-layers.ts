import { DEFAULT_PROFILES } from '@rendezvous/detection';
import { DEFAULT_STS_AREAS_FILE, loadPortsFile, loadStsAreas } from '@rendezvous/geography';
import { ConfigError } from '@rendezvous/errors';

/**
 * The map's reference layers (issue 14) as GeoJSON, read from the same files and with the same
 * rules as the detector: the STS hubs its `hub` score factor names (STS_AREAS_FILE: unset = the
 * hubs shipped in @rendezvous/geography, `off` = none) and the port/anchorage points whose
 * radius masks alerts as `in_port` (PORTS_FILE: unset = none). A file the detector would refuse
 * is a configuration error here too, naming the variable.
 */

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
}

const collection = (features: FeatureCollection['features']): FeatureCollection => ({ type: 'FeatureCollection', features });

export function stsHubsLayer(setting: string | null | 'off'): FeatureCollection {
  if (setting === 'off') return collection([]);
  const file = setting ?? DEFAULT_STS_AREAS_FILE;
  let areas;
  try {
    areas = loadStsAreas(file);
  } catch (err) {
    throw new ConfigError([{ variable: 'STS_AREAS_FILE', message: (err as Error).message }]);
  }
  return collection(
    areas.map((area) => ({
      type: 'Feature',
      geometry: area.polygons.length === 1 ? { type: 'Polygon', coordinates: area.polygons[0] } : { type: 'MultiPolygon', coordinates: area.polygons },
      properties: { name: area.name, region: area.region, sources: area.sources },
    })),
  );
}

/**
 * Each port as a Point with the radius the detector masks around it: the widest of its profiles'
 * (the sensitive and standard profiles share 10 km today), so the layer never shows less than the
 * mask.
 */
export const PORT_MASK_RADIUS_M = Math.max(...DEFAULT_PROFILES.map((p) => p.portRadiusM));

export async function portsLayer(file: string | null): Promise<FeatureCollection> {
  if (!file) return collection([]);
  const ports = await loadPortsFile(file);
  return collection(ports.points.map(({ lon, lat }) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { radiusM: PORT_MASK_RADIUS_M } })));
}
