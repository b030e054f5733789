/**
 * What the dark-activity detectors need from the caller besides tracks: the window that owns the
 * events, how far the data is known to reach, and the shore/port/watchlist hooks.
 */
import type { DarkActivityProfile } from './dark-profile.ts';
import type { ColumnarTrack, Track } from './tracks.ts';

export interface DarkContext {
  /**
   * Events are OWNED by the window containing their start (gap: off time; loitering: start), and
   * only those are returned, so overlapping windows never report one event twice.
   */
  window: { from: number; to: number };
  /**
   * Latest time (ms) the data is known to cover. An open gap (no report after the off position)
   * counts only if horizon − off ≥ gapMinMs, and is then `ongoing` with end = horizon.
   */
  horizon: number;
  /** Distance (m) from a position to the nearest shore. */
  shoreDistanceM: (lon: number, lat: number) => number;
  /** Port / anchorage mask; default: nowhere is a port. */
  isNearPort?: (lon: number, lat: number, radiusM: number) => boolean;
  /** These vessels are judged by the first profile with appliesTo 'sensitive'. */
  sensitiveMmsis?: ReadonlySet<number>;
  /** Judged in order, first applicable wins. Default: DEFAULT_DARK_PROFILES (sensitive, then default). */
  profiles?: readonly DarkActivityProfile[];
}

/** One AIS report as the dark-activity events carry it. */
export interface DarkPoint {
  t: number;
  lon: number;
  lat: number;
  /** Reported SOG (kn), null when not available. */
  sog: number | null;
}

/**
 * A track for the gap detector: optionally with the first report AFTER the loaded range, so that a
 * gap running past the loaded data is measured to its real end instead of counting as open.
 */
export type GapTrackInput = (Track | ColumnarTrack) & { next?: DarkPoint | null };

/** `'<mmsi>'` or `'<mmsi>:<segment>'`, as in pair keys. */
export function vesselId(mmsi: number, segment: string | null): string {
  return segment === null ? String(mmsi) : `${mmsi}:${segment}`;
}

export const isoTime = (t: number): string => new Date(t).toISOString();

/** Rounds like the rendezvous events (distances to 1 cm, speeds to 0.001 kn, degrees to 1e-7). */
export const roundTo = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
