export { buildShoreIndex, SAMPLE_SPACING_M, type ShoreIndex, type ShoreIndexStats } from './shore-index.ts';
export { loadShoreIndex, readLandRings, LAND_10M_FILE } from './land-data.ts';
export { createHubIndex, parseStsAreas, type HubIndex, type StsArea } from './sts-areas.ts';
export { loadStsAreas, DEFAULT_STS_AREAS_FILE } from './sts-areas-file.ts';
export { loadPortsFile, parsePortsCsv, type PortEntry, type PortsFile } from './ports-file.ts';
export {
  filterSanctioned,
  parseCountryList,
  parseSanctionedAreas,
  parseSanctionedPorts,
  type SanctionedArea,
  type SanctionedGeography,
  type SanctionedPort,
} from './sanctioned-areas.ts';
export { DEFAULT_SANCTIONED_AREAS_FILE, DEFAULT_SANCTIONED_PORTS_FILE, loadSanctioned, type SanctionedFiles } from './sanctioned-areas-file.ts';
export { loadKnownPorts, sanctionedPortEntries } from './known-ports.ts';
export type { Ring } from './rings.ts';
