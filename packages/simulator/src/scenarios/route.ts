/**
 * A voyage scripted leg by leg (the port and voyage scenarios, issue 15): sail to a point at a
 * speed, lie at a spot for a time, drift, patrol between two points until a time. Each step
 * appends timed waypoints, so the times follow from distances and speeds and the track's speeds
 * are exactly the scripted ones (WaypointTrack: distance ÷ time).
 */
import { KN_TO_MS, haversineM, type LatLon } from '@rendezvous/geodesy';
import { NAV, type Waypoint } from '../kinematics.ts';

export class Route {
  private readonly wps: Waypoint[];

  constructor(start: LatLon, tMs: number) {
    this.wps = [{ lat: start.lat, lon: start.lon, tMs }];
  }

  /** Time at the end of the route so far. */
  get t(): number {
    return this.wps[this.wps.length - 1]!.tMs;
  }

  get at(): LatLon {
    const w = this.wps[this.wps.length - 1]!;
    return { lat: w.lat, lon: w.lon };
  }

  /** Sail straight (great circle) to each point in turn at `kn`, under way. */
  sail(points: LatLon | LatLon[], kn: number): this {
    for (const p of Array.isArray(points) ? points : [points]) {
      const from = this.wps[this.wps.length - 1]!;
      from.navStatus = NAV.underWayEngine;
      const d = haversineM(from.lon, from.lat, p.lon, p.lat);
      this.wps.push({ lat: p.lat, lon: p.lon, tMs: from.tMs + Math.max(1000, Math.round((d / (kn * KN_TO_MS)) * 1000)) });
    }
    return this;
  }

  /** Lie for `ms`, moving to `to` (a few metres for an anchor's swing, or a drift) with this status. */
  hold(ms: number, to: LatLon, navStatus: number = NAV.atAnchor): this {
    const from = this.wps[this.wps.length - 1]!;
    from.navStatus = navStatus;
    this.wps.push({ lat: to.lat, lon: to.lon, tMs: from.tMs + ms });
    return this;
  }

  /** Run back and forth between `a` and `b` (from wherever the route is, to `a` first) until `untilMs`. */
  patrol(a: LatLon, b: LatLon, kn: number, untilMs: number): this {
    let next = a;
    // Bounded: each pass is ≥ 1 s, and callers pass lanes of tens of km against runs of ≤ 744 h.
    while (this.t < untilMs) {
      this.sail(next, kn);
      next = next === a ? b : a;
    }
    return this;
  }

  waypoints(): Waypoint[] {
    return this.wps.map((w) => ({ ...w }));
  }
}
