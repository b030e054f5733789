/** Synthetic tracks for the rule tests, built with spherical dead reckoning (independent of @rendezvous/geodesy's distances). */
import { METRES_PER_NM } from '@rendezvous/geodesy';
import type { Fix } from '../src/index.ts';

const R = 6371008.8;
const RAD = Math.PI / 180;
export const T0 = Date.UTC(2024, 2, 1, 0, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The point `meters` from (lon, lat) on initial bearing `course` (degrees), longitude wrapped to ±180. */
export function destination(lon: number, lat: number, course: number, meters: number): { lon: number; lat: number } {
  const d = meters / R;
  const p1 = lat * RAD;
  const th = course * RAD;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(th));
  const l2 = lon * RAD + Math.atan2(Math.sin(th) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { lon: ((((l2 / RAD + 180) % 360) + 360) % 360) - 180, lat: p2 / RAD };
}

/** `n` fixes of a ship holding `course` at `kn`, one every `stepMs` from `t0`. */
export function sail(opts: { lon: number; lat: number; course: number; kn: number; n: number; stepMs: number; t0?: number }): Fix[] {
  const out: Fix[] = [];
  let p = { lon: opts.lon, lat: opts.lat };
  const t0 = opts.t0 ?? T0;
  for (let i = 0; i < opts.n; i++) {
    out.push({ ts: t0 + i * opts.stepMs, lon: p.lon, lat: p.lat });
    p = destination(p.lon, p.lat, opts.course, (opts.kn * METRES_PER_NM * opts.stepMs) / HOUR);
  }
  return out;
}
