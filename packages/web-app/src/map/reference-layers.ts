import GeoJSON from 'ol/format/GeoJSON.js';
import Point from 'ol/geom/Point.js';
import { circular } from 'ol/geom/Polygon.js';
import { toLonLat } from 'ol/proj.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import { Fill, Stroke, Style } from 'ol/style.js';
import { ApiError, api } from '../api.ts';
import type { MapView } from './map-view.ts';

export type ReferenceLayerName = 'sts-hubs' | 'ports';

const STYLE: Record<ReferenceLayerName, Style> = {
  'sts-hubs': new Style({ fill: new Fill({ color: 'rgba(120, 60, 200, 0.15)' }), stroke: new Stroke({ color: '#6a3fb8', width: 1.5, lineDash: [6, 4] }) }),
  ports: new Style({ fill: new Fill({ color: 'rgba(30, 110, 160, 0.18)' }), stroke: new Stroke({ color: '#1e6ea0', width: 1 }) }),
};

/**
 * STS hub polygons and port masks (GET /v1/layers/…), loaded on first show. Resolves false when
 * the API has no such layer (404), so the toggle can say so; other failures reject.
 */
export function referenceLayers(view: MapView) {
  const layers = new Map<ReferenceLayerName, VectorLayer<VectorSource>>();
  return {
    async show(name: ReferenceLayerName, visible: boolean): Promise<boolean> {
      let layer = layers.get(name);
      if (!layer && visible) {
        let fc;
        try {
          fc = await api.layer(name);
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return false;
          throw err;
        }
        const features = new GeoJSON().readFeatures(fc, { featureProjection: 'EPSG:3857' });
        // A port is a point with the radius the detector masks around it: drawn as that circle
        // on the ground (geodesic, so it is true at every latitude).
        for (const f of features) {
          const radiusM = Number(f.get('radiusM'));
          const geometry = f.getGeometry();
          if (geometry instanceof Point && radiusM > 0) {
            f.setGeometry(circular(toLonLat(geometry.getCoordinates()), radiusM, 48).transform('EPSG:4326', 'EPSG:3857'));
          }
        }
        const source = new VectorSource({ wrapX: true, features });
        layer = new VectorLayer({ source, style: STYLE[name], zIndex: 5, properties: { name } });
        layers.set(name, layer);
        view.map.addLayer(layer);
      }
      layer?.setVisible(visible);
      // What is drawn, on the map element (for tests and assistive tools).
      const el = view.map.getTargetElement() as HTMLElement;
      if (visible && layer) el.dataset[name === 'ports' ? 'layerPorts' : 'layerStsHubs'] = String(layer.getSource()!.getFeatures().length);
      else delete el.dataset[name === 'ports' ? 'layerPorts' : 'layerStsHubs'];
      return true;
    },
  };
}
