import { simulate, type SimulationOptions } from '../../src/index.ts';
import { decodeLines, type Decoded } from './tracks.ts';

/**
 * Every scenario in one 30 h run that crosses a midnight; Class A rates slower than the defaults
 * (10–30 s under way instead of 2–10 s) to keep the suite quick — still ≥ 2 fixes a minute, and the
 * encoder, not the generator, is the bottleneck (see the performance test).
 */
export const ALL_SCENARIOS: SimulationOptions = {
  start: '2025-12-31T12:00:00Z',
  hours: 30,
  vessels: 40,
  seed: 7,
    rates: { classAUnderwayS: [10, 30] },
};

let cached: { sim: ReturnType<typeof simulate>; decoded: Decoded; lines: string[] } | null = null;

export function allScenarios() {
  if (!cached) {
    const sim = simulate(ALL_SCENARIOS);
    const lines = [...sim.lines];
    cached = { sim, decoded: decodeLines(lines), lines };
  }
  return cached;
}
