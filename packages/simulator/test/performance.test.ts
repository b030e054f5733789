import { describe, expect, it } from 'vitest';
import { simulate } from '../src/index.ts';

describe('performance', () => {
  it('streams 2,000 vessels × 24 h in constant memory (lines/s logged, no timing assert)', () => {
    const t0 = performance.now();
    const sim = simulate({ vessels: 2000, hours: 24, seed: 1 });
    const setupMs = performance.now() - t0;
    const LIMIT = 1_000_000;
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    let n = 0;
    let bytes = 0;
    let lastC = 0;
    const t1 = performance.now();
    for (const line of sim.lines) {
      bytes += line.length + 1;
      if (++n % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (n === LIMIT) {
        lastC = Number(/c:(\d+)/.exec(line)![1]);
        break; // the stream is lazy: stopping early costs nothing
      }
    }
    const s = (performance.now() - t1) / 1000;
    const covered = lastC - Date.parse(sim.truth.start) / 1000;
    const perDay = (n / covered) * 86_400;
    console.log(
      `simulator: ${sim.truth.vessels.length} vessels, setup ${setupMs.toFixed(0)} ms; ${n} lines (${(bytes / 1e6).toFixed(0)} MB) in ${s.toFixed(1)} s = ` +
        `${Math.round(n / s).toLocaleString('en')} lines/s; first ${(covered / 60).toFixed(0)} min of the day → ~${(perDay / 1e6).toFixed(1)} M lines for 24 h; ` +
        `heap +${((peak - base) / 1e6).toFixed(0)} MB`,
    );
    expect(n).toBe(LIMIT);
    // Holding the lines would take ≥ 2 × 90 MB; the generator keeps a few entries per vessel.
    expect(peak - base).toBeLessThan(120e6);
  }, 300_000);
});
