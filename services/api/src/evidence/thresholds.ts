import { DEFAULT_DARK_PROFILES, DEFAULT_PROFILES, DETECTOR_VERSION } from '@rendezvous/detection';

/** thresholds.json: the profile named by the alert, with every threshold it was judged by. */
export interface EvidenceThresholds {
  profile: string;
  /** The alert's detector version (when it was written) and this build's. */
  detectorVersion: { alert: string; build: string };
  /** 'rendezvous' (DEFAULT_PROFILES) or 'dark-activity' (DEFAULT_DARK_PROFILES); null when this build has no such profile. */
  family: 'rendezvous' | 'dark-activity' | null;
  /** The profile's fields as this build defines them (times in ms, distances in m, speeds in knots). */
  thresholds: Record<string, unknown> | null;
  note: string;
}

/**
 * The thresholds behind an alert. Profiles are code (packages/detection profile.ts and
 * dark-profile.ts), not configuration, so this build's profile of the alert's name is what
 * judged it when the alert's detector version is this build's; otherwise the note says so.
 */
export function thresholdsOf(profile: string, detectorVersion: string): EvidenceThresholds {
  const rendezvous = DEFAULT_PROFILES.find((p) => p.name === profile);
  const dark = rendezvous ? undefined : DEFAULT_DARK_PROFILES.find((p) => p.name === profile);
  const found = rendezvous ?? dark;
  const sameVersion = detectorVersion === DETECTOR_VERSION;
  const note = !found
    ? `This build (${DETECTOR_VERSION}) has no profile named "${profile}".`
    : sameVersion
      ? `The thresholds of profile "${profile}" in ${DETECTOR_VERSION}, the version that wrote the alert.`
      : `The thresholds of profile "${profile}" in this build (${DETECTOR_VERSION}); the alert was written by ${detectorVersion}, whose thresholds may differ.`;
  return {
    profile,
    detectorVersion: { alert: detectorVersion, build: DETECTOR_VERSION },
    family: rendezvous ? 'rendezvous' : dark ? 'dark-activity' : null,
    thresholds: found ? { ...found } : null,
    note,
  };
}
