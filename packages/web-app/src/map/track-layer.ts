import Feature from 'ol/Feature.js';
import LineString from 'ol/geom/LineString.js';
import MultiLineString from 'ol/geom/MultiLineString.js';
import Point from 'ol/geom/Point.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style.js';
import { fromLonLat } from 'ol/proj.js';
import type { Extent } from 'ol/extent.js';
import { hhmm, metres } from '../format.ts';
import { positionAt, unwrap, type TimedPoint } from '../geo.ts';
import type { MapView } from './map-view.ts';

export const TRACK_COLOURS = { a: '#0b5cad', b: '#a0289a' } as const;

const lineStyle = (colour: string) => [
  new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 5 }) }),
  new Style({ stroke: new Stroke({ color: colour, width: 2.5 }) }),
];
const tickStyle = (colour: string, label: string) =>
  new Style({
    image: new Circle({ radius: 3.5, fill: new Fill({ color: '#fff' }), stroke: new Stroke({ color: colour, width: 2 }) }),
    text: new Text({ text: label, offsetY: -12, font: '11px system-ui, sans-serif', fill: new Fill({ color: '#111' }), stroke: new Stroke({ color: '#fff', width: 3 }) }),
  });
const closestStyle = (label: string) => [
  new Style({ stroke: new Stroke({ color: '#d00', width: 2, lineDash: [4, 3] }) }),
  new Style({
    // Above the ticks, so decluttering never hides the closest approach.
    zIndex: 10,
    image: new Circle({ radius: 6, fill: new Fill({ color: '#d00' }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
    text: new Text({ text: label, offsetY: 18, font: 'bold 12px system-ui, sans-serif', fill: new Fill({ color: '#d00' }), stroke: new Stroke({ color: '#fff', width: 3 }) }),
  }),
];

/** Tick spacing: about eight ticks along the span, on round clock times. */
function tickStep(spanMs: number): number {
  const steps = [10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);
  return steps.find((s) => spanMs / s <= 10) ?? steps[steps.length - 1]!;
}

export interface TrackInput {
  vessel: 'a' | 'b';
  label: string;
  points: TimedPoint[];
}

/**
 * Tracks drawn over the alerts: an alert's two evidence tracks with time ticks and the closest
 * approach, or a vessel's track. Longitudes are unwrapped so lines cross the antimeridian.
 */
export function createTrackLayer(view: MapView) {
  const source = new VectorSource();
  // Decluttered: where a vessel lay still, its time ticks would pile up; the top one is kept.
  const layer = new VectorLayer({ source, zIndex: 20, declutter: true, properties: { name: 'tracks' } });
  view.map.addLayer(layer);
  const target = () => view.map.getTargetElement() as HTMLElement;
  /** The unwrapped reference longitude, so both tracks of one alert are on the same world copy. */
  let anchor: number | null = null;
  const project = (coords: [number, number][]) => {
    const u = unwrap(anchor === null ? coords : [[anchor, 0], ...coords]);
    if (anchor === null && u.length > 0) anchor = u[0]![0];
    else u.shift();
    return u.map((c) => fromLonLat(c));
  };

  function addTrack(t: TrackInput): void {
    if (t.points.length === 0) return;
    const colour = TRACK_COLOURS[t.vessel];
    const coords = project(t.points.map((p) => [p.lon, p.lat]));
    const geometry = coords.length >= 2 ? new LineString(coords) : new Point(coords[0]!);
    const line = new Feature({ geometry });
    line.setStyle(coords.length >= 2 ? lineStyle(colour) : tickStyle(colour, t.label));
    source.addFeature(line);
    const t0 = t.points[0]!.t;
    const t1 = t.points[t.points.length - 1]!.t;
    const step = tickStep(t1 - t0);
    for (let tick = Math.ceil(t0 / step) * step; tick <= t1; tick += step) {
      const p = positionAt(t.points, tick);
      if (!p) continue;
      const f = new Feature({ geometry: new Point(project([[p.lon, p.lat]])[0]!) });
      f.setStyle(tickStyle(colour, hhmm(tick)));
      source.addFeature(f);
    }
  }

  return {
    clear(): void {
      source.clear(true);
      anchor = null;
      delete target().dataset['tracks'];
      delete target().dataset['closestApproach'];
    },
    /** An alert's evidence: both tracks, ticks, and a marked closest approach. */
    showEvidence(tracks: TrackInput[], closest: { a: TimedPoint; b: TimedPoint; distanceM: number } | null): void {
      this.clear();
      for (const t of tracks) addTrack(t);
      // What is drawn, for tests and assistive tools (the canvas itself says nothing).
      target().dataset['tracks'] = String(tracks.filter((t) => t.points.length > 0).length);
      if (closest) {
        target().dataset['closestApproach'] = String(Math.round(closest.distanceM));
        const [pa, pb] = project([
          [closest.a.lon, closest.a.lat],
          [closest.b.lon, closest.b.lat],
        ]) as [number[], number[]];
        // Measured on the evidence tracks as drawn (the detector's own figure is in the facts).
        const label = `closest ${metres(closest.distanceM)} at ${hhmm(closest.a.t)}`;
        const [line, dot] = closestStyle(label) as [Style, Style];
        const segment = new Feature({ geometry: new LineString([pa, pb]) });
        segment.setStyle(line);
        const mark = new Feature({ geometry: new Point(pa) });
        mark.setStyle(dot);
        source.addFeatures([segment, mark]);
      }
    },
    /** A vessel's track: its lines (broken at silences) and isolated fixes. */
    showVesselTrack(lines: [number, number][][], isolated: [number, number][]): void {
      this.clear();
      const projected = lines.map((l) => project(l));
      const f = new Feature({ geometry: new MultiLineString(projected) });
      f.setStyle(lineStyle(TRACK_COLOURS.a));
      source.addFeature(f);
      for (const c of isolated) {
        const p = new Feature({ geometry: new Point(project([c])[0]!) });
        p.setStyle(new Style({ image: new Circle({ radius: 3, fill: new Fill({ color: TRACK_COLOURS.a }) }) }));
        source.addFeature(p);
      }
    },
    extent(): Extent | null {
      return source.getFeatures().length > 0 ? source.getExtent() : null;
    },
    fit(): void {
      const e = this.extent();
      if (e && Number.isFinite(e[0])) view.map.getView().fit(e, { padding: [60, 60, 60, 60], maxZoom: 13, duration: 0 });
    },
  };
}

export type TrackLayer = ReturnType<typeof createTrackLayer>;
