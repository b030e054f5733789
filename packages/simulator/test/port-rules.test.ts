/**
 * The detection rules themselves (packages/detection: detectPortCalls with createPortLookup and
 * portCallSanctioned, detectAisGaps and gapNearSanctionedArea, analyseVoyages) run on the
 * positions and type 5 reports decoded from the issue-15 scenarios' NMEA, without the database,
 * and give exactly the truth's verdicts. The ports are built as the detector's main.ts builds
 * them: the shipped sanctioned ports with their own radius, the truth's PORTS_FILE rows with 3 km.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyseVoyages,
  createPortLookup,
  createReceptionIndex,
  detectAisGaps,
  distanceToAreaM,
  detectPortCalls,
  gapNearSanctionedArea,
  PORT_CALL_RADIUS_M,
  portCallSanctioned,
  type AisGapEvent,
  type PortCall,
  type Track,
} from '@rendezvous/detection';
import { loadSanctioned, loadShoreIndex, parsePortsCsv } from '@rendezvous/geography';
import { portsCsv } from '../src/index.ts';
import { changes, mmsiOf, portScenarios, scenario, type5 } from './support/port-fixture.ts';
import { HOUR, MIN } from './support/tracks.ts';

const sanctioned = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });
const [FROM, TO] = [Date.parse('2025-03-01T00:00:00Z'), Date.parse('2025-03-01T00:00:00Z') + 62 * HOUR];

function tracks(): Track[] {
  return [...portScenarios().decoded.fixes].map(([mmsi, fixes]) => ({ mmsi, points: fixes.map((f) => ({ t: f.t, lon: f.lon, lat: f.lat, sog: f.sog })) }));
}

let calls: PortCall[] = [];
let gaps: AisGapEvent[] = [];

describe('the detection rules on the issue-15 scenarios (no database)', () => {
  beforeAll(() => {
    const { truth } = portScenarios().sim;
    // As services/detector main.ts: PORTS_FILE points at 3 km, the sanctioned ports at their radius.
    const file = parsePortsCsv(portsCsv(truth));
    const ports = [
      ...file.ports.map((p) => ({ ...p, radiusM: PORT_CALL_RADIUS_M })),
      ...sanctioned.ports.map((p) => ({ id: `sanctioned:${p.country}:${p.name}`, name: p.name, country: p.country, lon: p.lon, lat: p.lat, radiusM: p.radiusM })),
    ];
    calls = detectPortCalls(tracks(), createPortLookup(ports), { range: { from: FROM, to: TO }, window: { from: FROM, to: TO }, horizon: TO }).calls;
    const shore = loadShoreIndex();
    gaps = detectAisGaps(tracks(), { window: { from: FROM, to: TO }, horizon: TO, shoreDistanceM: (lon, lat) => shore.distanceToShoreM(lon, lat) }, createReceptionIndex(tracks()));
  }, 180_000);

  it('port calls: exactly the truth\'s, each within a minute of its arrival and departure; none for the queue or the passer', () => {
    const truthCalls = ['sanctioned_port_call', 'voyage_irregularity'].flatMap((n) => scenario(n).portCalls!);
    const expected = truthCalls.filter((c) => c.expected);
    expect(calls.map((c) => `${c.mmsi} ${c.port.id}`).sort()).toEqual(expected.map((c) => `${c.mmsi} ${c.portId}`).sort());
    for (const t of expected) {
      const c = calls.find((x) => x.mmsi === t.mmsi && x.port.id === t.portId && Math.abs(x.arrival - Date.parse(t.arrival!)) < HOUR)!;
      expect(c, `${t.vessel} at ${t.port}`).toBeDefined();
      expect(Math.abs(c.arrival - Date.parse(t.arrival!)), `${t.vessel} arrival at ${t.port}`).toBeLessThanOrEqual(MIN);
      expect(Math.abs(c.departure! - Date.parse(t.departure!)), `${t.vessel} departure from ${t.port}`).toBeLessThanOrEqual(MIN);
    }
    for (const t of truthCalls.filter((c) => !c.expected)) expect(calls.filter((c) => c.mmsi === t.mmsi), t.vessel).toEqual([]);
    // The caller's arrival was hidden by the silence: the call starts when AIS came back on, inside the port.
    const caller = calls.find((c) => c.mmsi === mmsiOf('sanctioned_port_call/caller'))!;
    expect(caller.port.name).toBe('Nampho');
    expect(caller.reasons.join(' ')).toMatch(/slow \(< 1 kn\) for ([89]|1\d)\.\d h/);
  });

  it('port_call_sanctioned: the Nampho call alone is sanctioned; the Dalian and Korean calls are not', () => {
    const s = scenario('sanctioned_port_call');
    const hits = calls.filter((c) => portCallSanctioned(c, sanctioned) !== null);
    const want = s.expectedAlerts!.filter((a) => a.type === 'port_call_sanctioned' && a.expected);
    expect(hits.map((c) => c.mmsi)).toEqual(want.map((a) => a.mmsis[0]));
    const f = portCallSanctioned(hits[0]!, sanctioned)!;
    expect(f.sanctionedPort).toBe('Nampho');
    expect(f.country).toBe('PRK');
    expect(Math.abs(f.arrival - Date.parse(want[0]!.start))).toBeLessThanOrEqual(MIN);
    expect(Math.abs(f.departure! - Date.parse(want[0]!.end))).toBeLessThanOrEqual(MIN);
  });

  it('ais_gap: the three 30 h silences, and no other gap in the run', () => {
    const s = scenario('gap_near_sanctioned_area');
    const want = s.expectedAlerts!.filter((a) => a.type === 'ais_gap');
    expect(gaps.map((g) => g.mmsi)).toEqual(want.map((a) => a.mmsis[0]));
    for (const a of want) {
      const g = gaps.find((x) => x.mmsi === a.mmsis[0])!;
      expect(Math.abs(g.start - Date.parse(a.start))).toBeLessThanOrEqual(MIN);
      expect(Math.abs(g.end - Date.parse(a.end))).toBeLessThanOrEqual(MIN);
      expect(g.profile).toBe('dark-default');
      expect(g.neighboursHeard).toBeGreaterThanOrEqual(1);
    }
  });

  it('gap_near_sanctioned_area: with the draughts on air, the rule fires for the loaded tanker only, with the truth\'s reach', () => {
    const s = scenario('gap_near_sanctioned_area');
    const area = sanctioned.areas.find((a) => a.name === 'DPRK waters (West Sea / Korea Bay)')!;
    for (const a of s.expectedAlerts!.filter((x) => x.type === 'gap_near_sanctioned_area')) {
      const g = gaps.find((x) => x.mmsi === a.mmsis[0])!;
      const t5 = type5(a.vessels[0]!);
      const before = t5.filter((r) => r.t <= g.off.t).at(-1)!.draught;
      const after = t5.find((r) => r.t >= g.on!.t)!.draught;
      const finding = gapNearSanctionedArea(g, area, { reachSpeedKn: 15, draughtBeforeM: before, draughtAfterM: after, minDraughtIncreaseM: 2 });
      expect(finding !== null, `${a.vessels[0]}: ${a.why}`).toBe(a.expected);
      // The reach the truth states agrees with the rule's own distances (a different algorithm) within 0.2 h.
      const v = 15 * 1852;
      const neededH = (distanceToAreaM(g.off.lon, g.off.lat, area) + distanceToAreaM(g.on!.lon, g.on!.lat, area)) / v;
      expect(Math.abs(neededH - (a.details!['hoursNeededAt15Kn'] as number))).toBeLessThan(0.3);
      if (finding) expect(finding.draughtIncreaseM).toBe(3);
    }
  });

  it('voyage_irregularity: analyseVoyages finds exactly the hidden stop and the CNDLC mismatch, and none of the negatives', () => {
    const s = scenario('voyage_irregularity');
    const voyageCalls = calls.filter((c) => c.port.id.startsWith('sim-') && c.port.id !== 'sim-dalian');
    const ports = s.ports!.map((p) => ({ ...p }));
    const analysed = analyseVoyages(
      voyageCalls,
      (mmsi) => {
        const key = portScenarios().sim.truth.vessels.find((v) => v.mmsi === mmsi)!.key;
        const declared = changes(type5(key), (r: { destination: string | null }) => r.destination).map((c) => ({ t: c.t, destination: c.value }));
        return { destinations: declared, lengthM: portScenarios().sim.truth.vessels.find((v) => v.mmsi === mmsi)!.lengthM };
      },
      { destinationMatch: { knownPorts: ports } },
    );
    const found = analysed.flatMap((a) => a.irregularities).map((i) => `${i.mmsi} ${i.kind} ${i.legIndex}`);
    const want = s.expectedAlerts!.filter((a) => a.type === 'voyage_irregularity' && a.expected).map((a) => `${a.mmsis[0]} ${a.kind} ${a.details!['legIndex']}`);
    expect(found.sort()).toEqual(want.sort());
    // The legs the detector sees are the truth's legs, within a minute at each end.
    for (const a of s.expectedAlerts!.filter((x) => x.type === 'voyage_irregularity')) {
      const voyage = analysed.find((v) => v.voyage.mmsi === a.mmsis[0])!;
      const leg = voyage.voyage.legs[a.details!['legIndex'] as number]!;
      expect(Math.abs(leg.departure - Date.parse(a.start)), a.why).toBeLessThanOrEqual(MIN);
      expect(Math.abs(leg.arrival - Date.parse(a.end)), a.why).toBeLessThanOrEqual(MIN);
    }
    const drifter = analysed.find((v) => v.voyage.mmsi === mmsiOf('voyage_irregularity/drifter'))!;
    expect(drifter.voyage.legs).toHaveLength(3);
    expect(Math.abs(drifter.usualSpeedKn - (s.params['usualSpeedKn'] as number))).toBeLessThan(0.3);
    const hidden = drifter.irregularities.find((i) => i.kind === 'hidden_stop')!;
    expect(hidden.values['excessH'] as number).toBeGreaterThan(26);
    const declarer = analysed.find((v) => v.voyage.mmsi === mmsiOf('voyage_irregularity/declarer'))!;
    expect(declarer.irregularities.map((i) => i.values['declared'])).toEqual(['CNDLC']);
  });
});
