/**
 * @rendezvous/detection — rendezvous (ship-to-ship encounter) detection over vessel tracks.
 * Pure: no I/O. See README.md for the rule, its sources and the window contract.
 */
export type { ColumnarTrack, Track, TrackInput, TrackPoint } from './tracks.ts';
export { sliceTracks } from './tracks.ts';
export type { DetectionProfile } from './profile.ts';
export { DEFAULT_PROFILE, DEFAULT_PROFILES, SENSITIVE_PROFILE, settleMarginMs, validateProfile, windowContext } from './profile.ts';
export type { DetectOptions, DetectStats, IsNearPort, WindowDetection, WindowOptions } from './detect.ts';
export { detectEvents, detectWindow, emptyStats } from './detect.ts';
export type { Reconciliation, RendezvousEvent } from './events.ts';
export {
  compareEvents,
  dedupeEvents,
  DETECTOR_VERSION,
  eventKey,
  median,
  overlapsSameMeeting,
  reconcileEvents,
  sameEvent,
} from './events.ts';
export { parseRendezvousEvent } from './stored-event.ts';
export type { PortIndex } from './ports.ts';
export { createPortIndex } from './ports.ts';
