import type { Bbox, ColumnarPositions, VesselIdentity } from '@rendezvous/db';
import type { ColumnarTrack } from '@rendezvous/detection';
import type { ListMatcher } from '@rendezvous/watchlists';

/** The window a run detects over: events intersecting (or, per behaviour, starting in) [from, to). */
export interface DetectionWindow {
  from: Date;
  to: Date;
  bbox?: Bbox | null;
  /** Restricts the run to one profile's alerts (a reprocess with `profile`). */
  profile?: string | undefined;
}

/** What the load stage read for a window: every later stage works on this. */
export interface WindowData {
  /** The window, in epoch ms. */
  from: number;
  to: number;
  bbox: Bbox | null;
  /** The range the positions were read over (the window plus the profiles' margins). */
  context: { from: number; to: number };
  positions: ColumnarPositions[];
  byMmsi: Map<number, ColumnarPositions>;
  /** Detector tracks: the positions with shared MMSIs split into segments. */
  tracks: ColumnarTrack[];
  /** MMSIs the split found shared by several transmitters. */
  splitMmsis: readonly number[];
  identities: Map<number, VesselIdentity>;
  matcher: ListMatcher;
  /** Vessels on a list or suspected at the window's middle: judged by the sensitive profiles. */
  sensitive: Set<number>;
  /** Vessels read raw (not bucketed). */
  rawVessels: number;
  loadMs: number;
  loadEndAt: number;
}
