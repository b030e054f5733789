import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IDENTITY_OPTIONS as OPTS,
  impossibleJumps,
  identityOptions,
  sharedMmsiAnomaly,
  splitTrackByImpossibleSpeed,
  type Fix,
} from '../src/index.ts';
import { destination, HOUR, MIN, sail, T0 } from './tracks.ts';

const MMSI = 273000001;

describe('impossible jumps', () => {
  it('a ship crossing 180° at 12 kn is not a jump (naive degrees would say 39,000 km in a minute)', () => {
    const track = sail({ lon: 179.9, lat: 10, course: 90, kn: 12, n: 120, stepMs: MIN });
    expect(track.some((f) => f.lon < 0)).toBe(true); // it did cross
    expect(impossibleJumps(track, OPTS)).toEqual([]);
    expect(sharedMmsiAnomaly(MMSI, track, OPTS)).toBeNull();
    expect(splitTrackByImpossibleSpeed(track, OPTS)).toHaveLength(1);
    // Hours apart, westbound, across the line: 72 nm in 6 h is still 12 kn.
    const sparse = sail({ lon: -179.5, lat: -20, course: 270, kn: 12, n: 4, stepMs: 6 * HOUR });
    expect(sparse[1]!.lon).toBeGreaterThan(0);
    expect(impossibleJumps(sparse, OPTS)).toEqual([]);
  });

  it('at high latitude a degree of longitude is short: 16 kn along 80° N and a pass near the pole are not jumps', () => {
    // ~1.5° of longitude an hour at 80° N (~29 km/h); reading degrees as 111 km would give 90 kn.
    const arctic = sail({ lon: 10, lat: 80, course: 90, kn: 16, n: 24, stepMs: HOUR });
    expect(arctic[1]!.lon - arctic[0]!.lon).toBeGreaterThan(1.4);
    expect(impossibleJumps(arctic, OPTS)).toEqual([]);
    const polar: Fix[] = [
      { ts: T0, lon: 0, lat: 89.9 },
      { ts: T0 + HOUR, lon: 180, lat: 89.9 }, // 22 km over the pole in an hour: 12 kn
    ];
    expect(impossibleJumps(polar, OPTS)).toEqual([]);
  });

  it('jitter below the distance floor is not a jump, however fast it looks', () => {
    const base = sail({ lon: 24.1, lat: 36.5, course: 45, kn: 0.5, n: 60, stepMs: 2000 });
    // Every other fix 800 m off: 800 m in 2 s is ~780 kn, but under the 10 km floor.
    const jittery = base.map((f, i) => (i % 2 ? { ...f, ...destination(f.lon, f.lat, 135, 800) } : f));
    expect(impossibleJumps(jittery, OPTS)).toEqual([]);
    expect(sharedMmsiAnomaly(MMSI, jittery, OPTS)).toBeNull();
    // The same offset is a jump once the floor is lowered below it.
    expect(impossibleJumps(jittery, { ...OPTS, minJumpKm: 0.5 }).length).toBe(59);
  });

  it('a fast but possible leg stays under the limit; the limit is configurable', () => {
    const ferry = sail({ lon: 23.6, lat: 37.9, course: 180, kn: 40, n: 30, stepMs: 10 * MIN });
    expect(impossibleJumps(ferry, OPTS)).toEqual([]);
    expect(impossibleJumps(ferry, identityOptions({ maxSpeedKn: 25 }))).toHaveLength(29);
  });

  it('sorts an unordered track and treats a distant fix at the same instant as infinitely fast', () => {
    const a = { ts: T0, lon: 10, lat: 55 };
    const b = { ts: T0, lon: 12, lat: 55 };
    expect(impossibleJumps([a, b], OPTS)[0]).toMatchObject({ kn: Infinity, hours: 0 });
    const track = sail({ lon: 10, lat: 55, course: 0, kn: 10, n: 10, stepMs: MIN });
    expect(impossibleJumps([...track].reverse(), OPTS)).toEqual([]);
  });
});

/** Two ships 200 km apart reporting one MMSI every 2 min, offset by 1 min. */
function interleaved(n: number): { a: Fix[]; b: Fix[]; merged: Fix[] } {
  const a = sail({ lon: 24.0, lat: 36.0, course: 90, kn: 12, n, stepMs: 2 * MIN });
  const b = sail({ lon: 26.2, lat: 36.2, course: 270, kn: 11, n, stepMs: 2 * MIN, t0: T0 + MIN });
  return { a, b, merged: [...a, ...b].sort((x, y) => x.ts - y.ts) };
}

describe('splitTrackByImpossibleSpeed', () => {
  it('separates two interleaved transmitters into exactly their two tracks, not a zig-zag', () => {
    const { a, b, merged } = interleaved(40);
    const segments = splitTrackByImpossibleSpeed(merged, OPTS);
    expect(segments).toEqual([a, b]);
  });

  it('puts a single far-off fix in a segment of its own and keeps the track whole around it', () => {
    const track = sail({ lon: 5, lat: 53, course: 10, kn: 14, n: 30, stepMs: MIN });
    const glitch = { ts: track[15]!.ts + 30_000, lon: 7, lat: 54 };
    const segments = splitTrackByImpossibleSpeed([...track, glitch], OPTS);
    expect(segments).toEqual([track, [glitch]]);
  });

  it('keeps at most maxOpenSegments segments open, dropping the stalest', () => {
    // Five transmitters in five seas, each reporting in turn; with 2 open segments the early ones close.
    const seas = [0, 20, 40, 60, 80].map((lon, k) => sail({ lon, lat: 0, course: 0, kn: 10, n: 3, stepMs: 5 * MIN, t0: T0 + k * MIN }));
    const merged = seas.flat().sort((x, y) => x.ts - y.ts);
    expect(splitTrackByImpossibleSpeed(merged, OPTS)).toHaveLength(5);
    expect(splitTrackByImpossibleSpeed(merged, { ...OPTS, maxOpenSegments: 2 }).length).toBeGreaterThan(5);
  });
});

describe('sharedMmsiAnomaly', () => {
  it('two sustained transmitters: high, with the jump count, the worst jump and both segments', () => {
    const { merged } = interleaved(20);
    const a = sharedMmsiAnomaly(MMSI, merged, OPTS)!;
    expect(a.kind).toBe('shared_mmsi');
    expect(a.severity).toBe('high');
    expect(a.evidence.jumps).toBe(merged.length - 1); // every consecutive pair alternates ships
    expect(a.evidence.segments.map((s) => s.fixes)).toEqual([20, 20]);
    expect(a.evidence.worst.km).toBeGreaterThan(150);
    expect(a.evidence.worst.kn).toBeGreaterThan(4000); // ~190 km in one minute
    expect(a.evidence.worst.hours).toBeCloseTo(1 / 60, 6);
    expect(a.detectedFrom).toBe(new Date(T0).toISOString());
    expect(a.detectedTo).toBe(new Date(merged[merged.length - 1]!.ts).toISOString());
    expect(a.explanation).toMatch(/^MMSI 273000001: 39 consecutive-fix jumps faster than 50 kn over more than 10 km \(worst: \d+\.\d km in 1 min at 2024-03-01 00:\d\dZ, [\d,]+ kn\); two or more transmitters share this MMSI: the track splits into 2 segments \(20, 20 fixes\)$/);
  });

  it('one glitch: low severity, explained as isolated bad fixes', () => {
    const track = sail({ lon: 5, lat: 53, course: 10, kn: 14, n: 30, stepMs: MIN });
    const glitch = { ts: track[15]!.ts + 30_000, lon: 7, lat: 54 };
    const a = sharedMmsiAnomaly(MMSI, [...track, glitch].sort((x, y) => x.ts - y.ts), OPTS)!;
    expect(a.severity).toBe('low');
    expect(a.evidence.jumps).toBe(2); // out and back
    expect(a.explanation).toContain('likely isolated bad fixes');
  });
});
