/**
 * Distances for the identity rules: the project's one WGS-84 geodesy (packages/geodesy, Vincenty
 * inverse with a haversine fallback for near-antipodal points) under the names these rules use.
 */
export { geodesicDistanceM as geodesicMeters, haversineM as haversineMeters } from '@rendezvous/geodesy';

export const METERS_PER_NM = 1852;
