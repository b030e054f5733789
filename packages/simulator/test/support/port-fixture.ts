import type { StaticVoyageData } from '@rendezvous/ais';
import { simulate, type ScenarioTruth, type SimulationOptions } from '../../src/index.ts';
import { decodeLines, type Decoded, type Fix } from './tracks.ts';

/**
 * The three issue-15 scenarios in one run, as the end-to-end test calls them: 62 h (the voyages
 * need 60), no background, Class A every 10–30 s under way (as the all-scenario fixture).
 */
export const PORT_SCENARIOS: SimulationOptions = {
  start: '2025-03-01T00:00:00Z',
  hours: 62,
  vessels: 0,
  seed: 7,
  scenarios: ['sanctioned_port_call', 'gap_near_sanctioned_area', 'voyage_irregularity'],
  rates: { classAUnderwayS: [10, 30] },
};

let cached: { sim: ReturnType<typeof simulate>; decoded: Decoded; lines: number } | null = null;

export function portScenarios() {
  if (!cached) {
    const sim = simulate(PORT_SCENARIOS);
    const lines = [...sim.lines];
    cached = { sim, decoded: decodeLines(lines), lines: lines.length };
  }
  return cached;
}

export function scenario(name: string): ScenarioTruth {
  const s = portScenarios().sim.truth.scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`scenario ${name} missing from the truth`);
  return s;
}

export const mmsiOf = (key: string): number => {
  const v = portScenarios().sim.truth.vessels.find((x) => x.key === key);
  if (!v) throw new Error(`no vessel ${key}`);
  return v.mmsi;
};
export const fixesOf = (key: string): Fix[] => portScenarios().decoded.fixes.get(mmsiOf(key)) ?? [];

/** A vessel's type 5 reports on air, in time order. */
export function type5(key: string): (StaticVoyageData & { t: number })[] {
  const mmsi = mmsiOf(key);
  return portScenarios()
    .decoded.statics.filter((d) => d.msg.type === 5 && d.msg.mmsi === mmsi)
    .map((d) => ({ ...(d.msg as StaticVoyageData), t: d.timestampMs! }))
    .sort((a, b) => a.t - b.t);
}

/** Each new value of a type 5 field with the time it was first on air (the "declared" series). */
export function changes<T>(reports: { t: number }[], value: (r: never) => T): { t: number; value: T }[] {
  const out: { t: number; value: T }[] = [];
  for (const r of reports) {
    const v = value(r as never);
    if (out.length === 0 || out[out.length - 1]!.value !== v) out.push({ t: r.t, value: v });
  }
  return out;
}
