import Feature from 'ol/Feature.js';
import LineString from 'ol/geom/LineString.js';
import Point from 'ol/geom/Point.js';
import Polygon from 'ol/geom/Polygon.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import { Circle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style.js';
import { fromLonLat } from 'ol/proj.js';
import { createEmpty, extend, type Extent } from 'ol/extent.js';
import { unwrap } from '../geo.ts';
import type { MapView } from './map-view.ts';

/** One place drawn over the map: a vessel's port call, or a point/line/area of an alert's behaviour. */
export interface Mark {
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'LineString'; coordinates: [number, number][] } | { type: 'Polygon'; coordinates: [number, number][][] };
  /** Drawn next to a point; lines and areas are unlabelled. */
  label: string;
  /** A sanctioned port or the like: drawn larger, in red, and said so in the label. */
  emphasis?: boolean;
}

const INK = '#14324f';
const ALERT = '#b3261e';

const text = (label: string, colour: string) =>
  new Text({ text: label, offsetY: -16, font: '12px system-ui, sans-serif', fill: new Fill({ color: colour }), stroke: new Stroke({ color: '#fff', width: 3 }) });

function styleOf(mark: Mark): Style[] {
  const colour = mark.emphasis ? ALERT : INK;
  if (mark.geometry.type === 'LineString') return [new Style({ stroke: new Stroke({ color: colour, width: 2, lineDash: [6, 4] }) })];
  if (mark.geometry.type === 'Polygon') return [new Style({ stroke: new Stroke({ color: colour, width: 2 }), fill: new Fill({ color: 'rgba(179, 38, 30, 0.08)' }) })];
  // An anchor-like square for a port, a red square ringed twice for an emphasised one: shape and
  // label say it, not the colour alone.
  const image = mark.emphasis
    ? new RegularShape({ points: 4, radius: 9, angle: Math.PI / 4, fill: new Fill({ color: '#fff' }), stroke: new Stroke({ color: ALERT, width: 4 }) })
    : new Circle({ radius: 6, fill: new Fill({ color: '#fff' }), stroke: new Stroke({ color: INK, width: 2.5 }) });
  return [new Style({ image, text: text(mark.label, mark.emphasis ? ALERT : '#111') })];
}

/**
 * Places over the alerts and tracks: the vessel page's port calls, an alert's behaviour geometry
 * (an AIS gap's off and on points, a sanctioned call's port, a voyage's two ports). What is drawn
 * is said on the map element (`data-marks`, `data-marks-of`, `data-centred-on`), as the other layers do.
 */
export function createMarkLayer(view: MapView) {
  const source = new VectorSource();
  const layer = new VectorLayer({ source, zIndex: 15, declutter: true, properties: { name: 'marks' } });
  view.map.addLayer(layer);
  const target = () => view.map.getTargetElement() as HTMLElement;

  return {
    clear(): void {
      source.clear(true);
      delete target().dataset['marks'];
      delete target().dataset['marksOf'];
      delete target().dataset['centredOn'];
    },
    /** Replaces the marks; `of` names what they are (for tests and assistive tools). */
    show(marks: readonly Mark[], of: string): void {
      source.clear(true);
      for (const m of marks) {
        const g = m.geometry;
        const geometry =
          g.type === 'Point'
            ? new Point(fromLonLat(g.coordinates))
            : g.type === 'LineString'
              ? new LineString(unwrap(g.coordinates).map((c) => fromLonLat(c)))
              : new Polygon(g.coordinates.map((ring) => unwrap(ring).map((c) => fromLonLat(c))));
        const f = new Feature({ geometry });
        f.setStyle(styleOf(m));
        source.addFeature(f);
      }
      target().dataset['marks'] = String(marks.length);
      target().dataset['marksOf'] = of;
    },
    extent(): Extent | null {
      return source.getFeatures().length > 0 ? source.getExtent() : null;
    },
    /** Frames the marks, and `with` too (a track drawn beside them) when it is a real extent. */
    fit(maxZoom = 11, withExtent: Extent | null = null): void {
      const e = this.extent();
      if (!e || !Number.isFinite(e[0])) return;
      const both = withExtent && Number.isFinite(withExtent[0]) ? extend(createEmpty(), e) : e;
      if (both !== e) extend(both, withExtent!);
      view.map.getView().fit(both, { padding: [60, 60, 60, 60], maxZoom, duration: 0 });
    },
    /** Centres the map on one place (a port call chosen in its table). */
    centre(lon: number, lat: number, zoom = 11): void {
      view.map.getView().setCenter(fromLonLat([lon, lat]));
      view.map.getView().setZoom(zoom);
      target().dataset['centredOn'] = `${lon.toFixed(4)},${lat.toFixed(4)}`;
    },
  };
}

export type MarkLayer = ReturnType<typeof createMarkLayer>;
