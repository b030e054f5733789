import { geodesicDistanceM, MS_TO_KN } from '@rendezvous/geodesy';
import { mulberry32 } from '@rendezvous/test-support';
import { describe, expect, it } from 'vitest';
import { SENSITIVE_DARK_PROFILE } from '../src/dark-profile.ts';
import { detectLoitering, hourlyMovement, loiteringEventKey, mayHaveSlowHour } from '../src/loitering.ts';
import type { Track } from '../src/tracks.ts';
import { ctx, DAY0, HERE, HOUR, loiterer, MIN, NM, sail, scramble, shoreAt } from './dark-fixtures.ts';

const L = 248000001;
const ARRIVE = DAY0 + 10 * HOUR;
const LEAVE = DAY0 + 16 * HOUR;

describe('hourlyMovement', () => {
  it('splits a leg crossing an hour edge in proportion to time, and skips legs ≥ 1 h', () => {
    const tr = { t: [DAY0 + 30 * MIN, DAY0 + 80 * MIN, DAY0 + 200 * MIN], lon: [0, 0.1, 0.2], lat: [0, 0, 0], n: 3 };
    const h = hourlyMovement(tr);
    const d = geodesicDistanceM(0, 0, 0.1, 0);
    expect(h).toHaveLength(2);
    expect(h[0]).toMatchObject({ hour: DAY0 / HOUR, timeMs: 30 * MIN, first: DAY0 + 30 * MIN, last: DAY0 + HOUR });
    expect(h[0]!.distM).toBeCloseTo((d * 30) / 50, 2); // legs are measured by the chord: 1 mm short at 11 km
    expect(h[1]).toMatchObject({ hour: DAY0 / HOUR + 1, timeMs: 20 * MIN, first: DAY0 + HOUR, last: DAY0 + 80 * MIN });
    expect(h[1]!.distM).toBeCloseTo((d * 20) / 50, 2);
  });
});

describe('mayHaveSlowHour (the screen that spares sailing vessels the per-leg work)', () => {
  /** A random track: speeds from drifting to fast, report intervals from seconds to over an hour, repeated instants, jumps. */
  function randomTrack(r: () => number) {
    const n = 2 + Math.floor(r() * 120);
    const t: number[] = [];
    const lon: number[] = [];
    const lat: number[] = [];
    let [x, y, time] = [-40 + r() * 10, 40 + r() * 10, DAY0 + r() * HOUR];
    const kn = [0.3, 1.5, 1.99, 2.01, 2.5, 8, 15][Math.floor(r() * 7)]!;
    // Some tracks repeat instants or fall silent for over an hour; some wander, most hold a course.
    const [pSame, pLong, turn] = [r() < 0.3 ? 0.03 : 0, r() < 0.3 ? 0.05 : 0, r() < 0.3 ? Math.PI : 0.2];
    let c = r() * 2 * Math.PI;
    for (let i = 0; i < n; i++) {
      const dt = r() < pSame ? 0 : r() < pLong ? 70 * MIN : [10_000, 60_000, 5 * MIN, 10 * MIN, 25 * MIN][Math.floor(r() * 5)]!;
      time += dt;
      const metres = (kn / MS_TO_KN) * (dt / 1000) * (0.5 + r());
      c += (r() - 0.5) * 2 * turn;
      x += (metres * Math.sin(c)) / (111_320 * Math.cos((y * Math.PI) / 180));
      y += (metres * Math.cos(c)) / 111_132;
      t.push(time);
      lon.push(x);
      lat.push(y);
    }
    return { t, lon, lat, n };
  }

  it('says "no slow hour" only when hourlyMovement has none, over 5,000 random tracks', () => {
    const r = mulberry32(13);
    let skipped = 0;
    let slowSeen = 0;
    for (let k = 0; k < 5000; k++) {
      const tr = randomTrack(r);
      const slowHours = hourlyMovement(tr).filter((h) => (h.distM / (h.timeMs / 1000)) * MS_TO_KN < 2).length;
      if (slowHours > 0) slowSeen++;
      if (!mayHaveSlowHour(tr, 2)) {
        skipped++;
        expect(slowHours, `track ${k}`).toBe(0);
      }
    }
    // Both sides are exercised: the screen spares many tracks, and many have slow hours.
    expect(skipped).toBeGreaterThan(500);
    expect(slowSeen).toBeGreaterThan(500);
  });

  it('a vessel sailing at 6 kn is screened out; one hour of drifting in its day is not', () => {
    const sailing = sail(L, HERE, DAY0, DAY0 + 24 * HOUR, 90, 6);
    const norm = { t: sailing.points.map((p) => p.t), lon: sailing.points.map((p) => p.lon), lat: sailing.points.map((p) => p.lat), n: sailing.points.length };
    expect(mayHaveSlowHour(norm, 2)).toBe(false);
    const k = norm.n >> 1;
    for (let i = k; i < norm.n; i++) [norm.lon[i], norm.lat[i]] = [norm.lon[k]!, norm.lat[k]!]; // lies still from mid-day
    expect(mayHaveSlowHour(norm, 2)).toBe(true);
  });
});

describe('detectLoitering', () => {
  it('drifting at 0.5 kn for 6 h far offshore is loitering, with its numbers', () => {
    const events = detectLoitering([loiterer(L, HERE, ARRIVE, LEAVE, 0.5)], ctx());
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e).toMatchObject({ type: 'loitering', mmsi: L, segment: null, profile: 'dark-default', start: ARRIVE, end: LEAVE, durationMs: 6 * HOUR, points: 37, truncated: false, truncatedStart: false });
    expect(e.meanSpeedKn).toBeGreaterThan(0.49);
    expect(e.meanSpeedKn).toBeLessThan(0.51);
    expect(geodesicDistanceM(e.centroid.lon, e.centroid.lat, HERE.lon, HERE.lat) / NM).toBeCloseTo(1.5, 1);
    expect(e.hull.length).toBeGreaterThanOrEqual(2);
    expect(e.shoreDistanceM).toBeGreaterThan(20 * NM);
    expect(e.reasons.join('\n')).toMatch(/0\.50 kn over 6 slow clock hours/);
    expect(loiteringEventKey(e)).toBe(`loitering:${L}:${new Date(ARRIVE).toISOString()}:dark-default`);
  });

  it('a hull around a square drift pattern has its corners', () => {
    const s = (dlon: number, dlat: number) => ({ lon: HERE.lon + dlon, lat: HERE.lat + dlat });
    const c = [s(0, 0), s(0.001, 0), s(0.001, 0.001), s(0, 0.001)];
    const points = Array.from({ length: 37 }, (_, k) => ({ t: ARRIVE + k * 10 * MIN, ...c[k % 4]!, sog: 0.3 }));
    const [e] = detectLoitering([{ mmsi: L, points }], ctx());
    expect(e!.hull).toHaveLength(4);
    expect(e!.hull).toContainEqual([60.001, 20.001]);
  });

  it('slow steaming at 2.5 kn is not loitering; 1.9 kn is', () => {
    expect(detectLoitering([sail(L, HERE, DAY0, DAY0 + 12 * HOUR, 90, 2.5)], ctx())).toEqual([]);
    expect(detectLoitering([sail(L, HERE, DAY0, DAY0 + 12 * HOUR, 90, 1.9)], ctx())).toHaveLength(1);
  });

  it('too short: 3 h → none by default, but the sensitive profile (2 h) reports a watchlisted vessel', () => {
    const tr = loiterer(L, HERE, ARRIVE, ARRIVE + 3 * HOUR, 0.5);
    expect(detectLoitering([tr], ctx())).toEqual([]);
    const s = detectLoitering([tr], ctx({ sensitiveMmsis: new Set([L]) }));
    expect(s).toHaveLength(1);
    expect(s[0]!.profile).toBe(SENSITIVE_DARK_PROFILE.name);
  });

  it('port stay: loitering within the port radius → none', () => {
    const isNearPort = (lon: number, lat: number, r: number) => geodesicDistanceM(lon, lat, HERE.lon, HERE.lat) <= r;
    expect(detectLoitering([loiterer(L, HERE, ARRIVE, LEAVE, 0.5)], ctx({ isNearPort }))).toEqual([]);
    const far = (lon: number, lat: number, r: number) => geodesicDistanceM(lon, lat, HERE.lon + 1, HERE.lat) <= r;
    expect(detectLoitering([loiterer(L, HERE, ARRIVE, LEAVE, 0.5)], ctx({ isNearPort: far }))).toHaveLength(1);
  });

  it('near shore (< 20 nm) → none', () => {
    const shoreLon = HERE.lon - (15 * NM) / (111_320 * Math.cos((HERE.lat * Math.PI) / 180));
    expect(detectLoitering([loiterer(L, HERE, ARRIVE, LEAVE, 0.5)], ctx({ shoreDistanceM: shoreAt(shoreLon) }))).toEqual([]);
  });

  it('a silence covering whole clock hours breaks the event', () => {
    // 10:00–13:00 and 15:00–18:00 slow, nothing from 13:00 to 15:00: two 3 h pieces, neither ≥ 4 h.
    const tr = loiterer(L, HERE, ARRIVE, ARRIVE + 8 * HOUR, 0.5, { silences: [[ARRIVE + 3 * HOUR, ARRIVE + 5 * HOUR]] });
    expect(detectLoitering([tr], ctx())).toEqual([]);
    expect(detectLoitering([tr], ctx({ profiles: [{ ...SENSITIVE_DARK_PROFILE, appliesTo: 'all' }] }))).toHaveLength(2);
  });

  it('flags an event that reaches the end (or start) of the loaded data as truncated', () => {
    const tr = loiterer(L, HERE, ARRIVE, LEAVE, 0.5);
    const cut: Track = { mmsi: L, points: tr.points.filter((p) => p.t <= ARRIVE + 5 * HOUR + 30 * MIN) };
    const [e] = detectLoitering([cut], ctx());
    expect(e).toMatchObject({ truncated: true, truncatedStart: false, end: ARRIVE + 5 * HOUR + 30 * MIN });
    const late: Track = { mmsi: L, points: tr.points.filter((p) => p.t >= ARRIVE + 30 * MIN) };
    expect(detectLoitering([late], ctx())[0]).toMatchObject({ truncated: false, truncatedStart: true });
  });

  it('across the antimeridian: one event, centroid at ±180, hull continuous', () => {
    const spot = { lon: 179.99, lat: -17 };
    const tr = loiterer(L, spot, ARRIVE, LEAVE, 1); // drifts 6 nm east, across 180°
    expect(tr.points.some((p) => p.lon < 0)).toBe(true);
    const events = detectLoitering([tr], ctx({ shoreDistanceM: shoreAt(170) }));
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(Math.abs(e.centroid.lon)).toBeGreaterThan(179.9);
    expect(e.meanSpeedKn).toBeLessThan(1.05);
    const lons = e.hull.map(([x]) => x);
    expect(Math.max(...lons) - Math.min(...lons)).toBeLessThan(0.2);
  });

  it('events are owned by the window containing their start', () => {
    const tr = [loiterer(L, HERE, ARRIVE, LEAVE, 0.5)];
    expect(detectLoitering(tr, ctx({ window: { from: ARRIVE + 1, to: DAY0 + 48 * HOUR } }))).toEqual([]);
    expect(detectLoitering(tr, ctx({ window: { from: ARRIVE, to: ARRIVE + 1 } }))).toHaveLength(1);
  });

  it('is per segment, and deterministic whatever the input order', () => {
    const tracks = [
      loiterer(L, HERE, ARRIVE, LEAVE, 0.5, { segment: 'b' }),
      loiterer(L, { lon: 61, lat: 21 }, ARRIVE + HOUR, LEAVE, 0.2, { segment: 'a' }),
      loiterer(248000002, { lon: 62, lat: 19 }, ARRIVE, LEAVE + 5 * HOUR, 1.2),
      sail(248000003, HERE, DAY0, DAY0 + 20 * HOUR, 10, 12),
    ];
    const a = detectLoitering(tracks, ctx());
    expect(a.map((e) => `${e.mmsi}:${e.segment}`)).toEqual([`${L}:b`, '248000002:null', `${L}:a`]);
    expect(detectLoitering(scramble(tracks), ctx())).toEqual(a);
  });
});
