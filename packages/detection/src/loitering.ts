/**
 * Loitering: one vessel lingering at sea, its partner possibly dark. GFW pipe-loitering
 * (DESIGN.md "Dark activity"): per clock hour, implied speed = Σ geodesic distance between
 * consecutive fixes / Σ time; an hour below `loiterMaxSpeedKn` (2 kn) is slow; consecutive slow
 * hours form an event; kept when it lasts ≥ `loiterMinMs` (4 h, GFW carrier reports; 2 h for the
 * sensitive profile, ~80 % of observer-reported transfers), its centroid is ≥
 * `loiterMinShoreDistanceM` (20 nm, GFW's published events) from shore and not near a port.
 *
 * Choices GFW leaves open, and ours:
 * - **Hours are epoch-aligned** (UTC clock hours), so every window sees the same hours and the
 *   same event.
 * - **A leg crossing an hour edge is split in proportion to time**: the part of the leg inside an
 *   hour contributes that fraction of its distance and its time to the hour (constant speed along
 *   the leg, the same assumption as the encounter rule's linear interpolation).
 * - **Legs of ≥ 1 h are not counted** (GFW never interpolates across a silence ≥ 1 h): nothing is
 *   known about the movement in between.
 * - **An hour with no counted leg breaks the event.** A leg < 1 h cannot cover a whole clock hour
 *   without a fix inside it, so this is "an hour with no fixes breaks it".
 * - **Start and end** are the first and last instants covered by counted legs in the first and last
 *   slow hour, not the hour edges: a vessel that arrives at 10:40 is loitering from 10:00 only if
 *   its 10:00–10:40 movement was slow too.
 */
import { ecefInto, METRES_PER_NM, MS_TO_KN, SphereMean } from '@rendezvous/geodesy';
import { darkProfileFor, DEFAULT_DARK_PROFILES, type DarkActivityProfile } from './dark-profile.ts';
import { isoTime, roundTo, vesselId, type DarkContext } from './dark-context.ts';
import { convexHull } from './hull.ts';
import { normaliseTracks, type NormTrack, type TrackInput } from './tracks.ts';

export interface LoiteringEvent {
  type: 'loitering';
  mmsi: number;
  segment: string | null;
  profile: string;
  start: number;
  end: number;
  durationMs: number;
  /** Σ distance / Σ time over the event's counted legs (kn). */
  meanSpeedKn: number;
  /** Mean of the fixes in [start, end] on the unit sphere (correct at ±180°). */
  centroid: { lon: number; lat: number };
  /** Convex hull of those fixes, longitudes unwrapped around the centroid (see hull.ts). */
  hull: [number, number][];
  shoreDistanceM: number;
  /** Fixes in [start, end]. */
  points: number;
  /** The event touches the end of the loaded data: a longer read could extend it. */
  truncated: boolean;
  /** The event touches the start of the loaded data: an earlier read could move its start (and key). */
  truncatedStart: boolean;
  reasons: string[];
}

const HOUR = 3_600_000;
/** GFW: never interpolate across a silence ≥ 1 h (DESIGN.md "Domain rules"). */
export const LOITER_MAX_LEG_MS = HOUR;

/** `loitering:<mmsi>[:<segment>]:<start ISO>:<profile>`. */
export function loiteringEventKey(e: Pick<LoiteringEvent, 'mmsi' | 'segment' | 'start' | 'profile'>): string {
  return `loitering:${vesselId(e.mmsi, e.segment)}:${isoTime(e.start)}:${e.profile}`;
}

/** Canonical order: start, then vessel, then profile. */
export function compareLoiteringEvents(a: LoiteringEvent, b: LoiteringEvent): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.mmsi !== b.mmsi) return a.mmsi - b.mmsi;
  const sa = a.segment ?? '';
  const sb = b.segment ?? '';
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0;
}

/** Movement inside one clock hour, from the counted legs' parts. */
export interface HourStat {
  hour: number;
  distM: number;
  timeMs: number;
  /** First and last instant covered by counted leg parts in this hour. */
  first: number;
  last: number;
}

/**
 * Leg lengths are ECEF chords: shorter than the geodesic by ≈ s³ / (24 R²), i.e. 0.1 mm for a
 * 10-minute leg at 15 kn and under 1 m for a 1 h leg at 50 kn, and far cheaper than Vincenty on
 * the million legs of a window (README: implied speeds use the chord too). Each fix's ECEF
 * position is computed once and reused by the next leg.
 */
const E = { x: new Float64Array(2), y: new Float64Array(2), z: new Float64Array(2) };

/** Per clock hour movement of one track (hours with at least one counted leg part, in order). */
export function hourlyMovement(tr: Pick<NormTrack, 't' | 'lon' | 'lat' | 'n'>, maxLegMs = LOITER_MAX_LEG_MS): HourStat[] {
  const out: HourStat[] = [];
  let cur: HourStat | null = null;
  if (tr.n > 0) ecefInto(tr.lon[0]!, tr.lat[0]!, E.x, E.y, E.z, 0);
  for (let i = 0; i + 1 < tr.n; i++) {
    // E[i & 1] holds fix i; fix i + 1 goes into the other slot.
    const a = i & 1;
    const b = a ^ 1;
    ecefInto(tr.lon[i + 1]!, tr.lat[i + 1]!, E.x, E.y, E.z, b);
    const t0 = tr.t[i]!;
    const t1 = tr.t[i + 1]!;
    const dt = t1 - t0;
    if (!(dt > 0 && dt < maxLegMs)) continue;
    const d = Math.hypot(E.x[b]! - E.x[a]!, E.y[b]! - E.y[a]!, E.z[b]! - E.z[a]!);
    for (let h = Math.floor(t0 / HOUR); h * HOUR < t1; h++) {
      const from = Math.max(t0, h * HOUR);
      const to = Math.min(t1, (h + 1) * HOUR);
      if (to <= from) continue;
      if (!cur || cur.hour !== h) {
        cur = { hour: h, distM: 0, timeMs: 0, first: from, last: to };
        out.push(cur);
      }
      cur.distM += (d * (to - from)) / dt;
      cur.timeMs += to - from;
      cur.last = to;
    }
  }
  return out;
}

const speedKn = (distM: number, timeMs: number) => (distM / (timeMs / 1000)) * MS_TO_KN;

const S = { x: new Float64Array(2), y: new Float64Array(2), z: new Float64Array(2) };
/** Relative margin on the screen's bound: rounding in a sum of leg parts is ~1e-15 of it. */
const SCREEN_MARGIN = 1 + 1e-9;

/**
 * Whether the track may have a clock hour slower than `maxSpeedKn` in hourlyMovement's sense,
 * from two fixes per hour instead of every leg. Within an hour, the counted path from its first
 * fix to its last is at least the chord between them (triangle inequality on the same ECEF
 * chords), and the hour's counted time is at most the span from the fix before it (or the hour's
 * start) to the fix after it (or the hour's end). An hour whose chord over that span is at or
 * above the speed cannot be slow; an hour it cannot decide (one fix, or two fixes at one instant,
 * whose leg hourlyMovement skips) answers "may". False only when no hour can be slow, so
 * skipping such a track changes no event: it is what keeps sailing vessels (most of a window)
 * off the per-leg work.
 */
export function mayHaveSlowHour(tr: Pick<NormTrack, 't' | 'lon' | 'lat' | 'n'>, maxSpeedKn: number, maxLegMs = LOITER_MAX_LEG_MS): boolean {
  const n = tr.n;
  const minKn = maxSpeedKn * SCREEN_MARGIN;
  let i = 0;
  while (i < n) {
    const h = Math.floor(tr.t[i]! / HOUR);
    let j = i;
    let sameInstant = false;
    while (j + 1 < n && Math.floor(tr.t[j + 1]! / HOUR) === h) {
      if (tr.t[j + 1] === tr.t[j]) sameInstant = true;
      j++;
    }
    // Counted time in hour h: only legs shorter than maxLegMs reach into it from either side.
    const before = i > 0 && tr.t[i]! - tr.t[i - 1]! < maxLegMs ? Math.max(h * HOUR, tr.t[i - 1]!) : tr.t[i]!;
    const after = j + 1 < n && tr.t[j + 1]! - tr.t[j]! < maxLegMs ? Math.min((h + 1) * HOUR, tr.t[j + 1]!) : tr.t[j]!;
    if (after > before) {
      if (j === i || sameInstant) return true;
      ecefInto(tr.lon[i]!, tr.lat[i]!, S.x, S.y, S.z, 0);
      ecefInto(tr.lon[j]!, tr.lat[j]!, S.x, S.y, S.z, 1);
      const chord = Math.hypot(S.x[1]! - S.x[0]!, S.y[1]! - S.y[0]!, S.z[1]! - S.z[0]!);
      if (!(speedKn(chord, after - before) >= minKn)) return true;
    }
    i = j + 1;
  }
  return false;
}

/** Every loitering event whose start lies in ctx.window, in canonical order. Tracks are per segment. */
export function detectLoitering(tracks: readonly TrackInput[], ctx: DarkContext): LoiteringEvent[] {
  const profiles = ctx.profiles ?? DEFAULT_DARK_PROFILES;
  const out: LoiteringEvent[] = [];
  for (const tr of normaliseTracks(tracks)) {
    const p = darkProfileFor(profiles, tr.mmsi, ctx.sensitiveMmsis);
    if (!p || !mayHaveSlowHour(tr, p.loiterMaxSpeedKn)) continue;
    const hours = hourlyMovement(tr);
    let i = 0;
    while (i < hours.length) {
      if (!(speedKn(hours[i]!.distM, hours[i]!.timeMs) < p.loiterMaxSpeedKn)) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < hours.length && hours[j + 1]!.hour === hours[j]!.hour + 1 && speedKn(hours[j + 1]!.distM, hours[j + 1]!.timeMs) < p.loiterMaxSpeedKn) j++;
      const ev = judgeLoitering(tr, hours, i, j, p, ctx);
      if (ev) out.push(ev);
      i = j + 1;
    }
  }
  return out.sort(compareLoiteringEvents);
}

function judgeLoitering(tr: NormTrack, hours: HourStat[], i: number, j: number, p: DarkActivityProfile, ctx: DarkContext): LoiteringEvent | null {
  const start = hours[i]!.first;
  const end = hours[j]!.last;
  if (start < ctx.window.from || start >= ctx.window.to) return null;
  const durationMs = end - start;
  if (durationMs < p.loiterMinMs) return null;
  // Fixes in [start, end].
  let a = 0;
  while (a < tr.n && tr.t[a]! < start) a++;
  let b = a;
  while (b < tr.n && tr.t[b]! <= end) b++;
  const mean = new SphereMean();
  for (let k = a; k < b; k++) mean.add(tr.lon[k]!, tr.lat[k]!);
  const c = mean.mean();
  if (!c) return null;
  const shore = ctx.shoreDistanceM(c.lon, c.lat);
  if (!(shore >= p.loiterMinShoreDistanceM)) return null;
  if (ctx.isNearPort?.(c.lon, c.lat, p.loiterPortRadiusM)) return null;

  let dist = 0;
  let time = 0;
  for (let k = i; k <= j; k++) {
    dist += hours[k]!.distM;
    time += hours[k]!.timeMs;
  }
  const mean_ = speedKn(dist, time);
  const lastHour = hours[j]!.hour;
  const firstHour = hours[i]!.hour;
  // Nothing counted after the event and the data ends within the following hour: that hour,
  // which would decide whether the event goes on, was not seen (symmetrically for the start).
  const truncated = j === hours.length - 1 && tr.t[tr.n - 1]! < (lastHour + 2) * HOUR;
  const truncatedStart = i === 0 && tr.t[0]! >= (firstHour - 1) * HOUR;
  const who = vesselId(tr.mmsi, tr.segment);
  const reasons = [
    `${who} averaged ${mean_.toFixed(2)} kn over ${j - i + 1} slow clock hour${j > i ? 's' : ''} (each < ${p.loiterMaxSpeedKn} kn), ${isoTime(start)} → ${isoTime(end)}`,
    `${(durationMs / HOUR).toFixed(1)} h (≥ ${(p.loiterMinMs / HOUR).toFixed(1)} h)`,
    `centroid ${(shore / METRES_PER_NM).toFixed(1)} nm from shore (≥ ${(p.loiterMinShoreDistanceM / METRES_PER_NM).toFixed(1)} nm)`,
  ];
  if (ctx.isNearPort) reasons.push(`not within ${(p.loiterPortRadiusM / 1000).toFixed(0)} km of a port`);
  if (truncated) reasons.push('may continue: the loaded data ends during it');
  return {
    type: 'loitering',
    mmsi: tr.mmsi,
    segment: tr.segment,
    profile: p.name,
    start,
    end,
    durationMs,
    meanSpeedKn: roundTo(mean_, 3),
    centroid: { lon: roundTo(c.lon, 7), lat: roundTo(c.lat, 7) },
    hull: convexHull(tr.lon, tr.lat, a, b, c.lon).map(([x, y]) => [roundTo(x, 7), roundTo(y, 7)]),
    shoreDistanceM: roundTo(shore, 2),
    points: b - a,
    truncated,
    truncatedStart,
    reasons,
  };
}
