import { loadPortsFile, type PortEntry } from './ports-file.ts';
import { loadSanctioned, type SanctionedFiles } from './sanctioned-areas-file.ts';

/**
 * The ports a declared AIS destination may name (issue 15, destination matching): every row of
 * PORTS_FILE with its name and country, plus the sanctioned ports (SANCTIONED_*), which are
 * watched for calls with or without PORTS_FILE. One list for the detector's voyage alerts and the
 * API's and CLI's voyages, so a declared "NAMPO" resolves the same everywhere.
 */
export async function loadKnownPorts(portsFile: string | null, sanctions: SanctionedFiles): Promise<PortEntry[]> {
  const listed = portsFile ? (await loadPortsFile(portsFile)).ports : [];
  return [...listed, ...sanctionedPortEntries(sanctions)];
}

/** The sanctioned ports as port entries, with the ids the detector gives their calls. */
export function sanctionedPortEntries(sanctions: SanctionedFiles): (PortEntry & { radiusM: number })[] {
  return loadSanctioned(sanctions).ports.map((p) => ({ id: `sanctioned:${p.country}:${p.name}`, name: p.name, country: p.country, lon: p.lon, lat: p.lat, radiusM: p.radiusM }));
}
