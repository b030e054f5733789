/**
 * What an alert's behaviour itself establishes, from the detector's stored event, for the detail
 * view: the facts with their numbers, the detector's reasons, and the geometry an analyst needs
 * on a map — an AIS gap's off and on positions and the straight line between them (where it
 * could have gone unseen), a loitering's hull, a dark rendezvous's spot. Read defensively: the
 * event is stored JSON; a field of the wrong type is left out, never passed on.
 */

import { num, record, str } from './stored-json.ts';

export type Scalar = number | string | boolean | null;

export interface GeoFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'LineString'; coordinates: [number, number][] } | { type: 'Polygon'; coordinates: [number, number][][] };
  properties: { role: string; time?: string };
}

export interface BehaviourView {
  type: string;
  /** Why it was alerted, with the numbers, as the detector wrote them. */
  reasons: string[];
  /** The behaviour's measured facts (times ISO, distances m, speeds kn). */
  facts: Record<string, Scalar>;
  geometry: { type: 'FeatureCollection'; features: GeoFeature[] };
}

const iso = (v: unknown): string | null => (num(v) === null ? null : new Date(v as number).toISOString());

function point(v: unknown): { t: number | null; lon: number; lat: number; sog: number | null } | null {
  const p = record(v);
  const lon = num(p?.['lon']);
  const lat = num(p?.['lat']);
  return lon === null || lat === null ? null : { t: num(p?.['t']), lon, lat, sog: num(p?.['sog']) };
}

const pointFeature = (role: string, p: { t: number | null; lon: number; lat: number }): GeoFeature => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
  properties: p.t === null ? { role } : { role, time: new Date(p.t).toISOString() },
});

/** Null for a rendezvous (its evidence tracks say it all) or an event that is not an object. */
export function toBehaviourView(type: string, event: unknown): BehaviourView | null {
  const e = record(event);
  if (!e || type === 'rendezvous') return null;
  const reasons = Array.isArray(e['reasons']) ? e['reasons'].filter((r): r is string => typeof r === 'string') : [];
  const features: GeoFeature[] = [];
  const facts: Record<string, Scalar> = { profile: str(e['profile']) };
  if (type === 'ais_gap') {
    const off = point(e['off']);
    const on = point(e['on']);
    Object.assign(facts, {
      off: iso(off?.t),
      on: iso(on?.t),
      durationS: num(e['durationMs']) === null ? null : Math.round((e['durationMs'] as number) / 1000),
      distanceM: num(e['distanceM']),
      impliedSpeedKn: num(e['impliedSpeedKn']),
      positionsBefore: num(e['positionsBefore']),
      offShoreDistanceM: num(e['offShoreDistanceM']),
      onShoreDistanceM: num(e['onShoreDistanceM']),
      neighboursHeard: num(e['neighboursHeard']),
      ongoing: typeof e['ongoing'] === 'boolean' ? e['ongoing'] : null,
    });
    if (off) features.push(pointFeature('off', off));
    if (on) features.push(pointFeature('on', on));
    // The straight line is the shortest way it could have gone, not a track: a map draws it dashed.
    if (off && on) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[off.lon, off.lat], [on.lon, on.lat]] }, properties: { role: 'straight_line' } });
  } else if (type === 'loitering') {
    Object.assign(facts, {
      meanSpeedKn: num(e['meanSpeedKn']),
      shoreDistanceM: num(e['shoreDistanceM']),
      points: num(e['points']),
      truncated: typeof e['truncated'] === 'boolean' ? e['truncated'] : null,
    });
    const c = point(e['centroid']);
    if (c) features.push(pointFeature('centroid', c));
    const hull = Array.isArray(e['hull']) ? e['hull'].filter((h): h is [number, number] => Array.isArray(h) && num(h[0]) !== null && num(h[1]) !== null) : [];
    if (hull.length >= 3) features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...hull, hull[0]!]] }, properties: { role: 'hull' } });
  } else if (type === 'dark_rendezvous') {
    Object.assign(facts, {
      kind: str(e['kind']),
      confidence: str(e['confidence']),
      separationM: num(e['separationM']),
      loiteringKey: str(e['loiteringKey']),
      gapKeys: Array.isArray(e['gapKeys']) ? e['gapKeys'].filter((k) => typeof k === 'string').join(' ') : null,
    });
    const c = point(e['centroid']);
    if (c) features.push(pointFeature('spot', c));
  } else if (type === 'port_call_sanctioned') {
    const call = record(e['call']);
    const port = record(call?.['port']);
    Object.assign(facts, {
      port: str(e['portName']) ?? str(e['portId']),
      country: str(e['country']),
      sanctionedPort: str(e['sanctionedPort']),
      distanceM: num(e['distanceM']),
      arrival: iso(e['arrival']),
      departure: iso(e['departure']),
      draughtArrivalM: num(call?.['draughtArrivalM']),
      draughtDepartureM: num(call?.['draughtDepartureM']),
    });
    const at = point(port);
    if (at) features.push(pointFeature('port', { ...at, t: null }));
  } else if (type === 'gap_near_sanctioned_area') {
    const off = point(e['off']);
    const on = point(e['on']);
    Object.assign(facts, {
      area: str(e['area']),
      country: str(e['country']),
      off: iso(off?.t),
      on: iso(on?.t),
      durationS: num(e['durationMs']) === null ? null : Math.round((e['durationMs'] as number) / 1000),
      offDistanceM: num(e['offDistanceM']),
      onDistanceM: num(e['onDistanceM']),
      neededS: num(e['neededMs']) === null ? null : Math.round((e['neededMs'] as number) / 1000),
      draughtBeforeM: num(e['draughtBeforeM']),
      draughtAfterM: num(e['draughtAfterM']),
      draughtIncreaseM: num(e['draughtIncreaseM']),
    });
    if (off) features.push(pointFeature('off', off));
    if (on) features.push(pointFeature('on', on));
  } else if (type === 'voyage_irregularity') {
    const from = record(e['from']);
    const to = record(e['to']);
    Object.assign(facts, {
      kinds: Array.isArray(e['kinds']) ? e['kinds'].filter((k) => typeof k === 'string').join(' ') : null,
      fromPort: str(from?.['name']) ?? str(from?.['id']),
      toPort: str(to?.['name']) ?? str(to?.['id']),
      departure: iso(from?.['departure']),
      arrival: iso(to?.['arrival']),
      durationS: num(e['durationMs']) === null ? null : Math.round((e['durationMs'] as number) / 1000),
      distanceM: num(e['distanceM']),
      usualSpeedKn: num(e['usualSpeedKn']),
      draughtDepartureM: num(from?.['draughtM']),
      draughtArrivalM: num(to?.['draughtM']),
    });
    const a = point(from);
    const b = point(to);
    if (a) features.push(pointFeature('from_port', { ...a, t: num(from?.['departure']) }));
    if (b) features.push(pointFeature('to_port', { ...b, t: num(to?.['arrival']) }));
  }
  return { type, reasons, facts, geometry: { type: 'FeatureCollection', features } };
}
