import type { MmsiKind } from '@rendezvous/ais';

export type Severity = 'low' | 'medium' | 'high';

/** One position of a track: epoch milliseconds and WGS-84 degrees. */
export interface Fix {
  ts: number;
  lon: number;
  lat: number;
  /** Reported speed over ground (kn), when the rules that compare it need it; null = not available. */
  sog?: number | null;
}

/** A fix as it appears in evidence. */
export interface FixEvidence {
  ts: string;
  lon: number;
  lat: number;
}

export interface EvidenceByKind {
  invalid_mmsi: {
    /** 9-digit text (ITU-R M.585 writes MMSIs zero-padded). */
    mmsi: string;
    reason: 'not_9_digits' | 'bad_prefix' | 'unallocated_mid' | 'not_a_ship';
    stationKind: MmsiKind;
    mid: number | null;
  };
  imo_check_digit: {
    imo: number;
    reason: 'check_digit' | 'not_7_digits';
    /** What the seventh digit should be, for a 7-digit number. */
    expectedCheckDigit: number | null;
    firstSeen: string;
  };
  shared_mmsi: {
    fixes: number;
    jumps: number;
    maxSpeedKn: number;
    minJumpKm: number;
    /** `kn` is null when both fixes share a timestamp (infinite speed). */
    worst: { from: FixEvidence; to: FixEvidence; km: number; hours: number; kn: number | null };
    /** The track split by reachability (splitTrackByImpossibleSpeed), in order of first fix. */
    segments: { fixes: number; from: string; to: string }[];
  };
  imo_multiple_mmsi: {
    imo: number;
    self: { mmsi: number; firstSeen: string };
    others: { mmsi: number; firstSeen: string; lastSeen: string | null; flag: string | null }[];
    /** Some other MMSI was still transmitting after this one started reporting the IMO (or vice versa). */
    concurrent: boolean;
  };
  mmsi_multiple_imo: {
    imos: { imo: number; firstSeen: string; validCheckDigit: boolean }[];
  };
  identity_changes: {
    field: 'name' | 'flag';
    /** For flag hopping: the IMO whose MMSIs carried the flags. */
    imo: number | null;
    windowDays: number;
    changes: number;
    window: { from: string; to: string };
    /** Every distinct value, oldest first; `via` is the MMSI that carried a flag. */
    values: { value: string; firstSeen: string; via?: number }[];
  };
  watchlist_pairing_mismatch: {
    list: string;
    entryId: number;
    entryKey: string;
    entryName: string | null;
    /** Which half of the listed pairing the observation contradicts. */
    mismatch: 'imo' | 'mmsi';
    listed: { imo: number; mmsi: number | null; mmsiLegacy: number[] };
    observed: { imo: number; mmsi: number; firstSeen: string };
  };
  imo_far_apart: {
    /** Fixes of this MMSI with a hull claiming the same IMO more than `minSeparationNm` away within `withinMin`. */
    fixes: number;
    minSeparationNm: number;
    withinMin: number;
    others: { mmsi: number; imo: number; fixes: number; maxNm: number }[];
    worst: { self: FixEvidence; other: FixEvidence; otherMmsi: number; nm: number; minutesApart: number };
  };
  fixed_pattern: {
    /** Clock hours whose moving fixes stay within `maxExtentM`. */
    hours: number;
    minFixes: number;
    minSogKn: number;
    maxExtentM: number;
    worst: { from: string; to: string; fixes: number; extentM: number; meanSogKn: number };
  };
  on_land: {
    /** Fixes with land all round them for `marginM`. */
    fixes: number;
    marginM: number;
    sample: FixEvidence[];
  };
  sog_mismatch: {
    /** Clock hours where reported and implied speed disagree. */
    hours: number;
    worst: { hour: string; legs: number; coverMin: number; reportedKn: number; impliedKn: number };
    thresholds: { minReportedKn: number; maxImpliedKn: number; factor: number; excessKn: number };
  };
}

export type AnomalyKind = keyof EvidenceByKind;

/** Canonical order: output of every function here is sorted by it. */
export const ANOMALY_KINDS: readonly AnomalyKind[] = [
  'invalid_mmsi',
  'imo_check_digit',
  'shared_mmsi',
  'imo_multiple_mmsi',
  'mmsi_multiple_imo',
  'identity_changes',
  'watchlist_pairing_mismatch',
  'imo_far_apart',
  'fixed_pattern',
  'on_land',
  'sog_mismatch',
];

export interface AnomalyOf<K extends AnomalyKind> {
  kind: K;
  mmsi: number;
  severity: Severity;
  /** When the evidence was first observed in ingested data. */
  detectedFrom: string;
  /** When it was last observed, or null when the evidence is a standing state (history records first sightings only). */
  detectedTo: string | null;
  evidence: EvidenceByKind[K];
  /** A sentence an analyst can read, naming the values that triggered the rule. */
  explanation: string;
}

export type Anomaly = { [K in AnomalyKind]: AnomalyOf<K> }[AnomalyKind];

/** One value an identity field took for an MMSI (vessel_identity_history). */
export interface IdentitySighting {
  field: 'name' | 'callsign' | 'imo' | 'ship_type' | 'flag';
  value: string;
  firstSeen: number;
}

/** One MMSI's claim to an IMO: when it first reported it, and that MMSI's last transmission and flag. */
export interface ImoClaim {
  imo: number;
  mmsi: number;
  firstSeen: number;
  lastSeen: number | null;
  flag: string | null;
}

/** A current watchlist entry's identity pairing. */
export interface WatchlistPairing {
  list: string;
  entryId: number;
  entryKey: string;
  name: string | null;
  imo: number | null;
  mmsi: number | null;
  mmsiLegacy: number[];
}

/** Everything the rules need about one MMSI; the repository gathers it, the rules stay pure. */
export interface VesselIdentityFacts {
  mmsi: number;
  /** The vessels row, if the MMSI was ever stored. */
  vessel: { imo: number | null; flag: string | null; firstSeen: number; lastSeen: number } | null;
  /** This MMSI's identity history. */
  history: IdentitySighting[];
  /** Every MMSI's claim to any IMO this MMSI reported (including this MMSI's own). */
  imoClaims: ImoClaim[];
  /** Time-ordered positions, with reported SOG (fixed_pattern, sog_mismatch). */
  track: Fix[];
  /**
   * Positions over the same range of the other MMSIs that reported a valid IMO this MMSI reported
   * (imoPeers), for `imo_far_apart`. Absent: that rule is not evaluated.
   */
  peerTracks?: { mmsi: number; imo: number; track: Fix[] }[];
  /** Current entries naming this MMSI (as listed or former MMSI) or an IMO this MMSI reported. */
  watchlist: WatchlistPairing[];
}
