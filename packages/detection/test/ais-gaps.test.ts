import { geodesicDistanceM } from '@rendezvous/geodesy';
import { describe, expect, it } from 'vitest';
import { detectAisGaps, gapEventKey } from '../src/ais-gaps.ts';
import type { GapTrackInput } from '../src/dark-context.ts';
import { DEFAULT_DARK_PROFILE, SENSITIVE_DARK_PROFILE } from '../src/dark-profile.ts';
import { createReceptionIndex } from '../src/reception.ts';
import type { Track } from '../src/tracks.ts';
import { ctx, DAY0, HERE, HOUR, MIN, NM, sail, scramble, shoreAt } from './dark-fixtures.ts';

const V = 248000001;
const N = 248000009;
const SILENCE = [DAY0 + 12 * HOUR, DAY0 + 26 * HOUR] as const; // off 11:50, on 26:00 → 14 h 10 min

/** V sails east at 10 kn for 30 h with SILENCE; N sails alongside 10 km north, always reporting. */
function scene(o: { vSilence?: readonly [number, number]; nSilence?: readonly [number, number]; nOffsetM?: number; at?: { lon: number; lat: number }; vEvery?: number } = {}): Track[] {
  const at = o.at ?? HERE;
  const nStart = { lon: at.lon, lat: at.lat + (o.nOffsetM ?? 10_000) / 111_000 };
  return [
    sail(V, at, DAY0, DAY0 + 30 * HOUR, 90, 10, { silences: [o.vSilence ?? SILENCE], everyMs: o.vEvery }),
    sail(N, nStart, DAY0, DAY0 + 30 * HOUR, 90, 10, { silences: o.nSilence ? [o.nSilence] : [] }),
  ];
}

/** The data covers up to the tracks' end (30 h), so their last reports open no gap. */
const END = DAY0 + 30 * HOUR;
const gctx = (o: Parameters<typeof ctx>[0] = {}) => ctx({ horizon: END, ...o });
const run = (tracks: readonly GapTrackInput[], c = gctx()) => detectAisGaps(tracks, c, createReceptionIndex(tracks));

describe('detectAisGaps', () => {
  it('a feed that went quiet for most of the gap (a sparse extract) is no evidence: reception share', () => {
    // N reports only in the first and last hour of V's gap: N is "heard nearby", but for 12 of
    // V's 14 dark hours nobody was heard anywhere near (the MarineCadastre sample's shape).
    const tracks = scene();
    const n = tracks[1]!;
    const sparse = { ...n, points: n.points.filter((p) => p.t < SILENCE[0] + HOUR || p.t > SILENCE[1] - HOUR) };
    expect(run([tracks[0]!, sparse])).toEqual([]);
    const [e] = run(tracks);
    expect(e!.reasons.join('\n')).toMatch(/in 100% of its hours/);
  });


  it('a 14 h silence far offshore with a neighbour heard is a gap, with its numbers', () => {
    const events = run(scene());
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e).toMatchObject({ type: 'ais_gap', mmsi: V, segment: null, profile: DEFAULT_DARK_PROFILE.name, ongoing: false, neighboursHeard: 1, positionsBefore: 72 });
    expect(e.off.t).toBe(DAY0 + 12 * HOUR - 10 * MIN);
    expect(e.on!.t).toBe(DAY0 + 26 * HOUR);
    expect(e.start).toBe(e.off.t);
    expect(e.end).toBe(e.on!.t);
    expect(e.durationMs).toBe(14 * HOUR + 10 * MIN);
    expect(e.distanceM!).toBeCloseTo(geodesicDistanceM(e.off.lon, e.off.lat, e.on!.lon, e.on!.lat), 1);
    expect(e.impliedSpeedKn!).toBeGreaterThan(9.9);
    expect(e.impliedSpeedKn!).toBeLessThan(10.1);
    expect(e.offShoreDistanceM).toBeGreaterThan(50 * NM);
    expect(e.onShoreDistanceM).toBeGreaterThan(e.offShoreDistanceM);
    expect(e.reasons.join('\n')).toMatch(/14\.2 h/);
    expect(e.reasons.join('\n')).toMatch(/72 positions/);
    expect(gapEventKey(e)).toBe(`ais_gap:${V}:${new Date(e.off.t).toISOString()}:${DEFAULT_DARK_PROFILE.name}`);
  });

  it('coverage hole: nobody heard nearby during the gap → no alert', () => {
    // N is silent over V's whole gap. V is heard near N's off and on positions, but in 2 of N's
    // 16 dark hours only: nobody else was heard for 14 h, so neither silence can be told from the
    // receivers' (gapMinReceptionShare).
    const events = run(scene({ nSilence: [DAY0 + 11 * HOUR, DAY0 + 27 * HOUR] }));
    expect(events).toEqual([]);
    // Without the share test N's gap passes on its neighbour alone: the share is what rejects it.
    const lenient = run(scene({ nSilence: [DAY0 + 11 * HOUR, DAY0 + 27 * HOUR] }), gctx({ profiles: [{ ...DEFAULT_DARK_PROFILE, gapMinReceptionShare: 0 }] }));
    expect(lenient.map((e) => e.mmsi)).toEqual([N]);
    // A neighbour 80 km away is outside the 50 km reception radius.
    expect(run(scene({ nOffsetM: 80_000 }))).toEqual([]);
  });

  it('a neighbour heard near the ON position only also proves reception', () => {
    // N passes V's on position (≈ 141 nm east of the off position) during the gap, nowhere near the off position.
    const tracks = scene({ nOffsetM: 300_000 });
    const on = run(scene())[0]!.on!;
    tracks[1] = sail(N, { lon: on.lon, lat: on.lat + 0.1 }, DAY0 + 14 * HOUR, DAY0 + 20 * HOUR, 0, 0.5);
    const events = run(tracks);
    expect(events).toHaveLength(1);
    expect(events[0]!.neighboursHeard).toBe(1);
  });

  it('too short: an 11 h silence → none (default), but the sensitive profile (6 h) alerts a watchlisted vessel', () => {
    const tracks = scene({ vSilence: [DAY0 + 12 * HOUR, DAY0 + 23 * HOUR] });
    expect(run(tracks)).toEqual([]);
    const s = run(tracks, gctx({ sensitiveMmsis: new Set([V]) }));
    expect(s).toHaveLength(1);
    expect(s[0]!.profile).toBe(SENSITIVE_DARK_PROFILE.name);
  });

  it('gap starting near shore → none; the sensitive profile accepts 20–50 nm', () => {
    // Shore 30 nm west of the off position.
    const off = run(scene())[0]!.off;
    const shoreLon = off.lon - (30 * NM) / (111_320 * Math.cos((off.lat * Math.PI) / 180));
    expect(run(scene(), gctx({ shoreDistanceM: shoreAt(shoreLon) }))).toEqual([]);
    expect(run(scene(), gctx({ shoreDistanceM: shoreAt(shoreLon), sensitiveMmsis: new Set([V]) }))).toHaveLength(1);
    expect(run(scene(), gctx({ shoreDistanceM: () => 10 * NM, sensitiveMmsis: new Set([V]) }))).toEqual([]);
  });

  it('too few positions before: an hourly reporter (13 in 12 h) → none', () => {
    expect(run(scene({ vEvery: HOUR }))).toEqual([]);
    // 50-minute reports give 15 in the 12 h before: alerted.
    expect(run(scene({ vEvery: 50 * MIN }))).toHaveLength(1);
  });

  it('off position near a port → none', () => {
    const e = run(scene())[0]!;
    const isNearPort = (lon: number, lat: number, r: number) => geodesicDistanceM(lon, lat, e.off.lon, e.off.lat) <= r;
    expect(run(scene(), gctx({ isNearPort }))).toEqual([]);
  });

  it('open gap: counted only once horizon − off ≥ 12 h, then ongoing with end = horizon', () => {
    const tracks = scene({ vSilence: [DAY0 + 12 * HOUR, DAY0 + 40 * HOUR] });
    const off = DAY0 + 12 * HOUR - 10 * MIN;
    expect(run(tracks, gctx({ horizon: off + 11 * HOUR }))).toEqual([]);
    const open = run(tracks, gctx({ horizon: off + 13 * HOUR }));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ ongoing: true, on: null, end: off + 13 * HOUR, durationMs: 13 * HOUR, distanceM: null, impliedSpeedKn: null, onShoreDistanceM: null });
  });

  it('`next` measures a gap that runs past the loaded data to its real end', () => {
    const full = scene();
    const v = full[0]!;
    const cut = v.points.filter((p) => p.t < DAY0 + 12 * HOUR);
    const next = v.points.find((p) => p.t >= DAY0 + 12 * HOUR)!;
    const tracks: GapTrackInput[] = [{ mmsi: V, points: cut, next }, full[1]!];
    const [e] = run(tracks, gctx({ horizon: DAY0 + 30 * HOUR }));
    expect(e).toMatchObject({ ongoing: false, durationMs: 14 * HOUR + 10 * MIN });
    expect(e!.on!.t).toBe(next.t);
    expect(e).toEqual(run(full, gctx())[0]);
  });

  it('events are owned by the window containing the off time', () => {
    const off = DAY0 + 12 * HOUR - 10 * MIN;
    expect(run(scene(), gctx({ window: { from: DAY0, to: off } }))).toEqual([]);
    expect(run(scene(), gctx({ window: { from: off, to: off + 1 } }))).toHaveLength(1);
    expect(run(scene(), gctx({ window: { from: off + 1, to: DAY0 + 48 * HOUR } }))).toEqual([]);
  });

  it('across the antimeridian: neighbours on the other side are heard, the distance is short', () => {
    const at = { lon: 177.5, lat: -17 }; // off Fiji: the off position is at ≈ 179.6°E
    const tracks = scene({ at, nOffsetM: 10_000 });
    const events = run(tracks, gctx({ shoreDistanceM: shoreAt(170) }));
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.off.lon).toBeGreaterThan(0);
    expect(e.on!.lon).toBeLessThan(0); // crossed while dark
    expect(e.distanceM! / NM).toBeGreaterThan(140);
    expect(e.distanceM! / NM).toBeLessThan(143);
    expect(e.neighboursHeard).toBe(1);
  });

  it('segments of one MMSI are judged separately and never hear each other', () => {
    const a = sail(V, HERE, DAY0, DAY0 + 30 * HOUR, 90, 10, { silences: [SILENCE], segment: 'a' });
    const b = sail(V, { lon: HERE.lon, lat: HERE.lat + 0.05 }, DAY0, DAY0 + 30 * HOUR, 90, 10, { segment: 'b' });
    expect(run([a, b])).toEqual([]); // the only one "heard" is the same MMSI
    const events = run([a, b, scene()[1]!]);
    expect(events.map((e) => e.segment)).toEqual(['a']);
    expect(gapEventKey(events[0]!)).toContain(`${V}:a:`);
  });

  it('is deterministic: input order does not matter', () => {
    const tracks = [...scene(), sail(248000003, { lon: 60, lat: 20.2 }, DAY0, DAY0 + 30 * HOUR, 90, 10, { silences: [[DAY0 + 5 * HOUR, DAY0 + 20 * HOUR]] })];
    const a = run(tracks);
    expect(a).toHaveLength(2);
    expect(run(scramble(tracks))).toEqual(a);
  });
});
