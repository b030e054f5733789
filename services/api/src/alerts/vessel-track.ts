import { lineString, simplify } from '@turf/turf';
import type { TrackFix } from '@rendezvous/db';
import { ValidationError } from '@rendezvous/errors';

/**
 * A vessel's track over a time range as one GeoJSON Feature for a map. The line is broken at
 * every silence of an hour or more — DESIGN.md's rule for tracks ("never across a gap ≥ 1 h"):
 * the map must not draw the vessel sailing straight through a stretch it did not report.
 */
export const TRACK_GAP_MS = 3_600_000;
/** Longest range one request may ask for (a month of 2-second class A reports is ~1.3 M fixes). */
export const TRACK_MAX_RANGE_MS = 31 * 86_400_000;
/** Most positions read from PostgreSQL for one request. */
export const TRACK_MAX_LOADED = 500_000;
/** Most positions returned (after simplification): beyond this a browser map stalls. */
export const TRACK_MAX_POINTS = 50_000;
/** Metres per degree of latitude (mean; WGS-84 varies 110.6–111.7 km): tolerance conversion only. */
const METRES_PER_DEGREE = 111_320;

export interface TrackFeature {
  type: 'Feature';
  geometry: { type: 'MultiLineString'; coordinates: [number, number][][] };
  properties: {
    mmsi: number;
    from: string;
    to: string;
    /** Positions stored in [from, to). */
    points: number;
    /** Positions in the geometry (fewer when simplified; isolated fixes are not in a line). */
    pointsReturned: number;
    simplifyM: number;
    /** Per line, the ISO time of each coordinate (same shape as geometry.coordinates). */
    coordTimes: string[][];
    /** Fixes with no neighbour within the gap (a one-point stretch is no line, RFC 7946 §3.1.4). */
    isolated: { coordinates: [number, number]; time: string }[];
  };
}

type Fix = TrackFix;

/** Stretches of a time-ordered track with no silence of TRACK_GAP_MS or more inside. */
export function splitAtGaps(fixes: readonly Fix[], gapMs: number = TRACK_GAP_MS): Fix[][] {
  const stretches: Fix[][] = [];
  let current: Fix[] = [];
  for (const f of fixes) {
    const last = current[current.length - 1];
    if (last && f.t - last.t >= gapMs) {
      stretches.push(current);
      current = [];
    }
    current.push(f);
  }
  if (current.length > 0) stretches.push(current);
  return stretches;
}

/**
 * Douglas–Peucker (turf) with a tolerance in metres: longitudes are scaled by cos(latitude) at the
 * stretch's mean latitude so one tolerance in degrees of latitude is about `metres` everywhere
 * on it. Each point carries its index through turf, so the kept points keep their times.
 */
export function simplifyStretch(fixes: readonly Fix[], metres: number): Fix[] {
  if (metres <= 0 || fixes.length <= 2) return [...fixes];
  const meanLat = fixes.reduce((s, f) => s + f.lat, 0) / fixes.length;
  const kx = Math.max(Math.cos((meanLat * Math.PI) / 180), 0.01);
  // Index + 1: turf keeps extra coordinate members, but a zero would read as "no z".
  const line = lineString(fixes.map((f, i) => [f.lon * kx, f.lat, i + 1]));
  const kept = simplify(line, { tolerance: metres / METRES_PER_DEGREE, highQuality: true }).geometry.coordinates;
  const out = kept.map((c) => fixes[(c[2] as number) - 1]!);
  return out.length >= 2 ? out : [fixes[0]!, fixes[fixes.length - 1]!];
}

export function toTrackFeature(mmsi: number, from: Date, to: Date, fixes: readonly Fix[], simplifyM: number): TrackFeature {
  const coordinates: [number, number][][] = [];
  const coordTimes: string[][] = [];
  const isolated: TrackFeature['properties']['isolated'] = [];
  let returned = 0;
  for (const stretch of splitAtGaps(fixes)) {
    if (stretch.length === 1) {
      const f = stretch[0]!;
      isolated.push({ coordinates: [f.lon, f.lat], time: new Date(f.t).toISOString() });
      continue;
    }
    const kept = simplifyStretch(stretch, simplifyM);
    coordinates.push(kept.map((f) => [f.lon, f.lat]));
    coordTimes.push(kept.map((f) => new Date(f.t).toISOString()));
    returned += kept.length;
  }
  if (returned + isolated.length > TRACK_MAX_POINTS) {
    throw new ValidationError(
      `the track has ${returned + isolated.length} points in this range (limit ${TRACK_MAX_POINTS}): ask for a shorter range or simplify=<metres>`,
    );
  }
  return {
    type: 'Feature',
    geometry: { type: 'MultiLineString', coordinates },
    properties: { mmsi, from: from.toISOString(), to: to.toISOString(), points: fixes.length, pointsReturned: returned + isolated.length, simplifyM, coordTimes, isolated },
  };
}
