import { describe, expect, it } from 'vitest';
import { detectEvents, detectWindow } from '../src/detect.ts';
import { dedupeEvents, eventKey, overlapsSameMeeting, reconcileEvents, type RendezvousEvent } from '../src/events.ts';
import { DEFAULT_PROFILES, windowContext } from '../src/profile.ts';
import { sliceTracks, type Track } from '../src/tracks.ts';
import { mulberry32 } from '@rendezvous/test-support';
import { DAY0, HOUR, MIN, offset, track, visit, type Waypoint } from './gen.ts';

const DAY = 24 * HOUR;
const HERE = { lon: 56.9, lat: 25.4 };
const SENSITIVE = new Set([300001]);

function pair(a: number, b: number, station: { lon: number; lat: number }, arrive: number, leave: number, sepM = 150, silencesB: [number, number][] = []): Track[] {
  return [
    track(a, visit(station, arrive, leave, 0), { everyMs: MIN }),
    track(b, visit(offset(station.lon, station.lat, 90, sepM), arrive, leave, 180), { everyMs: 3 * MIN, silences: silencesB }),
  ];
}

/** Three days of scripted meetings plus random background traffic. */
function dataset(): Track[] {
  const tracks: Track[] = [
    ...pair(100001, 100002, HERE, DAY0 + 21 * HOUR + 35 * MIN, DAY0 + DAY + 3 * HOUR + 12 * MIN), // across midnight
    ...pair(100003, 100004, offset(HERE.lon, HERE.lat, 0, 50_000), DAY0 + 6 * HOUR, DAY0 + 20 * HOUR), // 14 h
    ...pair(100005, 100006, offset(HERE.lon, HERE.lat, 0, 100_000), DAY0 + DAY + 8 * HOUR, DAY0 + DAY + 14 * HOUR, 150, [
      [DAY0 + DAY + 10 * HOUR + 30 * MIN, DAY0 + DAY + 12 * HOUR],
    ]), // split by a 90-min silence, merged
    ...pair(300001, 300002, offset(HERE.lon, HERE.lat, 0, 150_000), DAY0 + 13 * HOUR + 20 * MIN, DAY0 + 14 * HOUR + 5 * MIN, 800), // sensitive, 45 min
    ...pair(400001, 400002, offset(HERE.lon, HERE.lat, 0, 200_000), DAY0 + DAY + 16 * HOUR, DAY0 + DAY + 18 * HOUR + 30 * MIN), // same pair twice,
    ...pair(400001, 400002, offset(HERE.lon, HERE.lat, 0, 200_000), DAY0 + DAY + 23 * HOUR + 30 * MIN, DAY0 + 2 * DAY + 2 * HOUR), // 5 h apart
    ...pair(500001, 500002, { lon: 179.9995, lat: -20 }, DAY0 + 2 * HOUR, DAY0 + 7 * HOUR, 100), // antimeridian
  ];
  // Mother ship serving two daughters in turn.
  const mother = { lon: 57.5, lat: 25.0 };
  tracks.push(track(200000, [{ t: DAY0 + 10 * HOUR, ...mother }, { t: DAY0 + DAY + 6 * HOUR, ...mother }], { everyMs: 3 * MIN }));
  const side = offset(mother.lon, mother.lat, 90, 120);
  tracks.push(track(200001, visit(side, DAY0 + 12 * HOUR, DAY0 + 16 * HOUR, 0), { everyMs: MIN }));
  tracks.push(track(200002, visit(side, DAY0 + 21 * HOUR, DAY0 + DAY + 2 * HOUR, 180), { everyMs: MIN }));
  // Background: vessels wandering through the same sea, some slow.
  const r = mulberry32(42);
  for (let v = 0; v < 30; v++) {
    const wps: Waypoint[] = [];
    let t = DAY0 - DAY + r() * 6 * HOUR;
    let pos = { lon: HERE.lon - 1 + 2 * r(), lat: HERE.lat - 1 + 2 * r() };
    while (t < DAY0 + 3 * DAY) {
      wps.push({ t, ...pos });
      const kn = v % 5 === 0 ? 0.5 + r() : 8 + 6 * r();
      const legM = 5_000 + 40_000 * r();
      pos = offset(pos.lon, pos.lat, r() * 360, legM);
      t += (legM / (kn * 0.5144)) * 1000;
    }
    tracks.push(track(600000 + v, wps, { everyMs: 2 * MIN, phaseMs: Math.floor(r() * 120_000) }));
  }
  return tracks;
}

const TRACKS = dataset();
const OPTS = { sensitiveMmsis: SENSITIVE };
const GLOBAL = detectEvents(TRACKS, OPTS);
const RANGE = { from: DAY0, to: DAY0 + 2 * DAY };

function windowed(sizeMs: number): { events: RendezvousEvent[]; provisional: number } {
  const all: RendezvousEvent[] = [];
  let provisional = 0;
  for (let from = RANGE.from; from < RANGE.to; from += sizeMs) {
    const to = from + sizeMs;
    const context = windowContext(DEFAULT_PROFILES, from, to);
    const res = detectWindow(sliceTracks(TRACKS, context.from, context.to), { ...OPTS, from, to, context });
    for (const e of res.events) {
      expect(e.start < to && e.end >= from).toBe(true);
      all.push(e);
    }
    provisional += res.provisional.length;
  }
  return { events: dedupeEvents(all), provisional };
}

describe('windows', () => {
  const expected = GLOBAL.filter((e) => e.start < RANGE.to && e.end >= RANGE.from);

  it('the scripted dataset yields the scripted meetings', () => {
    const keys = expected.map((e) => `${e.pairKey}/${e.profile}`);
    for (const k of [
      '100001-100002/gfw-encounter',
      '100003-100004/gfw-encounter',
      '100005-100006/gfw-encounter',
      '300001-300002/sensitive',
      '200000-200001/gfw-encounter',
      '200000-200002/gfw-encounter',
      '500001-500002/gfw-encounter',
    ]) {
      expect(keys).toContain(k);
    }
    expect(keys.filter((k) => k.startsWith('400001-400002'))).toHaveLength(2);
    expect(expected.find((e) => e.pairKey === '100005-100006')!.runs).toBe(2);
  });

  it.each([
    ['1 h', HOUR],
    ['6 h', 6 * HOUR],
    ['24 h', 24 * HOUR],
  ])('%s windows give exactly the events of one global run (identical fields), all settled', (_, size) => {
    const { events, provisional } = windowed(size);
    expect(provisional).toBe(0);
    expect(events).toEqual(expected);
  });

  it('a window with too little context asks for more (even when nothing is visible yet); widening as told converges on the global result', () => {
    const from = DAY0 + 23 * HOUR;
    const to = DAY0 + DAY;
    const want = expected.filter((e) => e.start < to && e.end >= from);
    expect(want.map((e) => e.pairKey)).toContain('100001-100002');
    // Context = the window: the across-midnight meeting is only 50 min long in it, so not an event yet.
    let context = { from, to };
    let res = detectWindow(sliceTracks(TRACKS, context.from, context.to), { ...OPTS, from, to, context });
    expect(res.events.find((e) => e.pairKey === '100001-100002')).toBeUndefined();
    expect(res.neededContext).not.toBeNull();
    let reruns = 0;
    while (res.neededContext && reruns < 6) {
      context = res.neededContext;
      res = detectWindow(sliceTracks(TRACKS, context.from, context.to), { ...OPTS, from, to, context });
      reruns++;
    }
    expect(res.neededContext).toBeNull();
    expect(res.events).toEqual(want);
  });

  it('an event cut by the context edge is returned but flagged provisional', () => {
    const from = DAY0 + 23 * HOUR;
    const to = DAY0 + DAY;
    const context = { from: from - 7 * HOUR, to: to + 7 * HOUR }; // ≥ the settle margin, < the 5 h 40 min meeting + margin
    const res = detectWindow(sliceTracks(TRACKS, context.from, context.to), { ...OPTS, from, to, context });
    const e = res.events.find((x) => x.pairKey === '100001-100002')!;
    expect(e).toBeDefined();
    expect(res.provisional).toContain(eventKey(e));
    expect(res.neededContext!.from).toBeLessThan(context.from);
  });

  it('input order does not change the output', () => {
    const r = mulberry32(5);
    const shuffled = [...TRACKS].map((t) => [r(), t] as const).sort((a, b) => a[0] - b[0]).map(([, t]) => t);
    expect(JSON.stringify(detectEvents(shuffled, OPTS))).toBe(JSON.stringify(GLOBAL));
    expect(JSON.stringify(detectEvents([...TRACKS].reverse(), OPTS))).toBe(JSON.stringify(GLOBAL));
  });
});

describe('one alert per meeting: keys, late data, reconciliation', () => {
  const arrive = DAY0 + 10 * HOUR;
  const leave = DAY0 + 16 * HOUR;
  const full = pair(700001, 700002, HERE, arrive, leave);

  it('an ongoing meeting keeps its key as it grows → update, not a new alert', () => {
    const live = sliceTracks(full, 0, DAY0 + 13 * HOUR);
    const early = detectWindow(live, { from: DAY0 + 12 * HOUR, to: DAY0 + 13 * HOUR });
    expect(early.events).toHaveLength(1);
    expect(early.provisional).toEqual([eventKey(early.events[0]!)]);
    const later = detectWindow(full, { from: DAY0 + 12 * HOUR, to: DAY0 + 13 * HOUR });
    expect(eventKey(later.events[0]!)).toBe(eventKey(early.events[0]!));
    const rec = reconcileEvents(early.events, later.events);
    expect(rec.update).toHaveLength(1);
    expect(rec.create).toEqual([]);
    expect(rec.retract).toEqual([]);
    expect(reconcileEvents(later.events, later.events).unchanged).toHaveLength(1);
  });

  it('late data extending a meeting backwards retracts the old key in favour of the new one', () => {
    // A's reports before 12:00 arrive late: the first run only sees the meeting from 12:00.
    const partial: Track[] = [{ mmsi: 700001, points: full[0]!.points.filter((p) => p.t >= DAY0 + 12 * HOUR) }, full[1]!];
    const before = detectEvents(partial);
    const after = detectEvents(full);
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(before[0]!.start).toBe(DAY0 + 12 * HOUR);
    expect(after[0]!.start).toBe(arrive);
    expect(overlapsSameMeeting(before[0]!, after[0]!)).toBe(true);
    const rec = reconcileEvents(before, after);
    expect(rec.create.map(eventKey)).toEqual([eventKey(after[0]!)]);
    expect(rec.retract).toEqual([{ event: before[0]!, replacedBy: eventKey(after[0]!) }]);
  });

  it('an event the new data disproves is retracted with no successor', () => {
    const rec = reconcileEvents(detectEvents(full), []);
    expect(rec.retract).toHaveLength(1);
    expect(rec.retract[0]!.replacedBy).toBeNull();
  });

  it('overlapsSameMeeting needs the same pair and overlapping spans', () => {
    const [e] = detectEvents(full);
    expect(overlapsSameMeeting(e!, { ...e!, start: e!.end, end: e!.end + HOUR })).toBe(true);
    expect(overlapsSameMeeting(e!, { ...e!, start: e!.end + 1, end: e!.end + HOUR })).toBe(false);
    expect(overlapsSameMeeting(e!, { ...e!, pairKey: '1-2' })).toBe(false);
  });
});
