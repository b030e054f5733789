/**
 * The dark-activity scenarios (dark_partner, dark_dark, coverage_hole_gap, draught_after_meeting,
 * shared_imo, circle_spoof) held against the decoded NMEA of the all-scenario run: gaps really are
 * silent, loiterers slow, neighbours present (or absent) within 50 km, draughts on air as the truth
 * says, one IMO on two far-apart hulls, a small circle at a real SOG.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { StaticVoyageData } from '@rendezvous/ais';
import { simulate, type ExpectedAlert, type ScenarioTruth } from '../src/index.ts';
import { allScenarios } from './support/fixture.ts';
import { HOUR, MIN, closeRuns, gfwEncounters, haversineM, resample, splitTracks, type Fix } from './support/tracks.ts';

const NEW = ['dark_partner', 'dark_dark', 'coverage_hole_gap', 'draught_after_meeting', 'shared_imo', 'circle_spoof'] as const;
const NM = 1852;

function scenario(name: string): ScenarioTruth {
  const s = allScenarios().sim.truth.scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`scenario ${name} missing from the truth`);
  return s;
}
const mmsiOf = (key: string) => allScenarios().sim.truth.vessels.find((v) => v.key === key)!.mmsi;
const fixesOf = (key: string): Fix[] => allScenarios().decoded.fixes.get(mmsiOf(key)) ?? [];
const alert = (s: ScenarioTruth, type: ExpectedAlert['type'], vessel?: string): ExpectedAlert => {
  const a = s.expectedAlerts!.find((x) => x.type === type && (vessel === undefined || x.vessels.includes(vessel)));
  if (!a) throw new Error(`${s.name}: no expected ${type}`);
  return a;
};
const type5 = (mmsi: number): (StaticVoyageData & { t: number })[] =>
  allScenarios()
    .decoded.statics.filter((d) => d.msg.type === 5 && d.msg.mmsi === mmsi)
    .map((d) => ({ ...(d.msg as StaticVoyageData), t: d.timestampMs! }))
    .sort((a, b) => a.t - b.t);

function gfwPairs(a: number, b: number) {
  const { decoded } = allScenarios();
  const grids = (m: number) => splitTracks(decoded.fixes.get(m) ?? []).map((t) => resample(t));
  const runs = [];
  for (const ga of grids(a)) for (const gb of grids(b)) runs.push(...closeRuns(ga, gb));
  return gfwEncounters(runs);
}

/** The gap as seen on air: no fix inside it, last fix before and first after; asserts it is ≥ minH long. */
function checkGap(key: string, start: string, end: string, minH: number): { off: Fix; on: Fix } {
  const fixes = fixesOf(key);
  const [from, to] = [Date.parse(start), Date.parse(end)];
  expect(fixes.filter((f) => f.t >= from && f.t < to), `${key} silent in its gap`).toEqual([]);
  const off = fixes.filter((f) => f.t < from).at(-1)!;
  const on = fixes.find((f) => f.t >= to)!;
  expect(on.t - off.t).toBeGreaterThanOrEqual(minH * HOUR);
  expect(from - off.t).toBeLessThan(2 * MIN);
  expect(on.t - to).toBeLessThan(2 * MIN);
  return { off, on };
}

/** For every whole 30-minute slot of [from, to): the nearest fix of any vessel not in `exclude` to `p`, metres. */
function nearestOthersPerSlot(p: Fix, from: number, to: number, exclude: Set<number>): number[] {
  const slots = Array.from({ length: Math.floor((to - from) / (30 * MIN)) }, () => Infinity);
  for (const [mmsi, fixes] of allScenarios().decoded.fixes) {
    if (exclude.has(mmsi)) continue;
    for (const f of fixes) {
      const i = Math.floor((f.t - from) / (30 * MIN));
      if (f.t < from || i >= slots.length) continue;
      slots[i] = Math.min(slots[i]!, haversineM(p, f));
    }
  }
  return slots;
}

/** Σ distance between consecutive fixes ÷ Σ time, per clock hour fully inside [from, to] (GFW loitering). */
function hourlyImpliedKn(fixes: Fix[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let h = Math.ceil(from / HOUR) * HOUR; h + HOUR <= to; h += HOUR) {
    const f = fixes.filter((x) => x.t >= h && x.t < h + HOUR);
    let d = 0;
    for (let i = 1; i < f.length; i++) d += haversineM(f[i - 1]!, f[i]!);
    out.push(d / NM / ((f.at(-1)!.t - f[0]!.t) / HOUR));
  }
  return out;
}

describe('dark-activity scenarios against the decoded NMEA', () => {
  beforeAll(() => void allScenarios(), 120_000);

  it('all six are in the 30 h run; their truth names only their own vessels, with ISO times in order', () => {
    const { truth } = allScenarios().sim;
    for (const name of NEW) {
      const s = scenario(name);
      expect(s.expectedAlerts, name).toBeDefined();
      for (const a of [...s.expectedAlerts!, ...(s.spoofing ?? [])]) {
        for (const m of a.mmsis) expect(s.mmsis).toContain(m);
        expect(a.vessels.map(mmsiOf)).toEqual(a.mmsis);
        expect(Date.parse(a.start)).toBeLessThan(Date.parse(a.end));
        expect(a.why.length).toBeGreaterThan(10);
      }
    }
    // Only draught_after_meeting adds a rendezvous to the GFW-rule contract.
    expect(truth.meetings.filter((m) => (NEW as readonly string[]).includes(m.scenario)).map((m) => m.scenario)).toEqual(['draught_after_meeting']);
  });

  it('dark_partner: the partner is silent 13 h, going dark and reappearing within reach of the loiterer, which stays < 2 kn for 15 h; neighbours heard within 50 km throughout', () => {
    const s = scenario('dark_partner');
    const gap = alert(s, 'ais_gap');
    const loiter = alert(s, 'loitering');
    const dr = alert(s, 'dark_rendezvous');
    expect(gap.expected && loiter.expected && dr.expected).toBe(true);
    expect(dr.kind).toBe('loiter_gap');
    expect(alert(s, 'rendezvous').expected).toBe(false);
    const { off, on } = checkGap(gap.vessels[0]!, gap.start, gap.end, 12.5);
    const [ls, le] = [Date.parse(loiter.start), Date.parse(loiter.end)];
    expect(le - ls).toBeGreaterThanOrEqual(4 * HOUR);
    // The gap lies inside the loitering.
    expect(Date.parse(gap.start)).toBeGreaterThanOrEqual(ls);
    expect(Date.parse(gap.end)).toBeLessThanOrEqual(le);
    const lf = fixesOf(loiter.vessels[0]!);
    const hourly = hourlyImpliedKn(lf, ls, le);
    expect(hourly.length).toBeGreaterThanOrEqual(13);
    for (const kn of hourly) expect(kn).toBeLessThan(2);
    const sogs = lf.filter((f) => f.t >= ls && f.t <= le).map((f) => f.sog).sort((a, b) => a - b);
    expect(sogs[sogs.length >> 1]).toBeLessThan(2);
    // Off and on within reach: < 15 km of the loiterer at the time.
    const near = (f: Fix) => Math.min(...lf.filter((g) => Math.abs(g.t - f.t) < 5 * MIN).map((g) => haversineM(f, g)));
    expect(near(off)).toBeLessThan(15_000);
    expect(near(on)).toBeLessThan(15_000);
    const pair = new Set(s.mmsis.slice(0, 2));
    for (const p of [off, on]) for (const d of nearestOthersPerSlot(p, off.t, on.t, pair)) expect(d).toBeLessThan(50_000);
    expect(gfwPairs(s.mmsis[0]!, s.mmsis[1]!)).toEqual([]);
  });

  it('dark_dark: both silent ≥ 12.5 h at overlapping times, off positions < 5 nm apart, neighbours within 50 km throughout; no AIS encounter', () => {
    const s = scenario('dark_dark');
    const [ga, gb] = s.expectedAlerts!.filter((a) => a.type === 'ais_gap');
    const dr = alert(s, 'dark_rendezvous');
    expect(dr.kind).toBe('dark_dark');
    expect(ga!.expected && gb!.expected && dr.expected).toBe(true);
    const a = checkGap(ga!.vessels[0]!, ga!.start, ga!.end, 12.5);
    const b = checkGap(gb!.vessels[0]!, gb!.start, gb!.end, 12.5);
    // The dark_rendezvous is the overlap of the two gaps.
    expect(dr.start).toBe([ga!.start, gb!.start].sort()[1]);
    expect(dr.end).toBe([ga!.end, gb!.end].sort()[0]);
    expect(Date.parse(dr.end) - Date.parse(dr.start)).toBeGreaterThan(12 * HOUR);
    expect(haversineM(a.off, b.off)).toBeLessThan(5 * NM);
    expect(Math.abs(haversineM(a.off, b.off) / NM - (dr.details!['offSeparationNm'] as number))).toBeLessThan(0.1);
    const pair = new Set(s.mmsis.slice(0, 2));
    for (const g of [a, b]) for (const p of [g.off, g.on]) for (const d of nearestOthersPerSlot(p, g.off.t, g.on.t, pair)) expect(d).toBeLessThan(50_000);
    expect(gfwPairs(s.mmsis[0]!, s.mmsis[1]!)).toEqual([]);
  });

  it('coverage_hole_gap: silent 13 h, and no other vessel heard within 50 km (nor 500 km) of it during the gap: must not alert', () => {
    const s = scenario('coverage_hole_gap');
    const gap = alert(s, 'ais_gap');
    expect(gap.expected).toBe(false);
    const { off, on } = checkGap(gap.vessels[0]!, gap.start, gap.end, 12.5);
    const self = new Set(s.mmsis);
    for (const p of [off, on]) for (const d of nearestOthersPerSlot(p, off.t, on.t, self)) expect(d).toBeGreaterThan(500_000);
    // Under way whenever it reports.
    const sogs = fixesOf(gap.vessels[0]!).map((f) => f.sog).sort((a, b) => a - b);
    expect(sogs[0]).toBeGreaterThan(10);
  });

  it('draught_after_meeting: one GFW encounter; the 275 m Suezmax reports ≥ 2 m more draught after it and keeps it; the typo goes back within the hour', () => {
    const s = scenario('draught_after_meeting');
    const [cargo, typo] = s.draughtChanges!;
    const rv = alert(s, 'rendezvous');
    expect(rv.expected).toBe(true);
    const found = gfwPairs(rv.mmsis[0]!, rv.mmsis[1]!);
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0]!.start - Date.parse(rv.start))).toBeLessThanOrEqual(5 * MIN);
    expect(Math.abs(found[0]!.end - Date.parse(rv.end))).toBeLessThanOrEqual(5 * MIN);

    expect(cargo!.expected).toBe(true);
    expect(cargo!.toM - cargo!.fromM).toBeGreaterThanOrEqual(2);
    const at = Date.parse(cargo!.at);
    expect(at).toBeGreaterThan(Date.parse(rv.end));
    const reports = type5(cargo!.mmsi);
    expect(reports[0]!.dimBow! + reports[0]!.dimStern!).toBe(275);
    expect(cargo!.lengthM).toBe(275);
    for (const r of reports) expect(r.draught).toBe(r.t < at ? cargo!.fromM : r.t >= at + 6 * MIN + 5000 ? cargo!.toM : r.draught);
    expect(reports.filter((r) => r.t >= at).every((r) => r.draught === cargo!.toM)).toBe(true);
    expect(reports.filter((r) => r.t >= at).length).toBeGreaterThanOrEqual(20);

    expect(typo!.expected).toBe(false);
    const [t0, t1] = [Date.parse(typo!.at), Date.parse(typo!.revertedAt!)];
    expect(t1 - t0).toBeLessThanOrEqual(HOUR);
    const tr = type5(typo!.mmsi);
    const wrong = tr.filter((r) => r.draught === 15);
    expect(wrong.length).toBeGreaterThan(0);
    for (const r of wrong) expect(r.t >= t0 && r.t < t1).toBe(true);
    for (const r of tr) if (r.t < t0 || r.t >= t1) expect(r.draught).toBe(10.5);
    expect(tr.some((r) => r.t >= t1)).toBe(true);
    // The typo ship meets nobody.
    for (const m of s.mmsis) if (m !== typo!.mmsi) expect(gfwPairs(m, typo!.mmsi)).toEqual([]);
    // The truth lists the schedule with the vessel.
    const v = allScenarios().sim.truth.vessels.find((x) => x.key === typo!.vessel)!;
    expect(v.draughts).toEqual([{ from: typo!.at, draughtM: 15 }, { from: typo!.revertedAt, draughtM: 10.5 }]);
  });

  it('shared_imo: two MMSIs report the same IMO at the same time > 500 nm apart; nobody else reports it', () => {
    const s = scenario('shared_imo');
    const sp = s.spoofing![0]!;
    expect(sp.kind).toBe('shared_imo');
    const [m1, m2] = sp.mmsis as [number, number];
    expect(m1).not.toBe(m2);
    for (const m of [m1, m2]) {
      const imos = new Set(type5(m).map((r) => r.imo));
      expect([...imos]).toEqual([sp.imo]);
    }
    const others = allScenarios().decoded.statics.filter((d) => d.msg.type === 5 && d.msg.imo === sp.imo && d.msg.mmsi !== m1 && d.msg.mmsi !== m2);
    expect(others).toEqual([]);
    const [f1, f2] = [allScenarios().decoded.fixes.get(m1)!, allScenarios().decoded.fixes.get(m2)!];
    let pairs = 0;
    for (let i = 0; i < f1.length; i += 20) {
      const near = f2.find((g) => Math.abs(g.t - f1[i]!.t) < MIN);
      if (!near) continue;
      pairs++;
      expect(haversineM(f1[i]!, near)).toBeGreaterThan(500 * NM);
    }
    expect(pairs).toBeGreaterThan(100);
    expect(sp.minSeparationNm).toBeGreaterThan(500);
  });

  it('circle_spoof: positions stay on a circle < 1 km across, going round again and again, at a reported SOG > 3 kn', () => {
    const s = scenario('circle_spoof');
    const sp = s.spoofing![0]!;
    expect(sp.kind).toBe('circle');
    const fixes = fixesOf(sp.vessels[0]!);
    expect(fixes.length).toBeGreaterThan(1000);
    const c = sp.centre!;
    let far = 0;
    for (const f of fixes) far = Math.max(far, haversineM(f, c));
    expect(2 * far).toBeLessThan(1000);
    let across = 0;
    for (let i = 0; i < fixes.length; i += 7) for (let j = i + 1; j < fixes.length; j += 97) across = Math.max(across, haversineM(fixes[i]!, fixes[j]!));
    expect(across).toBeLessThan(1000);
    expect(across).toBeGreaterThan(500);
    const sogs = fixes.map((f) => f.sog).sort((a, b) => a - b);
    expect(sogs[0]).toBeGreaterThan(3);
    // Turns: the bearing from the centre wraps round once per revolution.
    const bearing = (f: Fix) => Math.atan2((f.lon - c.lon) * Math.cos((c.lat * Math.PI) / 180), f.lat - c.lat);
    let turned = 0;
    for (let i = 1; i < fixes.length; i++) {
      let d = bearing(fixes[i]!) - bearing(fixes[i - 1]!);
      if (d > Math.PI) d -= 2 * Math.PI;
      if (d < -Math.PI) d += 2 * Math.PI;
      turned += d;
    }
    expect(Math.abs(turned) / (2 * Math.PI)).toBeGreaterThan(100);
    // Not loitering by GFW's measure: the implied speed per hour matches the SOG.
    for (const kn of hourlyImpliedKn(fixes, fixes[0]!.t, fixes.at(-1)!.t)) expect(kn).toBeGreaterThan(sp.reportedSogKn! * 0.9);
    expect(alert(s, 'loitering').expected).toBe(false);
  });
});

describe('dark-activity scenarios on their own', () => {
  const digest = (lines: Iterable<string>) => {
    const h = createHash('sha256');
    for (const l of lines) h.update(l + '\n');
    return h.digest('hex');
  };
  const opts = (name: (typeof NEW)[number], seed: number) => ({ start: '2026-03-01T00:00:00Z', hours: 18, vessels: 0, seed, scenarios: [name], rates: { classAUnderwayS: [20, 30] as [number, number] } });

  for (const name of NEW) {
    it(`${name}: generates alone, same bytes for a seed, different for another`, () => {
      const a = simulate(opts(name, 3));
      expect(a.truth.scenarios.map((s) => s.name)).toEqual([name]);
      const d = digest(a.lines);
      expect(digest(simulate(opts(name, 3)).lines)).toBe(d);
      expect(digest(a.lines)).toBe(d);
      expect(simulate(opts(name, 3)).truth).toEqual(a.truth);
      expect(digest(simulate(opts(name, 4)).lines)).not.toBe(d);
    });
  }

  it('the dark scenarios skip (with a reason) when the run is too short for a 13 h gap, and throw when named', () => {
    const sim = simulate({ hours: 15, vessels: 0 });
    const skipped = Object.fromEntries(sim.truth.skippedScenarios.map((s) => [s.name, s.reason]));
    expect(skipped['dark_partner']).toMatch(/at least 17 h/);
    expect(skipped['dark_dark']).toMatch(/at least 16 h/);
    expect(skipped['coverage_hole_gap']).toMatch(/at least 16 h/);
    expect(simulate({ hours: 16, vessels: 0 }).truth.scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['dark_dark', 'coverage_hole_gap']));
    const short = simulate({ hours: 7, vessels: 0 });
    expect(short.truth.skippedScenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['dark_partner', 'dark_dark', 'coverage_hole_gap', 'draught_after_meeting']));
    expect(short.truth.scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['shared_imo', 'circle_spoof']));
    expect(() => simulate({ hours: 12, vessels: 0, scenarios: ['dark_dark'] })).toThrow(/dark_dark: needs a window of at least 16 h/);
  });
});
