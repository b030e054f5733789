/**
 * mulberry32 (Tommy Ettinger, 2017): a 32-bit-state seeded PRNG. Tests and benchmarks use it so a
 * run is reproducible from its seed; its period (2^32) and quality are plenty for synthetic data,
 * and it is not for anything secret. The simulator has its own (sfc32, `Rng`) because its output
 * must also be stable per vessel under forking.
 *
 * Returns a function giving uniform numbers in [0, 1), each an exact multiple of 2^-32:
 * `r() * 2 ** 32` is the raw 32-bit output.
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
