/**
 * An alert's behaviour view (packages/alerts behaviour-view.ts: reasons, facts, geometry) read
 * generically: each type names its own facts (an AIS gap's off/on, a sanctioned call's port and
 * draughts, a voyage's ports and kinds), and new ones keep coming, so the app draws whatever it is
 * given. Units come from the fact names as the API spells them (distanceM, impliedSpeedKn,
 * durationS, distanceNm). Pure: unit-tested in test/behaviour-format.test.ts.
 */
import { hhmm, knots, metres, utc } from './format.ts';
import type { Mark } from './map/mark-layer.ts';
import { span } from './voyage-format.ts';

type Scalar = string | number | boolean | null;

/** The unit suffix of a fact's name (after a lower-case letter), and how its value reads. */
const UNITS: { suffix: string; format: (v: number) => string }[] = [
  { suffix: 'Kn', format: (v) => knots(v) },
  { suffix: 'Nm', format: (v) => `${v.toFixed(1)} nm` },
  { suffix: 'M', format: (v) => metres(v) },
  { suffix: 'S', format: (v) => span(v) },
  { suffix: 'H', format: (v) => `${v.toFixed(1)} h` },
];

function unitOf(key: string): (typeof UNITS)[number] | null {
  for (const u of UNITS) {
    if (key.length > u.suffix.length && key.endsWith(u.suffix) && /[a-z0-9]/.test(key[key.length - u.suffix.length - 1]!)) return u;
  }
  return null;
}

/** "offShoreDistanceM" → "Off shore distance", "from_port" → "From port", "draughtArrival" → "Draught arrival". */
export function factLabel(key: string): string {
  const unit = unitOf(key);
  const stem = unit ? key.slice(0, -unit.suffix.length) : key;
  const words = stem
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.replace(/^./, (c) => c.toUpperCase());
}

const SNAKE_WORDS = /^[a-z]+(_[a-z]+)+( [a-z]+(_[a-z]+)+)*$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A fact's value in words: times in UTC, units from the name, yes/no, "—" for unknown. */
export function factValue(key: string, value: Scalar | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') {
    if (ISO_INSTANT.test(value)) return utc(new Date(value).toISOString());
    // Machine words (a voyage's kinds "destination_mismatch hidden_stop") read as words.
    if (SNAKE_WORDS.test(value)) return value.split(' ').map((w) => w.replace(/_/g, ' ')).join(', ');
    return value;
  }
  if (!Number.isFinite(value)) return '—';
  const unit = unitOf(key);
  // Draughts (type 5: reported in 0.1 m) keep their decimal, with or without an M suffix.
  if (/draught/i.test(key) && (!unit || unit.suffix === 'M')) return `${value.toFixed(1)} m`;
  if (unit) return unit.format(value);
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** The facts worth a row: those with a value (an unknown one says nothing the reasons do not). */
export function factRows(facts: Record<string, Scalar> | null | undefined): [string, string][] {
  return Object.entries(facts ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [factLabel(k), factValue(k, v)]);
}

export interface PlaceFeature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown> | null;
}

const lonLat = (c: unknown): [number, number] | null =>
  Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' && Number.isFinite(c[0]) && Number.isFinite(c[1]) ? [c[0], c[1]] : null;

/** 39.0512° N, 125.3850° E */
export function formatLonLat([lon, lat]: [number, number]): string {
  return `${Math.abs(lat).toFixed(4)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lon).toFixed(4)}° ${lon >= 0 ? 'E' : 'W'}`;
}

/**
 * The view's geometry in words, for the page (the map's canvas says nothing to a screen reader):
 * "Port: 39.0512° N, 125.3850° E at 2026-11-30 04:00Z", "Straight line: 2 points".
 */
export function placeLines(features: readonly PlaceFeature[]): string[] {
  return features.flatMap((f) => {
    const role = typeof f.properties?.['role'] === 'string' ? factLabel(f.properties['role']) : 'Place';
    const time = typeof f.properties?.['time'] === 'string' ? ` at ${factValue('time', f.properties['time'])}` : '';
    const g = f.geometry;
    if (!g) return [];
    if (g.type === 'Point') {
      const p = lonLat(g.coordinates);
      return p ? [`${role}: ${formatLonLat(p)}${time}`] : [];
    }
    if (g.type === 'LineString' && Array.isArray(g.coordinates)) return [`${role}: line of ${g.coordinates.length} points${time}`];
    if (g.type === 'Polygon' && Array.isArray(g.coordinates)) return [`${role}: area of ${Math.max(0, ((g.coordinates[0] as unknown[] | undefined)?.length ?? 1) - 1)} corners${time}`];
    return [`${role}: ${g.type}${time}`];
  });
}

const ring = (c: unknown): [number, number][] | null => {
  if (!Array.isArray(c)) return null;
  const points = c.map(lonLat);
  return points.every((p): p is [number, number] => p !== null) ? points : null;
};

/**
 * The view's geometry as map marks: points labelled by their role and time ("Off 04:10Z"), lines
 * (an AIS gap's straight line) and areas (a loitering's hull); anything malformed is left out.
 */
export function behaviourMarks(features: readonly PlaceFeature[]): Mark[] {
  const marks: Mark[] = [];
  for (const f of features) {
    const g = f.geometry;
    if (!g) continue;
    const role = typeof f.properties?.['role'] === 'string' ? factLabel(f.properties['role']) : 'Place';
    const time = typeof f.properties?.['time'] === 'string' && Number.isFinite(Date.parse(f.properties['time'])) ? ` ${hhmm(Date.parse(f.properties['time']))}Z` : '';
    if (g.type === 'Point') {
      const p = lonLat(g.coordinates);
      if (p) marks.push({ geometry: { type: 'Point', coordinates: p }, label: `${role}${time}` });
    } else if (g.type === 'LineString') {
      const line = ring(g.coordinates);
      if (line && line.length >= 2) marks.push({ geometry: { type: 'LineString', coordinates: line }, label: role });
    } else if (g.type === 'Polygon' && Array.isArray(g.coordinates)) {
      const rings = g.coordinates.map(ring);
      if (rings.length > 0 && rings.every((r): r is [number, number][] => r !== null && r.length >= 4)) marks.push({ geometry: { type: 'Polygon', coordinates: rings }, label: role });
    }
  }
  return marks;
}
