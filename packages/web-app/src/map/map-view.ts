import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import { defaults as defaultControls } from 'ol/control/defaults.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import { fromLonLat, transformExtent } from 'ol/proj.js';
import type { Extent } from 'ol/extent.js';
import { bboxOfExtent } from '../geo.ts';
import { landLayer } from './basemap.ts';

export interface MapView {
  map: OlMap;
  /** The view as the API's bbox (w,s,e,n; west > east across the antimeridian). */
  viewBbox(): string;
  zoom(): number;
  /** Fits a lon/lat box; east may exceed 180 (a box across the antimeridian, unwrapped). */
  fitLonLat(west: number, south: number, east: number, north: number, maxZoom?: number): void;
}

/** The OpenLayers map: Web Mercator, wrapping round the world, with the offline land basemap. */
export function createMapView(target: HTMLElement): MapView {
  const map = new OlMap({
    target,
    layers: [landLayer()],
    // The whole world first: the first load then frames the alerts it found.
    view: new View({ center: fromLonLat([20, 20]), zoom: 2, minZoom: 1, maxZoom: 16 }),
    controls: defaultControls({ attributionOptions: { collapsible: true } }).extend([new ScaleLine()]),
  });
  const lonLatExtent = (): Extent => transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326');
  return {
    map,
    viewBbox() {
      const [w, s, e, n] = lonLatExtent() as [number, number, number, number];
      return bboxOfExtent(w, s, e, n);
    },
    zoom: () => Math.max(0, Math.min(20, Math.round(map.getView().getZoom() ?? 2))),
    fitLonLat(west, south, east, north, maxZoom = 12) {
      const extent = transformExtent([west, south, east < west ? east + 360 : east, north], 'EPSG:4326', 'EPSG:3857');
      map.getView().fit(extent, { padding: [40, 40, 40, 40], maxZoom, duration: 0 });
    },
  };
}
