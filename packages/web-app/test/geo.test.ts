import { describe, expect, it } from 'vitest';
import { bboxOfExtent, continuousPolygon, haversineM, positionAt, unwrap } from '../src/geo.ts';

describe('the antimeridian on the map', () => {
  it('reads a view scrolled across it as a bbox with west > east, as the API takes it', () => {
    // A view from 170°E to 190°E (= 170°W) on the world copy to the east.
    expect(bboxOfExtent(170, -20, 190, -10)).toBe('170,-20,-170,-10');
    // The same view on the copy to the west (-190 … -170).
    expect(bboxOfExtent(-190, -20, -170, -10)).toBe('170,-20,-170,-10');
    // A view on the second copy east.
    expect(bboxOfExtent(530, 30, 550, 40)).toBe('170,30,-170,40');
    // An ordinary view is left alone; a view wider than the world is the whole world.
    expect(bboxOfExtent(20, 35, 25, 38)).toBe('20,35,25,38');
    expect(bboxOfExtent(-300, -85, 200, 85)).toBe('-180,-85,180,85');
    // Ending exactly on the antimeridian stays 180, not -180 (which would cross it).
    expect(bboxOfExtent(170, 0, 180, 10)).toBe('170,0,180,10');
    // Latitudes beyond the poles are clamped.
    expect(bboxOfExtent(0, -95, 10, 95)).toBe('0,-90,10,90');
  });

  it('unwraps a track crossing it so the line goes across, not round the world', () => {
    expect(unwrap([
      [179.8, -17],
      [179.95, -17],
      [-179.9, -17.1],
      [-179.7, -17.2],
    ])).toEqual([
      [179.8, -17],
      [179.95, -17],
      [180.1, -17.1],
      [180.3, -17.2],
    ]);
    // And the other way.
    expect(unwrap([
      [-179.9, 5],
      [179.9, 5],
    ])).toEqual([
      [-179.9, 5],
      [-180.1, 5],
    ]);
  });

  it('interpolates a position across it, and measures distance the short way', () => {
    const track = [
      { t: 0, lon: 179.9, lat: 0 },
      { t: 100, lon: -179.9, lat: 0 },
    ];
    const mid = positionAt(track, 50)!;
    expect(Math.abs(Math.abs(mid.lon) - 180)).toBeLessThan(1e-9);
    expect(positionAt(track, 101)).toBeNull();
    // 0.2° of longitude at the equator ≈ 22.2 km, not 359.8°.
    expect(haversineM(179.9, 0, -179.9, 0)).toBeCloseTo(22_239, -1);
  });
});

describe('land polygons cut at the antimeridian', () => {
  it('are joined across it, and a sliver cut there no longer spans the world', () => {
    // Natural Earth's sliver off Vanua Levu: -180 → 180 → -180.
    const sliver = continuousPolygon([[[-180, -16.49], [180, -16.54], [-180, -16.49]]]);
    const xs = sliver[0]!.map(([x]) => x);
    expect(Math.max(...xs) - Math.min(...xs)).toBe(0);
    // A ring stepping over the seam (an island on both sides) becomes one continuous ring.
    expect(continuousPolygon([[[179.9, -17], [180, -17], [-180, -17.1], [-179.9, -17.1], [-180, -16.9], [180, -16.9], [179.9, -17]]])).toEqual([
      [[179.9, -17], [180, -17], [180, -17.1], [180.1, -17.1], [180, -16.9], [180, -16.9], [179.9, -17]],
    ]);
  });

  it('leaves a circumpolar ring (Antarctica) as it is', () => {
    const antarctica: [number, number][][] = [[[-180, -84], [-90, -75], [0, -70], [90, -66], [180, -84], [180, -90], [-180, -90], [-180, -84]]];
    expect(continuousPolygon(antarctica)).toEqual(antarctica);
  });
});
