import type OlMap from 'ol/Map.js';
import Feature from 'ol/Feature.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import Point from 'ol/geom/Point.js';
import VectorLayer from 'ol/layer/Vector.js';
import Cluster from 'ol/source/Cluster.js';
import VectorSource from 'ol/source/Vector.js';
import { Circle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style.js';
import { fromLonLat } from 'ol/proj.js';
import { boundingExtent } from 'ol/extent.js';
import type { FeatureLike } from 'ol/Feature.js';
import { ApiError, api } from '../api.ts';
import { apiParams, filterKey, type Filters } from '../filters.ts';
import { TYPE_SHAPE, scoreColour, type Shape } from '../format.ts';
import type { AlertCluster } from '../types.ts';
import type { MapView } from './map-view.ts';

/** What one symbol on the map stands for: one alert, or several near each other. */
interface Symbol {
  count: number;
  maxScore: number;
  /** The one type of its alerts, or 'mixed'. */
  type: string;
  alertId: number | null;
}

const styles = new Map<string, Style | Style[]>();

/** One alert's symbol: its type's shape (format.ts TYPE_SHAPE) filled with its score's colour. */
function shapeStyle(shape: Shape, fill: Fill, stroke: Stroke, colour: string, selected: boolean): Style | Style[] {
  switch (shape) {
    case 'circle':
      return new Style({ image: new Circle({ radius: 8, fill, stroke }) });
    case 'star':
      return new Style({ image: new RegularShape({ fill, stroke, points: 5, radius: 11, radius2: 5 }) });
    case 'pentagon':
      return new Style({ image: new RegularShape({ fill, stroke, points: 5, radius: 10 }) });
    case 'cross':
      // An X of two strokes has no fill: the score's colour is the stroke, over a halo (white, or
      // black when selected) that keeps it visible on land and sea.
      return [
        new Style({ image: new RegularShape({ points: 4, radius: 10, radius2: 0, angle: Math.PI / 4, stroke: new Stroke({ color: selected ? '#111' : '#fff', width: 7 }) }) }),
        new Style({ image: new RegularShape({ points: 4, radius: 9, radius2: 0, angle: Math.PI / 4, stroke: new Stroke({ color: colour, width: 4 }) }) }),
      ];
    default:
      return new Style({ image: new RegularShape({ fill, stroke, points: shape === 'triangle' ? 3 : 4, radius: shape === 'square' ? 9 : 10, angle: shape === 'square' ? Math.PI / 4 : 0 }) });
  }
}

/** One alert: its type's shape in its score's colour. Several: a disc with the count. */
function styleOf(s: Symbol, selected: boolean): Style | Style[] {
  const key = `${s.count > 1 ? Math.min(s.count, 9999) : s.type}|${scoreColour(s.maxScore)}|${selected}`;
  let style = styles.get(key);
  if (style) return style;
  const fill = new Fill({ color: scoreColour(s.maxScore) });
  const stroke = new Stroke({ color: selected ? '#111' : '#fff', width: selected ? 3 : 1.5 });
  if (s.count > 1) {
    const radius = Math.min(26, 9 + Math.log2(s.count) * 2.5);
    style = new Style({
      image: new Circle({ radius, fill, stroke }),
      text: new Text({ text: s.count > 9999 ? '9999+' : String(s.count), fill: new Fill({ color: '#fff' }), font: 'bold 11px system-ui, sans-serif' }),
    });
  } else {
    style = shapeStyle(TYPE_SHAPE[s.type] ?? 'circle', fill, stroke, scoreColour(s.maxScore), selected);
  }
  styles.set(key, style);
  return style;
}

/** Server clusters carry their summary; the client-side fallback's clusters carry their alerts. */
function symbolOf(feature: FeatureLike): Symbol {
  const members = feature.get('features') as FeatureLike[] | undefined;
  if (members) {
    const types = new Set(members.map((m) => m.get('type') as string));
    return {
      count: members.length,
      maxScore: Math.max(...members.map((m) => Number(m.get('score')))),
      type: types.size === 1 ? [...types][0]! : 'mixed',
      alertId: members.length === 1 ? Number(members[0]!.get('id')) : null,
    };
  }
  return feature.get('symbol') as Symbol;
}

export interface AlertLayer {
  /**
   * Reloads for these filters over the current view (debounced by the caller's events).
   * `fit`: then frame what was found (the first view of a session opens on the alerts).
   */
  load(filters: Filters, options?: { fit?: boolean }): void;
  select(alertId: number | null): void;
  /** The alert or cluster under a pixel: an alert id to open, or an extent to zoom to. */
  hit(pixel: number[]): { alertId: number } | { extent: number[] } | null;
}

/**
 * Alerts on the map, clustered by the API (GET /v1/alerts/clusters: one query per view, however
 * many alerts match), or, where that route is absent, from a page of the list's GeoJSON clustered
 * in the browser. Sets `<html data-alerts-painted>` when the layer has first drawn the current
 * filters (the bench waits on it).
 */
export function createAlertLayer(view: MapView): AlertLayer {
  const serverSource = new VectorSource({ wrapX: true });
  const pointSource = new VectorSource({ wrapX: true });
  const clientSource = new Cluster({ distance: 36, minDistance: 12, source: pointSource, wrapX: true });
  let selected: number | null = null;
  const layer = new VectorLayer({
    source: serverSource,
    style: (f) => {
      const s = symbolOf(f);
      return styleOf(s, s.alertId !== null && s.alertId === selected);
    },
    properties: { name: 'alerts' },
    zIndex: 10,
  });
  view.map.addLayer(layer);
  let serverClusters = true;
  let inFlight: AbortController | null = null;
  let paintedKey: string | null = null;

  /** What the layer shows, on the map element (the canvas itself says nothing to tests or assistive tools). */
  function describe(): void {
    const el = view.map.getTargetElement() as HTMLElement;
    if (layer.getSource() === clientSource) {
      // The browser clusters on the next render: only the alert count is known now.
      el.dataset['alertCount'] = String(pointSource.getFeatures().length);
      delete el.dataset['alertSymbols'];
      return;
    }
    const symbols = serverSource.getFeatures();
    el.dataset['alertSymbols'] = String(symbols.length);
    el.dataset['alertCount'] = String(symbols.reduce((n, f) => n + symbolOf(f).count, 0));
  }

  function markPainted(key: string) {
    if (paintedKey === key) return;
    const mark = () => {
      if (paintedKey === key) return;
      paintedKey = key;
      document.documentElement.dataset['alertsPainted'] = String(performance.now());
    };
    layer.once('postrender', mark);
    // An empty layer may not draw at all: the map's own render still says "done".
    view.map.once('rendercomplete', mark);
    view.map.render();
  }

  async function loadServer(filters: Filters, signal: AbortSignal): Promise<void> {
    // The map shows every match in its own view; the list's area (bbox filter) narrows the list only.
    const res = await api.clusters({ ...apiParams(filters), sort: undefined, bbox: view.viewBbox(), zoom: view.zoom() }, signal);
    const features = res.clusters.map((c: AlertCluster) => {
      const types = Object.entries(c.byType).filter(([, n]) => n > 0);
      const symbol: Symbol = { count: c.count, maxScore: c.maxScore, type: types.length === 1 ? types[0]![0] : 'mixed', alertId: c.count === 1 ? (c.alertId ?? null) : null };
      const f = new Feature({ geometry: new Point(fromLonLat([c.lon, c.lat])) });
      f.set('symbol', symbol);
      f.set('bbox', c.bbox);
      return f;
    });
    serverSource.clear(true);
    serverSource.addFeatures(features);
  }

  async function loadClient(filters: Filters, signal: AbortSignal): Promise<void> {
    const fc = await api.alertsGeoJson({ ...apiParams(filters), sort: '-score', bbox: view.viewBbox(), limit: 500 }, signal);
    pointSource.clear(true);
    pointSource.addFeatures(new GeoJSON().readFeatures(fc, { featureProjection: 'EPSG:3857' }));
  }

  /** What the last load found, in map coordinates (east unwrapped past 180 across the antimeridian). */
  function foundExtent(): number[] | null {
    if (layer.getSource() === clientSource) return pointSource.getFeatures().length > 0 ? pointSource.getExtent() : null;
    const boxes = serverSource.getFeatures().map((f) => f.get('bbox') as [number, number, number, number]);
    if (boxes.length === 0) return null;
    const corners = boxes.flatMap(([w, s, e, n]) => [fromLonLat([w, s]), fromLonLat([e < w ? e + 360 : e, n])]);
    return boundingExtent(corners);
  }

  return {
    load(filters, options = {}) {
      const key = filterKey(filters);
      if (key !== paintedKey) delete document.documentElement.dataset['alertsPainted'];
      inFlight?.abort();
      const ctrl = new AbortController();
      inFlight = ctrl;
      const run = async () => {
        if (serverClusters) {
          try {
            await loadServer(filters, ctrl.signal);
            if (layer.getSource() !== serverSource) layer.setSource(serverSource);
            return;
          } catch (err) {
            // An API without the clusters route (404): cluster a page of the list in the browser.
            if (!(err instanceof ApiError && err.status === 404)) throw err;
            serverClusters = false;
          }
        }
        await loadClient(filters, ctrl.signal);
        if (layer.getSource() !== clientSource) layer.setSource(clientSource);
      };
      run().then(
        () => {
          if (ctrl.signal.aborted) return;
          describe();
          markPainted(key);
          // Then closer in; the moved view reloads its clusters (moveend).
          const extent = options.fit ? foundExtent() : null;
          if (extent) view.map.getView().fit(extent, { padding: [80, 80, 80, 80], maxZoom: 9, duration: 0 });
        },
        (err: unknown) => {
          if (!ctrl.signal.aborted) console.warn('alerts could not be loaded on the map', err instanceof Error ? err.message : err);
        },
      );
    },
    select(alertId) {
      selected = alertId;
      layer.changed();
    },
    hit(pixel) {
      let found: { alertId: number } | { extent: number[] } | null = null;
      view.map.forEachFeatureAtPixel(
        pixel,
        (f) => {
          const s = symbolOf(f);
          if (s.alertId !== null) found = { alertId: s.alertId };
          else {
            const members = f.get('features') as FeatureLike[] | undefined;
            const bbox = f.get('bbox') as [number, number, number, number] | undefined;
            if (members) found = { extent: boundingExtent(members.map((m) => (m.getGeometry() as Point).getCoordinates())) };
            else if (bbox) found = { extent: [...fromLonLat([bbox[0], bbox[1]]), ...fromLonLat([bbox[2] < bbox[0] ? bbox[2] + 360 : bbox[2], bbox[3]])] };
          }
          return true;
        },
        { layerFilter: (l) => l === layer, hitTolerance: 4 },
      );
      return found;
    },
  };
}

export { type OlMap };
