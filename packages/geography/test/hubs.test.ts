import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHubIndex, DEFAULT_STS_AREAS_FILE, loadStsAreas, parseStsAreas, type StsArea } from '../src/index.ts';

const ours = loadStsAreas(DEFAULT_STS_AREAS_FILE);
const hubs = createHubIndex(ours);

describe('shipped STS hubs', () => {
  it('has the 12 named hubs, each with region, sources and an "approximate" note', () => {
    expect(ours).toHaveLength(12);
    for (const a of ours) {
      expect(a.region).toBeTruthy();
      expect(a.sources.length).toBeGreaterThan(0);
    }
  });
  it.each([
    ['Laconian Gulf', 22.7, 36.55],
    ['Kalamata (Messinian Gulf)', 22.0, 36.9],
    ["Hurd's Bank (Malta)", 14.68, 35.85],
    ['Ceuta', -5.28, 35.9],
    ['Lesbos/Chios', 26.2, 38.55],
    ['Off Augusta (Sicily)', 15.3, 37.2],
    ['EOPL off Johor', 104.45, 1.33],
    ['Off Fujairah / Khor Fakkan', 56.45, 25.2],
    ['East China Sea off Zhoushan', 123.0, 30.2],
    ['Off Lianyungang', 119.8, 34.9],
    ['Korea Bay near Cho-do', 124.6, 38.5],
    ['Kola Bay (FSO Umba)', 33.45, 69.2],
  ])('%s contains (%f, %f) and not a point 1° away', (name, lon, lat) => {
    expect(hubs.hubAt(lon, lat)?.name).toBe(name);
    expect(hubs.hubAt(lon + 1, lat + 1)).toBeNull();
  });
  it('mid-ocean is in no hub', () => {
    expect(hubs.hubAt(-35, 35)).toBeNull();
  });
});

describe('hub index geometry', () => {
  const box = (name: string, w: number, s: number, e: number, n: number): StsArea => ({
    name, region: null, sources: [], polygons: [[[[w, s], [e, s], [e, n], [w, n], [w, s]]]],
  });
  it('is antimeridian-safe (a box from 179° to 181°)', () => {
    const ix = createHubIndex([box('dateline', 179, -1, 181, 1)]);
    expect(ix.hubAt(179.5, 0)?.name).toBe('dateline');
    expect(ix.hubAt(-179.5, 0)?.name).toBe('dateline');
    expect(ix.hubAt(180.5, 0)?.name).toBe('dateline');
    expect(ix.hubAt(-178.5, 0)).toBeNull();
    expect(ix.hubAt(178.5, 0)).toBeNull();
  });
  it('honours holes', () => {
    const a = box('ring', 0, 0, 10, 10);
    a.polygons[0]!.push([[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]);
    const ix = createHubIndex([a]);
    expect(ix.hubAt(2, 2)?.name).toBe('ring');
    expect(ix.hubAt(5, 5)).toBeNull();
  });
});

describe('bad GeoJSON', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sts-'));
  const write = (name: string, body: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, body);
    return f;
  };
  it('names the file when it is not JSON', () => {
    const f = write('bad.json', '{');
    expect(() => loadStsAreas(f)).toThrow(f);
  });
  it('names the file when it is missing', () => {
    expect(() => loadStsAreas(path.join(dir, 'nope.geojson'))).toThrow(/nope\.geojson/);
  });
  it('rejects a non-FeatureCollection', () => {
    expect(() => parseStsAreas({ type: 'Feature' }, 'x.geojson')).toThrow(/x\.geojson: not a GeoJSON FeatureCollection/);
  });
  it('rejects a feature without a name, naming the feature', () => {
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }] };
    expect(() => parseStsAreas(fc, 'x.geojson')).toThrow(/x\.geojson: feature 0: properties\.name/);
  });
  it('rejects a Point and a broken ring, naming the feature', () => {
    const pt = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'P' }, geometry: { type: 'Point', coordinates: [0, 0] } }] };
    expect(() => parseStsAreas(pt, 'x.geojson')).toThrow(/feature 0 \(P\): geometry must be a Polygon or MultiPolygon/);
    const bad = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Q' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 'a']]] } }] };
    expect(() => parseStsAreas(bad, 'x.geojson')).toThrow(/feature 0 \(Q\): polygon 0 ring 0/);
  });
});

// CREA's STS areas (GPL-3.0; see /work/shared/data/SOURCES.md §5) are compared, never copied.
const CREA = '/work/shared/data/sts-areas-crea/sts_areas.geojson';
const PAIRS: [ours: string, crea: string][] = [
  ['Laconian Gulf', 'Mediterranean sea - Laconian gulf'],
  ["Hurd's Bank (Malta)", 'Mediterranean sea - Malta'],
  ['Ceuta', 'Strait of gibraltar'],
  ['EOPL off Johor', 'Johor strait'],
  ['Off Fujairah / Khor Fakkan', 'Gulf of Oman'],
  ['Kola Bay (FSO Umba)', 'Murmanks'],
];
describe('comparison with CREA STS areas', () => {
  if (!existsSync(CREA)) console.warn(`skipping CREA comparison: ${CREA} not present`);
  it.skipIf(!existsSync(CREA))('hubs both name overlap (or lie within 100 km)', () => {
    const crea = loadStsAreas(CREA);
    const bbox = (a: StsArea) => {
      const pts = a.polygons.flat(2);
      return [Math.min(...pts.map((p) => p[0]!)), Math.min(...pts.map((p) => p[1]!)), Math.max(...pts.map((p) => p[0]!)), Math.max(...pts.map((p) => p[1]!))] as const;
    };
    const report: string[] = [];
    for (const [o, c] of PAIRS) {
      const a = ours.find((x) => x.name === o)!;
      const b = crea.find((x) => x.name === c);
      expect(b, `CREA area ${c}`).toBeTruthy();
      const [aw, as, ae, an] = bbox(a);
      const [bw, bs, be, bn] = bbox(b!);
      const gapLon = Math.max(0, bw - ae, aw - be);
      const gapLat = Math.max(0, bs - an, as - bn);
      const gapKm = Math.hypot(gapLon * 111 * Math.cos(((as + an) / 2) * Math.PI / 180), gapLat * 111);
      report.push(`${o} ↔ ${c}: ${gapKm === 0 ? 'bboxes overlap' : `${gapKm.toFixed(0)} km apart`}`);
      expect(gapKm, `${o} vs ${c}`).toBeLessThan(100);
    }
    console.log(report.join('\n'));
  });
});
