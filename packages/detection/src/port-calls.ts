/**
 * Port calls (issue 15): a vessel inside a port's radius and slow for at least `minStayMs`.
 *
 * The rule follows Global Fishing Watch's port-visit model over its anchorages (the lists in
 * PORTS_FILE): a vessel *enters* a port within 3 km of one of its anchorage points and *leaves*
 * it beyond 4 km (the hysteresis keeps a ship lying at the edge from calling over and over on
 * GPS jitter), and the visit must contain a stop. Here the stop is slow time — legs whose two
 * ends report under `maxSlowKn` (SOG, or the implied speed when SOG is missing) — summed over
 * the stay, at least `minStayMs` (2 h: GFW's stops start below 0.2–0.5 kn, and a berth or
 * anchorage stop is hours long, while a pilot boarding or a slow pass through the port area is
 * well under an hour). A silence inside the port up to `maxGapMs` does not end the call (class A
 * sends every 3 min at anchor, but many vessels switch AIS off at berth: GFW counts gaps in port
 * as stops); a longer one does, since the vessel may have left and come back.
 *
 * Consequences the tests hold: a queue of anchored ships outside every port radius is no call,
 * nor a vessel drifting slowly at sea, nor one crossing a port area at speed, nor a stay shorter
 * than `minStayMs`; leaving the exit radius between two stays makes two calls.
 *
 * Pure: the caller gives the tracks, the port lookup and the window. A call is owned by the
 * window holding its arrival (like loitering, README "Dark activity"); one whose start or end may
 * lie outside the loaded range is returned in `readOn` so the caller reads that vessel further.
 */
import { geodesicDistanceM, ecefInto } from '@rendezvous/geodesy';
import { isoTime, vesselId } from './dark-context.ts';
import { MIN_CELL_M, packKey } from './spatial-hash.ts';
import type { ColumnarTrack, Track, TrackInput } from './tracks.ts';

export interface Port {
  id: string;
  name: string | null;
  /** ISO3 as in the GFW files. */
  country: string | null;
  lon: number;
  lat: number;
  /** Entry radius (m); the vessel leaves beyond EXIT_FACTOR × this. */
  radiusM: number;
}

export interface PortCall {
  key: string;
  mmsi: number;
  segment: string | null;
  port: Port;
  arrival: number;
  /** null: still there at the end of the data. */
  departure: number | null;
  durationMs: number;
  draughtArrivalM: number | null;
  draughtDepartureM: number | null;
  reasons: string[];
}

export interface PortCallOptions {
  minStayMs: number;
  maxSlowKn: number;
  maxGapMs: number;
}

/** GFW port visits: entry within 3 km of an anchorage point, exit beyond 4 km. */
export const PORT_CALL_RADIUS_M = 3_000;
export const EXIT_FACTOR = 4 / 3;
export const DEFAULT_PORT_CALL_OPTIONS: PortCallOptions = { minStayMs: 2 * 3_600_000, maxSlowKn: 1, maxGapMs: 12 * 3_600_000 };

/** Legs shorter than this give no implied speed (GPS jitter over seconds reads as knots). */
const MIN_LEG_MS = 60_000;
const KN = 1852 / 3_600_000; // m per ms

export interface PortLookup {
  readonly size: number;
  /** The nearest port point within its own radius × factor that `accept` takes (default any), or null. */
  nearest(lon: number, lat: number, factor?: number, accept?: (p: Port) => boolean): Port | null;
  /**
   * A byte per 1° cell (degreeCell): 1 where a port may lie within reach (its radius × EXIT_FACTOR).
   * nearest() answers null off these cells; a caller may test them first.
   */
  readonly coarse?: Uint8Array;
}

/** What counts as one port: anchorages sharing a name and country (GFW labels every anchorage of a port alike), else the point alone. */
export function portGroup(p: Port): string {
  return p.name !== null ? `${p.name}|${p.country ?? ''}` : `id:${p.id}`;
}

/** ECEF cube index of the port points (as ports.ts), answering up to the largest exit radius. */
export function createPortLookup(ports: readonly Port[]): PortLookup {
  const maxR = Math.max(1, ...ports.map((p) => p.radiusM)) * EXIT_FACTOR;
  const cellM = Math.max(maxR + 1e-3, MIN_CELL_M);
  const n = ports.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const cells = new Map<number, number[]>();
  ports.forEach((p, i) => {
    if (!(Number.isFinite(p.lon) && Number.isFinite(p.lat) && Math.abs(p.lat) <= 90 && p.radiusM > 0)) throw new RangeError(`port ${p.id} is not a valid position or radius`);
    ecefInto(p.lon, p.lat, x, y, z, i);
    const key = packKey(Math.floor(x[i]! / cellM), Math.floor(y[i]! / cellM), Math.floor(z[i]! / cellM));
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  });
  const coarse = coarseCells(ports, maxR);
  const q = { x: new Float64Array(1), y: new Float64Array(1), z: new Float64Array(1) };
  return {
    size: n,
    coarse,
    nearest(lon, lat, factor = 1, accept) {
      // Nearly every fix of a day's traffic is far from any port: one byte of the cell map rejects it
      // before the trigonometry and the 27-cell search (the detector runs this on every
      // report of every window: 2.3 M bucket reports a window at 8,000 vessels).
      if (coarse[degreeCell(lon, lat)] !== 1) return null;
      ecefInto(lon, lat, q.x, q.y, q.z, 0);
      const [qx, qy, qz] = [q.x[0]!, q.y[0]!, q.z[0]!];
      const [cx, cy, cz] = [Math.floor(qx / cellM), Math.floor(qy / cellM), Math.floor(qz / cellM)];
      let best: Port | null = null;
      let bestD = Infinity;
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dz = -1; dz <= 1; dz++) {
            for (const i of cells.get(packKey(cx + dx, cy + dy, cz + dz)) ?? []) {
              const p = ports[i]!;
              const r = p.radiusM * factor;
              const [ex, ey, ez] = [qx - x[i]!, qy - y[i]!, qz - z[i]!];
              if (ex * ex + ey * ey + ez * ez > (r + 1e-3) ** 2) continue;
              const d = geodesicDistanceM(lon, lat, p.lon, p.lat);
              // Ties go to the smaller id, so the call's port never depends on file order.
              if (d <= r && (d < bestD || (d === bestD && best !== null && p.id < best.id)) && (!accept || accept(p))) {
                best = p;
                bestD = d;
              }
            }
          }
      return best;
    },
  };
}

/** The 1° × 1° cell holding (lon, lat): row by latitude from the south pole, column by longitude from −180°. */
function degreeCell(lon: number, lat: number): number {
  const row = Math.min(179, Math.floor(lat + 90));
  const col = (((Math.floor(lon + 180) % 360) + 360) % 360);
  return row * 360 + col;
}

/**
 * Every 1° cell within `reachM` of a port (a superset: each port's circle bounded by a
 * latitude/longitude box, widened by a cell's margin of rounding), so a point outside them is
 * farther than `reachM` from every port. Near a pole the box takes the whole latitude band.
 */
function coarseCells(ports: readonly Port[], reachM: number): Uint8Array {
  // A byte per cell (64,800 bytes) rather than a Set: the test runs on every report read, and
  // an indexed load is several times cheaper than a hash lookup (issue 16 detector bench).
  const cells = new Uint8Array(180 * 360);
  // 1° of latitude is at least 110.5 km; 110 km keeps the box a superset.
  const dLat = reachM / 110_000;
  for (const p of ports) {
    const south = Math.max(-90, p.lat - dLat);
    const north = Math.min(90, p.lat + dLat);
    const widest = Math.max(Math.abs(south), Math.abs(north));
    const cos = Math.cos((Math.min(90, widest) * Math.PI) / 180);
    const dLon = cos > 1e-3 ? reachM / (110_000 * cos) : 360;
    const band = dLon >= 180;
    for (let row = Math.floor(south + 90); row <= Math.min(179, Math.floor(north + 90)); row++) {
      if (band) {
        for (let col = 0; col < 360; col++) cells[row * 360 + col] = 1;
        continue;
      }
      for (let c = Math.floor(p.lon - dLon + 180); c <= Math.floor(p.lon + dLon + 180); c++) cells[row * 360 + (((c % 360) + 360) % 360)] = 1;
    }
  }
  return cells;
}

export interface PortCallContext {
  /** The range the tracks were read over (epoch ms). */
  range: { from: number; to: number };
  /** Calls whose arrival lies in [from, to) are this window's. */
  window: { from: number; to: number };
  /** The end of the data (latest report of any vessel): a stay reaching it is still going. */
  horizon: number;
}

export interface PortCallDetection {
  /** Settled calls owned by the window, in canonical order (arrival, vessel). */
  calls: PortCall[];
  /** Vessels with a stay in the window that may start before or end after the loaded range. */
  readOn: { mmsi: number; segment: string | null }[];
}

interface Columns {
  mmsi: number;
  segment: string | null;
  t: ArrayLike<number>;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  sog: ArrayLike<number> | null;
}

function columns(tr: TrackInput): Columns {
  const segment = tr.segment === undefined ? null : String(tr.segment);
  if ((tr as ColumnarTrack).t !== undefined) {
    const c = tr as ColumnarTrack;
    return { mmsi: c.mmsi, segment, t: c.t, lon: c.lon, lat: c.lat, sog: c.sog ?? null };
  }
  const pts = (tr as Track).points;
  return {
    mmsi: tr.mmsi,
    segment,
    t: pts.map((p) => p.t),
    lon: pts.map((p) => p.lon),
    lat: pts.map((p) => p.lat),
    sog: pts.map((p) => p.sog ?? Number.NaN),
  };
}

/**
 * Port calls of the tracks. `openEnd` stays (reaching the end of the loaded range) are still
 * going when the range reaches the horizon, else returned in `readOn`; `openStart` stays (the
 * vessel may already have been in port before the range) are never owned here, and returned in
 * `readOn` when their first report lies in the window.
 */
export function detectPortCalls(tracks: readonly TrackInput[], ports: PortLookup, ctx: PortCallContext, options: PortCallOptions = DEFAULT_PORT_CALL_OPTIONS): PortCallDetection {
  const calls: PortCall[] = [];
  const readOn = new Map<string, { mmsi: number; segment: string | null }>();
  for (const input of tracks) trackPortCalls(input, ports, ctx, options, calls, readOn);
  calls.sort(comparePortCalls);
  return { calls, readOn: [...readOn.values()] };
}

/**
 * One track's calls (detectPortCalls), appended to `calls` and `readOn`. A function of its own, called
 * once a track: as a loop inside detectPortCalls (called once a window) V8 only ever compiled the
 * per-report loop on stack, and left that code at the end of every track (296 deoptimisations,
 * "exit from OSR'd inner loop", in a 500-vessel first job: node --trace-deopt).
 */
function trackPortCalls(
  input: TrackInput,
  ports: PortLookup,
  ctx: PortCallContext,
  options: PortCallOptions,
  calls: PortCall[],
  readOn: Map<string, { mmsi: number; segment: string | null }>,
): void {
  const tr = columns(input);
  const n = tr.t.length;
  if (n === 0) return;
  // Only for a track that enters a port (most never do): the whole track's flags, once.
  let slowCache: boolean[] | null = null;
  const slowOf = () => (slowCache ??= slowFlags(tr, options.maxSlowKn));
  let start = -1; // first fix of the open stay
  let port: Port | null = null;
  const close = (end: number) => {
    if (port === null) return;
    const s = start;
    const entry = port;
    port = null;
    const first = tr.t[s]!;
    const last = tr.t[end]!;
    if (first < ctx.window.from || first >= ctx.window.to) return;
    const openStart = s === 0 && first - ctx.range.from <= options.maxGapMs;
    const openEnd = end === n - 1 && ctx.range.to - last <= options.maxGapMs;
    if (openStart || (openEnd && ctx.range.to < ctx.horizon)) {
      readOn.set(vesselId(tr.mmsi, tr.segment), { mmsi: tr.mmsi, segment: tr.segment });
      return;
    }
    const slow = slowOf();
    let slowMs = 0;
    let longestGap = 0;
    for (let i = s + 1; i <= end; i++) {
      const leg = tr.t[i]! - tr.t[i - 1]!;
      if (slow[i - 1] && slow[i]) slowMs += leg;
      longestGap = Math.max(longestGap, leg);
    }
    if (slowMs < options.minStayMs) return;
    const departure = openEnd ? null : last;
    // The call's port point: the anchorage of the port nearest to where the vessel lay (the
    // median of its slow fixes), not the one it passed first — a port's anchorages spread over
    // kilometres (GFW labels 200 points PORT SAID). The key takes its id, so it is stable.
    const p = lyingAt(tr, slow, s, end, entry, ports);
    const where = p.name ? `${p.name}${p.country ? ` (${p.country})` : ''}` : `port point ${p.id}`;
    const reasons = [
      `within ${(p.radiusM / 1000).toFixed(1)} km of ${where} from ${isoTime(first)}${departure === null ? ' to the end of the data' : ` to ${isoTime(last)}`}`,
      `slow (< ${options.maxSlowKn} kn) for ${(slowMs / 3_600_000).toFixed(1)} h (≥ ${(options.minStayMs / 3_600_000).toFixed(1)} h)`,
    ];
    if (longestGap >= 3_600_000) reasons.push(`reporting gap of ${(longestGap / 3_600_000).toFixed(1)} h inside the port`);
    if (departure === null) reasons.push('still in port at the end of the data');
    // An arrival not seen: the stay starts at the vessel's first report read, or after a silence too long to join.
    const before = s > 0 && first - tr.t[s - 1]! > options.maxGapMs ? ports.nearest(tr.lon[s - 1]!, tr.lat[s - 1]!, EXIT_FACTOR, (q) => portGroup(q) === portGroup(entry)) : null;
    const hours = (ms: number) => (ms / 3_600_000).toFixed(1);
    if (s === 0) reasons.push(`arrival not witnessed: no earlier report read (silent at least ${hours(first - ctx.range.from)} h before)`);
    else if (before) reasons.push(`arrival not witnessed: in port before a ${hours(first - tr.t[s - 1]!)} h silence`);
    // Likewise a departure: the stay ended on a silence too long to join, not on leaving.
    if (departure !== null && end < n - 1 && tr.t[end + 1]! - last > options.maxGapMs) reasons.push(`departure not witnessed: silent ${hours(tr.t[end + 1]! - last)} h after`);
    else if (departure !== null && end === n - 1) reasons.push(`departure not witnessed: no later report read (silent at least ${hours(ctx.range.to - last)} h after)`);
    calls.push({
      key: portCallKey({ mmsi: tr.mmsi, segment: tr.segment, port: p, arrival: first }),
      mmsi: tr.mmsi,
      segment: tr.segment,
      port: p,
      arrival: first,
      departure,
      durationMs: last - first,
      draughtArrivalM: null,
      draughtDepartureM: null,
      reasons,
    });
  };
  const coarse = ports.coarse;
  for (let i = 0; i < n; i++) {
    const lon = tr.lon[i]!;
    const lat = tr.lat[i]!;
    // Off the cells near a port, nearest() answers null at once (the stay, if any, ends here
    // and none starts): skipped without the calls, whose boxed arguments and a pair array per
    // report were 13.9 MB of a 500-vessel job's 71 MB of allocations (heap sampling profile).
    if (coarse !== undefined && coarse[degreeCell(lon, lat)] !== 1) {
      if (port !== null) close(i - 1);
      continue;
    }
    if (port !== null) {
      const group = portGroup(port);
      const stays = tr.t[i]! - tr.t[i - 1]! <= options.maxGapMs && ports.nearest(lon, lat, EXIT_FACTOR, (p) => portGroup(p) === group) !== null;
      if (stays) continue;
      close(i - 1);
    }
    const entered = ports.nearest(lon, lat);
    if (entered) {
      port = entered;
      start = i;
    }
  }
  close(n - 1);
}

/** The port point of `entry`'s port nearest to the median position of the stay's slow fixes (entry if none within reach). */
function lyingAt(tr: Columns, slow: boolean[], s: number, end: number, entry: Port, ports: PortLookup): Port {
  const lons: number[] = [];
  const lats: number[] = [];
  for (let i = s; i <= end; i++) {
    if (!slow[i]) continue;
    lons.push(tr.lon[i]!);
    lats.push(tr.lat[i]!);
  }
  if (lons.length === 0) return entry;
  const mid = (a: number[]) => {
    a.sort((x, y) => x - y);
    const h = a.length >> 1;
    return a.length % 2 === 1 ? a[h]! : (a[h - 1]! + a[h]!) / 2;
  };
  const group = portGroup(entry);
  return ports.nearest(mid(lons), mid(lats), EXIT_FACTOR, (q) => portGroup(q) === group) ?? entry;
}

/** Whether each fix is slow: its SOG, or without one the implied speed since the last fix ≥ MIN_LEG_MS before it. */
function slowFlags(tr: Columns, maxSlowKn: number): boolean[] {
  const out: boolean[] = [];
  let ref = -1;
  for (let i = 0; i < tr.t.length; i++) {
    const sog = tr.sog ? tr.sog[i]! : Number.NaN;
    if (Number.isFinite(sog)) out.push(sog < maxSlowKn);
    else if (ref >= 0 && tr.t[i]! - tr.t[ref]! >= MIN_LEG_MS) {
      const v = geodesicDistanceM(tr.lon[ref]!, tr.lat[ref]!, tr.lon[i]!, tr.lat[i]!) / (tr.t[i]! - tr.t[ref]!) / KN;
      out.push(v < maxSlowKn);
    } else out.push(i > 0 ? out[i - 1]! : false);
    if (ref < 0 || tr.t[i]! - tr.t[ref]! >= MIN_LEG_MS) ref = i;
  }
  return out;
}

/** `port_call:<mmsi>[:<segment>]:<port id>:<arrival ISO>`. */
export function portCallKey(c: Pick<PortCall, 'mmsi' | 'segment' | 'port' | 'arrival'>): string {
  return `port_call:${vesselId(c.mmsi, c.segment)}:${c.port.id}:${isoTime(c.arrival)}`;
}

export function comparePortCalls(a: PortCall, b: PortCall): number {
  return a.arrival - b.arrival || a.mmsi - b.mmsi || (a.segment ?? '').localeCompare(b.segment ?? '') || a.port.id.localeCompare(b.port.id);
}

