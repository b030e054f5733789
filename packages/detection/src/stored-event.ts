import type { RendezvousEvent } from './events.ts';

const NUMBER_FIELDS = ['a', 'b', 'start', 'end', 'durationMs', 'closestDistanceM', 'medianDistanceM', 'medianSpeedKnA', 'medianSpeedKnB', 'steps', 'runs'] as const;
const STRING_FIELDS = ['pairKey', 'profile', 'detectorVersion'] as const;
const OPTIONAL_STRING_FIELDS = ['segmentA', 'segmentB'] as const;

/**
 * A RendezvousEvent read back from storage (the JSON the detector wrote), checked field by field
 * instead of cast: anything malformed throws, naming `what` and the field, so a bad row fails the
 * run loudly rather than being reconciled as an event. Every number the detector writes is finite
 * (buildEvent: a meeting with an unknown median speed is no event). Returns the value itself, so
 * comparisons with fresh events (sameEvent) see exactly what was stored.
 */
export function parseRendezvousEvent(json: unknown, what = 'stored event'): RendezvousEvent {
  const fail = (why: string): never => {
    throw new TypeError(`${what} is not a rendezvous event: ${why}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('not a JSON object');
  const o = json as Record<string, unknown>;
  for (const k of NUMBER_FIELDS) if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) fail(`${k} is ${JSON.stringify(o[k]) ?? 'missing'}, not a finite number`);
  for (const k of STRING_FIELDS) if (typeof o[k] !== 'string') fail(`${k} is ${JSON.stringify(o[k]) ?? 'missing'}, not a string`);
  for (const k of OPTIONAL_STRING_FIELDS) if (o[k] !== undefined && typeof o[k] !== 'string') fail(`${k} is ${JSON.stringify(o[k])}, not a string`);
  if (typeof o['inPort'] !== 'boolean') fail(`inPort is ${JSON.stringify(o['inPort']) ?? 'missing'}, not a boolean`);
  const c = o['centroid'];
  if (typeof c !== 'object' || c === null) return fail('centroid is not an object');
  const { lon, lat } = c as Record<string, unknown>;
  if (typeof lon !== 'number' || typeof lat !== 'number' || !(Math.abs(lon) <= 180) || !(Math.abs(lat) <= 90)) fail(`centroid ${JSON.stringify(c)} is not a { lon, lat } position`);
  return o as unknown as RendezvousEvent;
}
