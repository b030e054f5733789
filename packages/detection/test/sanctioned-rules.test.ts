import { geodesicDistanceM, KN_TO_MS, MEAN_RADIUS_M } from '@rendezvous/geodesy';
import { describe, expect, it } from 'vitest';
import {
  distanceToAreaM,
  gapNearSanctionedArea,
  portCallSanctioned,
  type GapNearAreaOptions,
  type SanctionedAreaInput,
  type SanctionGapInput,
  type SanctionPortCallInput,
} from '../src/sanctioned-rules.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 10, 0, 0, 0);
const RAD = Math.PI / 180;

// Listed ports as the shipped file has them (WPI positions).
const NAMPHO = { name: 'Nampho', country: 'PRK', lon: 125.4, lat: 38.716667, radiusM: 10_000 };
const SONGRIM = { name: 'Songrim', country: 'PRK', lon: 125.616667, lat: 38.733333, radiusM: 5_000 };
const BANDAR = { name: 'Bandar Abbas', country: 'IRN', lon: 56.28, lat: 27.18, radiusM: 8_000 };
const LIST = { countries: ['PRK'], ports: [NAMPHO, SONGRIM, BANDAR] };

function call(lon: number, lat: number, country: string | null, name: string | null = 'Some anchorage'): SanctionPortCallInput {
  return {
    key: `port_call:412000001:${lon}:${lat}`,
    mmsi: 412000001,
    segment: null,
    port: { id: `anch-${lon}-${lat}`, name, country, lon, lat, radiusM: 2_000 },
    arrival: T0,
    departure: T0 + 30 * HOUR,
  };
}

describe('portCallSanctioned', () => {
  it('a call at a port 3 km from Nampho (no country on the port) is a call at Nampho', () => {
    const lat = NAMPHO.lat + 3_000 / 111_000; // ~3 km north
    const f = portCallSanctioned(call(NAMPHO.lon, lat, null), LIST);
    const d = geodesicDistanceM(NAMPHO.lon, lat, NAMPHO.lon, NAMPHO.lat);
    expect(f).not.toBeNull();
    expect(f!.type).toBe('port_call_sanctioned');
    expect(f!.sanctionedPort).toBe('Nampho');
    expect(f!.country).toBe('PRK');
    expect(f!.distanceM).toBeCloseTo(d, 1);
    expect(d).toBeGreaterThan(2_900);
    expect(d).toBeLessThan(3_100);
    expect(f!.reasons.join('\n')).toMatch(/3\.0 km from the sanctioned port Nampho \(PRK\), within its 10\.0 km radius/);
    expect(f!.reasons[0]).toMatch(/left 2026-01-11T06:00:00.000Z after 30\.0 h/);
  });

  it('the nearest listed port wins where two radii overlap', () => {
    const f = portCallSanctioned(call(125.56, 38.73, null), LIST); // ~5 km from Songrim, ~14 km from Nampho
    expect(f!.sanctionedPort).toBe('Songrim');
    const big = { ...NAMPHO, radiusM: 20_000 };
    expect(portCallSanctioned(call(125.56, 38.73, null), { countries: ['PRK'], ports: [big, SONGRIM] })!.sanctionedPort).toBe('Songrim');
  });

  it('a port of a listed country matches by country, far from every listed port', () => {
    const f = portCallSanctioned({ ...call(128.65, 40.2, 'prk', "Ch'aho"), departure: null }, LIST);
    expect(f).not.toBeNull();
    expect(f!.sanctionedPort).toBeNull();
    expect(f!.distanceM).toBeNull();
    expect(f!.country).toBe('PRK');
    expect(f!.reasons.join('\n')).toMatch(/country PRK is on the sanctioned list \(PRK\)/);
    expect(f!.reasons[0]).toMatch(/still in port/);
  });

  it('negatives: another country, just outside a radius, an unlisted country, an empty list', () => {
    expect(portCallSanctioned(call(126.6, 37.45, 'KOR', 'Incheon'), LIST)).toBeNull();
    const lat12 = NAMPHO.lat + 12_000 / 111_000; // ~12 km from Nampho (radius 10 km), ~20 km from Songrim
    expect(geodesicDistanceM(NAMPHO.lon, lat12, NAMPHO.lon, NAMPHO.lat)).toBeGreaterThan(NAMPHO.radiusM);
    expect(portCallSanctioned(call(NAMPHO.lon, lat12, null), LIST)).toBeNull();
    // Bandar Abbas is in the file, but IRN is not on the list.
    expect(portCallSanctioned(call(56.28, 27.18, 'IRN', 'Bandar Abbas'), LIST)).toBeNull();
    expect(portCallSanctioned(call(NAMPHO.lon, NAMPHO.lat, 'PRK'), { countries: [], ports: LIST.ports })).toBeNull();
  });
});

// A 1° × 1° square area in the Korea Bay.
const AREA: SanctionedAreaInput = {
  name: 'Test waters',
  country: 'PRK',
  polygons: [[[[124, 38], [125, 38], [125, 39], [124, 39], [124, 38]]]],
};
/** Great-circle distance from a point at latitude lat, dLonDeg east of a meridian edge, to that edge (cross-track). */
const toMeridianM = (dLonDeg: number, lat: number) => Math.asin(Math.sin(dLonDeg * RAD) * Math.cos(lat * RAD)) * MEAN_RADIUS_M;

function gap(off: [number, number], on: [number, number] | null, hours: number): SanctionGapInput {
  return {
    mmsi: 412000002,
    segment: 'a',
    off: { t: T0, lon: off[0], lat: off[1] },
    on: on && { t: T0 + hours * HOUR, lon: on[0], lat: on[1] },
    durationMs: hours * HOUR,
  };
}
const OPTS: GapNearAreaOptions = { reachSpeedKn: 15, draughtBeforeM: 8.0, draughtAfterM: 10.5, minDraughtIncreaseM: 1 };

describe('distanceToAreaM', () => {
  it('0 inside, the cross-track distance to the nearest edge outside, the corner past it', () => {
    expect(distanceToAreaM(124.5, 38.5, AREA)).toBe(0);
    expect(distanceToAreaM(125.5, 38.5, AREA)).toBeCloseTo(toMeridianM(0.5, 38.5), 0);
    const corner = distanceToAreaM(125.3, 39.3, AREA);
    expect(corner).toBeGreaterThan(0);
    expect(corner).toBeLessThanOrEqual(geodesicDistanceM(125.3, 39.3, 125, 39) * 1.006); // sphere vs ellipsoid
    expect(corner).toBeGreaterThanOrEqual(geodesicDistanceM(125.3, 39.3, 125, 39) * 0.994);
  });
  it('a hole is outside; an area across the antimeridian needs no special case', () => {
    const holed: SanctionedAreaInput = { ...AREA, polygons: [[AREA.polygons[0]![0]!, [[124.4, 38.4], [124.6, 38.4], [124.6, 38.6], [124.4, 38.6], [124.4, 38.4]]]] };
    expect(distanceToAreaM(124.5, 38.5, holed)).toBeCloseTo(toMeridianM(0.1, 38.5), -1);
    const dateLine: SanctionedAreaInput = { name: 'D', country: 'XXX', polygons: [[[[179.5, 0], [-179.5, 0], [-179.5, 1], [179.5, 1], [179.5, 0]]]] };
    expect(distanceToAreaM(-180, 0.5, dateLine)).toBe(0);
    expect(distanceToAreaM(179.9, 0.5, dateLine)).toBe(0);
    expect(distanceToAreaM(-179, 0.5, dateLine)).toBeCloseTo(toMeridianM(0.5, 0.5), 0);
    expect(distanceToAreaM(179, 0.5, dateLine)).toBeCloseTo(toMeridianM(0.5, 0.5), 0);
  });
});

describe('gapNearSanctionedArea', () => {
  const off: [number, number] = [125.5, 38.5]; // ~43.6 km east of the area
  const on: [number, number] = [125.5, 38.6];
  const needed = (toMeridianM(0.5, 38.5) + toMeridianM(0.5, 38.6)) / (15 * KN_TO_MS) * 1000;

  it('a gap long enough to reach the area and come back, deeper after: loaded while dark', () => {
    const f = gapNearSanctionedArea(gap(off, on, 6), AREA, OPTS);
    expect(f).not.toBeNull();
    expect(f!.type).toBe('gap_near_sanctioned_area');
    expect(f!.area).toBe('Test waters');
    expect(f!.offDistanceM).toBeCloseTo(toMeridianM(0.5, 38.5), 0);
    expect(f!.onDistanceM).toBeCloseTo(toMeridianM(0.5, 38.6), 0);
    expect(f!.neededMs).toBeCloseTo(needed, -3);
    expect(f!.draughtIncreaseM).toBe(2.5);
    expect(f!.start).toBe(T0);
    expect(f!.end).toBe(T0 + 6 * HOUR);
    const text = f!.reasons.join('\n');
    expect(text).toMatch(/412000002:a dark 6\.0 h/);
    expect(text).toMatch(/off 23\.\d nm and on 23\.\d nm from Test waters \(PRK\); at 15 kn it needs 3\.\d h of the 6\.0 h/);
    expect(text).toMatch(/draught 8\.0 m before, 10\.5 m after: \+2\.5 m \(≥ 1 m\), loaded while dark/);
  });

  it('the reach test is decided at the needed time: a minute more is a finding, a minute less is not', () => {
    expect(gapNearSanctionedArea(gap(off, on, (needed + 60_000) / HOUR), AREA, OPTS)).not.toBeNull();
    expect(gapNearSanctionedArea(gap(off, on, (needed - 60_000) / HOUR), AREA, OPTS)).toBeNull();
  });

  it('minStayMs must fit too', () => {
    expect(gapNearSanctionedArea(gap(off, on, 6), AREA, { ...OPTS, minStayMs: 2 * HOUR })!.reasons[1]).toMatch(/\+ 2\.0 h there/);
    expect(gapNearSanctionedArea(gap(off, on, 6), AREA, { ...OPTS, minStayMs: 3 * HOUR })).toBeNull();
  });

  it('a gap inside the area needs no travel', () => {
    const f = gapNearSanctionedArea(gap([124.5, 38.5], [124.6, 38.7], 0.5), AREA, OPTS);
    expect(f!.offDistanceM).toBe(0);
    expect(f!.onDistanceM).toBe(0);
    expect(f!.neededMs).toBe(0);
  });

  it('threshold in 0.1 m steps: +1.0 m from 8.1 to 9.1 counts at 1 m, +0.9 m does not; 1.5 m for an Aframax', () => {
    expect(gapNearSanctionedArea(gap(off, on, 6), AREA, { ...OPTS, draughtBeforeM: 8.1, draughtAfterM: 9.1 })).not.toBeNull();
    expect(gapNearSanctionedArea(gap(off, on, 6), AREA, { ...OPTS, draughtBeforeM: 8.1, draughtAfterM: 9.0 })).toBeNull();
    expect(gapNearSanctionedArea(gap(off, on, 6), AREA, { ...OPTS, draughtBeforeM: 8.0, draughtAfterM: 9.4, minDraughtIncreaseM: 1.5 })).toBeNull();
  });

  it('negatives: draught unchanged, lower (discharged), unknown or 0 (AIS "not available")', () => {
    const g = gap(off, on, 6);
    expect(gapNearSanctionedArea(g, AREA, { ...OPTS, draughtAfterM: 8.0 })).toBeNull();
    expect(gapNearSanctionedArea(g, AREA, { ...OPTS, draughtBeforeM: 10.5, draughtAfterM: 8.0 })).toBeNull();
    expect(gapNearSanctionedArea(g, AREA, { ...OPTS, draughtBeforeM: null })).toBeNull();
    expect(gapNearSanctionedArea(g, AREA, { ...OPTS, draughtAfterM: null })).toBeNull();
    expect(gapNearSanctionedArea(g, AREA, { ...OPTS, draughtBeforeM: 0 })).toBeNull();
  });

  it('negatives: an open gap, an area far away, a gap too short to reach it', () => {
    expect(gapNearSanctionedArea(gap(off, null, 48), AREA, OPTS)).toBeNull();
    expect(gapNearSanctionedArea(gap([-75, 15], [-75.2, 15.1], 48), AREA, OPTS)).toBeNull();
    expect(gapNearSanctionedArea(gap([127, 38.5], [127, 38.6], 6), AREA, OPTS)).toBeNull(); // ~2 × 175 km at 15 kn ≈ 12.6 h
  });

  it('bad options are a RangeError', () => {
    expect(() => gapNearSanctionedArea(gap(off, on, 6), AREA, { ...OPTS, reachSpeedKn: 0 })).toThrow(RangeError);
    expect(() => gapNearSanctionedArea(gap(off, on, 6), AREA, { ...OPTS, minDraughtIncreaseM: -1 })).toThrow(RangeError);
    expect(() => gapNearSanctionedArea(gap(off, on, 6), AREA, { ...OPTS, minStayMs: -1 })).toThrow(RangeError);
  });
});
