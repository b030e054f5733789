/**
 * The issue-15 scenarios (sanctioned_port_call, gap_near_sanctioned_area, voyage_irregularity)
 * held against the decoded NMEA of one 62 h run: stays slow inside (or just outside) the circles
 * for the stated times, gaps silent with the draughts on air before and after, legs as long as
 * the truth says, destinations on air in the type 5 reports; every position at sea; the copies of
 * the shipped sanctioned places equal to the files; the selection and skip rules.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSanctioned, loadShoreIndex, parsePortsCsv } from '@rendezvous/geography';
import { portsCsv, simulate, SCENARIO_NAMES, type ExpectedAlert, type ScenarioTruth } from '../src/index.ts';
import { DPRK_WEST_SEA, NAMPHO } from '../src/scenarios/sanctioned-places.ts';
import { changes, fixesOf, mmsiOf, portScenarios, PORT_SCENARIOS, scenario, type5 } from './support/port-fixture.ts';
import { HOUR, MIN, closeRuns, gfwEncounters, haversineM, resample, splitTracks, type Fix } from './support/tracks.ts';

const NM = 1852;
const NAMES = ['sanctioned_port_call', 'gap_near_sanctioned_area', 'voyage_irregularity'] as const;
const sanctioned = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });

const alerts = (s: ScenarioTruth, type: ExpectedAlert['type'], vessel?: string) => s.expectedAlerts!.filter((a) => a.type === type && (vessel === undefined || a.vessels.includes(vessel)));
const within = (fixes: Fix[], from: number, to: number) => fixes.filter((f) => f.t >= from && f.t <= to);
const dist = (f: { lat: number; lon: number }, p: { lat: number; lon: number }) => haversineM(f, p);

describe('issue-15 scenarios against the decoded NMEA', () => {
  beforeAll(() => void portScenarios(), 120_000);

  it('are named-only: listed in SCENARIO_NAMES, never run by "all", and too short a run is an error naming the minimum', () => {
    for (const n of NAMES) expect(SCENARIO_NAMES).toContain(n);
    const all = simulate({ hours: 62, vessels: 0 });
    expect(all.truth.scenarios.map((s) => s.name)).not.toEqual(expect.arrayContaining([NAMES[0]]));
    for (const n of NAMES) {
      expect(all.truth.scenarios.some((s) => s.name === n)).toBe(false);
      expect(all.truth.skippedScenarios.some((s) => s.name === n)).toBe(false);
    }
    expect(() => simulate({ hours: 12, vessels: 0, scenarios: ['sanctioned_port_call'] })).toThrow(/sanctioned_port_call: needs a window of at least 17 h/);
    expect(() => simulate({ hours: 30, vessels: 0, scenarios: ['gap_near_sanctioned_area'] })).toThrow(/gap_near_sanctioned_area: needs a window of at least 35 h/);
    expect(() => simulate({ hours: 48, vessels: 0, scenarios: ['voyage_irregularity'] })).toThrow(/voyage_irregularity: needs a window of at least 6\d h/);
    // The run the end-to-end test uses fits all three.
    expect(portScenarios().sim.truth.scenarios.map((s) => s.name)).toEqual([...NAMES]);
  }, 60_000);

  it('the copies of the sanctioned places are the shipped files', () => {
    const nampho = sanctioned.ports.find((p) => p.name === 'Nampho')!;
    expect({ lon: nampho.lon, lat: nampho.lat, radiusM: nampho.radiusM, country: nampho.country }).toEqual({ lon: NAMPHO.lon, lat: NAMPHO.lat, radiusM: NAMPHO.radiusM, country: NAMPHO.country });
    const area = sanctioned.areas.find((a) => a.name === DPRK_WEST_SEA.name)!;
    expect(area.polygons).toHaveLength(1);
    expect(area.polygons[0]![0]).toEqual(DPRK_WEST_SEA.ring.map((c) => [...c]));
  });

  it('is deterministic, and every position of every vessel is at sea (Natural Earth 1:10m, the detector\'s land)', () => {
    const digest = (lines: Iterable<string>) => {
      const h = createHash('sha256');
      for (const l of lines) h.update(l);
      return h.digest('hex');
    };
    const again = simulate(PORT_SCENARIOS);
    expect(again.truth).toEqual(portScenarios().sim.truth);
    expect(digest(again.lines)).toBe(digest(simulate(PORT_SCENARIOS).lines));
    const shore = loadShoreIndex();
    let n = 0;
    for (const [mmsi, fixes] of portScenarios().decoded.fixes) {
      const onLand = fixes.filter((f) => shore.isOnLand(f.lon, f.lat));
      expect(onLand.slice(0, 3), `MMSI ${mmsi} on land`).toEqual([]);
      n += fixes.length;
    }
    expect(n).toBeGreaterThan(10_000);
  }, 120_000);

  it('truth: ports as a PORTS_FILE the detector reads; alerts name their own vessels, in time order, with a reason', () => {
    const { truth } = portScenarios().sim;
    const csv = parsePortsCsv(portsCsv(truth));
    expect(csv.ports.map((p) => `${p.id} ${p.name} ${p.country}`)).toEqual(['sim-dalian Dalian CHN', 'sim-busan Busan KOR', 'sim-ulsan Ulsan KOR', 'sim-pohang Pohang KOR']);
    expect(csv.bad).toBe(0);
    for (const s of truth.scenarios) {
      expect(s.expectedAlerts!.length, s.name).toBeGreaterThan(0);
      expect(s.expectedEncounters).toBe(0);
      for (const a of s.expectedAlerts!) {
        expect(a.vessels.map(mmsiOf)).toEqual(a.mmsis);
        for (const m of a.mmsis) expect(s.mmsis).toContain(m);
        expect(Date.parse(a.start)).toBeLessThan(Date.parse(a.end));
        expect(a.why.length).toBeGreaterThan(10);
        if (a.type === 'voyage_irregularity') expect(a.details!['kind']).toBe(a.kind);
      }
    }
    expect(truth.meetings).toEqual([]);
  });

  it('no two vessels of a scenario meet by the GFW rule (brute force, 1-minute grid)', () => {
    const { decoded } = portScenarios();
    for (const name of NAMES) {
      const s = scenario(name);
      const grids = s.mmsis.map((m) => splitTracks(decoded.fixes.get(m) ?? []).map((t) => resample(t)));
      let found = 0;
      for (let i = 0; i < grids.length; i++) for (let j = i + 1; j < grids.length; j++) for (const a of grids[i]!) for (const b of grids[j]!) found += gfwEncounters(closeRuns(a, b)).length;
      expect(found, name).toBe(0);
    }
  }, 60_000);

  it('sanctioned_port_call: the caller is dark on the way in and lies < 0.5 kn inside Nampho\'s circle for the stated hours; the queue lies as long just outside; the passer never slows; the Dalian call', () => {
    const s = scenario('sanctioned_port_call');
    const [call, queue, passer, dalian] = s.portCalls!;
    const silence = s.params['silence'] as { start: string; end: string };
    const caller = fixesOf(call!.vessel);
    const [d0, d1] = [Date.parse(silence.start), Date.parse(silence.end)];
    expect(within(caller, d0, d1 - 1)).toEqual([]);
    const before = caller.filter((f) => f.t < d0).at(-1)!;
    const after = caller.find((f) => f.t >= d1)!;
    // Off outside the circle (~40 km from the port point), on inside it, at anchor.
    expect(dist(before, NAMPHO)).toBeGreaterThan(30_000);
    expect(dist(after, NAMPHO)).toBeLessThan(NAMPHO.radiusM);
    expect(after.sog).toBeLessThan(0.5);
    // Arrival = the first fix back on; departure = the last inside 4/3 of the radius.
    expect(Math.abs(after.t - Date.parse(call!.arrival!))).toBeLessThanOrEqual(10_000);
    const inPort = within(caller, Date.parse(call!.arrival!), Date.parse(call!.departure!));
    expect(Math.max(...inPort.map((f) => dist(f, NAMPHO)))).toBeLessThanOrEqual(NAMPHO.radiusM * (4 / 3));
    const slow = inPort.filter((f) => f.sog < 0.5);
    expect((slow.at(-1)!.t - slow[0]!.t) / HOUR).toBeGreaterThanOrEqual(call!.slowHours - 0.1);
    expect(call!.slowHours).toBeGreaterThanOrEqual(8);
    for (const f of slow) expect(dist(f, NAMPHO)).toBeLessThan(NAMPHO.radiusM);
    // The last fix inside the exit radius is the truth's departure (within a reporting interval).
    const lastInside = caller.filter((f) => f.t >= after.t && f.t < Date.parse(call!.departure!) + HOUR && dist(f, NAMPHO) <= NAMPHO.radiusM * (4 / 3)).at(-1)!;
    expect(Math.abs(lastInside.t - Date.parse(call!.departure!))).toBeLessThan(MIN);

    // The queue: slow ~10 h, always outside the 10 km circle (11.1 km at the closest).
    const q = fixesOf(queue!.vessel);
    expect(Math.min(...q.map((f) => dist(f, NAMPHO)))).toBeGreaterThan(NAMPHO.radiusM + 1000);
    const qSlow = q.filter((f) => f.sog < 0.5);
    expect((qSlow.at(-1)!.t - qSlow[0]!.t) / HOUR).toBeGreaterThanOrEqual(9.4);
    for (const f of qSlow) expect(dist(f, NAMPHO)).toBeLessThan(NAMPHO.radiusM + 1500);
    expect(queue!.expected).toBe(false);

    // The passer: inside the circle for a while, never below 9 kn.
    const pf = fixesOf(passer!.vessel);
    const inside = pf.filter((f) => dist(f, NAMPHO) <= NAMPHO.radiusM);
    expect((inside.at(-1)!.t - inside[0]!.t) / MIN).toBeGreaterThan(15);
    expect(Math.min(...pf.map((f) => f.sog))).toBeGreaterThan(9);
    expect(passer!.expected).toBe(false);

    // Dalian: ~10 h slow within its 3 km radius; a call, but no sanctions alert.
    const port = s.ports!.find((p) => p.id === 'sim-dalian')!;
    const df = within(fixesOf(dalian!.vessel), Date.parse(dalian!.arrival!), Date.parse(dalian!.departure!));
    const dSlow = df.filter((f) => f.sog < 0.5);
    expect((dSlow.at(-1)!.t - dSlow[0]!.t) / HOUR).toBeGreaterThan(9);
    for (const f of dSlow) expect(dist(f, port)).toBeLessThan(3000);
    expect(dalian!.expected).toBe(true);
    expect(alerts(s, 'port_call_sanctioned').map((a) => a.expected)).toEqual([true, false, false, false]);
  }, 30_000);

  it('gap_near_sanctioned_area: three 30 h silences far offshore with neighbours heard within 50 km; draughts on air before and after as the truth says', () => {
    const s = scenario('gap_near_sanctioned_area');
    const shore = loadShoreIndex();
    const offs: Record<string, Fix> = {};
    for (const g of alerts(s, 'ais_gap')) {
      const key = g.vessels[0]!;
      const fixes = fixesOf(key);
      const [from, to] = [Date.parse(g.start), Date.parse(g.end)];
      expect(within(fixes, from, to - 1), key).toEqual([]);
      const off = fixes.filter((f) => f.t < from).at(-1)!;
      const on = fixes.find((f) => f.t >= to)!;
      offs[key.split('/')[1]!] = off;
      expect(on.t - off.t).toBeGreaterThanOrEqual(30 * HOUR);
      expect(from - off.t).toBeLessThan(MIN);
      expect(on.t - to).toBeLessThan(MIN);
      // ≥ 14 positions in the 12 h before (Welch), > 50 nm from shore at both ends.
      expect(within(fixes, off.t - 12 * HOUR, off.t).length).toBeGreaterThanOrEqual(14);
      expect(shore.distanceToShoreM(off.lon, off.lat) / NM).toBeGreaterThan(55);
      expect(shore.distanceToShoreM(on.lon, on.lat) / NM).toBeGreaterThan(55);
      // Someone within 50 km of the off position every 30 minutes of the gap.
      const others = [...portScenarios().decoded.fixes].filter(([m]) => m !== mmsiOf(key));
      for (let t = from; t + 30 * MIN <= to; t += 30 * MIN) {
        const heard = others.some(([, fs]) => fs.some((f) => f.t >= t && f.t < t + 30 * MIN && dist(f, off) < 50_000));
        expect(heard, `${key} neighbours at ${new Date(t).toISOString()}`).toBe(true);
      }
      // Draughts: the value before on air up to the gap, the truth's value after it.
      const area = alerts(s, 'gap_near_sanctioned_area', key)[0]!;
      const t5 = type5(key);
      const lastBefore = t5.filter((r) => r.t < from).at(-1)!;
      const firstAfter = t5.find((r) => r.t >= to)!;
      expect(lastBefore.draught).toBe(area.details!['draughtBeforeM']);
      expect(firstAfter.draught).toBe(area.details!['draughtAfterM']);
      expect(firstAfter.t - to).toBeLessThan(7 * MIN);
      expect(t5.find((r) => r.t >= from && r.t < to)).toBeUndefined();
    }
    const byRole = (r: string) => alerts(s, 'gap_near_sanctioned_area', `gap_near_sanctioned_area/${r}`)[0]!;
    expect(byRole('loaded').expected).toBe(true);
    expect(byRole('loaded').details!['draughtIncreaseM']).toBe(3);
    expect(byRole('loaded').details!['hoursNeededAt15Kn']).toBeLessThan(20);
    expect(byRole('unladen').expected).toBe(false);
    expect(byRole('unladen').details!['draughtIncreaseM']).toBe(0);
    expect(byRole('unladen').details!['hoursNeededAt15Kn']).toBeLessThan(27);
    expect(byRole('far').expected).toBe(false);
    expect(byRole('far').details!['hoursNeededAt15Kn']).toBeGreaterThan(40);
    // Off positions of the loaded and unladen tankers are beyond dark-dark's 50 nm.
    expect(dist(offs['loaded']!, offs['unladen']!) / NM).toBeGreaterThan(55);
  }, 60_000);

  it('voyage_irregularity: calls slow at each port, legs as long as the truth says, the drift mid-leg, and each declared destination on air after the arrival it follows', () => {
    const s = scenario('voyage_irregularity');
    const byPort = new Map(s.ports!.map((p) => [p.id, p]));
    for (const c of s.portCalls!) {
      const fixes = within(fixesOf(c.vessel), Date.parse(c.arrival!), Date.parse(c.departure!));
      const port = byPort.get(c.portId)!;
      for (const f of fixes) expect(dist(f, port)).toBeLessThanOrEqual(4000);
      const slow = fixes.filter((f) => f.sog < 1);
      expect((slow.at(-1)!.t - slow[0]!.t) / HOUR, `${c.vessel} at ${c.port}`).toBeGreaterThanOrEqual(2.5);
    }
    expect(s.portCalls!.filter((c) => c.vessel.endsWith('drifter')).map((c) => c.port)).toEqual(['Busan', 'Ulsan', 'Pohang', 'Busan']);
    expect(s.portCalls!.filter((c) => c.vessel.endsWith('declarer')).map((c) => c.port)).toEqual(['Ulsan', 'Busan', 'Ulsan', 'Pohang']);

    // Legs: two regular (≤ 6 h), one of > 30 h with the drift in it, slow and at sea.
    const hidden = alerts(s, 'voyage_irregularity', 'voyage_irregularity/drifter');
    expect(hidden.map((a) => [a.kind, a.expected])).toEqual([['hidden_stop', false], ['hidden_stop', false], ['hidden_stop', true]]);
    for (const a of hidden.slice(0, 2)) expect((Date.parse(a.end) - Date.parse(a.start)) / HOUR).toBeLessThan(6);
    const long = hidden[2]!;
    expect((Date.parse(long.end) - Date.parse(long.start)) / HOUR).toBeGreaterThan(30);
    expect(long.details!['durationH'] as number).toBeGreaterThanOrEqual(2.5 * (long.details!['expectedH'] as number));
    expect((long.details!['durationH'] as number) - (long.details!['expectedH'] as number)).toBeGreaterThan(26);
    const drift = s.params['drift'] as { start: string; end: string };
    const dFix = within(fixesOf('voyage_irregularity/drifter'), Date.parse(drift.start) + MIN, Date.parse(drift.end) - MIN);
    expect(dFix.length).toBeGreaterThan(1000);
    const sogs = dFix.map((f) => f.sog).sort((a, b) => a - b);
    expect(sogs[sogs.length >> 1]).toBeLessThan(0.5);
    const shore = loadShoreIndex();
    for (const f of [dFix[0]!, dFix.at(-1)!]) expect(shore.distanceToShoreM(f.lon, f.lat) / NM).toBeLessThan(20);

    // Destinations on air: each declared 30 min into the call it follows, on air within 6 min.
    for (const role of ['drifter', 'declarer']) {
      const key = `voyage_irregularity/${role}`;
      const truthV = portScenarios().sim.truth.vessels.find((v) => v.key === key)!;
      const onAir = changes(type5(key), (r: { destination: string | null }) => r.destination);
      expect(onAir.map((c) => c.value)).toEqual([role === 'drifter' ? 'BUSAN' : 'ULSAN', ...truthV.destinations!.map((d) => d.destination)]);
      const calls = s.portCalls!.filter((c) => c.vessel === key);
      truthV.destinations!.forEach((d, i) => {
        const seen = onAir[i + 1]!.t;
        // A static report goes with the first position report after its 6 min are up (3 min apart at anchor).
        expect(seen - Date.parse(d.from)).toBeLessThanOrEqual(9 * MIN + 2000);
        // Declared after arriving at the port it leaves from, before leaving it: "fresh" for the next leg.
        expect(seen).toBeGreaterThan(Date.parse(calls[i]!.arrival!));
        expect(seen).toBeLessThan(Date.parse(calls[i]!.departure!));
      });
    }
    const declared = alerts(s, 'voyage_irregularity', 'voyage_irregularity/declarer');
    expect(declared.map((a) => [a.details!['declared'], a.expected])).toEqual([['FOR ORDERS', false], ['CNDLC', true], ['POHNAG', false]]);
  }, 30_000);
});
