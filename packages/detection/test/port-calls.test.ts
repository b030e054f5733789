import { describe, expect, it } from 'vitest';
import { createPortLookup, DEFAULT_PORT_CALL_OPTIONS, detectPortCalls, portCallKey, type Port, type PortCallContext } from '../src/port-calls.ts';
import type { Track, TrackPoint } from '../src/tracks.ts';
import { geodesicDistanceM } from '@rendezvous/geodesy';

const HOUR = 3_600_000;
const MIN = 60_000;
const DAY0 = Date.UTC(2024, 0, 1);
const M = 538000001;
/** Metres → degrees of latitude (and of longitude at the equator). */
const deg = (m: number) => m / 111_320;

// Two anchorage points of one port (same name and country) 2 km apart, and a lone unnamed point far away.
const PORTS: Port[] = [
  { id: 'a1', name: 'SUEZ', country: 'EGY', lon: 0, lat: 0, radiusM: 3_000 },
  { id: 'a2', name: 'SUEZ', country: 'EGY', lon: deg(2_000), lat: 0, radiusM: 3_000 },
  { id: 'x9', name: null, country: null, lon: 1, lat: 1, radiusM: 3_000 },
];
const lookup = createPortLookup(PORTS);
const whole: PortCallContext = { range: { from: DAY0 - 24 * HOUR, to: DAY0 + 10 * 24 * HOUR }, window: { from: DAY0 - 24 * HOUR, to: DAY0 + 10 * 24 * HOUR }, horizon: DAY0 + 10 * 24 * HOUR };

/** Fixes every `stepMs` from `from` to `to` at (lon, lat) + f(t), with SOG `sog`. */
function stay(from: number, to: number, lon: number, lat: number, sog: number | null, stepMs = 10 * MIN, jitterM = 0): TrackPoint[] {
  const out: TrackPoint[] = [];
  for (let t = from, k = 0; t <= to; t += stepMs, k++) out.push({ t, lon: lon + deg(jitterM * Math.sin(k)), lat: lat + deg(jitterM * Math.cos(k * 1.7)), sog });
  return out;
}
/** A straight passage at `kn` from (lon0, 0) eastwards, fixes every `stepMs`. */
function sail(from: number, durationMs: number, lon0: number, kn: number, stepMs = 5 * MIN): TrackPoint[] {
  const out: TrackPoint[] = [];
  for (let dt = 0; dt <= durationMs; dt += stepMs) out.push({ t: from + dt, lon: lon0 + deg((kn * 1852 * dt) / HOUR), lat: 0, sog: kn });
  return out;
}
const track = (points: TrackPoint[]): Track => ({ mmsi: M, points });
const detect = (points: TrackPoint[], ctx = whole) => detectPortCalls([track(points)], lookup, ctx);

describe('detectPortCalls', () => {
  it('finds a call: arrives at speed, lies at anchor 6 h with jitter, leaves', () => {
    const points = [...sail(DAY0, 50 * MIN, -deg(14_000), 10), ...stay(DAY0 + 70 * MIN, DAY0 + 7 * HOUR, deg(300), 0, 0.2, 3 * MIN, 15), ...sail(DAY0 + 7 * HOUR + 5 * MIN, HOUR, deg(400), 10)];
    const { calls, readOn } = detect(points);
    expect(readOn).toEqual([]);
    expect(calls).toHaveLength(1);
    const c = calls[0]!;
    expect(c.port.id).toBe('a1');
    expect(c.port.name).toBe('SUEZ');
    // Arrival: the first fix inside 3 km (the passage reaches it before slowing down).
    const firstInside = points.find((p) => Math.abs(p.lon) <= deg(3_000))!;
    expect(c.arrival).toBe(firstInside.t);
    expect(c.departure).not.toBeNull();
    expect(c.departure!).toBeGreaterThanOrEqual(DAY0 + 7 * HOUR);
    expect(c.key).toBe(portCallKey(c));
    expect(c.key).toBe(`port_call:${M}:a1:${new Date(c.arrival).toISOString()}`);
    expect(c.reasons.join(' ')).toMatch(/slow \(< 1 kn\)/);
  });

  it('an anchorage queue outside every port radius is not a call', () => {
    // 5 km from the nearest anchorage point: inside the detector's 10 km mask, outside the port.
    expect(detect(stay(DAY0, DAY0 + 12 * HOUR, -deg(5_000), 0, 0.1)).calls).toEqual([]);
  });

  it('drifting slowly at sea is not a call', () => {
    const drift = stay(DAY0, DAY0 + 12 * HOUR, 0.5, 0.5, 0.6).map((p, k) => ({ ...p, lon: p.lon + deg(k * 20) }));
    expect(detect(drift).calls).toEqual([]);
  });

  it('crossing a port radius at speed is not a call', () => {
    expect(detect(sail(DAY0, 2 * HOUR, -deg(10_000), 12)).calls).toEqual([]);
  });

  it('moving slowly through the port without stopping for 2 h is not a call', () => {
    // 1.5 kn for 3 h inside the port: in the radius long enough, never slow.
    expect(detect(sail(DAY0, 2 * HOUR, -deg(2_500), 1.5)).calls).toEqual([]);
  });

  it('a stay shorter than the minimum is not a call; the minimum itself is', () => {
    expect(detect(stay(DAY0, DAY0 + 110 * MIN, 0, 0, 0)).calls).toEqual([]);
    expect(detect(stay(DAY0, DAY0 + 2 * HOUR, 0, 0, 0)).calls).toHaveLength(1);
  });

  it('two stays at the same port separated by a departure are two calls', () => {
    const points = [
      ...stay(DAY0, DAY0 + 4 * HOUR, 0, 0, 0),
      ...sail(DAY0 + 4 * HOUR + 10 * MIN, 2 * HOUR, deg(100), 10), // out to 37 km
      ...stay(DAY0 + 10 * HOUR, DAY0 + 14 * HOUR, 0, 0, 0),
    ];
    const { calls } = detect(points);
    expect(calls.map((c) => c.arrival)).toEqual([DAY0, DAY0 + 10 * HOUR]);
    // Departure: the last fix within the 4 km exit radius of an anchorage of the port (a2 lies 2 km east).
    const outbound = points.filter((p) => p.t > DAY0 + 4 * HOUR && p.t < DAY0 + 10 * HOUR && p.lon <= deg(6_000));
    expect(calls.map((c) => c.departure)).toEqual([outbound[outbound.length - 1]!.t, DAY0 + 14 * HOUR]);
  });

  it('a gap in reporting inside the port is one call; a gap longer than maxGapMs splits it', () => {
    const gap = [...stay(DAY0, DAY0 + 3 * HOUR, 0, 0, 0), ...stay(DAY0 + 9 * HOUR, DAY0 + 12 * HOUR, 0, 0, 0)];
    const one = detect(gap).calls;
    expect(one).toHaveLength(1);
    expect([one[0]!.arrival, one[0]!.departure]).toEqual([DAY0, DAY0 + 12 * HOUR]);
    expect(one[0]!.reasons.join(' ')).toMatch(/reporting gap of 6\.0 h/);
    const long = [...stay(DAY0, DAY0 + 3 * HOUR, 0, 0, 0), ...stay(DAY0 + 20 * HOUR, DAY0 + 23 * HOUR, 0, 0, 0)];
    expect(detect(long).calls).toHaveLength(2);
  });

  it('moving between anchorages of one port stays one call; jitter at the edge does not split it', () => {
    // 2.8–3.6 km from a1 on the far side from a2: past the entry radius, inside the 4 km exit radius.
    const edge = stay(DAY0, DAY0 + 3 * HOUR, -deg(2_800), 0, 0.1).map((p, k) => ({ ...p, lon: p.lon - deg(k % 2 === 0 ? 0 : 800) }));
    const points = [...edge, ...stay(DAY0 + 3 * HOUR + 10 * MIN, DAY0 + 6 * HOUR, deg(2_000), 0, 0.1)];
    const { calls } = detect(points);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.departure).toBe(DAY0 + 6 * HOUR);
  });

  it('without SOG, slowness is the implied speed over legs of a minute or more', () => {
    const still = stay(DAY0, DAY0 + 4 * HOUR, 1, 1, null, 5 * MIN, 10);
    expect(detect(still).calls.map((c) => c.port.id)).toEqual(['x9']);
    const moving = sail(DAY0, 4 * HOUR, 1 - deg(2_000), 0.5).map((p) => ({ ...p, lat: 1, sog: null }));
    // 0.5 kn for 4 h covers 3.7 km: inside the radius all along, slow by implied speed.
    expect(detect(moving).calls).toHaveLength(1);
    const fast = sail(DAY0, 4 * HOUR, 1 - deg(2_500), 1.2, 10 * MIN).map((p) => ({ ...p, lat: 1, sog: null }));
    expect(detect(fast).calls).toEqual([]);
  });

  it('a stay reaching the end of the data is still going (departure null); before the horizon it asks to read on', () => {
    // Seen arriving from sea, so its start is known.
    const points = [...sail(DAY0 - 2 * HOUR, HOUR, -deg(20_000), 10), ...stay(DAY0, DAY0 + 5 * HOUR, 0, 0, 0)];
    const range = { from: DAY0 - 3 * HOUR, to: DAY0 + 5 * HOUR };
    const atEnd = detect(points, { range, window: range, horizon: range.to });
    expect(atEnd.calls).toHaveLength(1);
    expect(atEnd.calls[0]!.departure).toBeNull();
    expect(atEnd.calls[0]!.reasons).toContain('still in port at the end of the data');
    const more = detect(points, { range, window: range, horizon: range.to + 24 * HOUR });
    expect(more.calls).toEqual([]);
    expect(more.readOn).toEqual([{ mmsi: M, segment: null }]);
  });

  it('a stay that may have begun before the loaded range is not owned: it asks to read back', () => {
    const points = stay(DAY0 + 30 * MIN, DAY0 + 5 * HOUR, 0, 0, 0);
    const ctx = { range: { from: DAY0, to: DAY0 + 10 * HOUR }, window: { from: DAY0, to: DAY0 + 6 * HOUR }, horizon: DAY0 + 10 * HOUR };
    const r = detect([...points, ...sail(DAY0 + 5 * HOUR + 5 * MIN, HOUR, deg(100), 10)], ctx);
    expect(r.calls).toEqual([]);
    expect(r.readOn).toHaveLength(1);
  });

  it('each call belongs to the window holding its arrival', () => {
    const points = [...stay(DAY0, DAY0 + 4 * HOUR, 0, 0, 0), ...sail(DAY0 + 4 * HOUR + 10 * MIN, 2 * HOUR, deg(100), 10), ...stay(DAY0 + 10 * HOUR, DAY0 + 14 * HOUR, 0, 0, 0)];
    const range = whole.range;
    const first = detect(points, { range, window: { from: DAY0 - HOUR, to: DAY0 + 6 * HOUR }, horizon: whole.horizon }).calls;
    const second = detect(points, { range, window: { from: DAY0 + 6 * HOUR, to: DAY0 + 24 * HOUR }, horizon: whole.horizon }).calls;
    expect(first.map((c) => c.arrival)).toEqual([DAY0]);
    expect(second.map((c) => c.arrival)).toEqual([DAY0 + 10 * HOUR]);
    expect([...first, ...second]).toEqual(detect(points).calls);
  });

  it("the call's port point is the port's anchorage nearest to where the vessel lay, not the first one passed", () => {
    const points = [...sail(DAY0, 50 * MIN, -deg(14_000), 10), ...stay(DAY0 + HOUR, DAY0 + 5 * HOUR, deg(2_100), 0, 0)];
    const [c] = detect(points).calls;
    expect(c!.port.id).toBe('a2');
    expect(c!.arrival).toBeLessThan(DAY0 + 50 * MIN);
    expect(c!.reasons.join(' ')).not.toMatch(/arrival not witnessed/);
  });

  it('an arrival not seen is said so: first report in the data, or after a silence too long to join', () => {
    expect(detect(stay(DAY0, DAY0 + 3 * HOUR, 0, 0, 0)).calls[0]!.reasons).toContain('arrival not witnessed: no earlier report read (silent at least 24.0 h before)');
    const silent = [...stay(DAY0, DAY0 + 10 * MIN, 0, 0, 0), ...stay(DAY0 + 14 * HOUR, DAY0 + 17 * HOUR, 0, 0, 0)];
    const calls = detect(silent).calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.reasons).toContain('arrival not witnessed: in port before a 13.8 h silence');
    // The stay before the silence was too short to be a call; one long enough says its departure was not seen.
    const both = [...stay(DAY0, DAY0 + 3 * HOUR, 0, 0, 0), ...stay(DAY0 + 17 * HOUR, DAY0 + 20 * HOUR, 0, 0, 0)];
    expect(detect(both).calls[0]!.reasons).toContain('departure not witnessed: silent 14.0 h after');
    expect(detect(both).calls[1]!.reasons).toContain('departure not witnessed: no later report read (silent at least 220.0 h after)');
  });

  it('the default options are the documented ones', () => {
    expect(DEFAULT_PORT_CALL_OPTIONS).toEqual({ minStayMs: 2 * HOUR, maxSlowKn: 1, maxGapMs: 12 * HOUR });
  });
});

describe('createPortLookup against a brute-force search', () => {
  it('finds the same port for random points near and far from ports, across the antimeridian and at the poles', () => {
    // A seeded generator (mulberry32), so a failure is reproducible.
    let seed = 15;
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const ports: Port[] = [
      { id: 'am-w', name: 'A', country: null, lon: 179.99, lat: -16.5, radiusM: 10_000 },
      { id: 'am-e', name: 'B', country: null, lon: -179.98, lat: -16.52, radiusM: 3_000 },
      { id: 'north', name: 'C', country: null, lon: 15, lat: 89.95, radiusM: 3_000 },
      { id: 'south', name: 'D', country: null, lon: -60, lat: -89.99, radiusM: 3_000 },
      ...Array.from({ length: 200 }, (_, i) => ({ id: `r${i}`, name: `R${i % 50}`, country: null, lon: rnd() * 360 - 180, lat: rnd() * 170 - 85, radiusM: [3_000, 5_000, 10_000][i % 3]! })),
    ];
    const lookup = createPortLookup(ports);
    const brute = (lon: number, lat: number, factor: number) => {
      let best: Port | null = null;
      let bestD = Infinity;
      for (const p of ports) {
        const d = geodesicDistanceM(lon, lat, p.lon, p.lat);
        if (d <= p.radiusM * factor && (d < bestD || (d === bestD && best !== null && p.id < best.id))) [best, bestD] = [p, d];
      }
      return best?.id ?? null;
    };
    let near = 0;
    for (let k = 0; k < 4_000; k++) {
      // Half the points within ~20 km of a port (most inside or just outside a circle), half anywhere.
      const p = ports[Math.floor(rnd() * ports.length)]!;
      const [lon, lat] = k % 2 === 0 ? [p.lon + (rnd() - 0.5) * 0.4 / Math.max(0.05, Math.cos((p.lat * Math.PI) / 180)), Math.max(-90, Math.min(90, p.lat + (rnd() - 0.5) * 0.4))] : [rnd() * 360 - 180, rnd() * 180 - 90];
      const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
      for (const factor of [1, 4 / 3]) {
        const want = brute(wrapped, lat, factor);
        if (want !== null) near++;
        expect(lookup.nearest(wrapped, lat, factor)?.id ?? null, `(${wrapped}, ${lat}) × ${factor}`).toBe(want);
      }
    }
    expect(near, "enough points fall inside a circle to test the hits").toBeGreaterThan(400);
  });
});
