/**
 * Vessel motion as pure functions of time. A track answers "where is the ship at t, how fast, which
 * way" without keeping history, so a vessel's state is a handful of numbers however long the run:
 * that is what lets 2,000 vessels × 24 h stream in constant memory.
 */
import { KN_TO_MS, initialBearingDeg, sphericalDestination, haversineM, sphericalIntermediate, type LatLon } from '@rendezvous/geodesy';

/** AIS navigational status codes used here (M.1371 Table 45). */
export const NAV = { underWayEngine: 0, atAnchor: 1, restricted: 3, moored: 5 } as const;

export interface Kinematic {
  lat: number;
  lon: number;
  /** Speed over ground, knots (true value, before reporting noise). */
  sogKn: number;
  /** Course over ground, degrees [0, 360). */
  cogDeg: number;
  /** Bow direction, degrees; differs from the course when drifting or swinging at anchor. */
  headingDeg: number;
  navStatus: number;
}

export interface Track {
  at(tMs: number): Kinematic;
}

export interface Waypoint extends LatLon {
  tMs: number;
  /** Status reported on the leg that starts here (default: under way using engine). */
  navStatus?: number;
  /** Heading while on this leg when it is not the course (drifting ships keep their bow). */
  headingDeg?: number;
}

/**
 * Timed waypoints joined by great-circle legs at constant speed (distance ÷ time): scripted
 * scenarios say where each ship is when, and speeds follow. Before the first and after the last
 * waypoint the ship lies still.
 */
export class WaypointTrack implements Track {
  readonly waypoints: readonly Waypoint[];
  private readonly legKn: Float64Array;
  private readonly legCog: Float64Array;
  /** Last leg used: queries are nearly monotonic in time, so this avoids most searches. */
  private cursor = 0;

  constructor(waypoints: Waypoint[]) {
    if (waypoints.length === 0) throw new RangeError('a track needs at least one waypoint');
    for (let i = 1; i < waypoints.length; i++) {
      if (!(waypoints[i]!.tMs > waypoints[i - 1]!.tMs)) throw new RangeError(`waypoint ${i} is not after waypoint ${i - 1}`);
    }
    this.waypoints = waypoints;
    const n = Math.max(0, waypoints.length - 1);
    this.legKn = new Float64Array(n);
    this.legCog = new Float64Array(n);
    let lastCog = 0;
    for (let i = 0; i < n; i++) {
      const a = waypoints[i]!;
      const b = waypoints[i + 1]!;
      const d = haversineM(a.lon, a.lat, b.lon, b.lat);
      this.legKn[i] = d / ((b.tMs - a.tMs) / 1000) / KN_TO_MS;
      // A leg with no movement keeps the previous course rather than reporting north.
      if (d > 1) lastCog = initialBearingDeg(a, b);
      this.legCog[i] = lastCog;
    }
  }

  private leg(tMs: number): number {
    const w = this.waypoints;
    let i = this.cursor;
    if (i >= w.length - 1) i = Math.max(0, w.length - 2);
    if (tMs < w[i]!.tMs || tMs >= w[i + 1]!.tMs) {
      let lo = 0;
      let hi = w.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (w[mid]!.tMs <= tMs) lo = mid;
        else hi = mid - 1;
      }
      i = lo;
    }
    this.cursor = i;
    return i;
  }

  at(tMs: number): Kinematic {
    const w = this.waypoints;
    const first = w[0]!;
    const last = w[w.length - 1]!;
    if (w.length === 1 || tMs <= first.tMs) return still(first, this.legCog[0] ?? 0, first.navStatus);
    if (tMs >= last.tMs) return still(last, this.legCog[this.legCog.length - 1] ?? 0, last.navStatus);
    const i = this.leg(tMs);
    const a = w[i]!;
    const b = w[i + 1]!;
    const p = sphericalIntermediate(a, b, (tMs - a.tMs) / (b.tMs - a.tMs));
    const sogKn = this.legKn[i]!;
    const cogDeg = sogKn > 0.05 && haversineM(p.lon, p.lat, b.lon, b.lat) > 1 ? initialBearingDeg(p, b) : this.legCog[i]!;
    return { lat: p.lat, lon: p.lon, sogKn, cogDeg, headingDeg: a.headingDeg ?? cogDeg, navStatus: a.navStatus ?? NAV.underWayEngine };
  }
}

function still(p: Waypoint, cog: number, navStatus: number | undefined): Kinematic {
  return { lat: p.lat, lon: p.lon, sogKn: 0, cogDeg: cog, headingDeg: p.headingDeg ?? cog, navStatus: navStatus ?? NAV.underWayEngine };
}

/** A shipping lane: a polyline of sea waypoints (great-circle legs between them). */
export interface Lane {
  name: string;
  points: readonly LatLon[];
}

/**
 * A ship running up and down a lane at constant speed, offset sideways from the centre line
 * (ships spread across a lane; the offset keeps its side when the ship turns back at an end).
 */
export class LaneTrack implements Track {
  private readonly points: readonly LatLon[];
  private readonly cum: Float64Array;
  private readonly total: number;
  private cursor = 0;
  private readonly s0: number;
  private readonly speedMs: number;
  private readonly dir: 1 | -1;
  private readonly offsetM: number;
  private readonly t0Ms: number;
  readonly speedKn: number;

  constructor(lane: Lane, p: { startFraction: number; speedKn: number; direction: 1 | -1; offsetM: number; t0Ms: number }) {
    if (lane.points.length < 2) throw new RangeError(`lane ${lane.name} needs two points`);
    this.points = lane.points;
    this.cum = new Float64Array(lane.points.length);
    for (let i = 1; i < lane.points.length; i++) {
      const a = lane.points[i - 1]!;
      const b = lane.points[i]!;
      this.cum[i] = this.cum[i - 1]! + haversineM(a.lon, a.lat, b.lon, b.lat);
    }
    this.total = this.cum[lane.points.length - 1]!;
    this.s0 = p.startFraction * this.total;
    this.speedKn = p.speedKn;
    this.speedMs = p.speedKn * KN_TO_MS;
    this.dir = p.direction;
    this.offsetM = p.offsetM;
    this.t0Ms = p.t0Ms;
  }

  at(tMs: number): Kinematic {
    const L = this.total;
    const raw = this.s0 + (this.dir * this.speedMs * (tMs - this.t0Ms)) / 1000;
    // Ping-pong: a distance run along the doubled lane folds back at each end.
    let u = raw % (2 * L);
    if (u < 0) u += 2 * L;
    const s = u <= L ? u : 2 * L - u;
    // ds/dt has the sign of dir on the way out and the opposite on the way back.
    const movingForward = (u <= L) === (this.dir === 1);
    const i = this.segment(s);
    const a = this.points[i]!;
    const b = this.points[i + 1]!;
    const len = this.cum[i + 1]! - this.cum[i]!;
    const centre = sphericalIntermediate(a, b, len > 0 ? (s - this.cum[i]!) / len : 0);
    const laneBearing = haversineM(centre.lon, centre.lat, b.lon, b.lat) > 1 ? initialBearingDeg(centre, b) : initialBearingDeg(a, b);
    const p = this.offsetM === 0 ? centre : sphericalDestination(centre, (laneBearing + 90) % 360, this.offsetM);
    const cogDeg = movingForward ? laneBearing : (laneBearing + 180) % 360;
    return { lat: p.lat, lon: p.lon, sogKn: this.speedKn, cogDeg, headingDeg: cogDeg, navStatus: NAV.underWayEngine };
  }

  private segment(s: number): number {
    const c = this.cum;
    let i = this.cursor;
    if (i < c.length - 1 && s >= c[i]! && s <= c[i + 1]!) return i;
    let lo = 0;
    let hi = c.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (c[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    this.cursor = lo;
    return lo;
  }
}

/**
 * A ship at anchor swinging round its anchor with the tide (semi-diurnal period): it moves a few tens
 * of metres at a few hundredths of a knot, bow towards the anchor, status "at anchor".
 */
export class AnchorTrack implements Track {
  private readonly centre: LatLon;
  private readonly radiusM: number;
  private readonly phase: number;
  private static readonly PERIOD_S = 12.42 * 3600;

  constructor(centre: LatLon, radiusM: number, phase: number) {
    this.centre = centre;
    this.radiusM = radiusM;
    this.phase = phase;
  }

  at(tMs: number): Kinematic {
    const ω = (2 * Math.PI) / AnchorTrack.PERIOD_S;
    const θ = ω * (tMs / 1000) + this.phase;
    const bearingFromAnchor = ((θ * 180) / Math.PI) % 360;
    const p = sphericalDestination(this.centre, (bearingFromAnchor + 360) % 360, this.radiusM);
    return {
      lat: p.lat,
      lon: p.lon,
      sogKn: (ω * this.radiusM) / KN_TO_MS,
      cogDeg: (bearingFromAnchor + 90 + 360) % 360,
      headingDeg: (bearingFromAnchor + 180 + 360) % 360,
      navStatus: NAV.atAnchor,
    };
  }
}

/**
 * A fixed-pattern spoof: positions run round a small circle for ever, at the speed over ground they
 * report (so the implied speed between fixes agrees with the SOG on air), course along the circle.
 */
export class CircleTrack implements Track {
  private readonly centre: LatLon;
  private readonly radiusM: number;
  private readonly sogKn: number;
  private readonly periodMs: number;
  private readonly phaseDeg: number;
  private readonly sense: 1 | -1;

  constructor(centre: LatLon, p: { radiusM: number; sogKn: number; phaseDeg: number; clockwise: boolean }) {
    this.centre = centre;
    this.radiusM = p.radiusM;
    this.sogKn = p.sogKn;
    this.periodMs = ((2 * Math.PI * p.radiusM) / (p.sogKn * KN_TO_MS)) * 1000;
    this.phaseDeg = p.phaseDeg;
    this.sense = p.clockwise ? 1 : -1;
  }

  /** Time of one revolution, ms. */
  get period(): number {
    return this.periodMs;
  }

  at(tMs: number): Kinematic {
    const frac = (((tMs / this.periodMs) % 1) + 1) % 1;
    const bearing = (((this.phaseDeg + this.sense * 360 * frac) % 360) + 360) % 360;
    const p = sphericalDestination(this.centre, bearing, this.radiusM);
    const cogDeg = (bearing + this.sense * 90 + 360) % 360;
    return { lat: p.lat, lon: p.lon, sogKn: this.sogKn, cogDeg, headingDeg: cogDeg, navStatus: NAV.underWayEngine };
  }
}
