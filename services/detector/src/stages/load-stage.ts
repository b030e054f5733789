import { windowContext, type DetectionProfile } from '@rendezvous/detection';
import { BUCKET_MS, type Bbox, type ColumnarPositions, type ScreeningService, type TrackRepository, type VesselRepository } from '@rendezvous/db';
import { DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import { mayHaveImpossibleLeg, toDetectorTracks } from '../track-splitting.ts';
import type { WindowData } from './window-data.ts';

export type PositionReader = Pick<TrackRepository, 'load' | 'loadBuckets'>;

/**
 * The window's positions: the 10-minute buckets (first and last report of each), which give the
 * detector exactly the grid positions the raw reports give (0007_position_buckets.sql), except
 * for vessels that may hold an impossible-speed leg (a shared MMSI): those are read raw, so the
 * splitting sees every report as before. A range off the bucket grid is read raw throughout.
 */
export async function loadWindowPositions(
  repo: PositionReader,
  range: { from: Date; to: Date; bbox: Bbox | null; mmsis?: readonly number[] },
  bucketGrid: boolean,
): Promise<{ positions: ColumnarPositions[]; rawVessels: number }> {
  if (!bucketGrid || range.from.getTime() % BUCKET_MS !== 0 || range.to.getTime() % BUCKET_MS !== 0) {
    const positions = await repo.load(range);
    return { positions, rawVessels: positions.length };
  }
  const bucketed = await repo.loadBuckets(range);
  const suspects = bucketed.filter((p) => mayHaveImpossibleLeg(p, p.maxSpreadM, DEFAULT_IDENTITY_OPTIONS)).map((p) => p.mmsi);
  if (suspects.length === 0) return { positions: bucketed, rawVessels: 0 };
  const raw = await repo.load({ from: range.from, to: range.to, mmsis: suspects });
  const rawByMmsi = new Map(raw.map((p) => [p.mmsi, p]));
  return { positions: bucketed.map((p) => rawByMmsi.get(p.mmsi) ?? p), rawVessels: suspects.length };
}

export interface LoadStageDeps {
  positions: PositionReader;
  screening: Pick<ScreeningService, 'matcher'>;
  vessels: Pick<VesselRepository, 'identities'>;
}

/**
 * Load: the positions of the window's context (the window widened by the profiles' margins and
 * the longest meeting reported in full), split into detector tracks; the vessels' identities;
 * the list matcher; and which vessels the sensitive profiles judge.
 */
export function createLoadStage(deps: LoadStageDeps, options: { profiles: readonly DetectionProfile[]; maxEventMs: number; bucketGrid: boolean }) {
  const { profiles, maxEventMs, bucketGrid } = options;
  return async function load(window: { from: number; to: number; bbox: Bbox | null }): Promise<WindowData> {
    const { from, to, bbox } = window;
    const context = windowContext(profiles, from, to, maxEventMs);
    const started = performance.now();
    const range = { from: new Date(context.from), to: new Date(context.to), bbox };
    // The list matcher does not depend on the positions: fetched while they stream in.
    const [{ positions, rawVessels }, matcher] = await Promise.all([loadWindowPositions(deps.positions, range, bucketGrid), deps.screening.matcher()]);
    const loadEndAt = performance.now();
    const { tracks, splitMmsis } = toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS);

    // Vessels on a list or suspected at the window's time get the sensitive profile.
    const mmsis = positions.map((p) => p.mmsi);
    const identities = await deps.vessels.identities(mmsis);
    const mid = (from + to) / 2;
    const sensitive = new Set<number>();
    for (const mmsi of mmsis) {
      const id = identities.get(mmsi) ?? { mmsi, imo: null, name: null, callsign: null };
      if (matcher.matchAt(id, mid).some((m) => m.kind === 'suspect' || m.status === 'listed')) sensitive.add(mmsi);
    }
    return {
      from,
      to,
      bbox,
      context,
      positions,
      byMmsi: new Map(positions.map((p) => [p.mmsi, p])),
      tracks,
      splitMmsis,
      identities,
      matcher,
      sensitive,
      rawVessels,
      loadMs: loadEndAt - started,
      loadEndAt,
    };
  };
}
export type LoadStage = ReturnType<typeof createLoadStage>;
