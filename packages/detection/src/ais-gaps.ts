/**
 * AIS gaps ("going dark"): Welch et al. 2022, Science Advances, "Hot spots of unseen fishing
 * vessels" (DESIGN.md "Dark activity"). A gap is two consecutive reports of one track at least
 * `gapMinMs` apart, or a last report with nothing after it for at least `gapMinMs` up to the
 * horizon (open, `ongoing`). It is alerted only when it looks like the vessel's own silence:
 *
 * - off position farther than `gapMinShoreDistanceM` from shore (Welch: > 99 % of terrestrial
 *   reception is within 50 nm, so nearer gaps are unreliable) and not near a port;
 * - ≥ `gapMinPositionsBefore` reports in the `gapBeforeWindowMs` up to the off position (Welch:
 *   ≥ 14 in 12 h: the vessel was reporting regularly, not a sparse satellite track);
 * - ≥ `gapMinNeighbours` other vessels heard within `receptionRadiusM` of the off or on position
 *   during the gap (else it is a coverage hole: reception.ts).
 *
 * Context the caller must load: reports from window.from − gapBeforeWindowMs (positions before),
 * and, per track, the first report after the loaded range as `next` (else a gap running past the
 * loaded data counts as open up to the horizon).
 */
import { geodesicDistanceM, METRES_PER_NM, MS_TO_KN, sphericalIntermediate } from '@rendezvous/geodesy';
import { darkProfileFor, DEFAULT_DARK_PROFILES, type DarkActivityProfile } from './dark-profile.ts';
import { isoTime, roundTo, vesselId, type DarkContext, type DarkPoint, type GapTrackInput } from './dark-context.ts';
import type { ReceptionIndex } from './reception.ts';
import { normaliseTracks, type NormTrack } from './tracks.ts';

export interface AisGapEvent {
  type: 'ais_gap';
  mmsi: number;
  /** The caller's segment id, or null. */
  segment: string | null;
  profile: string;
  /** Last report before the silence. */
  off: DarkPoint;
  /** First report after it; null while the gap is open. */
  on: DarkPoint | null;
  /** off.t, and on.t (or the horizon while open). */
  start: number;
  end: number;
  durationMs: number;
  /** Geodesic off → on (m), null while open. */
  distanceM: number | null;
  /** distanceM / durationMs (kn), null while open. */
  impliedSpeedKn: number | null;
  /** Reports in the gapBeforeWindowMs up to and including the off position. */
  positionsBefore: number;
  offShoreDistanceM: number;
  onShoreDistanceM: number | null;
  /** Distinct other vessels heard within receptionRadiusM of the off or on position during the gap. */
  neighboursHeard: number;
  ongoing: boolean;
  /** Why it was alerted, with the numbers. */
  reasons: string[];
}

const HOUR = 3_600_000;
const fmtH = (ms: number) => `${(ms / HOUR).toFixed(1)} h`;
const fmtNm = (m: number) => `${(m / METRES_PER_NM).toFixed(1)} nm`;

/** `ais_gap:<mmsi>[:<segment>]:<off ISO>:<profile>`: one gap is one alert across windows and re-runs. */
export function gapEventKey(e: Pick<AisGapEvent, 'mmsi' | 'segment' | 'off' | 'profile'>): string {
  return `ais_gap:${vesselId(e.mmsi, e.segment)}:${isoTime(e.off.t)}:${e.profile}`;
}

/** Canonical order: start, then vessel, then profile. */
export function compareGapEvents(a: AisGapEvent, b: AisGapEvent): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.mmsi !== b.mmsi) return a.mmsi - b.mmsi;
  const sa = a.segment ?? '';
  const sb = b.segment ?? '';
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0;
}

const pointAt = (tr: NormTrack, i: number): DarkPoint => {
  const sog = tr.sog ? tr.sog[i]! : Number.NaN;
  return { t: tr.t[i]!, lon: tr.lon[i]!, lat: tr.lat[i]!, sog: Number.isFinite(sog) ? sog : null };
};

/**
 * Every alerted gap whose off time lies in ctx.window, in canonical order. `reception` must index
 * every loaded track (createReceptionIndex), not only these.
 */
export function detectAisGaps(tracks: readonly GapTrackInput[], ctx: DarkContext, reception: ReceptionIndex): AisGapEvent[] {
  const profiles = ctx.profiles ?? DEFAULT_DARK_PROFILES;
  const out: AisGapEvent[] = [];
  for (const input of tracks) {
    // One at a time so `next` stays with its track; the output is sorted at the end.
    const tr = normaliseTracks([input])[0];
    if (!tr) continue;
    const p = darkProfileFor(profiles, tr.mmsi, ctx.sensitiveMmsis);
    if (!p) continue;
    const next = input.next && Number.isFinite(input.next.t) && input.next.t > tr.t[tr.n - 1]! ? input.next : null;
    let before = 0; // first index inside the "positions before" window of the current off report
    for (let i = 0; i < tr.n; i++) {
      const offT = tr.t[i]!;
      const end = i + 1 < tr.n ? tr.t[i + 1]! : next ? next.t : ctx.horizon;
      if (end - offT < p.gapMinMs || offT < ctx.window.from || offT >= ctx.window.to) continue;
      const on: DarkPoint | null = i + 1 < tr.n ? pointAt(tr, i + 1) : next;
      while (tr.t[before]! < offT - p.gapBeforeWindowMs) before++;
      const ev = judgeGap(tr, i, i + 1 - before, on, end, p, ctx, reception);
      if (ev) out.push(ev);
    }
  }
  return out.sort(compareGapEvents);
}

/**
 * Share of the gap's clock hours (those inside the reception index's span) in which some other
 * vessel was heard within `radiusM` of where the vessel could have been: the point of the straight
 * off → on track at the middle of the hour, or the off position while the gap is open. 1 when no
 * hour can be judged.
 */
function receptionShare(reception: ReceptionIndex, off: DarkPoint, on: DarkPoint | null, end: number, radiusM: number, mmsi: number): number {
  const H = reception.bucketMs;
  const from = Math.max(off.t, reception.firstT);
  const to = Math.min(end, reception.lastT);
  let hours = 0;
  let heard = 0;
  for (let h = Math.floor(from / H) * H; h <= to; h += H) {
    const a = Math.max(h, off.t);
    const b = Math.min(h + H, end);
    if (b <= a) continue;
    hours++;
    const at = on ? sphericalIntermediate(off, on, ((a + b) / 2 - off.t) / (on.t - off.t)) : off;
    // One neighbour answers the hour: the search stops at the first.
    if (reception.neighbourMmsis(at.lon, at.lat, a, b, radiusM, mmsi, new Set(), 1).size > 0) heard++;
  }
  return hours === 0 ? 1 : heard / hours;
}

/** The tests in cheapest-first order; null when one fails (not alerted). */
function judgeGap(
  tr: NormTrack,
  i: number,
  positionsBefore: number,
  on: DarkPoint | null,
  end: number,
  p: DarkActivityProfile,
  ctx: DarkContext,
  reception: ReceptionIndex,
): AisGapEvent | null {
  const off = pointAt(tr, i);
  if (positionsBefore < p.gapMinPositionsBefore) return null;
  const offShore = ctx.shoreDistanceM(off.lon, off.lat);
  if (!(offShore > p.gapMinShoreDistanceM)) return null;
  if (ctx.isNearPort?.(off.lon, off.lat, p.gapPortRadiusM)) return null;
  const heard = reception.neighbourMmsis(off.lon, off.lat, off.t, end, p.receptionRadiusM, tr.mmsi);
  if (on) reception.neighbourMmsis(on.lon, on.lat, off.t, end, p.receptionRadiusM, tr.mmsi, heard);
  if (heard.size < p.gapMinNeighbours) return null;
  const share = receptionShare(reception, off, on, end, p.receptionShareRadiusM, tr.mmsi);
  if (share < p.gapMinReceptionShare) return null;

  const durationMs = end - off.t;
  const distanceM = on ? geodesicDistanceM(off.lon, off.lat, on.lon, on.lat) : null;
  const impliedSpeedKn = distanceM === null ? null : (distanceM / (durationMs / 1000)) * MS_TO_KN;
  const onShore = on ? ctx.shoreDistanceM(on.lon, on.lat) : null;
  const who = vesselId(tr.mmsi, tr.segment);
  const reasons = [
    on
      ? `${who} silent ${fmtH(durationMs)} (≥ ${fmtH(p.gapMinMs)}), ${isoTime(off.t)} → ${isoTime(on.t)}`
      : `${who} silent ${fmtH(durationMs)} so far (≥ ${fmtH(p.gapMinMs)}) since ${isoTime(off.t)}, still dark at ${isoTime(end)}`,
    `off position ${fmtNm(offShore)} from shore (> ${fmtNm(p.gapMinShoreDistanceM)})`,
    `${positionsBefore} positions in the ${fmtH(p.gapBeforeWindowMs)} before (≥ ${p.gapMinPositionsBefore})`,
    `${heard.size} other vessel${heard.size === 1 ? '' : 's'} heard within ${(p.receptionRadiusM / 1000).toFixed(0)} km during the gap (reception was there), and someone within ${(p.receptionShareRadiusM / 1000).toFixed(0)} km of its track in ${Math.round(share * 100)}% of its hours`,
  ];
  if (distanceM !== null && impliedSpeedKn !== null) {
    reasons.push(`moved ${fmtNm(distanceM)} while dark (${impliedSpeedKn.toFixed(1)} kn implied)`);
  }
  return {
    type: 'ais_gap',
    mmsi: tr.mmsi,
    segment: tr.segment,
    profile: p.name,
    off,
    on: on ? { t: on.t, lon: on.lon, lat: on.lat, sog: on.sog ?? null } : null,
    start: off.t,
    end,
    durationMs,
    distanceM: distanceM === null ? null : roundTo(distanceM, 2),
    impliedSpeedKn: impliedSpeedKn === null ? null : roundTo(impliedSpeedKn, 3),
    positionsBefore,
    offShoreDistanceM: roundTo(offShore, 2),
    onShoreDistanceM: onShore === null ? null : roundTo(onShore, 2),
    neighboursHeard: heard.size,
    ongoing: on === null,
    reasons,
  };
}
