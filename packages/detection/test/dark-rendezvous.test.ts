import { geodesicDistanceM } from '@rendezvous/geodesy';
import { describe, expect, it } from 'vitest';
import { detectAisGaps, gapEventKey, type AisGapEvent } from '../src/ais-gaps.ts';
import { darkRendezvousKey, detectDarkRendezvous } from '../src/dark-rendezvous.ts';
import { detectLoitering, loiteringEventKey, type LoiteringEvent } from '../src/loitering.ts';
import { createReceptionIndex } from '../src/reception.ts';
import { ctx, DAY0, HERE, HOUR, loiterer, NM, sail, scramble } from './dark-fixtures.ts';
import { offset } from './gen.ts';

const L = 248000001;
const D = 248000002;
const E = 248000003;

function loitering(mmsi: number, at: { lon: number; lat: number }, start: number, end: number, profile = 'dark-default'): LoiteringEvent {
  return { type: 'loitering', mmsi, segment: null, profile, start, end, durationMs: end - start, meanSpeedKn: 0.4, centroid: at, hull: [[at.lon, at.lat]], shoreDistanceM: 1e6, points: 30, truncated: false, truncatedStart: false, reasons: [] };
}

/** A gap whose off position is offNm from `at` on bearing 270 and on position onNm on bearing 90 (null: open). */
function gap(mmsi: number, at: { lon: number; lat: number }, off: number, on: number, offNm: number, onNm: number | null, profile = 'dark-default'): AisGapEvent {
  const o = offset(at.lon, at.lat, 270, offNm * NM);
  const n = onNm === null ? null : offset(at.lon, at.lat, 90, onNm * NM);
  return {
    type: 'ais_gap', mmsi, segment: null, profile,
    off: { t: off, ...o, sog: 10 }, on: n && { t: on, ...n, sog: 10 },
    start: off, end: on, durationMs: on - off, distanceM: null, impliedSpeedKn: null, positionsBefore: 72,
    offShoreDistanceM: 1e6, onShoreDistanceM: null, neighboursHeard: 3, ongoing: n === null, reasons: [],
  };
}

const SPOT = HERE;
const LOITER = loitering(L, SPOT, DAY0 + 10 * HOUR, DAY0 + 20 * HOUR);

describe('detectDarkRendezvous: loitering + a dark partner (Windward reach test)', () => {
  it('a partner that can reach the spot, stop 1 h and leave within its gap is a dark rendezvous', () => {
    // 18 nm in (1.2 h at 15 kn) + 1 h + 22 nm out (1.47 h) ≪ 14 h dark.
    const g = gap(D, SPOT, DAY0 + 8 * HOUR, DAY0 + 22 * HOUR, 18, 22);
    const out = detectDarkRendezvous([LOITER], [g]);
    expect(out).toHaveLength(1);
    const e = out[0]!;
    expect(e).toMatchObject({ type: 'dark_rendezvous', kind: 'loiter_gap', a: L, b: D, start: DAY0 + 10 * HOUR, end: DAY0 + 20 * HOUR, confidence: 'low', profile: 'dark-default', centroid: SPOT });
    expect(e.separationM / NM).toBeCloseTo(18, 1);
    expect(e.loiteringKey).toBe(loiteringEventKey(LOITER));
    expect(e.gapKeys).toEqual([gapEventKey(g)]);
    expect(e.reasons.join('\n')).toContain(`${D} dark 14.0 h; off 18.0 nm and on 22.0 nm from ${L}'s loitering spot; at 15 kn it needs 1.2 h + 1.0 h stop + 1.5 h of the 14.0 h`);
    expect(darkRendezvousKey(e)).toBe(`dark_rendezvous:loiter_gap:${loiteringEventKey(LOITER)}+${gapEventKey(g)}`);
  });

  it('too far to reach in the gap time → none', () => {
    // 120 nm in + 1 h + 100 nm out at 15 kn = 15.7 h > 14 h.
    expect(detectDarkRendezvous([LOITER], [gap(D, SPOT, DAY0 + 8 * HOUR, DAY0 + 22 * HOUR, 120, 100)])).toEqual([]);
    // 90 + 1 + 90 → 13 h ≤ 14 h passes Windward's sum, but could only be at the spot 14:00–16:00 → fits the loitering.
    expect(detectDarkRendezvous([LOITER], [gap(D, SPOT, DAY0 + 8 * HOUR, DAY0 + 22 * HOUR, 90, 90)])).toHaveLength(1);
  });

  it('the stop must fall inside the loitering', () => {
    // Dark 00:00–12:00, 75 nm away (5 h each way): at the spot only 05:00–07:00, before the loitering (10:00).
    expect(detectDarkRendezvous([LOITER], [gap(D, SPOT, DAY0, DAY0 + 12 * HOUR, 75, 75)])).toEqual([]);
  });

  it('no time overlap → none; the same vessel (or another segment of its MMSI) never pairs with itself', () => {
    expect(detectDarkRendezvous([LOITER], [gap(D, SPOT, DAY0 + 21 * HOUR, DAY0 + 35 * HOUR, 2, 2)])).toEqual([]);
    expect(detectDarkRendezvous([LOITER], [gap(L, SPOT, DAY0 + 8 * HOUR, DAY0 + 22 * HOUR, 2, 2)])).toEqual([]);
    expect(detectDarkRendezvous([LOITER], [{ ...gap(L, SPOT, DAY0 + 8 * HOUR, DAY0 + 22 * HOUR, 2, 2), segment: 'x' }])).toEqual([]);
  });

  it('an open gap uses the off leg only', () => {
    const open = gap(D, SPOT, DAY0 + 12 * HOUR, DAY0 + 26 * HOUR, 3, null);
    const [e] = detectDarkRendezvous([LOITER], [open]);
    expect(e).toMatchObject({ confidence: 'high', start: DAY0 + 12 * HOUR, end: DAY0 + 20 * HOUR });
    expect(e!.reasons.join('\n')).toContain('so far');
    // 150 nm off: 10 h + 1 h > the 8 h left of the loitering.
    expect(detectDarkRendezvous([LOITER], [gap(D, SPOT, DAY0 + 12 * HOUR, DAY0 + 26 * HOUR, 150, null)])).toEqual([]);
  });

  it('works across the antimeridian', () => {
    const spot = { lon: 179.95, lat: -17 };
    const l = loitering(L, spot, DAY0 + 10 * HOUR, DAY0 + 20 * HOUR);
    const g = gap(D, spot, DAY0 + 8 * HOUR, DAY0 + 22 * HOUR, 4, 4); // on position is at ≈ −179.98°
    expect(g.on!.lon).toBeLessThan(0);
    const [e] = detectDarkRendezvous([l], [g]);
    expect(e).toMatchObject({ kind: 'loiter_gap', confidence: 'high' });
    expect(e!.separationM / NM).toBeCloseTo(4, 1);
  });
});

describe('detectDarkRendezvous: two vessels dark at once', () => {
  const at = HERE;
  const pairAt = (sepNm: number) => {
    const g1 = gap(E, at, DAY0, DAY0 + 14 * HOUR, 0, 0);
    const other = offset(g1.off.lon, g1.off.lat, 0, sepNm * NM);
    const g2: AisGapEvent = { ...gap(D, at, DAY0 + 2 * HOUR, DAY0 + 16 * HOUR, 0, 0), off: { t: DAY0 + 2 * HOUR, ...other, sog: 9 } };
    return [g1, g2];
  };

  it('confidence by off-position separation: < 5 nm high, 5–15 medium, 15–50 low, beyond none', () => {
    const conf = (nm: number) => detectDarkRendezvous([], pairAt(nm)).map((e) => e.confidence);
    expect(conf(3)).toEqual(['high']);
    expect(conf(10)).toEqual(['medium']);
    expect(conf(30)).toEqual(['low']);
    expect(conf(49)).toEqual(['low']);
    expect(conf(60)).toEqual([]);
  });

  it('a is the smaller MMSI, start/end the overlap, centroid between the off positions', () => {
    const [g1, g2] = pairAt(4);
    const [e] = detectDarkRendezvous([], [g1!, g2!]);
    expect(e).toMatchObject({ kind: 'dark_dark', a: D, b: E, start: DAY0 + 2 * HOUR, end: DAY0 + 14 * HOUR, loiteringKey: null });
    expect(e!.gapKeys).toEqual([gapEventKey(g2!), gapEventKey(g1!)]);
    expect(geodesicDistanceM(e!.centroid.lon, e!.centroid.lat, g1!.off.lon, g1!.off.lat) / NM).toBeCloseTo(2, 1);
  });

  it('gaps that overlap by less than the 1 h stop, or not at all, do not pair', () => {
    const [g1, g2] = pairAt(2);
    expect(detectDarkRendezvous([], [g1!, { ...g2!, start: g1!.end - 30 * 60_000, end: g1!.end + 12 * HOUR }])).toEqual([]);
    expect(detectDarkRendezvous([], [g1!, { ...g2!, start: g1!.end + 1, end: g1!.end + 12 * HOUR }])).toEqual([]);
  });
});

describe('detectDarkRendezvous: whole pipeline and determinism', () => {
  it('tracks → loitering + gaps → a loiter_gap rendezvous; same result whatever the order or duplicates', () => {
    // L loiters 10:00–20:00; D goes dark 20 nm west at ~08:00 and reappears 20 nm east at 22:00; N keeps reporting nearby.
    const west = offset(SPOT.lon, SPOT.lat, 270, 20 * NM + 10 * 10 * NM);
    const tracks = [
      loiterer(L, SPOT, DAY0 + 10 * HOUR, DAY0 + 20 * HOUR, 0.3),
      sail(D, west, DAY0 - 2 * HOUR, DAY0 + 30 * HOUR, 90, 10, { silences: [[DAY0 + 8 * HOUR, DAY0 + 22 * HOUR]] }),
      sail(248000009, offset(SPOT.lon, SPOT.lat, 0, 10_000), DAY0, DAY0 + 30 * HOUR, 0, 0.3),
    ];
    const c = ctx({ horizon: DAY0 + 30 * HOUR, window: { from: DAY0, to: DAY0 + 24 * HOUR } });
    const ls = detectLoitering(tracks, c);
    const gs = detectAisGaps(tracks, c, createReceptionIndex(tracks));
    expect(ls.map((e) => e.mmsi)).toContain(L);
    expect(gs.map((e) => e.mmsi)).toEqual([D]);
    const out = detectDarkRendezvous(ls, gs);
    const lg = out.filter((e) => e.kind === 'loiter_gap' && e.a === L);
    expect(lg).toHaveLength(1);
    expect(lg[0]!.b).toBe(D);
    expect(detectDarkRendezvous(scramble([...ls, ...ls]), scramble([...gs, ...gs]))).toEqual(out);
  });

  it('results are sorted and stable for many events', () => {
    const ls = [LOITER, loitering(E, offset(SPOT.lon, SPOT.lat, 0, 5 * NM), DAY0 + 9 * HOUR, DAY0 + 15 * HOUR)];
    const gs = [gap(D, SPOT, DAY0 + 8 * HOUR, DAY0 + 22 * HOUR, 6, 6), gap(248000004, SPOT, DAY0 + 7 * HOUR, DAY0 + 21 * HOUR, 2, 12)];
    const out = detectDarkRendezvous(ls, gs);
    expect(out.length).toBe(5); // 2 loiterings × 2 gaps + the two gaps dark together
    expect(detectDarkRendezvous(scramble(ls), scramble(gs))).toEqual(out);
    for (let i = 1; i < out.length; i++) expect(out[i - 1]!.start).toBeLessThanOrEqual(out[i]!.start);
  });

  it('the most sensitive component profile decides', () => {
    const g = gap(D, SPOT, DAY0 + 8 * HOUR, DAY0 + 22 * HOUR, 3, 3, 'dark-sensitive');
    expect(detectDarkRendezvous([LOITER], [g])[0]!.profile).toBe('dark-sensitive');
  });
});
