import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.ts';
import { haversineM, positionAt, type TimedPoint } from './geo.ts';
import { TRACK_COLOURS } from './map/track-layer.ts';

export interface TrackSeries {
  points: TimedPoint[];
  /** SOG (knots) per point; null where not reported. */
  sog: (number | null)[];
}

/**
 * The distance between the two vessels at every time either reported (the other's position
 * interpolated), and the closest of those.
 */
export function distanceSeries(a: TrackSeries, b: TrackSeries) {
  const times = [...new Set([...a.points.map((p) => p.t), ...b.points.map((p) => p.t)])].sort((x, y) => x - y);
  const distance: (number | null)[] = [];
  let closest: { a: TimedPoint; b: TimedPoint; distanceM: number } | null = null;
  for (const t of times) {
    const pa = positionAt(a.points, t);
    const pb = positionAt(b.points, t);
    if (!pa || !pb) {
      distance.push(null);
      continue;
    }
    const d = haversineM(pa.lon, pa.lat, pb.lon, pb.lat);
    distance.push(d);
    if (!closest || d < closest.distanceM) closest = { a: pa, b: pb, distanceM: d };
  }
  return { times, distance, closest };
}

const axisStyle = { stroke: '#333', grid: { stroke: '#e3e3e3' }, ticks: { stroke: '#ccc' } };
const utcTime = (): uPlot.Axis => ({
  ...axisStyle,
  values: (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(11, 16)),
});

function chart(container: HTMLElement, title: string, opts: Omit<uPlot.Options, 'width' | 'height' | 'title'>, data: uPlot.AlignedData): uPlot {
  const host = h('figure', { class: 'chart', 'aria-label': title }, h('figcaption', {}, title));
  container.append(host);
  const width = Math.max(260, container.clientWidth - 8);
  return new uPlot({ ...opts, width, height: 170, tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') }, data, host);
}

/** Distance over time (one alert, two vessels) and each vessel's speed over time, in UTC. */
export function evidenceCharts(container: HTMLElement, a: TrackSeries, b: TrackSeries | null, labels: { a: string; b: string }): void {
  if (b) {
    const { times, distance } = distanceSeries(a, b);
    chart(
      container,
      'Distance between the vessels (m), UTC',
      {
        scales: { x: { time: true } },
        axes: [utcTime(), { ...axisStyle, size: 60 }],
        series: [{ label: 'time', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(11, 16)) }, { label: 'distance m', stroke: '#d00', width: 2, spanGaps: true }],
      },
      [times.map((t) => t / 1000), distance],
    );
  }
  // Speeds on one time axis: each vessel's SOG where it reported, gaps elsewhere.
  const times = [...new Set([...a.points.map((p) => p.t), ...(b?.points ?? []).map((p) => p.t)])].sort((x, y) => x - y);
  const at = (s: TrackSeries) => {
    const m = new Map(s.points.map((p, i) => [p.t, s.sog[i] ?? null]));
    return times.map((t) => m.get(t) ?? null);
  };
  const series: uPlot.Series[] = [
    { label: 'time', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(11, 16)) },
    { label: `${labels.a} kn`, stroke: TRACK_COLOURS.a, width: 2, spanGaps: true },
  ];
  const data: (number | null)[][] = [times.map((t) => t / 1000), at(a)];
  if (b) {
    series.push({ label: `${labels.b} kn`, stroke: TRACK_COLOURS.b, width: 2, spanGaps: true });
    data.push(at(b));
  }
  chart(container, 'Speed over ground (knots), UTC', { scales: { x: { time: true } }, axes: [utcTime(), { ...axisStyle, size: 50 }], series }, data as uPlot.AlignedData);
}
