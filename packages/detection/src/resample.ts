/**
 * Resampling onto a fixed time grid (DESIGN.md; GFW pipe-encounters `Resample`): every track is
 * interpolated linearly onto grid times k × step (aligned to the Unix epoch, so to midnight
 * UTC, and therefore identical whatever window the data was loaded for), and never across a
 * silence ≥ maxInterpolationGap: a grid time whose bracketing reports are that far apart gets
 * no position (unless a report falls exactly on it). Tracks of 10 s and 6 min reporting rates
 * thus become comparable step by step (DESIGN.md: "Detectors must time-align tracks of
 * different rates").
 *
 * Differences from GFW, on purpose: GFW groups by vessel *and day* and extrapolates up to
 * max_gap past each day's first/last report along COG/SOG; we interpolate across midnight
 * instead (no extrapolation, so no invented positions), which is what makes a meeting across
 * midnight one run. Longitude is interpolated along the shorter way round (antimeridian-safe).
 *
 * Output is column-wise, track-major (positions of one track are contiguous, in step order),
 * plus a step-major index for the per-step pair search.
 */
import { ecefInto, lonDelta, MS_TO_KN, wrapLon } from '@rendezvous/geodesy';
import type { NormTrack } from './tracks.ts';

export interface Resampled {
  stepMs: number;
  /** Number of grid positions. */
  n: number;
  /** Per position: track index (into the normalised track list) and grid index k (t = k × stepMs). */
  track: Int32Array;
  k: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** ECEF (m) on the WGS-84 surface, for the spatial hash and chord tests. */
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  /** Interpolated reported SOG (kn), NaN when unknown. */
  sog: Float64Array;
  /** Positions of track i are [trackStart[i], trackStart[i + 1]). */
  trackStart: Int32Array;
  /** Step-major index: positions at grid index kMin + s are byStep[stepStart[s] .. stepStart[s + 1]). */
  kMin: number;
  kMax: number;
  stepStart: Int32Array;
  byStep: Int32Array;
}

/** Largest number of distinct grid steps a single call may span (~19 years at 10 min). */
const MAX_STEPS = 1_000_000;

export function resample(tracks: readonly NormTrack[], stepMs: number, maxGapMs: number): Resampled {
  // Pass 1: an upper bound on the positions, and the grid span.
  let bound = 0;
  let kMin = Infinity;
  let kMax = -Infinity;
  for (const tr of tracks) {
    const kF = Math.ceil(tr.t[0]! / stepMs);
    const kL = Math.floor(tr.t[tr.n - 1]! / stepMs);
    if (kL < kF) continue;
    bound += kL - kF + 1;
    if (kF < kMin) kMin = kF;
    if (kL > kMax) kMax = kL;
  }
  if (bound === 0) {
    kMin = 0;
    kMax = -1;
  }
  if (kMax - kMin + 1 > MAX_STEPS) throw new RangeError(`tracks span more than ${MAX_STEPS} grid steps`);

  const track = new Int32Array(bound);
  const k = new Float64Array(bound);
  const lon = new Float64Array(bound);
  const lat = new Float64Array(bound);
  const sog = new Float64Array(bound);
  const trackStart = new Int32Array(tracks.length + 1);
  let n = 0;

  // Pass 2: interpolate.
  for (let ti = 0; ti < tracks.length; ti++) {
    trackStart[ti] = n;
    const tr = tracks[ti]!;
    const T = tr.t;
    const LON = tr.lon;
    const LAT = tr.lat;
    const SOG = tr.sog;
    const last = tr.n - 1;
    const kF = Math.ceil(T[0]! / stepMs);
    const kL = Math.floor(T[last]! / stepMs);
    let i = 0;
    for (let kk = kF; kk <= kL; kk++) {
      const g = kk * stepMs;
      while (i < last && T[i + 1]! <= g) i++;
      const t0 = T[i]!;
      let plon: number, plat: number, psog: number;
      if (t0 === g) {
        plon = LON[i]!;
        plat = LAT[i]!;
        psog = SOG ? SOG[i]! : Number.NaN;
      } else {
        // t0 < g < T[i + 1] (g ≤ last report time, so i < last here).
        const t1 = T[i + 1]!;
        const dt = t1 - t0;
        if (!(dt < maxGapMs)) continue; // silence ≥ max gap: never bridged
        const f = (g - t0) / dt;
        plat = LAT[i]! + f * (LAT[i + 1]! - LAT[i]!);
        plon = wrapLon(LON[i]! + f * lonDelta(LON[i]!, LON[i + 1]!));
        if (SOG) {
          const s0 = SOG[i]!;
          const s1 = SOG[i + 1]!;
          psog = s0 === s0 ? (s1 === s1 ? s0 + f * (s1 - s0) : s0) : s1; // NaN-aware
        } else psog = Number.NaN;
      }
      track[n] = ti;
      k[n] = kk;
      lon[n] = plon;
      lat[n] = plat;
      sog[n] = psog;
      n++;
    }
  }
  trackStart[tracks.length] = n;

  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let p = 0; p < n; p++) ecefInto(lon[p]!, lat[p]!, x, y, z, p);

  // Step-major index by counting sort (stable: within a step, positions stay in track order).
  const nSteps = Math.max(0, kMax - kMin + 1);
  const stepStart = new Int32Array(nSteps + 1);
  for (let p = 0; p < n; p++) stepStart[k[p]! - kMin + 1]!++;
  for (let s = 0; s < nSteps; s++) stepStart[s + 1]! += stepStart[s]!;
  const fill = stepStart.slice(0, nSteps);
  const byStep = new Int32Array(n);
  for (let p = 0; p < n; p++) byStep[fill[k[p]! - kMin]!++] = p;

  return {
    stepMs,
    n,
    track: track.subarray(0, n),
    k: k.subarray(0, n),
    lon: lon.subarray(0, n),
    lat: lat.subarray(0, n),
    x,
    y,
    z,
    sog: sog.subarray(0, n),
    trackStart,
    kMin,
    kMax,
    stepStart,
    byStep,
  };
}

function chord(r: Resampled, p: number, q: number): number {
  const dx = r.x[p]! - r.x[q]!;
  const dy = r.y[p]! - r.y[q]!;
  const dz = r.z[p]! - r.z[q]!;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/**
 * Speed (kn) implied by the resampled track at position p: central difference over the
 * neighbouring grid positions (one-sided at the ends of a stretch), NaN for an isolated
 * position. Chord over ≤ 2 steps equals the geodesic to well under a millimetre.
 */
export function impliedSpeedKn(r: Resampled, p: number): number {
  const tr = r.track[p]!;
  const kp = r.k[p]!;
  const hasPrev = p > 0 && r.track[p - 1] === tr && r.k[p - 1] === kp - 1;
  const hasNext = p + 1 < r.n && r.track[p + 1] === tr && r.k[p + 1] === kp + 1;
  if (hasPrev && hasNext) return (chord(r, p - 1, p + 1) / (2 * r.stepMs / 1000)) * MS_TO_KN;
  if (hasPrev) return (chord(r, p - 1, p) / (r.stepMs / 1000)) * MS_TO_KN;
  if (hasNext) return (chord(r, p, p + 1) / (r.stepMs / 1000)) * MS_TO_KN;
  return Number.NaN;
}

/** Speed (kn) at position p according to the profile's speed source. */
export function speedKn(r: Resampled, p: number, source: 'implied' | 'reported'): number {
  if (source === 'reported') {
    const s = r.sog[p]!;
    if (s === s) return s;
    return impliedSpeedKn(r, p);
  }
  const v = impliedSpeedKn(r, p);
  return v === v ? v : r.sog[p]!;
}
