/**
 * Sanctioned ports and sea areas (issue 15; DESIGN.md "Risk context"): GeoJSON validation and the
 * country filter. Pure; the file reading is in sanctioned-areas-file.ts. The shipped files
 * (data/sanctioned-ports.geojson, data/sanctioned-areas.geojson) hold the DPRK's main ports and an
 * approximate outline of its waters; the rules using them are in @rendezvous/detection
 * (sanctioned-rules.ts), which takes these shapes structurally.
 */
import type { Ring } from './rings.ts';

export interface SanctionedPort {
  name: string;
  /** ISO 3166-1 alpha-3, upper case. */
  country: string;
  lon: number;
  lat: number;
  /** A port call whose port lies within this geodesic distance (m) is a call at this port. */
  radiusM: number;
  sources: string[];
}

export interface SanctionedArea {
  name: string;
  country: string;
  sources: string[];
  /** What the outline is (and is not): the shipped areas are approximate, not legal boundaries. */
  note: string | null;
  /** Rings of each polygon, outer ring first, [lon, lat] pairs. */
  polygons: Ring[][];
}

/** Ports and areas of the sanctioned countries only, and the countries themselves. */
export interface SanctionedGeography {
  countries: string[];
  ports: SanctionedPort[];
  areas: SanctionedArea[];
}

const ISO3 = /^[A-Z]{3}$/;
/** A port radius beyond this is a typo, not a port (the largest port areas are ~20 km across). */
const MAX_PORT_RADIUS_M = 50_000;

/**
 * "PRK, irn" → ['PRK', 'IRN']: upper-cased, blanks dropped, duplicates removed; a code that is not
 * three letters throws (TypeError naming it).
 */
export function parseCountryList(list: string): string[] {
  const out: string[] = [];
  for (const raw of list.split(',')) {
    const c = raw.trim().toUpperCase();
    if (!c) continue;
    if (!ISO3.test(c)) throw new TypeError(`"${raw.trim()}" is not an ISO 3166-1 alpha-3 country code`);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

interface RawFeature {
  properties?: Record<string, unknown> | null;
  geometry?: { type?: unknown; coordinates?: unknown } | null;
}

function features(json: unknown, what: string): RawFeature[] {
  const fc = json as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new TypeError(`${what}: not a GeoJSON FeatureCollection`);
  }
  return fc.features as RawFeature[];
}

/** name, country and sources of feature i, or a TypeError naming the file and the feature. */
function common(f: RawFeature, i: number, what: string) {
  const props = f?.properties ?? {};
  const name = props['name'];
  const where = `${what}: feature ${i}${typeof name === 'string' ? ` (${name})` : ''}`;
  if (typeof name !== 'string' || !name.trim()) throw new TypeError(`${where}: properties.name must be a non-empty string`);
  const country = props['country'];
  if (typeof country !== 'string' || !ISO3.test(country.toUpperCase())) {
    throw new TypeError(`${where}: properties.country must be an ISO 3166-1 alpha-3 code, got ${JSON.stringify(country ?? null)}`);
  }
  const src = props['sources'];
  const sources = Array.isArray(src) ? src.filter((s): s is string => typeof s === 'string') : [];
  return { name, country: country.toUpperCase(), sources, props, where };
}

/** Validates a parsed FeatureCollection of Points (name, country, radiusM > 0); `what` names the source. */
export function parseSanctionedPorts(json: unknown, what: string): SanctionedPort[] {
  return features(json, what).map((f, i) => {
    const { name, country, sources, props, where } = common(f, i, what);
    const g = f.geometry;
    if (g?.type !== 'Point') throw new TypeError(`${where}: geometry must be a Point, got ${String(g?.type)}`);
    const c = g.coordinates;
    if (!Array.isArray(c) || c.length < 2 || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      throw new TypeError(`${where}: coordinates must be [lon, lat]`);
    }
    const [lon, lat] = c as number[];
    if (Math.abs(lon!) > 180 || Math.abs(lat!) > 90) throw new TypeError(`${where}: [${lon}, ${lat}] is outside lon ±180, lat ±90`);
    const radiusM = props['radiusM'];
    if (typeof radiusM !== 'number' || !(radiusM > 0) || radiusM > MAX_PORT_RADIUS_M) {
      throw new TypeError(`${where}: properties.radiusM must be a number of metres in (0, ${MAX_PORT_RADIUS_M}]`);
    }
    return { name, country, lon: lon!, lat: lat!, radiusM, sources };
  });
}

/**
 * Validates a parsed FeatureCollection of Polygon/MultiPolygon areas (name, country); rings must
 * be closed, ≥ 4 positions, lat within ±90 and lon within ±360 (a ring may be written unwrapped
 * across the antimeridian, as the STS areas may).
 */
export function parseSanctionedAreas(json: unknown, what: string): SanctionedArea[] {
  return features(json, what).map((f, i) => {
    const { name, country, sources, props, where } = common(f, i, what);
    const g = f.geometry;
    let polys: unknown;
    if (g?.type === 'Polygon') polys = [g.coordinates];
    else if (g?.type === 'MultiPolygon') polys = g.coordinates;
    else throw new TypeError(`${where}: geometry must be a Polygon or MultiPolygon, got ${String(g?.type)}`);
    if (!Array.isArray(polys) || polys.length === 0) throw new TypeError(`${where}: no polygon`);
    const polygons = polys.map((p: unknown, j) => {
      if (!Array.isArray(p) || p.length === 0) throw new TypeError(`${where}: polygon ${j} has no rings`);
      return p.map((r: unknown, k) => ring(r, `${where}: polygon ${j} ring ${k}`));
    });
    const note = typeof props['note'] === 'string' ? (props['note'] as string) : null;
    return { name, country, sources, note, polygons };
  });
}

function ring(r: unknown, where: string): Ring {
  const isPos = (p: unknown): p is number[] =>
    Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) &&
    Math.abs(p[0] as number) <= 360 && Math.abs(p[1] as number) <= 90;
  if (!Array.isArray(r) || r.length < 4 || !r.every(isPos)) {
    throw new TypeError(`${where}: a ring must be ≥ 4 [lon, lat] positions (lon within ±360, lat within ±90)`);
  }
  const a = r[0]!;
  const b = r[r.length - 1]!;
  if (a[0] !== b[0] || a[1] !== b[1]) throw new TypeError(`${where}: a ring must end where it starts (RFC 7946 §3.1.6)`);
  return r;
}

/** The ports and areas whose country is in `countries` (upper-case ISO3), in file order. */
export function filterSanctioned(
  countries: readonly string[],
  ports: readonly SanctionedPort[],
  areas: readonly SanctionedArea[],
): SanctionedGeography {
  const set = new Set(countries);
  return {
    countries: [...countries],
    ports: ports.filter((p) => set.has(p.country)),
    areas: areas.filter((a) => set.has(a.country)),
  };
}
