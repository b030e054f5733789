import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IDENTITY_OPTIONS as OPTS,
  anomaliesFromFacts,
  fixedPatternAnomaly,
  imoFarApartAnomaly,
  isInland,
  onLandAnomaly,
  sogMismatchAnomaly,
  type Fix,
} from '../src/index.ts';
import { destination, HOUR, MIN, sail, T0 } from './tracks.ts';

const MMSI = 273000101;
const withSog = (track: Fix[], sog: number | null): Fix[] => track.map((f) => ({ ...f, sog }));
/** A circle of radius `r` m run every `periodMin`, one fix a minute for `n` minutes, reporting `sog`. */
const circle = (r: number, periodMin: number, n: number, sog: number): Fix[] =>
  Array.from({ length: n }, (_, i) => ({ ts: T0 + i * MIN, ...destination(30, 43, (360 * i) / periodMin, r), sog }));

describe('imo_far_apart', () => {
  const self = withSog(sail({ lon: 88, lat: 15, course: 0, kn: 12, n: 12, stepMs: 10 * MIN }), 12);
  it('fires when another MMSI with the IMO is > 500 nm away within 1 h, on ≥ 3 fixes', () => {
    const far = withSog(sail({ lon: 66, lat: 12, course: 90, kn: 12, n: 12, stepMs: 10 * MIN, t0: T0 + 30 * MIN }), 12);
    const a = imoFarApartAnomaly(MMSI, self, [{ mmsi: 273000102, imo: 9074729, track: far }], OPTS);
    expect(a?.evidence.fixes).toBe(12);
    expect(a?.evidence.worst.nm).toBeGreaterThan(1000);
  });
  it('negatives: near (< 500 nm), not at the same time (> 1 h apart), fewer than 3 fixes, no peer', () => {
    const near = withSog(sail({ lon: 86, lat: 15, course: 0, kn: 12, n: 12, stepMs: 10 * MIN }), 12);
    expect(imoFarApartAnomaly(MMSI, self, [{ mmsi: 2, imo: 9074729, track: near }], OPTS)).toBeNull();
    const later = withSog(sail({ lon: 66, lat: 12, course: 90, kn: 12, n: 12, stepMs: 10 * MIN, t0: T0 + 4 * HOUR }), 12);
    expect(imoFarApartAnomaly(MMSI, self, [{ mmsi: 2, imo: 9074729, track: later }], OPTS)).toBeNull();
    const brief = withSog(sail({ lon: 66, lat: 12, course: 90, kn: 12, n: 1, stepMs: 10 * MIN, t0: T0 - 55 * MIN }), 12);
    expect(imoFarApartAnomaly(MMSI, self, [{ mmsi: 2, imo: 9074729, track: brief }], OPTS)).toBeNull();
    expect(imoFarApartAnomaly(MMSI, self, [], OPTS)).toBeNull();
  });
});

describe('fixed_pattern', () => {
  it('a 800 m circle every 8 min at a reported 8 kn for 2 h fires', () => {
    const a = fixedPatternAnomaly(MMSI, circle(400, 8, 120, 8), OPTS);
    expect(a?.evidence.hours).toBe(2);
    expect(a!.evidence.worst.extentM).toBeGreaterThan(790);
    expect(a!.evidence.worst.extentM).toBeLessThan(810);
  });
  it('negatives: a passage at 3+ kn, a circle reported at ≤ 3 kn (anchored swing), a 1.2 km circle, too few fixes, too short', () => {
    expect(fixedPatternAnomaly(MMSI, withSog(sail({ lon: 30, lat: 43, course: 45, kn: 4, n: 120, stepMs: MIN }), 4), OPTS)).toBeNull();
    expect(fixedPatternAnomaly(MMSI, circle(400, 8, 120, 3), OPTS)).toBeNull();
    expect(fixedPatternAnomaly(MMSI, circle(600, 8, 120, 8), OPTS)).toBeNull();
    expect(fixedPatternAnomaly(MMSI, circle(400, 8, 120, 8).filter((_, i) => i % 4 === 0), OPTS)).toBeNull(); // 15 fixes an hour
    expect(fixedPatternAnomaly(MMSI, circle(400, 8, 40, 8), OPTS)).toBeNull(); // 40 min
    expect(fixedPatternAnomaly(MMSI, circle(400, 8, 120, 8).map((f) => ({ ...f, sog: null })), OPTS)).toBeNull();
  });
});

describe('on_land', () => {
  // A toy world: land is everything north of 10° N.
  const land = (_lon: number, lat: number) => lat > 10;
  const at = (lat: number, n: number): Fix[] => Array.from({ length: n }, (_, i) => ({ ts: T0 + i * MIN, lon: 5, lat, sog: 0 }));
  it('needs land all round for the margin: 1 km in is a harbour, 5 km in is inland', () => {
    expect(isInland(5, 10.009, land, 2000)).toBe(false); // ~1 km in
    expect(isInland(5, 10.045, land, 2000)).toBe(true); // ~5 km in
    expect(isInland(5, 9.9, land, 2000)).toBe(false);
  });
  it('fires on ≥ 3 inland fixes only', () => {
    expect(onLandAnomaly(MMSI, at(10.045, 3), land, OPTS)?.evidence.fixes).toBe(3);
    expect(onLandAnomaly(MMSI, at(10.045, 2), land, OPTS)).toBeNull();
    expect(onLandAnomaly(MMSI, at(10.009, 50), land, OPTS)).toBeNull();
  });
  it('anomaliesFromFacts evaluates it only with the hook', () => {
    const facts = { mmsi: MMSI, vessel: null, history: [], imoClaims: [], track: at(10.045, 5), watchlist: [] };
    expect(anomaliesFromFacts(facts).map((a) => a.kind)).not.toContain('on_land');
    expect(anomaliesFromFacts(facts, {}, { isOnLand: land }).map((a) => a.kind)).toContain('on_land');
  });
});

describe('sog_mismatch', () => {
  it('a frozen position under a reported 12 kn, and 20 kn of travel under a reported 0 kn, fire', () => {
    const frozen = Array.from({ length: 90 }, (_, i) => ({ ts: T0 + i * MIN, lon: 20, lat: 35, sog: 12 }));
    expect(sogMismatchAnomaly(MMSI, frozen, OPTS)?.explanation).toContain('barely move');
    const fast = withSog(sail({ lon: 20, lat: 35, course: 0, kn: 20, n: 90, stepMs: MIN }), 0);
    expect(sogMismatchAnomaly(MMSI, fast, OPTS)?.explanation).toContain('much faster');
  });
  it('negatives: honest speed, a turn-around on a lane, a gap (legs > 15 min), under 50 min of legs, no SOG', () => {
    expect(sogMismatchAnomaly(MMSI, withSog(sail({ lon: 20, lat: 35, course: 0, kn: 12, n: 180, stepMs: MIN }), 12), OPTS)).toBeNull();
    const out = sail({ lon: 20, lat: 35, course: 0, kn: 12, n: 30, stepMs: MIN });
    const back = sail({ ...out[29]!, course: 180, kn: 12, n: 30, stepMs: MIN, t0: T0 + 30 * MIN });
    expect(sogMismatchAnomaly(MMSI, withSog([...out, ...back], 12), OPTS)).toBeNull();
    const gappy = [{ ts: T0, lon: 20, lat: 35, sog: 12 }, { ts: T0 + 2 * HOUR, lon: 20, lat: 35, sog: 12 }];
    expect(sogMismatchAnomaly(MMSI, gappy, OPTS)).toBeNull();
    const short = Array.from({ length: 40 }, (_, i) => ({ ts: T0 + i * MIN, lon: 20, lat: 35, sog: 12 }));
    expect(sogMismatchAnomaly(MMSI, short, OPTS)).toBeNull();
    expect(sogMismatchAnomaly(MMSI, Array.from({ length: 90 }, (_, i) => ({ ts: T0 + i * MIN, lon: 20, lat: 35, sog: null })), OPTS)).toBeNull();
  });
});
