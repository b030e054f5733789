/**
 * Distinct MMSIs seen, in bounded memory (the `vesselsSeen` summary number and the
 * rendezvous_ingest_vessels_seen gauge). Exact while the count is small: a Set of up to
 * `exactLimit` (50,000) MMSIs, about 2 MB; a day of the global feed has ~200k transmitters
 * (DESIGN.md, Scale), and forged input can send any number of MMSIs. Beyond the limit it becomes a
 * HyperLogLog (Flajolet et al. 2007, with the small-range correction of Heule et al. 2013,
 * "HyperLogLog in practice") of 2^14 one-byte registers: 16 KiB, standard error 1.04/√16384 ≈ 0.8 %.
 * So the count is exact up to 50,000 distinct MMSIs and approximate (typically within 1–2 %) beyond.
 */
const P = 14;
const M = 1 << P;
/** Bias correction α_m for m ≥ 128 (Flajolet et al. 2007, figure 3). */
const ALPHA = 0.7213 / (1 + 1.079 / M);

export class DistinctCounter {
  private exact: Set<number> | null = new Set();
  private registers: Uint8Array | null = null;
  private readonly exactLimit: number;

  constructor(exactLimit = 50_000) {
    this.exactLimit = exactLimit;
  }

  add(value: number): void {
    if (this.exact !== null) {
      this.exact.add(value);
      if (this.exact.size <= this.exactLimit) return;
      this.registers = new Uint8Array(M);
      for (const v of this.exact) this.addHashed(v);
      this.exact = null;
      return;
    }
    this.addHashed(value);
  }

  /** The count: exact up to exactLimit, a HyperLogLog estimate beyond. */
  get size(): number {
    if (this.exact !== null) return this.exact.size;
    const r = this.registers!;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      sum += 2 ** -r[i]!;
      if (r[i] === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    // Small range: linear counting is the better estimate while many registers are still empty.
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }

  /** What the structure holds, in bytes (estimated for the Set: ~40 bytes an entry in V8). */
  get memoryBytes(): number {
    return this.exact !== null ? this.exactLimit * 40 : M;
  }

  private addHashed(value: number): void {
    // Two independent 32-bit mixes (murmur3 fmix32 with different seeds): one picks the register,
    // the other gives the rank, so ranks are not limited by the bits the index used.
    const index = fmix32(value ^ 0x9e3779b9) >>> (32 - P);
    const w = fmix32(value ^ 0x85ebca6b);
    const rank = Math.clz32(w) + 1; // 1..33
    const r = this.registers!;
    if (rank > r[index]!) r[index] = rank;
  }
}

function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
