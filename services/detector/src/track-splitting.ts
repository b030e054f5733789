import type { ColumnarTrack } from '@rendezvous/detection';
import type { ColumnarPositions } from '@rendezvous/db';
import { geodesicDistanceM, METRES_PER_NM } from '@rendezvous/geodesy';
import { splitTrackByImpossibleSpeed, type IdentityRuleOptions } from '@rendezvous/identity';

/**
 * One columnar track per vessel, except where an MMSI's fixes imply impossible speed (two
 * transmitters sharing it, DESIGN.md): those are split into segments, so a shared MMSI never
 * draws a line across the sea nor creates a pair with itself. The cheap columnar scan runs first;
 * only MMSIs with a suspicious leg pay for the object-based splitter.
 */
export function toDetectorTracks(
  positions: readonly ColumnarPositions[],
  opts: Pick<IdentityRuleOptions, 'maxSpeedKn' | 'minJumpKm'>,
): { tracks: ColumnarTrack[]; splitMmsis: number[] } {
  const tracks: ColumnarTrack[] = [];
  const splitMmsis: number[] = [];
  for (const p of positions) {
    if (!hasImpossibleLeg(p, opts)) {
      tracks.push({ mmsi: p.mmsi, t: p.t, lon: p.lon, lat: p.lat, sog: p.sog });
      continue;
    }
    splitMmsis.push(p.mmsi);
    const fixes = Array.from(p.t, (ts, i) => ({ ts, lon: p.lon[i]!, lat: p.lat[i]!, sog: p.sog[i]! }));
    const segments = splitTrackByImpossibleSpeed(fixes, opts);
    segments.forEach((seg, k) =>
      tracks.push({
        mmsi: p.mmsi,
        segment: k,
        t: Float64Array.from(seg, (f) => f.ts),
        lon: Float64Array.from(seg, (f) => f.lon),
        lat: Float64Array.from(seg, (f) => f.lat),
        sog: Float64Array.from(seg, (f) => f.sog),
      }),
    );
  }
  return { tracks, splitMmsis };
}

/**
 * Whether the vessel's raw reports may hold an impossible leg, judged from its bucketed reduction
 * (first and last report of each 10-minute bucket) and an upper bound of the distance between
 * two reports of one bucket. Never false when the raw reports have such a leg: a leg between
 * reports of different buckets joins the last report of one bucket to the first of a later one,
 * so it is a leg of the reduction; a leg inside a bucket is no longer than the bucket's spread,
 * and a jump must be longer than the jump floor. (It may say true for a vessel that turns out
 * clean, e.g. one sailing over 20 kn; that vessel is read raw.)
 */
export function mayHaveImpossibleLeg(
  reduced: ColumnarPositions,
  maxSpreadM: number,
  opts: Pick<IdentityRuleOptions, 'maxSpeedKn' | 'minJumpKm'>,
): boolean {
  return !(maxSpreadM <= opts.minJumpKm * 1000) || hasImpossibleLeg(reduced, opts);
}

/**
 * Cheap bound: a leg whose latitude and (wrapped) longitude changes are both well under the jump
 * floor cannot be a jump. 1° of latitude ≥ 110.5 km; 1° of longitude ≤ 111.4 km.
 */
const underJumpBound = (dLatDeg: number, dLonDeg: number, floorM: number) => dLatDeg * 111_400 < floorM * 0.7 && dLonDeg * 111_400 < floorM * 0.7;

function hasImpossibleLeg(p: ColumnarPositions, opts: Pick<IdentityRuleOptions, 'maxSpeedKn' | 'minJumpKm'>): boolean {
  const maxMps = (opts.maxSpeedKn * METRES_PER_NM) / 3600;
  const floorM = opts.minJumpKm * 1000;
  for (let i = 1; i < p.t.length; i++) {
    const dLat = Math.abs(p.lat[i]! - p.lat[i - 1]!);
    let dLon = Math.abs(p.lon[i]! - p.lon[i - 1]!);
    if (dLon > 180) dLon = 360 - dLon;
    if (underJumpBound(dLat, dLon, floorM)) continue;
    const dt = (p.t[i]! - p.t[i - 1]!) / 1000;
    const d = geodesicDistanceM(p.lon[i - 1]!, p.lat[i - 1]!, p.lon[i]!, p.lat[i]!);
    if (d > floorM && (dt <= 0 || d / dt > maxMps)) return true;
  }
  return false;
}
