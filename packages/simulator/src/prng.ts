/**
 * Seeded pseudo-random numbers. Every vessel gets its own stream forked from the run seed and a
 * stable label, so its reports do not depend on how the merge interleaves vessels: the output is
 * byte-identical for a seed whatever the iteration order or the number of other vessels.
 */

/** 32-bit string hash (FNV-1a followed by a murmur3 finaliser) to turn labels into seeds. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32: small, fast, passes PractRand to 2^40 — far more than a simulation needs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number | string) {
    const s = typeof seed === 'number' ? hash32(String(seed)) : hash32(seed);
    this.a = s;
    this.b = hash32('b', s);
    this.c = hash32('c', s);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32(); // warm up: the first outputs of sfc32 correlate with the seed
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box–Muller; the second value is kept for the next call). */
  gauss(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-uniform in [min, max): satellite revisit gaps span minutes to hours, mostly short. */
  logRange(min: number, max: number): number {
    return Math.exp(this.range(Math.log(min), Math.log(max)));
  }

  /** An independent stream named by `label`, reproducible whatever was drawn from this one. */
  fork(label: string): Rng {
    return new Rng(`${this.a}:${this.b}:${this.c}:${label}`);
  }
}

/** A root stream for a run: `fork` from it by stable labels only (never by draw order across vessels). */
export function rootRng(seed: number): Rng {
  return new Rng(`rendezvous-simulator:${seed}`);
}
