import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@rendezvous/errors';
import {
  createHubIndex,
  DEFAULT_SANCTIONED_AREAS_FILE,
  DEFAULT_SANCTIONED_PORTS_FILE,
  loadSanctioned,
  parseCountryList,
  parseSanctionedAreas,
  parseSanctionedPorts,
  type SanctionedArea,
} from '../src/index.ts';

const shipped = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });
/** Point-in-polygon over the areas, through the STS hub index (same rings, same rule). */
const areaIndex = (areas: SanctionedArea[]) =>
  createHubIndex(areas.map((a) => ({ name: a.name, region: a.country, sources: a.sources, polygons: a.polygons })));
const dprk = areaIndex(shipped.areas);

const dir = mkdtempSync(path.join(tmpdir(), 'rzv-sanctioned-'));
let n = 0;
function file(content: unknown): string {
  const p = path.join(dir, `f${n++}.geojson`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
const port = (name: string, country: unknown, coordinates: unknown, radiusM: unknown = 5000) => ({
  type: 'Feature',
  properties: { name, country, radiusM },
  geometry: { type: 'Point', coordinates },
});
const square = (name: string, country: string, lon: number, lat: number) => ({
  type: 'Feature',
  properties: { name, country },
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]] },
});
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('shipped sanctioned ports and areas', () => {
  it.each(['Nampho', 'Chongjin', 'Hungnam', 'Wonsan', 'Songrim', 'Rajin', 'Haeju', 'Kimchaek'])(
    '%s is listed with country PRK, a radius and sources, inside the DPRK waters outline',
    (name) => {
      const p = shipped.ports.find((x) => x.name === name);
      expect(p, name).toBeDefined();
      expect(p!.country).toBe('PRK');
      expect(p!.radiusM).toBeGreaterThan(0);
      expect(p!.sources.length).toBeGreaterThanOrEqual(2);
      expect(dprk.hubAt(p!.lon, p!.lat)?.name, `${name} inside an area`).toMatch(/^DPRK waters/);
    },
  );

  it('has two approximate areas (West Sea, East Sea), each with sources and a note saying so', () => {
    expect(shipped.areas.map((a) => a.name)).toEqual(['DPRK waters (West Sea / Korea Bay)', 'DPRK waters (East Sea)']);
    for (const a of shipped.areas) {
      expect(a.country).toBe('PRK');
      expect(a.sources.length).toBeGreaterThan(0);
      expect(a.note).toMatch(/APPROXIMATE.*NOT a legal/);
    }
    // Every feature of the shipped files is PRK: the filter keeps them all.
    const all = JSON.parse(readFileSync(DEFAULT_SANCTIONED_PORTS_FILE, 'utf8')) as { features: unknown[] };
    expect(shipped.ports).toHaveLength(all.features.length);
  });

  it.each([
    ['Dandong (CHN)', 124.39, 40.12],
    ['Dalu Dao (CHN)', 123.73, 39.77],
    ['Dalian (CHN)', 121.6, 38.9],
    ['Baengnyeong-do (KOR)', 124.68, 37.96],
    ['Yeonpyeong-do (KOR)', 125.69, 37.665],
    ['Incheon (KOR)', 126.6, 37.45],
    ['Sokcho (KOR)', 128.6, 38.2],
    ['Vladivostok (RUS)', 131.9, 43.1],
    ['Posyet (RUS)', 130.8, 42.65],
    ['Sea of Japan, 134E', 134, 40],
  ])('%s is outside the areas', (_name, lon, lat) => {
    expect(dprk.hubAt(lon, lat)).toBeNull();
  });

  // The shared data is not on every machine (then this is reported as skipped, not passed).
  const WPI_CSV = '/work/shared/data/anchorages-gfw/WPI_ports.csv';
  it.skipIf(!existsSync(WPI_CSV))('the shipped port positions are those of the WPI rows in the GFW anchorages data', () => {
    const text = readFileSync(WPI_CSV, 'utf8');
    const rows = text.split('\n').filter((l) => l.startsWith('PRK,')).map((l) => l.split(','));
    const wpi = new Map(rows.map((r) => [r[1], [Number(r[4]), Number(r[3])]]));
    const byName: Record<string, string> = { Nampho: 'NAMPO', Songrim: "KYOMIP'O", Rajin: 'NAJIN', Chongjin: "CH'ONGJIN", Wonsan: 'WONSAN', Hungnam: 'HUNGNAM' };
    for (const [ours, label] of Object.entries(byName)) {
      const p = shipped.ports.find((x) => x.name === ours)!;
      const [lon, lat] = wpi.get(label)!;
      expect(Math.abs(p.lon - lon!)).toBeLessThan(1e-5);
      expect(Math.abs(p.lat - lat!)).toBeLessThan(1e-5);
    }
  });
});

describe('country filter and off', () => {
  it('keeps only the listed countries', () => {
    const ports = file(fc(port('A', 'PRK', [125, 39]), port('B', 'irn', [56, 27]), port('C', 'SYR', [35.8, 35.5])));
    const areas = file(fc(square('X', 'PRK', 125, 38), square('Y', 'IRN', 55, 26)));
    const g = loadSanctioned({ countries: ['IRN', 'SYR'], portsFile: ports, areasFile: areas });
    expect(g.countries).toEqual(['IRN', 'SYR']);
    expect(g.ports.map((p) => `${p.name}:${p.country}`)).toEqual(['B:IRN', 'C:SYR']);
    expect(g.areas.map((a) => a.name)).toEqual(['Y']);
  });
  it('no country: nothing; off: no file read', () => {
    const none = loadSanctioned({ countries: [], portsFile: null, areasFile: null });
    expect(none.ports).toEqual([]);
    expect(none.areas).toEqual([]);
    const off = loadSanctioned({ countries: ['PRK'], portsFile: 'off', areasFile: 'off' });
    expect(off.ports).toEqual([]);
    expect(off.areas).toEqual([]);
  });
  it('parseCountryList upper-cases, trims, dedupes and rejects non-ISO3', () => {
    expect(parseCountryList(' prk, IRN ,,PRK')).toEqual(['PRK', 'IRN']);
    expect(parseCountryList('')).toEqual([]);
    expect(() => parseCountryList('PRK,KP')).toThrow(/"KP" is not an ISO 3166-1 alpha-3/);
  });
});

describe('bad files are a ConfigError naming the variable', () => {
  it.each([
    ['missing file', () => path.join(dir, 'nope.geojson'), /cannot read/],
    ['not JSON', () => file('{"type":'), /cannot read .* as GeoJSON/],
    ['not a FeatureCollection', () => file({ type: 'Feature' }), /not a GeoJSON FeatureCollection/],
    ['a polygon', () => file(fc(square('X', 'PRK', 125, 38))), /feature 0 \(X\): geometry must be a Point/],
    ['no name', () => file(fc(port('', 'PRK', [125, 39]))), /properties.name must be a non-empty string/],
    ['no country', () => file(fc(port('A', null, [125, 39]))), /feature 0 \(A\): properties.country must be an ISO 3166-1 alpha-3 code/],
    ['a 2-letter country', () => file(fc(port('A', 'KP', [125, 39]))), /country must be an ISO 3166-1 alpha-3 code, got "KP"/],
    ['latitude 95', () => file(fc(port('A', 'PRK', [125, 95]))), /outside lon ±180, lat ±90/],
    ['longitude 200', () => file(fc(port('A', 'PRK', [200, 39]))), /outside lon ±180, lat ±90/],
    ['no radius', () => file(fc(port('A', 'PRK', [125, 39], null))), /radiusM must be a number of metres/],
    ['a 500 km radius', () => file(fc(port('A', 'PRK', [125, 39], 500_000))), /radiusM must be a number of metres/],
  ])('ports: %s', (_what, make, message) => {
    const p = make();
    const err = configError(() => loadSanctioned({ countries: ['PRK'], portsFile: p, areasFile: 'off' }));
    expect(err.problems.map((x) => x.variable)).toEqual(['SANCTIONED_PORTS_FILE']);
    expect(err.message).toMatch(message);
  });

  const open = { type: 'Feature', properties: { name: 'O', country: 'PRK' }, geometry: { type: 'Polygon', coordinates: [[[125, 38], [126, 38], [126, 39], [125, 39]]] } };
  const tooFew = { type: 'Feature', properties: { name: 'T', country: 'PRK' }, geometry: { type: 'Polygon', coordinates: [[[125, 38], [126, 38], [125, 38]]] } };
  const lat100 = { type: 'Feature', properties: { name: 'L', country: 'PRK' }, geometry: { type: 'Polygon', coordinates: [[[125, 38], [126, 100], [126, 39], [125, 38]]] } };
  it.each([
    ['a point', () => file(fc(port('A', 'PRK', [125, 39]))), /feature 0 \(A\): geometry must be a Polygon or MultiPolygon, got Point/],
    ['an unclosed ring', () => file(fc(open)), /\(O\): polygon 0 ring 0: a ring must end where it starts/],
    ['a 3-position ring', () => file(fc(tooFew)), /\(T\): polygon 0 ring 0: a ring must be ≥ 4/],
    ['latitude 100', () => file(fc(lat100)), /\(L\): polygon 0 ring 0: a ring must be ≥ 4 \[lon, lat\] positions \(lon within ±360, lat within ±90\)/],
    ['no country', () => file(fc({ ...square('X', 'PRK', 1, 1), properties: { name: 'X' } })), /\(X\): properties.country must be/],
  ])('areas: %s', (_what, make, message) => {
    const p = make();
    const err = configError(() => loadSanctioned({ countries: ['PRK'], portsFile: 'off', areasFile: p }));
    expect(err.problems.map((x) => x.variable)).toEqual(['SANCTIONED_AREAS_FILE']);
    expect(err.message).toMatch(message);
  });

  it('a bad file is rejected even when the country list would filter it out', () => {
    const p = file(fc(port('A', 'IRN', [56, 95])));
    expect(() => loadSanctioned({ countries: ['PRK'], portsFile: p, areasFile: 'off' })).toThrow(ConfigError);
  });

  it('the parse functions name the source and accept a MultiPolygon', () => {
    expect(() => parseSanctionedPorts({}, 'mine.geojson')).toThrow(/^mine.geojson: not a GeoJSON FeatureCollection$/);
    const multi = { type: 'Feature', properties: { name: 'M', country: 'prk' }, geometry: { type: 'MultiPolygon', coordinates: [square('a', 'PRK', 1, 1).geometry.coordinates, square('b', 'PRK', 5, 5).geometry.coordinates] } };
    const [m] = parseSanctionedAreas(fc(multi), 'x');
    expect(m!.country).toBe('PRK');
    expect(m!.polygons).toHaveLength(2);
    expect(areaIndex([m!]).hubAt(5.5, 5.5)?.name).toBe('M');
  });
});
