import { EARLIEST_AIS_MS, isValidMmsi } from '@rendezvous/ais';

/** Why a position is not stored (counted per reason by ingest). */
export const POSITION_REJECTIONS = [
  'position_unavailable', // lon 181 / lat 91 sentinels (ITU-R M.1371 "not available")
  'position_out_of_range', // outside ±180 / ±90
  'position_null_island', // exactly 0,0: an unset GNSS, not a ship in the Gulf of Guinea
  'speed_out_of_range', // SOG beyond the 102.2 kn the field can carry
  'time_out_of_range', // before AIS existed or in the future
  'mmsi_missing', // no MMSI at all (0 or empty)
] as const;
export type PositionRejection = (typeof POSITION_REJECTIONS)[number];

/** Receiver clocks drift: accept up to 10 minutes ahead of now, reject beyond. */
export const MAX_FUTURE_SKEW_MS = 10 * 60_000;

export function checkPosition(
  lon: number | null,
  lat: number | null,
  sog: number | null,
  ts: number,
  now: number,
): PositionRejection | null {
  if (lon === null || lat === null || Number.isNaN(lon) || Number.isNaN(lat)) return 'position_unavailable';
  if (lon === 181 || lat === 91) return 'position_unavailable';
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return 'position_out_of_range';
  if (lon === 0 && lat === 0) return 'position_null_island';
  if (sog !== null && (sog < 0 || sog > 102.2)) return 'speed_out_of_range';
  if (!timeInRange(ts, now)) return 'time_out_of_range';
  return null;
}

/**
 * The time check every report gets, positions and static reports alike: a static report stamped
 * in 2100 would otherwise stay the vessel's latest identity for ever (identity follows the newest
 * report), and one before 2002 cannot be AIS.
 */
export function timeInRange(ts: number, now: number): boolean {
  return Number.isFinite(ts) && ts >= EARLIEST_AIS_MS && ts <= now + MAX_FUTURE_SKEW_MS;
}

/**
 * An invalid MMSI is stored and flagged, never dropped: a ship transmitting one is itself a
 * warning sign (DESIGN.md, identity signals). Only a missing MMSI is a rejection.
 */
export function isMmsiInvalid(mmsi: number): boolean {
  return !isValidMmsi(mmsi);
}
