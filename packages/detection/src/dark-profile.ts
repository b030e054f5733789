/**
 * Dark-activity profiles: every threshold of the AIS-gap, loitering and dark-rendezvous rules is a
 * field here (DESIGN.md "Domain rules": every threshold is configuration; "Dark activity" gives
 * the published rules these defaults come from).
 */
import { METRES_PER_NM } from '@rendezvous/geodesy';

export interface DarkActivityProfile {
  /** Reported on each event as `profile`. */
  name: string;
  /**
   * Which vessels the profile judges. Each vessel is judged by the FIRST profile in the list that
   * applies to it: 'sensitive' applies to vessels in `sensitiveMmsis`, 'all' to every vessel.
   */
  appliesTo: 'all' | 'sensitive';

  // ── AIS gaps ─────────────────────────────────────────────────────────────────────────────
  /** A silence of at least this (ms) between two reports of one track is a gap. */
  gapMinMs: number;
  /** The off position must be farther from shore than this (m). */
  gapMinShoreDistanceM: number;
  /** The track must have ≥ this many reports in the `gapBeforeWindowMs` up to the off position. */
  gapMinPositionsBefore: number;
  gapBeforeWindowMs: number;
  /** Neighbours heard within this (m) of the off or on position during the gap show that reception was there. */
  receptionRadiusM: number;
  /** ≥ this many other vessels heard nearby during the gap, else it is a coverage hole (no alert). */
  gapMinNeighbours: number;
  /**
   * Share (0–1) of the gap's hours, within the data the reception index covers, in which some
   * other vessel was heard within `receptionShareRadiusM` of the vessel's straight off → on track
   * (its off position while open). A few neighbours heard at one moment of a long silence do not
   * show the receivers were listening all along (a sparse extract, an outage of the feed).
   */
  gapMinReceptionShare: number;
  receptionShareRadiusM: number;
  /** Radius (m) handed to `isNearPort` for the off position (a gap that starts in port is not dark activity). */
  gapPortRadiusM: number;

  // ── Loitering ────────────────────────────────────────────────────────────────────────────
  /** An hour whose implied speed is below this (kn) is slow. */
  loiterMaxSpeedKn: number;
  /** Keep loitering events lasting ≥ this (ms). */
  loiterMinMs: number;
  /** The event centroid must be ≥ this (m) from shore. */
  loiterMinShoreDistanceM: number;
  /** Radius (m) handed to `isNearPort` for the event centroid. */
  loiterPortRadiusM: number;

  // ── Dark rendezvous ──────────────────────────────────────────────────────────────────────
  /** A dark vessel's plausible top speed (kn) for the reach test. */
  darkMaxSpeedKn: number;
  /** Time (ms) the dark vessel must be able to spend at the loitering spot. */
  darkMinStopMs: number;
  /** Two vessels dark at once pair only if their off positions are within this (m). */
  darkDarkMaxSeparationM: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const NM = METRES_PER_NM;

/** Confidence bands of a dark-rendezvous by separation (DESIGN.md "Dark activity": < 5 / 5–15 / 15–50 nm). */
export const DARK_HIGH_CONFIDENCE_M = 5 * NM;
export const DARK_MEDIUM_CONFIDENCE_M = 15 * NM;

/**
 * The published rules, as DESIGN.md "Dark activity" cites them.
 *
 * - Gaps (Welch et al. 2022, Science Advances, "Hot spots of unseen fishing vessels"): "suspected
 *   disabling" when ≥ 12 h, off position > 50 nm from shore (> 99 % of terrestrial reception is
 *   within 50 nm), ≥ 14 positions in the 12 h before the gap. Welch judge reception by satellite
 *   reception at the off cell; we judge it by neighbours (DESIGN.md: "if nearby vessels kept
 *   reporting, the silence is the vessel's, not the receiver's"): ≥ 1 other vessel heard within
 *   50 km of the off or on position during the gap. 50 km (27 nm, under 2 h at 15 kn) is small
 *   against a satellite's footprint (thousands of km) and about a terrestrial station's range at
 *   sea, so a vessel heard that close was under the same receivers.
 * - Loitering (GFW pipe-loitering): an hour with implied speed < 2 kn is slow; carrier
 *   transshipment reports use ≥ 4 h; GFW publishes loitering ≥ 20 nm from shore; outside port
 *   masks of 10 km (the same as the GFW encounter rule, DESIGN.md "Domain rules").
 * - Dark rendezvous (Windward's reach test): 15 kn is the top of a laden tanker's service speed
 *   (VLCC/Suezmax design speeds are about 14–16 kn, product tankers rarely above 15 kn laden), so
 *   assuming it keeps the test permissive: a vessel it rules out could not have made it. The 1 h
 *   stop is the shortest meeting GFW keeps as a raw encounter (pipe-encounters
 *   `--min_encounter_time_minutes 60`): shorter than that, nothing we would call a transfer. Dark–
 *   dark pairs: off positions within 50 nm (the open-source shadow-fleet tool's widest band).
 */
export const DEFAULT_DARK_PROFILE: Readonly<DarkActivityProfile> = Object.freeze({
  name: 'dark-default',
  appliesTo: 'all',
  gapMinMs: 12 * HOUR,
  gapMinShoreDistanceM: 50 * NM,
  gapMinPositionsBefore: 14,
  gapBeforeWindowMs: 12 * HOUR,
  receptionRadiusM: 50_000,
  gapMinNeighbours: 1,
  // Our choice: most of the gap. Welch et al. ask for satellite reception at the off cell on the
  // day (> 10 positions/day); hour by hour, "someone was heard in at least half the hours" is the
  // neighbour-based equivalent, and it rejects captures with hours-long holes in their coverage.
  gapMinReceptionShare: 0.5,
  // The receivers of a region, not the vessel's neighbours: 250 km is about five terrestrial
  // station ranges and far inside one satellite's footprint.
  receptionShareRadiusM: 250_000,
  gapPortRadiusM: 10_000,
  loiterMaxSpeedKn: 2,
  loiterMinMs: 4 * HOUR,
  loiterMinShoreDistanceM: 20 * NM,
  loiterPortRadiusM: 10_000,
  darkMaxSpeedKn: 15,
  darkMinStopMs: HOUR,
  darkDarkMaxSeparationM: 50 * NM,
});

/**
 * For watchlisted / suspect vessels (DESIGN.md: they "deserve the more sensitive profile").
 *
 * - Gaps ≥ 6 h: Skylight raises "potential dark activity" after 6 h, and Welch et al. use 6 h as
 *   the raw-gap threshold.
 * - Off position ≥ 20 nm from shore (our choice): Welch's 50 nm excludes gaps that terrestrial
 *   receivers might explain; for a suspect vessel we accept that risk down to the 20 nm line GFW
 *   publishes loitering from, which is also beyond the 12 nm territorial sea where STS hubs such as
 *   the Laconian Gulf and off Fujairah lie. Coverage is still checked by the neighbours test, and
 *   a gap starting in port is still dropped, so the looser line adds few false positives.
 * - ≥ 14 positions in the 12 h before (Welch, unchanged): the test that the vessel was reporting
 *   regularly before it fell silent, which is no less true of a 6 h gap.
 * - Loitering ≥ 2 h: catches ~80 % of observer-reported transfers (DESIGN.md "Domain rules").
 */
export const SENSITIVE_DARK_PROFILE: Readonly<DarkActivityProfile> = Object.freeze({
  ...DEFAULT_DARK_PROFILE,
  name: 'dark-sensitive',
  appliesTo: 'sensitive',
  gapMinMs: 6 * HOUR,
  gapMinShoreDistanceM: 20 * NM,
  loiterMinMs: 2 * HOUR,
});

/** Sensitive first (like DEFAULT_PROFILES): a watchlisted vessel is judged by it, every other vessel by the default. */
export const DEFAULT_DARK_PROFILES: readonly Readonly<DarkActivityProfile>[] = Object.freeze([SENSITIVE_DARK_PROFILE, DEFAULT_DARK_PROFILE]);

/** Throws a RangeError naming the field when a profile cannot work. */
export function validateDarkProfile(p: DarkActivityProfile): void {
  if (typeof p.name !== 'string' || p.name === '') throw new RangeError('dark profile: name must be a non-empty string');
  if (p.appliesTo !== 'all' && p.appliesTo !== 'sensitive') throw new RangeError(`dark profile ${p.name}: appliesTo must be 'all' or 'sensitive'`);
  const positive = ['gapMinMs', 'gapBeforeWindowMs', 'receptionRadiusM', 'receptionShareRadiusM', 'loiterMaxSpeedKn', 'loiterMinMs', 'darkMaxSpeedKn', 'darkDarkMaxSeparationM'] as const;
  for (const k of positive) {
    if (!(Number.isFinite(p[k]) && p[k] > 0)) throw new RangeError(`dark profile ${p.name}: ${k} must be a positive number`);
  }
  if (!(Number.isFinite(p.gapMinReceptionShare) && p.gapMinReceptionShare >= 0 && p.gapMinReceptionShare <= 1)) {
    throw new RangeError(`dark profile ${p.name}: gapMinReceptionShare must be between 0 and 1`);
  }
  const nonNegative = ['gapMinShoreDistanceM', 'gapMinPositionsBefore', 'gapMinNeighbours', 'gapPortRadiusM', 'loiterMinShoreDistanceM', 'loiterPortRadiusM', 'darkMinStopMs'] as const;
  for (const k of nonNegative) {
    if (!(Number.isFinite(p[k]) && p[k] >= 0)) throw new RangeError(`dark profile ${p.name}: ${k} must be ≥ 0`);
  }
  for (const k of ['gapMinPositionsBefore', 'gapMinNeighbours'] as const) {
    if (!Number.isInteger(p[k])) throw new RangeError(`dark profile ${p.name}: ${k} must be an integer`);
  }
  if (p.receptionRadiusM > 1_000_000) throw new RangeError(`dark profile ${p.name}: receptionRadiusM above 1000 km says nothing about reception`);
}

/** The first profile in `profiles` that applies to a vessel, or null when none does. */
export function darkProfileFor(
  profiles: readonly DarkActivityProfile[],
  mmsi: number,
  sensitiveMmsis: ReadonlySet<number> | undefined,
): DarkActivityProfile | null {
  const sensitive = sensitiveMmsis?.has(mmsi) ?? false;
  for (const p of profiles) if (p.appliesTo === 'all' || sensitive) return p;
  return null;
}

/** Confidence of a dark rendezvous from the separation (m): < 5 nm high, 5–15 nm medium, else low. */
export function confidenceBySeparation(separationM: number): 'high' | 'medium' | 'low' {
  if (separationM < DARK_HIGH_CONFIDENCE_M) return 'high';
  if (separationM < DARK_MEDIUM_CONFIDENCE_M) return 'medium';
  return 'low';
}
