import { readFile } from 'node:fs/promises';
import { ConfigError } from '@rendezvous/errors';

/**
 * The port/anchorage list of PORTS_FILE: a CSV with a header naming `latitude` and `longitude`
 * columns (also `lat`, `lon`/`lng`/`long`), in any order among other columns — both GFW files
 * load as they come: WPI_ports.csv (`iso3,label,sublabel,latitude,longitude`) and
 * anchorage_overrides.csv (`s2id,latitude,longitude,label,sublabel,iso3`). A row without a valid
 * position is counted and skipped, never fatal; a file that cannot be read, has no such columns
 * or no valid row at all is a configuration error (the operator asked for a port mask and would
 * silently get none).
 *
 * Port calls (issue 15) also need what each point is: `ports` carries the optional name (`label`,
 * `name`, `port_name`, `main port name`) and country (`iso3`, `country`, `country code`; GFW
 * writes ISO3) columns, and an id: the `s2id` column when there is one (GFW's anchorage id, stable
 * across releases), else `row:<line>` (the line in the file).
 */
export interface PortsFile {
  points: { lon: number; lat: number }[];
  /** The same rows, in the same order, with their id, name and country (null when the file has none). */
  ports: PortEntry[];
  /** Data rows read (blank lines not counted). */
  rows: number;
  /** Rows skipped, with the first few reasons (line numbers are 1-based, the header is line 1). */
  bad: number;
  badSamples: { line: number; reason: string }[];
}

export interface PortEntry {
  id: string;
  name: string | null;
  country: string | null;
  lon: number;
  lat: number;
}

const LAT_NAMES = ['latitude', 'lat'];
const NAME_NAMES = ['label', 'name', 'port_name', 'main port name'];
const COUNTRY_NAMES = ['iso3', 'country', 'country code'];
const ID_NAMES = ['s2id'];
const LON_NAMES = ['longitude', 'lon', 'lng', 'long'];

export async function loadPortsFile(path: string): Promise<PortsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ variable: 'PORTS_FILE', message: `cannot read ${path}: ${(err as Error).message}` }]);
  }
  return parsePortsCsv(text, path);
}

export function parsePortsCsv(text: string, path = 'ports file'): PortsFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitLine(lines[0] ?? '')?.map((h) => h.trim().toLowerCase());
  const latCol = header ? header.findIndex((h) => LAT_NAMES.includes(h)) : -1;
  const lonCol = header ? header.findIndex((h) => LON_NAMES.includes(h)) : -1;
  if (latCol < 0 || lonCol < 0) {
    throw new ConfigError([{ variable: 'PORTS_FILE', message: `${path}: the header needs latitude and longitude columns, found "${lines[0]?.slice(0, 200) ?? ''}"` }]);
  }
  const column = (names: string[]) => (header ? header.findIndex((h) => names.includes(h)) : -1);
  const [nameCol, countryCol, idCol] = [column(NAME_NAMES), column(COUNTRY_NAMES), column(ID_NAMES)];
  const cell = (fields: string[], col: number): string | null => {
    const v = col < 0 ? '' : (fields[col]?.trim() ?? '');
    return v === '' ? null : v;
  };
  const out: PortsFile = { points: [], ports: [], rows: 0, bad: 0, badSamples: [] };
  const reject = (line: number, reason: string) => {
    out.bad++;
    if (out.badSamples.length < 5) out.badSamples.push({ line, reason });
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    out.rows++;
    const fields = splitLine(line);
    if (!fields) {
      reject(i + 1, 'broken quoting');
      continue;
    }
    const latText = fields[latCol]?.trim() ?? '';
    const lonText = fields[lonCol]?.trim() ?? '';
    const lat = latText === '' ? Number.NaN : Number(latText);
    const lon = lonText === '' ? Number.NaN : Number(lonText);
    if (!(Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
      reject(i + 1, `no valid position (latitude "${latText.slice(0, 40)}", longitude "${lonText.slice(0, 40)}")`);
      continue;
    }
    out.points.push({ lon, lat });
    out.ports.push({ id: cell(fields, idCol) ?? `row:${i + 1}`, name: cell(fields, nameCol), country: cell(fields, countryCol), lon, lat });
  }
  if (out.points.length === 0) throw new ConfigError([{ variable: 'PORTS_FILE', message: `${path}: no row with a valid position (${out.rows} rows, ${out.bad} rejected)` }]);
  return out;
}

/** RFC 4180 fields of one line ("" escapes a quote inside quotes); null when quoting is broken. */
function splitLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const c = line.indexOf(',', i);
      field = line.slice(i, c < 0 ? line.length : c);
      i = c < 0 ? line.length : c;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}
