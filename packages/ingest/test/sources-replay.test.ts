import { describe, expect, it } from 'vitest';
import { emptyStats, type LineBatch, type LineSource } from '../src/sources/line-source.ts';
import { replaySource, type ReplayClock } from '../src/sources/replay-source.ts';

/** An in-memory inner source: `lines` in batches of `size`. */
function arraySource(lines: string[], size = 50): LineSource {
  const stats = emptyStats();
  return {
    name: 'mem',
    stats: () => ({ ...stats, lines: lines.length }),
    async *lines(signal: AbortSignal): AsyncGenerator<LineBatch> {
      for (let i = 0; i < lines.length && !signal.aborted; i += size) yield { lines: lines.slice(i, i + size), receivedAtMs: Date.now() };
    },
  };
}

// Test lines carry their feed time as "T=<epoch ms>;payload"; the replay module never parses lines itself.
const timeOf = (line: string): number | null => {
  const m = /^T=(\d+);/.exec(line);
  return m === null ? null : Number(m[1]);
};
const retimeLine = (line: string, ms: number): string => line.replace(/^T=\d+;/, `T=${Math.round(ms)};`);
const T0 = 1_700_000_000_000;
const at = (ms: number, payload = 'x') => `T=${T0 + ms};${payload}`;

/**
 * A virtual wall clock: a pause advances it at once, so the pacing is checked exactly and the test
 * never waits (wall-time accuracy is measured by `npm run bench -- replay`, not asserted here).
 */
function virtualClock(start = 1_000_000): ReplayClock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms, signal) {
      if (signal.aborted) return false;
      sleeps.push(ms);
      now += ms;
      return true;
    },
  };
}

async function run(source: LineSource, clock: ReplayClock, signal = new AbortController().signal) {
  const t0 = clock.now();
  const batches: LineBatch[] = [];
  for await (const b of source.lines(signal)) batches.push(b);
  return { elapsedMs: clock.now() - t0, batches, lines: batches.flatMap((b) => b.lines) };
}

/** When each line went out (its batch's receivedAtMs), relative to the first batch. */
function emittedAt(batches: LineBatch[]): Map<string, number> {
  const first = batches[0]?.receivedAtMs ?? 0;
  const m = new Map<string, number>();
  for (const b of batches) for (const l of b.lines) m.set(l, b.receivedAtMs - first);
  return m;
}

describe('replaySource', () => {
  it('plays 120 s of feed time at speed 60 in 2 s, in order, unmodified', async () => {
    const input = Array.from({ length: 121 }, (_, i) => at(i * 1000, `msg${i}`));
    const clock = virtualClock();
    const source = replaySource(arraySource(input), { speed: 60, timeOf, clock });
    const { elapsedMs, lines, batches } = await run(source, clock);
    expect(lines).toEqual(input);
    expect(elapsedMs).toBeCloseTo(2000, 6);
    // Paced throughout, not bunched at the start or the end: line i goes out at i/60 s.
    const when = emittedAt(batches);
    input.forEach((line, i) => expect(when.get(line)).toBeCloseTo((i * 1000) / 60, 6));
    expect(source.stats().lines).toBe(121);
    expect(source.name).toBe('replay:60:mem');
  });

  it('is immediate at speed Infinity, 0 or negative', async () => {
    const input = Array.from({ length: 1000 }, (_, i) => at(i * 60_000));
    for (const speed of [Infinity, 0, -1, NaN]) {
      const clock = virtualClock();
      const { lines } = await run(replaySource(arraySource(input, 300), { speed, timeOf, clock }), clock);
      expect(lines).toEqual(input);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it('passes lines without a time straight through, ahead of the pause before the next timed line', async () => {
    const input = [at(0, 'a'), 'untimed-1', at(300, 'b'), 'untimed-2'];
    const clock = virtualClock();
    const { lines, batches } = await run(replaySource(arraySource(input), { speed: 1, timeOf, clock }), clock);
    expect(lines).toEqual(input);
    const when = emittedAt(batches);
    expect(when.get('untimed-1')).toBe(0);
    expect(when.get(at(300, 'b'))).toBe(300);
    expect(clock.sleeps).toEqual([300]);
  });

  it('emits slightly out-of-order times at once, and restarts the clock after a big rewind', async () => {
    // 0 → 1 s, then back 0.5 s (jitter between receivers: no wait), then back 10 min
    // (a second capture appended): the clock restarts there instead of racing to catch up.
    const input = [at(600_000, 'a'), at(601_000, 'b'), at(600_500, 'c'), at(0, 'd'), at(1000, 'e')];
    const clock = virtualClock();
    const { lines, batches } = await run(replaySource(arraySource(input), { speed: 10, timeOf, clock }), clock);
    expect(lines).toEqual(input);
    const when = emittedAt(batches);
    expect(when.get(at(601_000, 'b'))!).toBe(100);
    expect(when.get(at(600_500, 'c'))!).toBe(100);
    expect(when.get(at(0, 'd'))!).toBe(100);
    expect(when.get(at(1000, 'e'))!).toBe(200);
    expect(clock.sleeps).toEqual([100, 100]);
  });

  it('retimes only when asked: a constant shift that makes the first timed line "now"', async () => {
    const input = [at(0, 'a'), 'untimed', at(5000, 'b'), at(65_000, 'c')];
    const clock = virtualClock();
    expect((await run(replaySource(arraySource(input), { speed: Infinity, timeOf, retimeLine, clock }), clock)).lines).toEqual(input);
    const { lines } = await run(replaySource(arraySource(input), { speed: Infinity, timeOf, retime: true, retimeLine, clock }), clock);
    const times = lines.map(timeOf);
    expect(lines[1]).toBe('untimed');
    expect(times[0]!).toBe(clock.now());
    expect(times[2]! - times[0]!).toBe(5000);
    expect(times[3]! - times[0]!).toBe(65_000);
    expect(lines.map((l) => l.split(';').at(-1))).toEqual(['a', 'untimed', 'b', 'c']);
    expect(() => replaySource(arraySource(input), { speed: 1, timeOf, retime: true })).toThrow(/retimeLine/);
  });

  it('above 1× with the capture end known, places the capture so its last line reads "now": no stamp ahead of the clock', async () => {
    // 10 min of feed at 3000× plays in 200 ms; stamped from the first line it would end 10 min in
    // the future, which ingest refuses (time_out_of_range).
    const input = Array.from({ length: 11 }, (_, i) => at(i * 60_000, `p${i}`));
    const clock = virtualClock();
    const source = replaySource(arraySource(input, 1), { speed: 3000, timeOf, retime: true, retimeLine, feedEnd: async () => T0 + 600_000, clock });
    const seen: { stamp: number; outAt: number }[] = [];
    for await (const b of source.lines(new AbortController().signal)) {
      for (const l of b.lines) seen.push({ stamp: timeOf(l)!, outAt: clock.now() });
    }
    expect(seen).toHaveLength(11);
    // A line (end − t) before the end in feed time is stamped (end − t)(1 − 1/speed) before it goes out.
    seen.forEach((s, i) => expect(s.stamp - s.outAt).toBeCloseTo(-(600_000 - i * 60_000) * (1 - 1 / 3000), 6));
    // Intervals kept, and the last line is stamped exactly when it went out.
    expect(seen.map((s) => s.stamp - seen[0]!.stamp)).toEqual(input.map((_, i) => i * 60_000));
    expect(seen.at(-1)!.stamp).toBe(seen.at(-1)!.outAt);
  });

  it('stops promptly when aborted during a long pause (real clock: waiting the hour out would time the test out)', async () => {
    const ac = new AbortController();
    const input = [at(0, 'a'), at(3_600_000, 'an hour later')];
    const lines: string[] = [];
    for await (const b of replaySource(arraySource(input), { speed: 1, timeOf }).lines(ac.signal)) {
      lines.push(...b.lines);
      // The next pull starts the hour's pause; abort once it is under way.
      setImmediate(() => ac.abort());
    }
    expect(lines).toEqual([at(0, 'a')]);
  });
});
