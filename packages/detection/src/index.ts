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

// Dark activity (README "Dark activity"): AIS gaps, loitering, dark rendezvous.
export type { DarkActivityProfile } from './dark-profile.ts';
export {
  confidenceBySeparation,
  darkProfileFor,
  DARK_HIGH_CONFIDENCE_M,
  DARK_MEDIUM_CONFIDENCE_M,
  DEFAULT_DARK_PROFILE,
  DEFAULT_DARK_PROFILES,
  SENSITIVE_DARK_PROFILE,
  validateDarkProfile,
} from './dark-profile.ts';
export type { DarkContext, DarkPoint, GapTrackInput } from './dark-context.ts';
export type { ReceptionIndex, ReceptionIndexOptions } from './reception.ts';
export { createReceptionIndex } from './reception.ts';
export type { AisGapEvent } from './ais-gaps.ts';
export { compareGapEvents, detectAisGaps, gapEventKey } from './ais-gaps.ts';
export type { HourStat, LoiteringEvent } from './loitering.ts';
export { compareLoiteringEvents, detectLoitering, hourlyMovement, LOITER_MAX_LEG_MS, loiteringEventKey, mayHaveSlowHour } from './loitering.ts';
export type { DarkRendezvousEvent } from './dark-rendezvous.ts';
export { compareDarkRendezvous, darkRendezvousKey, detectDarkRendezvous } from './dark-rendezvous.ts';
export { convexHull } from './hull.ts';

// Port calls (issue 15): stays inside a port's radius, slow for hours.
export type { Port, PortCall, PortCallContext, PortCallDetection, PortCallOptions, PortLookup } from './port-calls.ts';
export { comparePortCalls, createPortLookup, DEFAULT_PORT_CALL_OPTIONS, detectPortCalls, EXIT_FACTOR, PORT_CALL_RADIUS_M, portCallKey, portGroup } from './port-calls.ts';
// Voyages (issue 15): legs between port calls; voyage_irregularity (destination, hidden stop, draught at sea).
export type { AnalysedVoyage, DeclaredDestination, Voyage, VoyageIrregularity, VoyageIrregularityKind, VoyageIrregularityOptions, VoyageLeg, VoyagePortCall, VoyageRuleInput } from './voyages.ts';
export { analyseVoyages, buildVoyages, DEFAULT_VOYAGE_OPTIONS, usualSpeedKn, voyageIrregularities } from './voyages.ts';
export type { DestinationMatch, DestinationMatchOptions, DestinationPort, DestinationVerdict } from './destination-match.ts';
export { matchDestination, normaliseDestination } from './destination-match.ts';

// Sanctioned ports and areas (issue 15): pure rules over port calls and AIS gaps.
export type {
  GapNearAreaOptions,
  GapNearSanctionedAreaFinding,
  SanctionedAreaInput,
  SanctionedPortCallFinding,
  SanctionedPortInput,
  SanctionedPortList,
  SanctionGapInput,
  SanctionPortCallInput,
} from './sanctioned-rules.ts';
export { distanceToAreaM, gapNearSanctionedArea, portCallSanctioned } from './sanctioned-rules.ts';
