import { describe, expect, it } from 'vitest';
import { behaviourMarks, factLabel, factRows, factValue, formatLonLat, placeLines, type PlaceFeature } from '../src/behaviour-format.ts';

describe("an alert's behaviour facts, whatever the type names", () => {
  it('turns fact names into words, units dropped from the label', () => {
    expect(factLabel('offShoreDistanceM')).toBe('Off shore distance');
    expect(factLabel('impliedSpeedKn')).toBe('Implied speed');
    expect(factLabel('durationS')).toBe('Duration');
    expect(factLabel('draughtArrival')).toBe('Draught arrival');
    expect(factLabel('from_port')).toBe('From port');
    expect(factLabel('kinds')).toBe('Kinds');
    expect(factLabel('sanctionedPort')).toBe('Sanctioned port');
    // Not a unit: a name that is only the letter; an acronym stays one word.
    expect(factLabel('M')).toBe('M');
    expect(factLabel('ISOCode')).toBe('Iso code');
    expect(factLabel('gapKeys')).toBe('Gap keys');
  });

  it('reads values by their unit, times in UTC, draughts with a decimal', () => {
    expect(factValue('distanceM', 12_500)).toBe('12.5 km');
    expect(factValue('offDistanceM', 850.4)).toBe('850 m');
    expect(factValue('impliedSpeedKn', 3.14)).toBe('3.1 kn');
    expect(factValue('durationS', 7_500)).toBe('2 h 5 min');
    expect(factValue('distanceNm', 312.25)).toBe('312.3 nm');
    expect(factValue('excessH', 40)).toBe('40.0 h');
    expect(factValue('draughtArrival', 14)).toBe('14.0 m');
    expect(factValue('draughtIncreaseM', 5.83)).toBe('5.8 m');
    expect(factValue('arrival', '2026-11-20T04:07:31.000Z')).toBe('2026-11-20 04:07Z');
    expect(factValue('ongoing', true)).toBe('yes');
    expect(factValue('truncated', false)).toBe('no');
    expect(factValue('country', 'PRK')).toBe('PRK');
    expect(factValue('durationS', 6 * 86_400 + 3_600)).toBe('6 d 1 h');
    expect(factValue('kinds', 'destination_mismatch hidden_stop')).toBe('destination mismatch, hidden stop');
    expect(factValue('portId', 'sanctioned:PRK:Nampho')).toBe('sanctioned:PRK:Nampho');
    expect(factValue('profile', 'sanctions')).toBe('sanctions');
    expect(factValue('positionsBefore', 12)).toBe('12');
    expect(factValue('ratio', 2.71828)).toBe('2.72');
    expect(factValue('port', null)).toBe('—');
    expect(factValue('x', Number.NaN)).toBe('—');
  });

  it('keeps only the facts with a value, in the order given', () => {
    expect(factRows({ port: 'Nampho', country: 'PRK', departure: null, draughtArrival: 9.2, kinds: '' })).toEqual([
      ['Port', 'Nampho'],
      ['Country', 'PRK'],
      ['Draught arrival', '9.2 m'],
    ]);
    expect(factRows(null)).toEqual([]);
  });
});

describe("an alert's places", () => {
  const features: PlaceFeature[] = [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [125.385, 38.7315] }, properties: { role: 'port', time: '2026-11-20T04:00:00.000Z' } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [-70.5, -33.25] }, properties: { role: 'from_port' } },
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [[124, 38], [125, 39]] }, properties: { role: 'straight_line' } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: { role: 'hull' } },
    // Malformed: left out of the map, and of the words where there is nothing to say.
    { type: 'Feature', geometry: { type: 'Point', coordinates: ['x', 1] }, properties: { role: 'bad' } },
    { type: 'Feature', geometry: null, properties: { role: 'none' } },
  ];

  it('says where they are in words (the map canvas says nothing to a screen reader)', () => {
    expect(formatLonLat([-70.5, -33.25])).toBe('33.2500° S, 70.5000° W');
    expect(placeLines(features)).toEqual([
      'Port: 38.7315° N, 125.3850° E at 2026-11-20 04:00Z',
      'From port: 33.2500° S, 70.5000° W',
      'Straight line: line of 2 points',
      'Hull: area of 3 corners',
    ]);
  });

  it('draws points labelled by role and time, lines and areas, and nothing malformed', () => {
    const marks = behaviourMarks(features);
    expect(marks.map((m) => [m.geometry.type, m.label])).toEqual([
      ['Point', 'Port 04:00Z'],
      ['Point', 'From port'],
      ['LineString', 'Straight line'],
      ['Polygon', 'Hull'],
    ]);
    expect(marks[0]!.geometry.coordinates).toEqual([125.385, 38.7315]);
  });
});
