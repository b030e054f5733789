import { describe, expect, it } from 'vitest';
import { sameEvent, type RendezvousEvent } from '../src/events.ts';
import { parseRendezvousEvent } from '../src/stored-event.ts';

const event: RendezvousEvent = {
  pairKey: '200000001-300000001',
  a: 200000001,
  b: 300000001,
  segmentA: '200000001:1',
  start: Date.UTC(2025, 0, 1),
  end: Date.UTC(2025, 0, 1, 3),
  durationMs: 3 * 3_600_000,
  closestDistanceM: 80.5,
  medianDistanceM: 120,
  medianSpeedKnA: 0.4,
  medianSpeedKnB: 0.6,
  centroid: { lon: -179.5, lat: 35.25 },
  steps: 19,
  runs: 1,
  inPort: false,
  profile: 'gfw-encounter',
  detectorVersion: '1',
};

describe('parseRendezvousEvent: a stored event is checked, not cast', () => {
  it('returns an event read back from its JSON unchanged', () => {
    const parsed = parseRendezvousEvent(JSON.parse(JSON.stringify(event)));
    expect(parsed).toEqual(event);
    expect(sameEvent(parsed, event)).toBe(true);
  });

  it.each([
    ['not an object', null, /not a JSON object/],
    ['an array', [], /not a JSON object/],
    ['a missing field', { ...event, pairKey: undefined }, /pairKey is missing, not a string/],
    ['a number as text', { ...event, start: '1735689600000' }, /start is "1735689600000", not a finite number/],
    ['a null median (NaN written as JSON)', { ...event, medianSpeedKnA: null }, /medianSpeedKnA is null/],
    ['a non-string segment', { ...event, segmentB: 7 }, /segmentB is 7, not a string/],
    ['a non-boolean inPort', { ...event, inPort: 'no' }, /inPort/],
    ['a centroid off the globe', { ...event, centroid: { lon: 200, lat: 0 } }, /centroid/],
    ['no centroid', { ...event, centroid: null }, /centroid is not an object/],
  ])('throws on %s, naming the row', (_, json, message) => {
    expect(() => parseRendezvousEvent(json, 'alert k1: stored event')).toThrow(message);
    expect(() => parseRendezvousEvent(json, 'alert k1: stored event')).toThrow(/^alert k1: stored event is not a rendezvous event/);
  });
});
