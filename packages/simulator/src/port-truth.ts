/**
 * Port stays read off a noise-free track the way the port-call rule reads fixes (packages/detection
 * port-calls.ts, after GFW's port visits): a stay starts at the first reported moment within the
 * port's entry radius, lasts while reported positions stay within EXIT_FACTOR × radius (silences
 * up to 12 h do not end it) and counts as a call when its slow time (SOG < 1 kn at both ends of a
 * step) reaches 2 h. Sampled every 10 s, so the truth's times are within 10 s of the track's.
 */
import { haversineM } from '@rendezvous/geodesy';
import type { Track } from './kinematics.ts';

/** port-calls.ts: entry within the radius, exit beyond 4/3 of it (GFW: 3 km in, 4 km out). */
export const EXIT_FACTOR = 4 / 3;
/** port-calls.ts DEFAULT_PORT_CALL_OPTIONS: slow below 1 kn, a call needs 2 h of it, silences up to 12 h are bridged. */
export const CALL_MAX_SLOW_KN = 1;
export const CALL_MIN_SLOW_MS = 2 * 3_600_000;
const MAX_GAP_MS = 12 * 3_600_000;
/** The radius port-calls.ts gives PORTS_FILE points (GFW anchorages: 3 km). */
export const PORTS_FILE_RADIUS_M = 3000;

export interface Stay {
  arrival: number;
  departure: number;
  slowMs: number;
}

export interface StayReading {
  stays: Stay[];
  /** Least distance to the port point over the reported samples, metres. */
  closestM: number;
}

export function readStays(
  track: Track,
  port: { lon: number; lat: number; radiusM: number },
  silences: readonly { startMs: number; endMs: number }[],
  from: number,
  to: number,
  stepMs = 10_000,
): StayReading {
  const stays: Stay[] = [];
  let cur: Stay | null = null;
  let lastReported = -Infinity;
  let prevSlow = false;
  let closestM = Infinity;
  for (let t = from; t <= to; t += stepMs) {
    if (silences.some((s) => t >= s.startMs && t < s.endMs)) continue;
    const k = track.at(t);
    const d = haversineM(k.lon, k.lat, port.lon, port.lat);
    closestM = Math.min(closestM, d);
    const slow = k.sogKn < CALL_MAX_SLOW_KN;
    if (cur && (d > port.radiusM * EXIT_FACTOR || t - lastReported > MAX_GAP_MS)) {
      stays.push(cur);
      cur = null;
    }
    if (cur) {
      if (slow && prevSlow) cur.slowMs += t - lastReported;
      cur.departure = t;
    } else if (d <= port.radiusM) {
      cur = { arrival: t, departure: t, slowMs: 0 };
    }
    prevSlow = slow;
    lastReported = t;
  }
  if (cur) stays.push(cur);
  return { stays, closestM };
}
