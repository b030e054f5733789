/**
 * Building blocks of scripted encounters: a ship cruising in, slowing for the last stretch, holding
 * station (drifting with the current), and leaving the way it came — the shape of an STS transfer.
 */
import type { TimeRange } from '../emitter.ts';
import { KN_TO_MS, sphericalDestination, type LatLon } from '@rendezvous/geodesy';
import { NAV, WaypointTrack, type Track, type Waypoint } from '../kinematics.ts';
import { HOUR, MINUTE } from './scenario.ts';

export interface StationPlan {
  window: TimeRange;
  holdStart: LatLon;
  holdEnd: LatLon;
  tHoldStart: number;
  tHoldEnd: number;
  /** Bearing from the hold point towards where the ship comes from. */
  arriveFrom: number;
  /** Bearing from the hold point towards where it goes. */
  departTo: number;
  cruiseKn: number;
  /** Final approach and first departure leg: slow, as ships manoeuvring alongside are. */
  slowKn?: number;
  slowMin?: number;
  holdNavStatus?: number;
  /** Bow direction while holding (ships alongside lie parallel). */
  holdHeading?: number;
}

/** Waypoints for arrive → hold → depart, extending one hour past the window at cruise speed. */
export function stationWaypoints(p: StationPlan): Waypoint[] {
  const slowKn = p.slowKn ?? 3;
  const slowMs = (p.slowMin ?? 20) * MINUTE;
  const slowM = slowKn * KN_TO_MS * (slowMs / 1000);
  const tIn = p.tHoldStart - slowMs;
  const tOut = p.tHoldEnd + slowMs;
  const slowIn = sphericalDestination(p.holdStart, p.arriveFrom, slowM);
  const slowOut = sphericalDestination(p.holdEnd, p.departTo, slowM);
  const out: Waypoint[] = [];
  const tFar0 = p.window.startMs - HOUR;
  if (tFar0 < tIn) out.push({ ...sphericalDestination(slowIn, p.arriveFrom, p.cruiseKn * KN_TO_MS * ((tIn - tFar0) / 1000)), tMs: tFar0 });
  out.push({ ...slowIn, tMs: tIn });
  out.push({ ...p.holdStart, tMs: p.tHoldStart, navStatus: p.holdNavStatus ?? NAV.underWayEngine, ...(p.holdHeading !== undefined ? { headingDeg: p.holdHeading } : {}) });
  out.push({ ...p.holdEnd, tMs: p.tHoldEnd });
  out.push({ ...slowOut, tMs: tOut });
  const tFar1 = p.window.endMs + HOUR;
  if (tFar1 > tOut) out.push({ ...sphericalDestination(slowOut, p.departTo, p.cruiseKn * KN_TO_MS * ((tFar1 - tOut) / 1000)), tMs: tFar1 });
  return out;
}

/** Where a drifting ship is after `ms` at `kn` on `bearing`. */
export function drift(p: LatLon, bearing: number, kn: number, ms: number): LatLon {
  return sphericalDestination(p, bearing, kn * KN_TO_MS * (ms / 1000));
}

/** Point `separationM` off a ship's position at t (the partner's station alongside). */
export function alongside(track: Track, tMs: number, bearing: number, separationM: number): LatLon {
  return sphericalDestination(track.at(tMs), bearing, separationM);
}

/** A bearing within ±spread° of `centre`. */
export function around(rng: { range(a: number, b: number): number }, centre: number, spread: number): number {
  return (((centre + rng.range(-spread, spread)) % 360) + 360) % 360;
}

/**
 * The dark-rendezvous choreography (dark_loiter, dark_partner): a loiterer holds station at the
 * scenario centre over [tL, tL + loiterMs], drifting slowly, while a partner comes alongside it
 * over [tK0, tK1] (arriving and leaving at `partnerCruiseKn`, slowing to `slowKn` for `slowMin`
 * minutes at each end). Draws from `rng` in a fixed order, so a seed gives the same scene.
 */
export function loiterWithPartner(
  ctx: { window: TimeRange; centre: LatLon },
  rng: { range(a: number, b: number): number },
  o: { tL: number; loiterMs: number; tK0: number; tK1: number; driftKn: readonly [number, number]; partnerCruiseKn: number; slowKn: number; slowMin: number },
) {
  const driftBearing = Math.round(rng.range(0, 360));
  const driftKn = Math.round(rng.range(o.driftKn[0], o.driftKn[1]) * 100) / 100;
  const side = Math.round(rng.range(0, 360));
  const loiterer = new WaypointTrack(
    stationWaypoints({
      window: ctx.window,
      holdStart: ctx.centre,
      holdEnd: drift(ctx.centre, driftBearing, driftKn, o.loiterMs),
      tHoldStart: o.tL,
      tHoldEnd: o.tL + o.loiterMs,
      arriveFrom: around(rng, side + 180, 40),
      departTo: around(rng, side + 180, 40),
      cruiseKn: rng.range(9, 12),
      holdNavStatus: NAV.underWayEngine,
    }),
  );
  const sepM = Math.round(rng.range(60, 250));
  const partner = new WaypointTrack(
    stationWaypoints({
      window: ctx.window,
      holdStart: alongside(loiterer, o.tK0, side, sepM),
      holdEnd: alongside(loiterer, o.tK1, side, sepM),
      tHoldStart: o.tK0,
      tHoldEnd: o.tK1,
      arriveFrom: around(rng, side, 30),
      departTo: around(rng, side, 30),
      cruiseKn: o.partnerCruiseKn,
      slowKn: o.slowKn,
      slowMin: o.slowMin,
    }),
  );
  return { loiterer, partner, driftKn, driftBearing, side, sepM };
}
