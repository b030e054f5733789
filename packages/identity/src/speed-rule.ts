/**
 * Impossible speed between fixes of one MMSI: two transmitters share it (DESIGN.md "Identity
 * signals": split the track, don't draw a line across an ocean).
 */
import { duration, fixEvidence, iso, mmsiText, plural, round, when } from './format.ts';
import { geodesicDistanceM, METRES_PER_NM } from '@rendezvous/geodesy';
import type { IdentityRuleOptions } from './options.ts';
import type { AnomalyOf, Fix } from './types.ts';

export interface Jump<T extends Fix = Fix> {
  from: T;
  to: T;
  km: number;
  hours: number;
  /** Implied speed; Infinity when both fixes share a timestamp. */
  kn: number;
}

type SpeedOptions = Pick<IdentityRuleOptions, 'maxSpeedKn' | 'minJumpKm'>;

/** Distance, time and implied speed from `a` to `b`. */
export function leg<T extends Fix>(a: T, b: T): Jump<T> {
  const km = geodesicDistanceM(a.lon, a.lat, b.lon, b.lat) / 1000;
  const hours = (b.ts - a.ts) / 3_600_000;
  const kn = hours > 0 ? (km * 1000) / METRES_PER_NM / hours : km === 0 ? 0 : Infinity;
  return { from: a, to: b, km, hours, kn };
}

/** A leg no single ship sails: farther than the jitter floor, faster than the speed limit. */
export function isImpossible(j: Jump<Fix>, opts: SpeedOptions): boolean {
  return j.km > opts.minJumpKm && j.kn > opts.maxSpeedKn;
}

function timeOrdered<T extends Fix>(track: readonly T[]): readonly T[] {
  for (let i = 1; i < track.length; i++) {
    if (track[i]!.ts < track[i - 1]!.ts) return [...track].sort((a, b) => a.ts - b.ts);
  }
  return track;
}

/** Consecutive fixes (in time order) whose leg is impossible. */
export function impossibleJumps<T extends Fix>(track: readonly T[], opts: SpeedOptions): Jump<T>[] {
  const t = timeOrdered(track);
  const jumps: Jump<T>[] = [];
  for (let i = 1; i < t.length; i++) {
    const j = leg(t[i - 1]!, t[i]!);
    if (isImpossible(j, opts)) jumps.push(j);
  }
  return jumps;
}

/**
 * Splits one MMSI's track into segments that one ship could have sailed. Each fix joins the open
 * segment whose last fix it can be reached from (leg not impossible), preferring the nearest such
 * fix, since interleaved transmitters are told apart by where they are; a fix reachable from none
 * starts a new segment. Two transmitters sharing an MMSI thus give two interleaved segments, and
 * a single bad fix a one-fix segment. Segments come back in order of their first fix.
 * (Same idea as GFW's gpsdio-segment, without its reported-course scoring.)
 */
export function splitTrackByImpossibleSpeed<T extends Fix>(
  track: readonly T[],
  opts: SpeedOptions & Partial<Pick<IdentityRuleOptions, 'maxOpenSegments'>>,
): T[][] {
  const t = timeOrdered(track);
  const maxOpen = opts.maxOpenSegments ?? Infinity;
  const segments: T[][] = [];
  const open: number[] = []; // indices into `segments` still accepting fixes
  const lastUse: number[] = []; // per segment: index of the fix that last extended it
  for (let i = 0; i < t.length; i++) {
    const fix = t[i]!;
    let best = -1;
    let bestKm = Infinity;
    for (const s of open) {
      const seg = segments[s]!;
      const j = leg(seg[seg.length - 1]!, fix);
      if (!isImpossible(j, opts) && j.km < bestKm) {
        best = s;
        bestKm = j.km;
      }
    }
    if (best >= 0) {
      segments[best]!.push(fix);
      lastUse[best] = i;
      continue;
    }
    segments.push([fix]);
    lastUse.push(i);
    open.push(segments.length - 1);
    if (open.length > maxOpen) {
      let stalest = 0;
      for (let k = 1; k < open.length; k++) if (lastUse[open[k]!]! < lastUse[open[stalest]!]!) stalest = k;
      open.splice(stalest, 1);
    }
  }
  return segments;
}

/** `shared_mmsi` for one MMSI's time-ordered track, or null when every leg is possible. */
export function sharedMmsiAnomaly(mmsi: number, track: readonly Fix[], opts: IdentityRuleOptions): AnomalyOf<'shared_mmsi'> | null {
  const jumps = impossibleJumps(track, opts);
  if (jumps.length === 0) return null;
  let worst = jumps[0]!;
  for (const j of jumps) if (j.kn > worst.kn || (j.kn === worst.kn && j.km > worst.km)) worst = j;
  const segments = splitTrackByImpossibleSpeed(track, opts);
  const sustained = segments.filter((s) => s.length >= opts.minSegmentFixes);
  const severity = sustained.length >= 2 ? 'high' : 'low';
  const speed = Number.isFinite(worst.kn) ? `${Math.round(worst.kn).toLocaleString('en-US')} kn` : 'an infinite speed (same timestamp)';
  const cause =
    severity === 'high'
      ? `two or more transmitters share this MMSI: the track splits into ${segments.length} segments (${segments.map((s) => s.length).join(', ')} fixes)`
      : `no second sustained track (segments of ${segments.map((s) => s.length).join(', ')} fixes): likely isolated bad fixes or a second transmitter heard briefly`;
  return {
    kind: 'shared_mmsi',
    mmsi,
    severity,
    detectedFrom: iso(jumps[0]!.from.ts),
    detectedTo: iso(jumps[jumps.length - 1]!.to.ts),
    evidence: {
      fixes: track.length,
      jumps: jumps.length,
      maxSpeedKn: opts.maxSpeedKn,
      minJumpKm: opts.minJumpKm,
      worst: {
        from: fixEvidence(worst.from),
        to: fixEvidence(worst.to),
        km: round(worst.km, 3),
        hours: round(worst.hours, 6),
        kn: Number.isFinite(worst.kn) ? round(worst.kn, 1) : null,
      },
      segments: segments.map((s) => ({ fixes: s.length, from: iso(s[0]!.ts), to: iso(s[s.length - 1]!.ts) })),
    },
    explanation:
      `MMSI ${mmsiText(mmsi)}: ${plural(jumps.length, 'consecutive-fix jump')} faster than ${opts.maxSpeedKn} kn over more than ${opts.minJumpKm} km ` +
      `(worst: ${round(worst.km, 1)} km in ${duration(worst.hours)} at ${when(worst.from.ts)}, ${speed}); ${cause}`,
  };
}
