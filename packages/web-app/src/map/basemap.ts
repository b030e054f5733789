import GeoJSON from 'ol/format/GeoJSON.js';
import VectorImageLayer from 'ol/layer/VectorImage.js';
import VectorSource from 'ol/source/Vector.js';
import { Fill, Style } from 'ol/style.js';
import { feature } from 'topojson-client';
import { continuousPolygon } from '../geo.ts';
import type { GeometryCollection, Topology } from 'topojson-specification';
// Natural Earth land at 1:50m (world-atlas), bundled as a file of this app: no tile server.
import landUrl from 'world-atlas/land-50m.json?url';

/**
 * The offline basemap: Natural Earth land polygons drawn on the map's sea-coloured background.
 * A VectorImage layer redraws the land as one image per view, which keeps panning smooth.
 */
export function landLayer(): VectorImageLayer<VectorSource> {
  const source = new VectorSource({ attributions: 'Land: Natural Earth (public domain)', wrapX: true });
  const layer = new VectorImageLayer({
    source,
    // Fill only: Natural Earth cuts land at the antimeridian, and a coastline stroke would draw the seam.
    style: new Style({ fill: new Fill({ color: '#dcd6c8' }) }),
    properties: { name: 'land' },
  });
  void fetch(landUrl)
    .then((r) => r.json() as Promise<Topology>)
    .then((topology) => {
      const land = feature(topology, topology.objects['land'] as GeometryCollection);
      for (const f of land.features) {
        const g = f.geometry;
        if (g.type === 'Polygon') g.coordinates = continuousPolygon(g.coordinates as [number, number][][]);
        else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map((p) => continuousPolygon(p as [number, number][][]));
      }
      source.addFeatures(new GeoJSON().readFeatures(land, { featureProjection: 'EPSG:3857' }));
    })
    .catch((err: unknown) => console.warn('basemap could not be loaded', err));
  return layer;
}
