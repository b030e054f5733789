import { beforeAll, describe, expect, it } from 'vitest';
import type { EncounterTruth, ScenarioTruth } from '../src/index.ts';
import { allScenarios } from './support/fixture.ts';
import { HOUR, MIN, closeRuns, gfwEncounters, haversineM, resample, splitTracks, type Fix, type Run } from './support/tracks.ts';

/** Every GFW-rule run between two MMSIs, recomputed from the decoded NMEA alone. */
function pairRuns(a: number, b: number): Run[] {
  const { decoded } = allScenarios();
  const grids = (mmsi: number) => splitTracks(decoded.fixes.get(mmsi) ?? []).map((t) => resample(t));
  const runs: Run[] = [];
  for (const ga of grids(a)) for (const gb of grids(b)) runs.push(...closeRuns(ga, gb));
  return runs;
}

function scenario(name: string): ScenarioTruth {
  const s = allScenarios().sim.truth.scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`scenario ${name} missing from the truth`);
  return s;
}

const mmsiOf = (key: string) => allScenarios().sim.truth.vessels.find((v) => v.key === key)!.mmsi;
const fixesOf = (key: string): Fix[] => allScenarios().decoded.fixes.get(mmsiOf(key)) ?? [];

/** The GFW encounters of a truth pair, after checking they agree with the truth's times. */
function checkEncounter(e: EncounterTruth, statedMin: number): Run[] {
  const found = gfwEncounters(pairRuns(e.mmsis[0], e.mmsis[1]));
  if (!e.expected) {
    expect(found, `${e.vessels.join(' × ')}: ${e.why}`).toEqual([]);
    return found;
  }
  expect(found, `${e.vessels.join(' × ')}`).toHaveLength(1);
  const run = found[0]!;
  // Within the distance for the stated duration, and where the truth says (1-min grid, GPS noise).
  expect(run.minutes).toBeGreaterThanOrEqual(statedMin);
  expect(run.maxDistanceM).toBeLessThanOrEqual(e.thresholdM);
  expect(Math.abs(run.start - Date.parse(e.start!))).toBeLessThanOrEqual(5 * MIN);
  expect(Math.abs(run.end - Date.parse(e.end!))).toBeLessThanOrEqual(5 * MIN);
  expect(e.durationMin).toBeGreaterThanOrEqual(statedMin);
  return found;
}

describe('scenarios against the decoded NMEA (brute force, 1-minute grid)', () => {
  beforeAll(() => void allScenarios(), 120_000);

  it('all eighteen scenarios are in a 30 h run that crosses midnight', () => {
    const { truth } = allScenarios().sim;
    expect(truth.skippedScenarios).toEqual([]);
    expect(truth.scenarios.map((s) => s.name)).toEqual([
      'meeting', 'passing', 'convoy', 'short_stop', 'loiter_apart', 'mother_ship', 'silence', 'midnight', 'rates', 'shared_mmsi', 'antimeridian', 'dark_loiter',
      'dark_partner', 'dark_dark', 'coverage_hole_gap', 'draught_after_meeting', 'shared_imo', 'circle_spoof',
    ]);
    expect(truth.meetings.map((m) => m.scenario)).toEqual(['meeting', 'mother_ship', 'mother_ship', 'silence', 'midnight', 'rates', 'antimeridian', 'draught_after_meeting']);
  });

  it('each scenario yields exactly its expected number of GFW encounters among its own vessels', () => {
    const { truth } = allScenarios().sim;
    for (const s of truth.scenarios) {
      let count = 0;
      for (let i = 0; i < s.mmsis.length; i++) for (let j = i + 1; j < s.mmsis.length; j++) count += gfwEncounters(pairRuns(s.mmsis[i]!, s.mmsis[j]!)).length;
      expect(count, s.name).toBe(s.expectedEncounters);
    }
  });

  it('meeting: within the separation for the 3 h hold, drifting < 1 kn', () => {
    const s = scenario('meeting');
    const [e] = s.encounters;
    const [run] = checkEncounter(e!, 180);
    expect(run!.medianSog[0]).toBeLessThan(1);
    expect(e!.minDistanceM).toBeLessThanOrEqual(s.params['separationM'] as number);
    expect(s.params['separationM']).toBeGreaterThanOrEqual(50);
    expect(s.params['separationM']).toBeLessThanOrEqual(400);
  });

  it('negative scenarios never satisfy the GFW rule, each for its own reason', () => {
    const passing = scenario('passing').encounters[0]!;
    checkEncounter(passing, 0);
    const passRuns = pairRuns(passing.mmsis[0], passing.mmsis[1]);
    expect(passRuns.length).toBeGreaterThan(0); // they do come within 500 m…
    expect(Math.max(...passRuns.map((r) => r.minutes))).toBeLessThan(10); // …for a few minutes at 12–15 kn
    expect(Math.min(...passRuns.map((r) => r.medianSog[0]))).toBeGreaterThan(11);

    const convoy = scenario('convoy').encounters[0]!;
    checkEncounter(convoy, 0);
    const convoyRuns = pairRuns(convoy.mmsis[0], convoy.mmsis[1]);
    expect(Math.max(...convoyRuns.map((r) => r.minutes))).toBeGreaterThan(10 * 60); // close for hours…
    for (const r of convoyRuns) expect(r.medianSog[0]).toBeGreaterThanOrEqual(9.5); // …but under way

    const short = scenario('short_stop').encounters[0]!;
    checkEncounter(short, 0);
    const shortRuns = pairRuns(short.mmsis[0], short.mmsis[1]);
    expect(Math.max(...shortRuns.map((r) => r.minutes))).toBeGreaterThan(45);
    expect(Math.max(...shortRuns.map((r) => r.minutes))).toBeLessThan(120);

    const apart = scenario('loiter_apart').encounters[0]!;
    checkEncounter(apart, 0);
    expect(pairRuns(apart.mmsis[0], apart.mmsis[1])).toEqual([]);
    expect(apart.minDistanceM).toBeGreaterThanOrEqual(700);
  });

  it('mother_ship: two encounters, daughter A gone before daughter B arrives', () => {
    const s = scenario('mother_ship');
    const [ma, mb, ab] = s.encounters;
    const [runA] = checkEncounter(ma!, 180);
    const [runB] = checkEncounter(mb!, 180);
    checkEncounter(ab!, 0);
    expect(runA!.end).toBeLessThan(runB!.start);
    expect(pairRuns(ab!.mmsis[0], ab!.mmsis[1])).toEqual([]);
  });

  it('silence: the partner sends nothing for 45 min mid-meeting, and it is still one encounter', () => {
    const s = scenario('silence');
    checkEncounter(s.encounters[0]!, 180);
    const silence = s.params['silence'] as { start: string; end: string };
    const [from, to] = [Date.parse(silence.start), Date.parse(silence.end)];
    expect(to - from).toBe(45 * MIN);
    const fixes = fixesOf('silence/partner');
    expect(fixes.filter((f) => f.t >= from && f.t < to)).toEqual([]);
    const before = fixes.filter((f) => f.t < from).at(-1)!;
    const after = fixes.find((f) => f.t >= to)!;
    expect(after.t - before.t).toBeGreaterThanOrEqual(45 * MIN);
    expect(after.t - before.t).toBeLessThan(HOUR);
  });

  it('midnight: the one encounter spans 00:00 UTC', () => {
    const s = scenario('midnight');
    const [run] = checkEncounter(s.encounters[0]!, 180);
    const midnight = Date.parse(s.params['midnight'] as string);
    expect(new Date(midnight).toISOString()).toMatch(/T00:00:00/);
    expect(run!.start).toBeLessThan(midnight - HOUR + 1);
    expect(run!.end).toBeGreaterThan(midnight + HOUR - 1);
  });

  it('rates: one vessel every 10 s, the other every 6 min, one encounter', () => {
    const s = scenario('rates');
    checkEncounter(s.encounters[0]!, 180);
    const gaps = (fixes: Fix[]) => fixes.slice(1).map((f, i) => (f.t - fixes[i]!.t) / 1000);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    expect(median(gaps(fixesOf('rates/suspect')))).toBeCloseTo(10, 0);
    expect(median(gaps(fixesOf('rates/partner')))).toBeGreaterThanOrEqual(359);
    expect(median(gaps(fixesOf('rates/partner')))).toBeLessThanOrEqual(361);
  });

  it('shared_mmsi: one MMSI from two transmitters > 100 km apart, interleaved; split tracks make no encounter', () => {
    const s = scenario('shared_mmsi');
    const { truth } = allScenarios().sim;
    expect(truth.sharedMmsis).toEqual([s.sharedMmsi!.mmsi]);
    expect(s.sharedMmsi!.separationKm).toBeGreaterThan(250);
    const fixes = allScenarios().decoded.fixes.get(s.sharedMmsi!.mmsi)!;
    const tracks = splitTracks(fixes);
    expect(tracks).toHaveLength(2);
    const [t1, t2] = tracks as [Fix[], Fix[]];
    let min = Infinity;
    for (let i = 0; i < t1.length; i += 50) for (let j = 0; j < t2.length; j += 5) min = Math.min(min, haversineM(t1[i]!, t2[j]!));
    expect(min).toBeGreaterThan(100_000);
    // Interleaved: the MMSI alternates between the two transmitters throughout the run.
    let switches = 0;
    const side = (f: Fix) => (haversineM(f, t1[0]!) < 50_000 ? 1 : 2);
    for (let i = 1; i < fixes.length; i++) if (side(fixes[i]!) !== side(fixes[i - 1]!)) switches++;
    expect(switches).toBeGreaterThan(200);
    // Joined naively (no split), the track would leap hundreds of km between consecutive reports.
    const leap = Math.max(...fixes.slice(1).map((f, i) => haversineM(f, fixes[i]!)));
    expect(leap).toBeGreaterThan(250_000);
    for (const e of s.encounters) checkEncounter(e, 0);
  });

  it('antimeridian: positions wrap at ±180°, distances are measured across it, one encounter', () => {
    const s = scenario('antimeridian');
    checkEncounter(s.encounters[0]!, 180);
    for (const key of s.vessels) {
      const fixes = fixesOf(key);
      for (const f of fixes) expect(Math.abs(f.lon)).toBeLessThanOrEqual(180);
      expect(fixes.some((f) => f.lon > 179.9)).toBe(true);
      expect(fixes.some((f) => f.lon < -179.9)).toBe(true);
      // Crossing 180° flips the sign of the longitude, not the position: no step is more than a few km.
      let crossings = 0;
      for (let i = 1; i < fixes.length; i++) {
        const [a, b] = [fixes[i - 1]!, fixes[i]!];
        if (Math.abs(b.lon - a.lon) > 359) crossings++;
        expect(haversineM(a, b)).toBeLessThan(2_000);
      }
      expect(crossings).toBeGreaterThan(0);
    }
  });

  it('dark_loiter: the partner is dark ≥ 6 h, vanishing and reappearing near the loiterer; no AIS encounter', () => {
    const s = scenario('dark_loiter');
    checkEncounter(s.encounters[0]!, 0);
    expect(s.darkRendezvous).toBe(true);
    const gap = s.gap!;
    expect(gap.hours).toBeGreaterThanOrEqual(6);
    const fixes = fixesOf(gap.vessel);
    const [from, to] = [Date.parse(gap.start), Date.parse(gap.end)];
    expect(fixes.filter((f) => f.t >= from && f.t < to)).toEqual([]);
    const lastBefore = fixes.filter((f) => f.t < from).at(-1)!;
    const firstAfter = fixes.find((f) => f.t >= to)!;
    const loiter = fixesOf(s.loitering!.vessel);
    const near = (f: Fix) => Math.min(...loiter.filter((g) => Math.abs(g.t - f.t) < 5 * MIN).map((g) => haversineM(f, g)));
    expect(near(lastBefore)).toBeLessThan(25_000);
    expect(near(firstAfter)).toBeLessThan(25_000);
    const [ls, le] = [Date.parse(s.loitering!.start), Date.parse(s.loitering!.end)];
    const sogs = loiter.filter((f) => f.t >= ls && f.t <= le).map((f) => f.sog).sort((a, b) => a - b);
    expect(sogs[sogs.length >> 1]).toBeLessThan(2);
    expect(le - ls).toBeGreaterThanOrEqual(4 * HOUR);
  });
});
