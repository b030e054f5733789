/**
 * Per grid step, which pairs of vessels are close (DESIGN.md; GFW pipe-encounters
 * `compute_adjacency`): bucket the step's positions in the ECEF spatial hash, compare
 * neighbouring cells only, filter by chord (an exact superset test) and decide on the true
 * WGS-84 geodesic distance. Pairs are independent: a mother ship close to two daughters at once
 * yields two pairs, and the daughters form a pair only if they are themselves within range.
 */
import { geodesicDistanceM } from '@rendezvous/geodesy';
import type { Resampled } from './resample.ts';
import { SpatialHash } from './spatial-hash.ts';
import type { NormTrack } from './tracks.ts';

/**
 * Cell side as a multiple of the radius. Larger cells mean fewer neighbour probes (a point far
 * from its cell's faces needs none) but more same-cell comparisons in crowded anchorages;
 * 4 × 500 m = 2 km is also about GFW's S2 level-12 cell. Measured on the benchmark: 1 → 4 r
 * cut pair-search time by about 3×.
 */
export const CELL_FACTOR = 4;

/** Close steps of one pair, in step order. Position ids index the `Resampled` columns. */
export interface PairSteps {
  /** Track indices, ta < tb (so track ta sorts first: smaller MMSI, then segment). */
  ta: number;
  tb: number;
  k: number[];
  pa: number[];
  pb: number[];
  distM: number[];
}

export interface PairSearchOptions {
  /** Geodesic threshold (m). */
  radiusM: number;
  /** Whether the profile judges this pair of track indices (ta < tb). */
  accept: (ta: number, tb: number) => boolean;
  /**
   * When set, only pairs involving a track with queryTracks[ti] = 1 are searched (cost
   * proportional to those tracks' positions): used for the watchlist-only profile.
   */
  queryTracks?: Uint8Array;
}

export interface PairSearchStats {
  steps: number;
  positions: number;
  candidates: number;
  closePairSteps: number;
}

/** Finds every (pair, step) within `radiusM`; returns pairs keyed by ta × nTracks + tb. */
export function findClosePairs(
  res: Resampled,
  tracks: readonly NormTrack[],
  opts: PairSearchOptions,
  stats?: PairSearchStats,
): Map<number, PairSteps> {
  const pairs = new Map<number, PairSteps>();
  const nTracks = tracks.length;
  const radius = opts.radiusM;
  // The chord never exceeds the geodesic; the 1 mm slack covers Vincenty's own error (~µm), so
  // the chord filter stays a strict superset of "geodesic ≤ radius".
  const prefilter = radius + 1e-3;
  const hash = new SpatialHash(CELL_FACTOR * prefilter);
  const { byStep, stepStart, track, lon, lat } = res;
  const nSteps = res.kMax - res.kMin + 1;
  const query = opts.queryTracks;
  let queryMask = new Uint8Array(0);
  let base = 0;
  let kNow = 0;
  let candidates = 0;
  let close = 0;

  const visit = (i: number, j: number): void => {
    candidates++;
    const p = byStep[base + i]!;
    const q = byStep[base + j]!;
    let ta = track[p]!;
    let tb = track[q]!;
    let pa = p;
    let pb = q;
    if (ta === tb) return;
    if (ta > tb) {
      ta = track[q]!;
      tb = track[p]!;
      pa = q;
      pb = p;
    }
    if (tracks[ta]!.mmsi === tracks[tb]!.mmsi) return; // two segments of one MMSI: not a meeting
    if (!opts.accept(ta, tb)) return;
    const d = geodesicDistanceM(lon[pa]!, lat[pa]!, lon[pb]!, lat[pb]!);
    if (!(d <= radius)) return;
    close++;
    const key = ta * nTracks + tb;
    let ps = pairs.get(key);
    if (ps === undefined) {
      ps = { ta, tb, k: [], pa: [], pb: [], distM: [] };
      pairs.set(key, ps);
    }
    ps.k.push(kNow);
    ps.pa.push(pa);
    ps.pb.push(pb);
    ps.distM.push(d);
  };

  for (let s = 0; s < nSteps; s++) {
    const from = stepStart[s]!;
    const to = stepStart[s + 1]!;
    if (to - from < 2) continue;
    base = from;
    kNow = res.kMin + s;
    if (query) {
      let any = false;
      if (queryMask.length < to - from) queryMask = new Uint8Array(Math.max(to - from, queryMask.length * 2));
      for (let i = 0; i < to - from; i++) {
        const f = query[track[byStep[from + i]!]!]!;
        queryMask[i] = f;
        if (f) any = true;
      }
      if (!any) continue;
      hash.build(byStep, from, to, res.x, res.y, res.z);
      hash.forEachPairOf(queryMask, prefilter, visit);
    } else {
      hash.build(byStep, from, to, res.x, res.y, res.z);
      hash.forEachPair(prefilter, visit);
    }
  }
  if (stats) {
    stats.steps += nSteps;
    stats.positions += res.n;
    stats.candidates += candidates;
    stats.closePairSteps += close;
  }
  return pairs;
}
