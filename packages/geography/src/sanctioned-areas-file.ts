/**
 * Loader (file I/O): sanctioned ports and areas from GeoJSON files, and the paths of the two
 * shipped here. A file that cannot be used is a ConfigError naming the variable that chose it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@rendezvous/errors';
import {
  filterSanctioned,
  parseSanctionedAreas,
  parseSanctionedPorts,
  type SanctionedGeography,
} from './sanctioned-areas.ts';

/** Absolute path of data/sanctioned-ports.geojson (the DPRK's main ports, WPI positions). */
export const DEFAULT_SANCTIONED_PORTS_FILE: string = fileURLToPath(new URL('../data/sanctioned-ports.geojson', import.meta.url));
/** Absolute path of data/sanctioned-areas.geojson (approximate outline of DPRK waters). */
export const DEFAULT_SANCTIONED_AREAS_FILE: string = fileURLToPath(new URL('../data/sanctioned-areas.geojson', import.meta.url));

export interface SanctionedFiles {
  /** Upper-case ISO3 codes (config's SANCTIONED_COUNTRIES); empty = nothing is sanctioned. */
  countries: readonly string[];
  /** null = the shipped file, 'off' = no ports, else a path (SANCTIONED_PORTS_FILE). */
  portsFile: string | null | 'off';
  /** null = the shipped file, 'off' = no areas, else a path (SANCTIONED_AREAS_FILE). */
  areasFile: string | null | 'off';
}

function readJson(path: string, variable: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError([{ variable, message: `cannot read ${path} as GeoJSON: ${(err as Error).message}` }]);
  }
}

function parsed<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError([{ variable, message: (err as Error).message }]);
  }
}

/** Reads, validates and filters both files (a bad file is checked even if no country matches it). */
export function loadSanctioned(files: SanctionedFiles): SanctionedGeography {
  const portsPath = files.portsFile === null ? DEFAULT_SANCTIONED_PORTS_FILE : files.portsFile;
  const areasPath = files.areasFile === null ? DEFAULT_SANCTIONED_AREAS_FILE : files.areasFile;
  const ports = portsPath === 'off' ? [] : parsed('SANCTIONED_PORTS_FILE', () =>
    parseSanctionedPorts(readJson(portsPath, 'SANCTIONED_PORTS_FILE'), portsPath));
  const areas = areasPath === 'off' ? [] : parsed('SANCTIONED_AREAS_FILE', () =>
    parseSanctionedAreas(readJson(areasPath, 'SANCTIONED_AREAS_FILE'), areasPath));
  return filterSanctioned(files.countries, ports, areas);
}
