/**
 * Sanctioned ports and areas (issue 15; DESIGN.md "Risk context"). Two pure rules:
 *
 * - `portCallSanctioned`: a port call at a listed port (its position within the listed port's
 *   radius) or at any port of a listed country (UN 1718 Committee Panel of Experts reports name
 *   DPRK ports such as Nampho, Chongjin and Rajin as where sanctioned cargo is loaded/delivered).
 * - `gapNearSanctionedArea`: an AIS gap after which the vessel is deeper in the water ("loaded while
 *   dark"), and which was long enough to sail from the off position to the area and from there to
 *   the on position at a plausible top speed — the reach test of dark-rendezvous.ts (Windward's
 *   test), with the area's nearest point in place of the loitering spot.
 *
 * Inputs are structural: port calls as port-calls.ts makes them, gaps as ais-gaps.ts makes them,
 * ports and areas as @rendezvous/geography's loadSanctioned gives them (this package does not
 * depend on geography). Distances: geodesic (Vincenty) to a port; to an area, great-circle on the
 * mean sphere (≤ ~0.5 % off, far inside the reach test's own slack).
 */
import { geodesicDistanceM, KN_TO_MS, lonDelta, MEAN_RADIUS_M, METRES_PER_NM } from '@rendezvous/geodesy';
import { isoTime, roundTo, vesselId } from './dark-context.ts';

/** The part of a port call (port-calls.ts `PortCall`) the rule reads. */
export interface SanctionPortCallInput {
  key: string;
  mmsi: number;
  segment: string | null;
  port: { id: string; name: string | null; country: string | null; lon: number; lat: number; radiusM: number };
  arrival: number;
  departure: number | null;
}

/** A listed port (geography `SanctionedPort`). */
export interface SanctionedPortInput {
  name: string;
  country: string;
  lon: number;
  lat: number;
  radiusM: number;
}

/** The sanctioned country list (upper-case ISO3) and its ports (geography `SanctionedGeography`). */
export interface SanctionedPortList {
  countries: readonly string[];
  ports: readonly SanctionedPortInput[];
}

export interface SanctionedPortCallFinding {
  type: 'port_call_sanctioned';
  callKey: string;
  mmsi: number;
  segment: string | null;
  portId: string;
  portName: string | null;
  /** The sanctioned country (of the matched listed port, else of the call's port). */
  country: string;
  /** The listed port matched by position, or null when only the country matched. */
  sanctionedPort: string | null;
  /** Geodesic distance (m) from the call's port to the listed port, null when matched by country. */
  distanceM: number | null;
  arrival: number;
  departure: number | null;
  reasons: string[];
}

const nm = (m: number) => `${(m / METRES_PER_NM).toFixed(1)} nm`;
const km = (m: number) => `${(m / 1000).toFixed(1)} km`;
const h = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

/**
 * A finding when the call's port lies within a listed port's radius (nearest such listed port) or
 * its country is in the list; null otherwise. Listed ports of countries not in the list are
 * ignored, so the country list alone switches a country on or off.
 */
export function portCallSanctioned(call: SanctionPortCallInput, sanctioned: SanctionedPortList): SanctionedPortCallFinding | null {
  const countries = new Set(sanctioned.countries.map((c) => c.toUpperCase()));
  if (countries.size === 0) return null;
  let best: { port: SanctionedPortInput; d: number } | null = null;
  for (const sp of sanctioned.ports) {
    if (!countries.has(sp.country.toUpperCase())) continue;
    const d = geodesicDistanceM(call.port.lon, call.port.lat, sp.lon, sp.lat);
    if (d <= sp.radiusM && (best === null || d < best.d)) best = { port: sp, d };
  }
  const callCountry = call.port.country?.toUpperCase() ?? null;
  const byCountry = callCountry !== null && countries.has(callCountry);
  if (!best && !byCountry) return null;

  const where = call.port.name ? `${call.port.name} (${call.port.id})` : call.port.id;
  const stay =
    call.departure === null
      ? `arrived ${isoTime(call.arrival)}, still in port`
      : `arrived ${isoTime(call.arrival)}, left ${isoTime(call.departure)} after ${h(call.departure - call.arrival)}`;
  const reasons = [`${vesselId(call.mmsi, call.segment)} called at ${where}: ${stay}`];
  if (best) {
    reasons.push(
      `the port is ${km(best.d)} from the sanctioned port ${best.port.name} (${best.port.country}), within its ${km(best.port.radiusM)} radius`,
    );
  }
  if (byCountry) reasons.push(`the port's country ${callCountry} is on the sanctioned list (${[...countries].join(', ')})`);
  return {
    type: 'port_call_sanctioned',
    callKey: call.key,
    mmsi: call.mmsi,
    segment: call.segment,
    portId: call.port.id,
    portName: call.port.name,
    country: best ? best.port.country.toUpperCase() : callCountry!,
    sanctionedPort: best ? best.port.name : null,
    distanceM: best ? roundTo(best.d, 2) : null,
    arrival: call.arrival,
    departure: call.departure,
    reasons,
  };
}

/** A position with a time, as ais-gaps.ts `DarkPoint`. */
interface TimedPoint {
  t: number;
  lon: number;
  lat: number;
}

/** The part of an AIS gap (ais-gaps.ts `AisGapEvent`) the rule reads. */
export interface SanctionGapInput {
  mmsi: number;
  segment: string | null;
  off: TimedPoint;
  /** null while the gap is open: no on position, no "after" draught, no finding. */
  on: TimedPoint | null;
  durationMs: number;
}

/** A listed area (geography `SanctionedArea`): rings of each polygon, outer first, [lon, lat]. */
export interface SanctionedAreaInput {
  name: string;
  country: string;
  polygons: readonly (readonly (readonly (readonly number[])[])[])[];
}

export interface GapNearAreaOptions {
  /** A dark vessel's plausible top speed (kn); 15 kn as dark-profile.ts `darkMaxSpeedKn`. */
  reachSpeedKn: number;
  /** Draught (m) in force before the gap and first reported after it; null/0 = not available. */
  draughtBeforeM: number | null;
  draughtAfterM: number | null;
  /** Least increase (m) that means cargo: 1 / 1.5 / 2 / 3 m by size class (@rendezvous/identity draught-rule.ts). */
  minDraughtIncreaseM: number;
  /** Time (ms) the vessel must be able to spend in the area, e.g. for loading; default 0. */
  minStayMs?: number;
}

export interface GapNearSanctionedAreaFinding {
  type: 'gap_near_sanctioned_area';
  mmsi: number;
  segment: string | null;
  area: string;
  country: string;
  start: number;
  end: number;
  durationMs: number;
  /** Great-circle distance (m) from the off / on position to the area (0 inside). */
  offDistanceM: number;
  onDistanceM: number;
  /** Time (ms) needed at reachSpeedKn for off → area → on, plus minStayMs. */
  neededMs: number;
  draughtBeforeM: number;
  draughtAfterM: number;
  draughtIncreaseM: number;
  reasons: string[];
}

/** 0.1 m steps (AIS type 5): compare the values typed in, not their float rounding. */
const dm = (m: number) => Math.round(m * 10);
const known = (m: number | null): m is number => m !== null && Number.isFinite(m) && m > 0;

/**
 * A finding when (a) the gap is closed, (b) both draughts are known (AIS 0 = not available) and
 * the later is deeper by at least minDraughtIncreaseM, and (c) off → nearest point of the area →
 * on, at reachSpeedKn, fits in the gap with minStayMs to spare. Otherwise null: an open gap or an
 * unknown draught cannot show "loaded while dark", an unchanged or shallower draught shows no
 * loading, and an area out of reach was not visited.
 */
export function gapNearSanctionedArea(
  gap: SanctionGapInput,
  area: SanctionedAreaInput,
  opts: GapNearAreaOptions,
): GapNearSanctionedAreaFinding | null {
  if (!(opts.reachSpeedKn > 0)) throw new RangeError(`reachSpeedKn must be > 0, got ${opts.reachSpeedKn}`);
  if (!(opts.minDraughtIncreaseM > 0)) throw new RangeError(`minDraughtIncreaseM must be > 0, got ${opts.minDraughtIncreaseM}`);
  const minStayMs = opts.minStayMs ?? 0;
  if (!(minStayMs >= 0)) throw new RangeError(`minStayMs must be ≥ 0, got ${minStayMs}`);
  if (gap.on === null) return null;
  const before = opts.draughtBeforeM;
  const after = opts.draughtAfterM;
  if (!known(before) || !known(after)) return null;
  const rise = dm(after) - dm(before);
  if (rise < dm(opts.minDraughtIncreaseM)) return null;

  const v = opts.reachSpeedKn * KN_TO_MS;
  const dOff = distanceToAreaM(gap.off.lon, gap.off.lat, area);
  // Cheap rejection before the second distance.
  if ((dOff / v) * 1000 + minStayMs > gap.durationMs) return null;
  const dOn = distanceToAreaM(gap.on.lon, gap.on.lat, area);
  const neededMs = ((dOff + dOn) / v) * 1000 + minStayMs;
  if (neededMs > gap.durationMs) return null;

  const id = vesselId(gap.mmsi, gap.segment);
  const stay = minStayMs > 0 ? ` + ${h(minStayMs)} there` : '';
  return {
    type: 'gap_near_sanctioned_area',
    mmsi: gap.mmsi,
    segment: gap.segment,
    area: area.name,
    country: area.country,
    start: gap.off.t,
    end: gap.on.t,
    durationMs: gap.durationMs,
    offDistanceM: roundTo(dOff, 2),
    onDistanceM: roundTo(dOn, 2),
    neededMs: Math.round(neededMs),
    draughtBeforeM: before,
    draughtAfterM: after,
    draughtIncreaseM: rise / 10,
    reasons: [
      `${id} dark ${h(gap.durationMs)} from ${isoTime(gap.off.t)} to ${isoTime(gap.on.t)}`,
      `off ${nm(dOff)} and on ${nm(dOn)} from ${area.name} (${area.country}); at ${opts.reachSpeedKn} kn it needs ${h(neededMs)}${stay} of the ${h(gap.durationMs)}`,
      `draught ${before.toFixed(1)} m before, ${after.toFixed(1)} m after: +${(rise / 10).toFixed(1)} m (≥ ${opts.minDraughtIncreaseM} m), loaded while dark`,
    ],
  };
}

const RAD = Math.PI / 180;
type Vec = [number, number, number];
const unit = (lon: number, lat: number): Vec => {
  const c = Math.cos(lat * RAD);
  return [c * Math.cos(lon * RAD), c * Math.sin(lon * RAD), Math.sin(lat * RAD)];
};
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a: Vec) => Math.sqrt(dot(a, a));
/** atan2(|u×v|, u·v): accurate for tiny and near-antipodal angles alike. */
const angle = (a: Vec, b: Vec) => Math.atan2(norm(cross(a, b)), dot(a, b));

/**
 * Angle (rad) from P to the minor great-circle arc A→B: cross-track when the foot of the
 * perpendicular lies on the arc, else to the nearer end (as @rendezvous/geography sphere.ts).
 */
function angleToArc(p: Vec, a: Vec, b: Vec): number {
  const n = cross(a, b);
  const nn = norm(n);
  if (nn > 1e-15 && dot(cross(a, p), n) >= 0 && dot(cross(p, b), n) >= 0) {
    return Math.asin(Math.min(1, Math.abs(dot(p, n)) / nn));
  }
  return Math.min(angle(p, a), angle(p, b));
}

/**
 * Even-odd point-in-polygon in (lon, lat) with every vertex's longitude taken relative to the
 * point (lonDelta), so a ring across ±180° needs no special case (rings span < 180° of longitude).
 */
function insideRing(lon: number, lat: number, ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = lonDelta(lon, ring[i]![0]!);
    const yi = ring[i]![1]!;
    const xj = lonDelta(lon, ring[j]![0]!);
    const yj = ring[j]![1]!;
    if (yi > lat !== yj > lat && 0 < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Great-circle distance (m, mean sphere) from (lon, lat) to the area: 0 inside, else to its nearest edge. */
export function distanceToAreaM(lon: number, lat: number, area: SanctionedAreaInput): number {
  const p = unit(lon, lat);
  let best = Infinity;
  for (const polygon of area.polygons) {
    // Inside the outer ring and outside every hole.
    if (polygon.length > 0 && insideRing(lon, lat, polygon[0]!) && !polygon.slice(1).some((hole) => insideRing(lon, lat, hole))) {
      return 0;
    }
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        const a = unit(ring[i - 1]![0]!, ring[i - 1]![1]!);
        const b = unit(ring[i]![0]!, ring[i]![1]!);
        best = Math.min(best, angleToArc(p, a, b));
      }
    }
  }
  return best * MEAN_RADIUS_M;
}
