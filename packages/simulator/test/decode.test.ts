import { beforeAll, describe, expect, it } from 'vitest';
import { classifyMmsi, isValidImo } from '@rendezvous/ais';
import { parsePlainCsv } from '@rendezvous/watchlists';
import { simulate, watchlistCsv } from '../src/index.ts';
import { allScenarios } from './support/fixture.ts';
import { decodeLines } from './support/tracks.ts';

describe('generated NMEA', () => {
  beforeAll(() => void allScenarios(), 120_000);

  it('decodes with the project decoder without a single rejection', () => {
    const { decoded, lines } = allScenarios();
    expect(lines.length).toBeGreaterThan(200_000);
    expect(decoded.rejected).toEqual({});
    // Types 1 and 3 (Class A), 5 (static), 18 and 24 (Class B) are all present.
    for (const type of [1, 3, 5, 18, 24]) expect(decoded.byType[type], `type ${type}`).toBeGreaterThan(0);
    expect(decoded.byType[2]).toBe(0);
  });

  it('is sorted by TAG c: time and every line carries \\s:<receiver>,c:<unix s>', () => {
    const { decoded, lines, sim } = allScenarios();
    for (const line of lines.slice(0, 1000)) expect(line).toMatch(/^\\(g:\d-\d-\d+,)?(s:sim-rx1,)?c:\d{10}\*[0-9A-F]{2}\\|^\\g:\d-\d-\d+\*[0-9A-F]{2}\\/);
    let prev = -Infinity;
    let unsorted = 0;
    for (const t of decoded.times) {
      if (t < prev) unsorted++;
      prev = t;
    }
    expect(unsorted).toBe(0);
    expect(decoded.times[0]).toBeGreaterThanOrEqual(Date.parse(sim.truth.start));
    expect(decoded.times.at(-1)).toBeLessThan(Date.parse(sim.truth.end));
  });

  it('with 3 receivers, duplicates messages with slightly different c: times and still decodes cleanly', () => {
    const sim = simulate({ hours: 2, vessels: 30, seed: 3, receivers: 3, scenarios: ['convoy'] });
    const lines = [...sim.lines];
    const decoded = decodeLines(lines);
    expect(decoded.rejected).toEqual({});
    expect(sim.truth.receivers).toEqual(['sim-rx1', 'sim-rx2', 'sim-rx3']);
    expect(decoded.sources).toEqual(new Set(['sim-rx1', 'sim-rx2', 'sim-rx3']));
    const unique = [...decoded.fixes.values()].reduce((n, f) => n + f.length, 0);
    // rx1 hears everything, rx2 70 %, rx3 50 %: copies ≈ 2.2 × unique.
    expect(decoded.copies / unique).toBeGreaterThan(2.1);
    expect(decoded.copies / unique).toBeLessThan(2.3);
    // Copies of one transmission carry the same payload and c: times at most 3 s apart.
    const byPayload = new Map<string, number[]>();
    for (const line of lines) {
      const m = /c:(\d+).*!AIVDM,1,1,,[AB],([13B][^,]*),/.exec(line); // positions: static reports repeat verbatim
      if (!m) continue;
      const list = byPayload.get(m[2]!) ?? [];
      list.push(Number(m[1]));
      byPayload.set(m[2]!, list);
    }
    let spread = 0;
    for (const ts of byPayload.values()) spread = Math.max(spread, Math.max(...ts) - Math.min(...ts));
    expect(spread).toBeGreaterThan(0);
    expect(spread).toBeLessThanOrEqual(3);
  });

  it('identities are valid: 9-digit MMSIs with allocated MIDs, IMO check digits, tankers 80–89, names on air match the truth', () => {
    const { decoded, sim } = allScenarios();
    const truthByMmsi = new Map(sim.truth.vessels.map((v) => [v.mmsi, v]));
    for (const v of sim.truth.vessels) {
      expect(classifyMmsi(v.mmsi), `${v.key} ${v.mmsi}`).toMatchObject({ valid: true, kind: 'ship' });
      if (v.imo !== null) expect(isValidImo(v.imo), `${v.key} IMO ${v.imo}`).toBe(true);
      if (v.aisClass === 'B') expect(v.imo).toBeNull();
    }
    expect(sim.truth.vessels.filter((v) => v.shipType >= 80 && v.shipType <= 89).length).toBeGreaterThan(20);
    const mmsis = sim.truth.vessels.map((v) => v.mmsi);
    expect(new Set(mmsis).size).toBe(mmsis.length - 1); // exactly one MMSI is shared on purpose
    let type5 = 0;
    for (const d of decoded.statics) {
      const m = d.msg;
      if (m.type !== 5 && m.type !== 24) continue;
      const shared = sim.truth.sharedMmsis.includes(m.mmsi);
      const names = sim.truth.vessels.filter((v) => v.mmsi === m.mmsi).map((v) => v.name);
      if (m.type === 5) {
        type5++;
        expect(names).toContain(m.name);
        if (!shared) expect(m.imo).toBe(truthByMmsi.get(m.mmsi)!.imo);
      } else if (m.partNumber === 0) {
        expect(names).toContain(m.name);
      } else {
        expect(m.shipType).toBe(truthByMmsi.get(m.mmsi)!.shipType);
      }
    }
    expect(type5).toBeGreaterThan(100);
  });

  it('sends static reports about every 6 minutes per Class A vessel', () => {
    const { decoded, sim } = allScenarios();
    const suspect = sim.truth.vessels.find((v) => v.key === 'meeting/suspect')!;
    const times = decoded.statics.filter((d) => d.msg.type === 5 && d.msg.mmsi === suspect.mmsi && d.source === 'sim-rx1').map((d) => d.timestampMs!);
    const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
    expect(gaps.length).toBeGreaterThan(250);
    // c: is whole seconds, so a gap can read a second short of the 360 s period.
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(359);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(360 + 32); // the next position after the period, at ≤ 30 s cadence
  });

  it('the watchlisted scenario vessels make a plain watchlist CSV the list parser accepts', () => {
    const { sim } = allScenarios();
    const csv = watchlistCsv(sim.truth);
    expect(csv.split('\n')[0]).toBe('imo,mmsi,name,reason,source,listed_at');
    const parsed = parsePlainCsv(csv);
    const marked = sim.truth.vessels.filter((v) => v.watchlist);
    expect(marked.length).toBe(sim.truth.scenarios.length);
    expect(parsed.vessels.map((v) => v.name).sort()).toEqual(marked.map((v) => v.name).sort());
    expect(parsed.invalidImos).toEqual([]);
  });
});
