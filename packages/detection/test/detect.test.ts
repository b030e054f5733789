import { describe, expect, it } from 'vitest';
import { detectEvents } from '../src/detect.ts';
import { DETECTOR_VERSION, type RendezvousEvent } from '../src/events.ts';
import { geodesicDistanceM } from '@rendezvous/geodesy';
import { createPortIndex } from '../src/ports.ts';
import { DEFAULT_PROFILE, SENSITIVE_PROFILE, type DetectionProfile } from '../src/profile.ts';
import type { Track } from '../src/tracks.ts';
import { DAY0, HOUR, MIN, offset, passage, track, visit, type ReportOptions } from './gen.ts';

const STEP = DEFAULT_PROFILE.gridStepMs;
const GFW_ONLY = [DEFAULT_PROFILE];
const HERE = { lon: 56.9, lat: 25.4 }; // Gulf of Oman, an STS hub (DESIGN.md)

interface MeetingOpts {
  sepM?: number;
  a?: ReportOptions;
  b?: ReportOptions;
  stationA?: { lon: number; lat: number };
  stationB?: { lon: number; lat: number };
}

/** Two vessels sail in (A from the north, B from the south), lie sepM apart from arrive to leave, sail off. */
function meeting(mmsiA: number, mmsiB: number, arrive: number, leave: number, o: MeetingOpts = {}): Track[] {
  const sA = o.stationA ?? HERE;
  const sB = o.stationB ?? offset(sA.lon, sA.lat, 90, o.sepM ?? 150);
  return [
    track(mmsiA, visit(sA, arrive, leave, 0), o.a ?? { everyMs: MIN }),
    track(mmsiB, visit(sB, arrive, leave, 180), o.b ?? { everyMs: 3 * MIN, phaseMs: 70_000 }),
  ];
}

function expectWithinStep(e: RendezvousEvent, start: number, end: number) {
  expect(Math.abs(e.start - start)).toBeLessThanOrEqual(STEP);
  expect(Math.abs(e.end - end)).toBeLessThanOrEqual(STEP);
  expect(e.start % STEP).toBe(0);
  expect(e.end % STEP).toBe(0);
}

describe('detectEvents — GFW encounter rule', () => {
  it('finds a true meeting once, start/end within one grid step, with its measurements', () => {
    const arrive = DAY0 + 10 * HOUR + 3 * MIN;
    const leave = DAY0 + 13 * HOUR + 7 * MIN;
    const events = detectEvents(meeting(372000001, 215000002, arrive, leave), { profiles: GFW_ONLY });
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expectWithinStep(e, arrive, leave);
    expect(e.pairKey).toBe('215000002-372000001');
    expect([e.a, e.b]).toEqual([215000002, 372000001]);
    expect(e.profile).toBe('gfw-encounter');
    expect(e.detectorVersion).toBe(DETECTOR_VERSION);
    expect(e.medianDistanceM).toBeGreaterThan(148);
    expect(e.medianDistanceM).toBeLessThan(152);
    expect(e.closestDistanceM).toBeLessThanOrEqual(e.medianDistanceM);
    expect(e.medianSpeedKnA).toBeLessThan(0.1);
    expect(e.medianSpeedKnB).toBeLessThan(0.1);
    expect(e.durationMs).toBe(e.end - e.start);
    expect(e.steps).toBe((e.end - e.start) / STEP + 1);
    expect(e.runs).toBe(1);
    expect(e.inPort).toBe(false);
    expect(geodesicDistanceM(e.centroid.lon, e.centroid.lat, HERE.lon, HERE.lat)).toBeLessThan(100);
  });

  it('ships crossing at speed → nothing', () => {
    const t = DAY0 + 6 * HOUR;
    const tracks = [
      track(1001, passage(HERE, t, 0, 12, 3 * HOUR), { everyMs: 10_000 }),
      track(1002, passage(HERE, t, 90, 12, 3 * HOUR), { everyMs: 10_000 }),
    ];
    expect(detectEvents(tracks, { profiles: GFW_ONLY })).toEqual([]);
  });

  it('convoy underway (300 m apart at 12 kn for 5 h) → nothing: median speed ≥ 2 kn', () => {
    const t = DAY0 + 6 * HOUR;
    const beside = offset(HERE.lon, HERE.lat, 90, 300);
    const tracks = [
      track(2001, passage(HERE, t, 0, 12, 2.5 * HOUR), { everyMs: MIN }),
      track(2002, passage(beside, t, 0, 12, 2.5 * HOUR), { everyMs: MIN }),
    ];
    expect(detectEvents(tracks, { profiles: GFW_ONLY })).toEqual([]);
    // The pair *is* close for 5 h: only the speed test rejects it.
    const fast: DetectionProfile = { ...DEFAULT_PROFILE, name: 'any-speed', maxMedianSpeedKn: 50 };
    const [e] = detectEvents(tracks, { profiles: [fast] });
    expect(e!.durationMs).toBeGreaterThanOrEqual(4.5 * HOUR);
    expect(e!.medianSpeedKnA).toBeCloseTo(12, 0);
  });

  it('a meeting shorter than the minimum → nothing (1 h 30 min); a 2 h 30 min one is found', () => {
    const arrive = DAY0 + 4 * HOUR;
    expect(detectEvents(meeting(3001, 3002, arrive, arrive + 90 * MIN), { profiles: GFW_ONLY })).toEqual([]);
    expect(detectEvents(meeting(3001, 3002, arrive, arrive + 150 * MIN), { profiles: GFW_ONLY })).toHaveLength(1);
  });

  it('loitering 800 m apart → nothing (but within a 1 km rule it would be)', () => {
    const tracks = meeting(4001, 4002, DAY0 + 2 * HOUR, DAY0 + 8 * HOUR, { sepM: 800 });
    expect(detectEvents(tracks, { profiles: GFW_ONLY })).toEqual([]);
    const km: DetectionProfile = { ...DEFAULT_PROFILE, name: 'km', maxDistanceM: 1000 };
    expect(detectEvents(tracks, { profiles: [km] })).toHaveLength(1);
  });

  it('a meeting across midnight → one event spanning it', () => {
    const arrive = DAY0 + 21 * HOUR + 35 * MIN;
    const leave = DAY0 + 27 * HOUR + 12 * MIN;
    const events = detectEvents(meeting(5001, 5002, arrive, leave), { profiles: GFW_ONLY });
    expect(events).toHaveLength(1);
    expectWithinStep(events[0]!, arrive, leave);
    expect(events[0]!.runs).toBe(1);
  });

  it('a 45-minute silence inside a meeting does not split it (interpolation bridges < 1 h)', () => {
    const arrive = DAY0 + 8 * HOUR;
    const leave = DAY0 + 14 * HOUR;
    const silence = [DAY0 + 10 * HOUR + 30 * MIN, DAY0 + 11 * HOUR + 14 * MIN] as const; // reports 10:29 → 11:14
    const events = detectEvents(meeting(6001, 6002, arrive, leave, { b: { everyMs: MIN, silences: [silence] } }), { profiles: GFW_ONLY });
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expectWithinStep(e, arrive, leave);
    expect(e.runs).toBe(1);
    expect(e.durationMs).toBe(e.end - e.start);
  });

  it('a 90-minute silence splits the meeting into two runs, which the 4 h merge rejoins (gap not counted)', () => {
    const arrive = DAY0 + 8 * HOUR;
    const leave = DAY0 + 14 * HOUR;
    // B silent from 10:30 to 12:00: reports at 10:29 and 12:00 are 91 min apart, so the grid
    // steps 10:30 … 11:50 (9 steps) have no position for B. Runs: 08:00–10:20 and 12:00–14:00.
    const silence = [DAY0 + 10 * HOUR + 30 * MIN, DAY0 + 12 * HOUR] as const;
    const tracks = meeting(7001, 7002, arrive, leave, { b: { everyMs: MIN, silences: [silence] } });
    const events = detectEvents(tracks, { profiles: GFW_ONLY });
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.start).toBe(arrive);
    expect(e.end).toBe(leave);
    expect(e.runs).toBe(2);
    expect(e.durationMs).toBe(2 * HOUR + 20 * MIN + 2 * HOUR);
    expect(e.steps).toBe(15 + 13);
    // With a 1 h merge gap the two runs (each ≥ 2 h) stay separate events.
    const noMerge: DetectionProfile = { ...DEFAULT_PROFILE, name: 'gap-1h', mergeGapMs: HOUR };
    const split = detectEvents(tracks, { profiles: [noMerge] });
    expect(split.map((x) => [x.start - DAY0, x.end - DAY0])).toEqual([
      [8 * HOUR, 10 * HOUR + 20 * MIN],
      [12 * HOUR, 14 * HOUR],
    ]);
  });

  it('merging comes before the duration test (as GFW): two 75-min runs 90 min apart make one 2 h 30 min event', () => {
    const arrive = DAY0 + 8 * HOUR;
    const leave = DAY0 + 12 * HOUR;
    // Close 08:00–09:20 and 10:50–12:00 … B silent 09:30–10:50 (reports 09:29 → 10:50).
    const silence = [DAY0 + 9 * HOUR + 30 * MIN, DAY0 + 10 * HOUR + 50 * MIN] as const;
    const events = detectEvents(meeting(7101, 7102, arrive, leave, { b: { everyMs: MIN, silences: [silence] } }), { profiles: GFW_ONLY });
    expect(events).toHaveLength(1);
    expect(events[0]!.runs).toBe(2);
    expect(events[0]!.durationMs).toBe(80 * MIN + 70 * MIN);
  });

  it('mother ship meeting two others in turn → exactly two events, no daughter–daughter event', () => {
    const mother = track(8000, [
      { t: DAY0 + HOUR, ...HERE },
      { t: DAY0 + 14 * HOUR, ...HERE },
    ], { everyMs: 2 * MIN });
    const east = offset(HERE.lon, HERE.lat, 90, 120);
    const west = offset(HERE.lon, HERE.lat, 270, 120);
    // Both daughters use the same station side in turn; A leaves 3 h before B arrives.
    const a = track(8001, visit(east, DAY0 + 2 * HOUR, DAY0 + 5 * HOUR, 0), { everyMs: MIN });
    const b = track(8002, visit(east, DAY0 + 8 * HOUR, DAY0 + 11 * HOUR, 180), { everyMs: MIN });
    const inTurn = detectEvents([mother, a, b], { profiles: GFW_ONLY });
    expect(inTurn.map((e) => e.pairKey)).toEqual(['8000-8001', '8000-8002']);
    expectWithinStep(inTurn[0]!, DAY0 + 2 * HOUR, DAY0 + 5 * HOUR);
    expectWithinStep(inTurn[1]!, DAY0 + 8 * HOUR, DAY0 + 11 * HOUR);
    // At once, on opposite sides 600 m apart from each other: still only the two mother pairs.
    const farWest = offset(HERE.lon, HERE.lat, 270, 300);
    const farEast = offset(HERE.lon, HERE.lat, 90, 300);
    const c = track(8003, visit(farEast, DAY0 + 3 * HOUR, DAY0 + 7 * HOUR, 0), { everyMs: MIN });
    const d = track(8004, visit(farWest, DAY0 + 4 * HOUR, DAY0 + 8 * HOUR, 180), { everyMs: MIN });
    const atOnce = detectEvents([mother, c, d], { profiles: GFW_ONLY });
    expect(atOnce.map((e) => e.pairKey)).toEqual(['8000-8003', '8000-8004']);
    // …whereas daughters 240 m apart from each other (both 120 m off the mother) do form a pair.
    const e1 = track(8005, visit(east, DAY0 + 3 * HOUR, DAY0 + 7 * HOUR, 0), { everyMs: MIN });
    const e2 = track(8006, visit(west, DAY0 + 3 * HOUR, DAY0 + 7 * HOUR, 180), { everyMs: MIN });
    expect(detectEvents([mother, e1, e2], { profiles: GFW_ONLY }).map((e) => e.pairKey)).toEqual(['8000-8005', '8000-8006', '8005-8006']);
  });

  it('10 s and 6 min reporting rates align onto the grid', () => {
    const arrive = DAY0 + 3 * HOUR + 17 * MIN;
    const leave = DAY0 + 6 * HOUR + 41 * MIN;
    const tracks = meeting(9001, 9002, arrive, leave, { a: { everyMs: 10_000, phaseMs: 4_000 }, b: { everyMs: 6 * MIN, phaseMs: 200_000 } });
    const events = detectEvents(tracks, { profiles: GFW_ONLY });
    expect(events).toHaveLength(1);
    expectWithinStep(events[0]!, arrive, leave);
  });

  it('antimeridian meeting: 179.999°E and 179.999°W, ~150 m apart, is found with the right distance and centroid', () => {
    const lat = 47.7;
    const sA = { lon: 179.999, lat };
    const sB = { lon: -179.999, lat };
    const truth = geodesicDistanceM(sA.lon, sA.lat, sB.lon, sB.lat);
    expect(truth).toBeCloseTo(150.11, 1);
    const arrive = DAY0 + 5 * HOUR;
    const leave = DAY0 + 9 * HOUR;
    const events = detectEvents(meeting(1101, 1102, arrive, leave, { stationA: sA, stationB: sB }), { profiles: GFW_ONLY });
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expectWithinStep(e, arrive, leave);
    expect(e.medianDistanceM).toBeCloseTo(truth, 1);
    expect(Math.abs(Math.abs(e.centroid.lon) - 180)).toBeLessThan(0.0001);
  });

  it('high latitude (75°N): 0.0104° of longitude is 300.58 m (GeographicLib) → found; 0.02° is 578 m → not', () => {
    const sA = { lon: 10, lat: 75 };
    const arrive = DAY0 + 5 * HOUR;
    const leave = DAY0 + 9 * HOUR;
    const near = detectEvents(meeting(1201, 1202, arrive, leave, { stationA: sA, stationB: { lon: 10.0104, lat: 75 } }), { profiles: GFW_ONLY });
    expect(near).toHaveLength(1);
    expect(near[0]!.medianDistanceM).toBeCloseTo(300.58, 2);
    const far = detectEvents(meeting(1201, 1202, arrive, leave, { stationA: sA, stationB: { lon: 10.02, lat: 75 } }), { profiles: GFW_ONLY });
    expect(far).toEqual([]);
  });

  it('pairs are segment-qualified; two segments of one MMSI never pair with each other', () => {
    const arrive = DAY0 + 5 * HOUR;
    const leave = DAY0 + 9 * HOUR;
    const tracks = meeting(1301, 1302, arrive, leave, { a: { everyMs: MIN, segment: 'x' }, b: { everyMs: MIN, segment: 7 } });
    const [e] = detectEvents(tracks, { profiles: GFW_ONLY });
    expect(e!.pairKey).toBe('1301:x-1302:7');
    expect([e!.segmentA, e!.segmentB]).toEqual(['x', '7']);
    const same = meeting(1301, 1301, arrive, leave, { a: { everyMs: MIN, segment: 'x' }, b: { everyMs: MIN, segment: 'y' } });
    expect(detectEvents(same, { profiles: GFW_ONLY })).toEqual([]);
  });
});

describe('sensitive profile (watchlisted vessels)', () => {
  const arrive = DAY0 + 5 * HOUR;
  const leave = arrive + 45 * MIN;
  const tracks = meeting(1401, 1402, arrive, leave, { sepM: 800 });

  it('finds a 45-min 800 m meeting only when one vessel is in sensitiveMmsis', () => {
    expect(detectEvents(tracks)).toEqual([]);
    expect(detectEvents(tracks, { sensitiveMmsis: new Set([999]) })).toEqual([]);
    for (const who of [1401, 1402]) {
      const events = detectEvents(tracks, { sensitiveMmsis: new Set([who]) });
      expect(events).toHaveLength(1);
      expect(events[0]!.profile).toBe('sensitive');
      expectWithinStep(events[0]!, arrive, leave);
    }
  });

  it('a watchlisted pair is judged once, by the sensitive profile; other pairs by GFW', () => {
    const a = meeting(1501, 1502, DAY0 + 2 * HOUR, DAY0 + 6 * HOUR);
    const b = meeting(1601, 1602, DAY0 + 2 * HOUR, DAY0 + 6 * HOUR, { stationA: { lon: 20, lat: 35 } });
    const events = detectEvents([...a, ...b], { sensitiveMmsis: new Set([1502]) });
    expect(events.map((e) => [e.pairKey, e.profile])).toEqual([
      ['1501-1502', 'sensitive'],
      ['1601-1602', 'gfw-encounter'],
    ]);
  });

  it('the sensitive profile alone still applies only to watchlisted pairs', () => {
    expect(detectEvents(tracks, { profiles: [SENSITIVE_PROFILE] })).toEqual([]);
    expect(detectEvents(tracks, { profiles: [SENSITIVE_PROFILE], sensitiveMmsis: new Set([1401]) })).toHaveLength(1);
  });
});

describe('port masking', () => {
  const arrive = DAY0 + 5 * HOUR;
  const leave = DAY0 + 9 * HOUR;
  const tracks = meeting(1701, 1702, arrive, leave);
  const port = offset(HERE.lon, HERE.lat, 45, 6000); // an anchorage 6 km away
  const index = createPortIndex([port, { lon: 0, lat: 0 }], 10_000);

  it('drops events near an anchorage by default (GFW: ≥ 10 km)', () => {
    expect(detectEvents(tracks, { profiles: GFW_ONLY, isNearPort: index.isNearPort })).toEqual([]);
  });

  it('keeps them flagged inPort when the profile says not to drop', () => {
    const keep: DetectionProfile = { ...DEFAULT_PROFILE, dropInPort: false };
    const [e] = detectEvents(tracks, { profiles: [keep], isNearPort: index.isNearPort });
    expect(e!.inPort).toBe(true);
  });

  it('is not near when the profile radius is smaller than the distance', () => {
    const tight: DetectionProfile = { ...DEFAULT_PROFILE, portRadiusM: 5_000 };
    const [e] = detectEvents(tracks, { profiles: [tight], isNearPort: index.isNearPort });
    expect(e!.inPort).toBe(false);
  });
});
