/**
 * Spatial hash on Earth-centred (ECEF) coordinates: cubes of side `cellM` metres. Two surface
 * points whose geodesic distance is ≤ r have a chord ≤ r, so with cellM ≥ r they lie in the
 * same or adjacent cubes (each cube coordinate differs by ≤ 1). Cells are a few times r (the
 * detector uses 4 r: 2 km for GFW's 500 m) and a neighbour cube is probed only when some point
 * of the cell lies within r of the shared face/edge/corner, so a lone vessel at sea costs ~1
 * probe instead of 13 (probes are random memory accesses: the dominant cost). This plays the role of GFW's
 * S2 level-12 cells (DESIGN.md: "buckets points per time step in ~2 km cells and compares
 * neighbours") without any lat/lon cell geometry: no seam at the antimeridian, no shrinking
 * cells at high latitude, no pole singularity, every cell the same size.
 *
 * One instance is reused across grid steps (open addressing with generation stamps, so a step
 * costs O(points) and allocates nothing once the buffers have grown to the busiest step).
 */

/** Cube coordinates are offset into [0, 2^17) so (cx, cy, cz) packs exactly into one double. */
const OFF = 1 << 16;
const SPAN = 1 << 17;
/** Smallest cell side (m) for which |cx| < OFF on the Earth (a = 6 378 137 m). */
export const MIN_CELL_M = 100;

/** The 13 neighbour offsets lexicographically after (0, 0, 0): each neighbouring pair of cells once. */
const HALF: readonly (readonly [number, number, number])[] = (() => {
  const out: [number, number, number][] = [];
  for (let dx = -1; dx <= 1; dx++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dz = -1; dz <= 1; dz++) {
        if (dx > 0 || (dx === 0 && (dy > 0 || (dy === 0 && dz > 0)))) out.push([dx, dy, dz]);
      }
  return out;
})();

/** The 13 offsets as flat coordinates (dx, dy, dz of offset h at 3h..3h+2). */
const HALF_FLAT = Int32Array.from(HALF.flat());
/**
 * For each set of faces a cell's points come near (bit 0/1: the x -1/+1 face, 2/3: y, 4/5: z),
 * the offsets of HALF to probe, in HALF's order (an offset is probed when each of its non-zero
 * coordinates points at a near face): one table look-up per cell instead of three tests per
 * offset. NEAR_FROM[m]..NEAR_FROM[m + 1] index NEAR_LIST.
 */
const [NEAR_FROM, NEAR_LIST] = (() => {
  const from = new Int32Array(65);
  const list: number[] = [];
  for (let m = 0; m < 64; m++) {
    from[m] = list.length;
    for (let h = 0; h < 13; h++) {
      const ok = [0, 1, 2].every((a) => {
        const d = HALF[h]![a]!;
        return d === 0 || (m & (1 << (2 * a + (d === 1 ? 1 : 0)))) !== 0;
      });
      if (ok) list.push(h);
    }
  }
  from[64] = list.length;
  return [from, Int32Array.from(list)] as const;
})();

/** Exact numeric key of cube (cx, cy, cz) (|c| < 2^16). */
export const packKey = (cx: number, cy: number, cz: number): number => ((cx + OFF) * SPAN + (cy + OFF)) * SPAN + (cz + OFF);

function hash3(cx: number, cy: number, cz: number): number {
  let h = Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca77) ^ Math.imul(cz, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/** Called for each candidate pair (indices into the point set, i < j by set order) whose chord ≤ r. */
export type PairVisitor = (i: number, j: number, chordM: number) => void;

export class SpatialHash {
  readonly cellM: number;
  #cap = 0;
  #mask = 0;
  #stamp = new Int32Array(0);
  #key = new Float64Array(0);
  #head = new Int32Array(0);
  #gen = 0;
  // Occupied cells of the current build, in creation order.
  #cells = new Int32Array(0);
  #cx = new Int32Array(0);
  #cy = new Int32Array(0);
  #cz = new Int32Array(0);
  #nCells = 0;
  /** Occupied-cell number of each slot, and each cell's bounding box of points (m). */
  #slotCell = new Int32Array(0);
  #bx0 = new Float64Array(0);
  #bx1 = new Float64Array(0);
  #by0 = new Float64Array(0);
  #by1 = new Float64Array(0);
  #bz0 = new Float64Array(0);
  #bz1 = new Float64Array(0);
  // Per point of the current build (local index): linked list within its cell, and coordinates.
  #next = new Int32Array(0);
  #px = new Float64Array(0);
  #py = new Float64Array(0);
  #pz = new Float64Array(0);
  #n = 0;

  constructor(cellM: number) {
    if (!(cellM > 0)) throw new RangeError('cellM must be positive');
    this.cellM = Math.max(cellM, MIN_CELL_M);
  }

  #ensure(n: number): void {
    if (this.#next.length < n) {
      const m = Math.max(n, this.#next.length * 2, 16);
      this.#next = new Int32Array(m);
      this.#px = new Float64Array(m);
      this.#py = new Float64Array(m);
      this.#pz = new Float64Array(m);
      this.#cells = new Int32Array(m);
      this.#cx = new Int32Array(m);
      this.#cy = new Int32Array(m);
      this.#cz = new Int32Array(m);
      this.#bx0 = new Float64Array(m);
      this.#bx1 = new Float64Array(m);
      this.#by0 = new Float64Array(m);
      this.#by1 = new Float64Array(m);
      this.#bz0 = new Float64Array(m);
      this.#bz1 = new Float64Array(m);
    }
    let cap = 16;
    while (cap < 2 * n) cap *= 2;
    if (cap > this.#cap) {
      this.#cap = cap;
      this.#mask = cap - 1;
      this.#stamp = new Int32Array(cap);
      this.#key = new Float64Array(cap);
      this.#head = new Int32Array(cap);
      this.#slotCell = new Int32Array(cap);
      this.#gen = 0;
    }
  }

  /** Slot of cell (cx, cy, cz), or -1 when empty in the current build. */
  #find(cx: number, cy: number, cz: number): number {
    const key = packKey(cx, cy, cz);
    let s = hash3(cx, cy, cz) & this.#mask;
    const gen = this.#gen;
    for (;;) {
      if (this.#stamp[s] !== gen) return -1;
      if (this.#key[s] === key) return s;
      s = (s + 1) & this.#mask;
    }
  }

  /**
   * Indexes points ids[from .. to) whose coordinates are xs/ys/zs[id]. Local index i refers to
   * ids[from + i]. Replaces the previous build.
   */
  build(ids: Int32Array, from: number, to: number, xs: Float64Array, ys: Float64Array, zs: Float64Array): void {
    const n = to - from;
    this.#ensure(n);
    this.#gen++;
    if (this.#gen === 0x7fffffff) {
      this.#stamp.fill(0);
      this.#gen = 1;
    }
    const gen = this.#gen;
    const inv = 1 / this.cellM;
    const mask = this.#mask;
    const stamp = this.#stamp;
    const keys = this.#key;
    const head = this.#head;
    const next = this.#next;
    const slotCell = this.#slotCell;
    const bx0 = this.#bx0;
    const bx1 = this.#bx1;
    const by0 = this.#by0;
    const by1 = this.#by1;
    const bz0 = this.#bz0;
    const bz1 = this.#bz1;
    const px = this.#px;
    const py = this.#py;
    const pz = this.#pz;
    // The coordinates first, in a loop of their own: the points of a step lie far apart in the
    // columns (which are in track order), and with nothing else in the loop the processor has
    // many of those cache misses in flight at once. Inside the insertion loop below they were
    // waited for one by one. detect.bench's 8,000 vessels (1,144,000 grid positions): the builds
    // of all steps 89-105 -> 67-70 ms of CPU.
    for (let i = 0; i < n; i++) {
      const id = ids[from + i]!;
      px[i] = xs[id]!;
      py[i] = ys[id]!;
      pz[i] = zs[id]!;
    }
    let nCells = 0;
    for (let i = 0; i < n; i++) {
      const x = px[i]!;
      const y = py[i]!;
      const z = pz[i]!;
      const cx = Math.floor(x * inv);
      const cy = Math.floor(y * inv);
      const cz = Math.floor(z * inv);
      const key = packKey(cx, cy, cz);
      let s = hash3(cx, cy, cz) & mask;
      for (;;) {
        if (stamp[s] !== gen) {
          stamp[s] = gen;
          keys[s] = key;
          head[s] = -1;
          slotCell[s] = nCells;
          this.#cells[nCells] = s;
          this.#cx[nCells] = cx;
          this.#cy[nCells] = cy;
          this.#cz[nCells] = cz;
          bx0[nCells] = bx1[nCells] = x;
          by0[nCells] = by1[nCells] = y;
          bz0[nCells] = bz1[nCells] = z;
          nCells++;
          break;
        }
        if (keys[s] === key) {
          const c = slotCell[s]!;
          if (x < bx0[c]!) bx0[c] = x;
          if (x > bx1[c]!) bx1[c] = x;
          if (y < by0[c]!) by0[c] = y;
          if (y > by1[c]!) by1[c] = y;
          if (z < bz0[c]!) bz0[c] = z;
          if (z > bz1[c]!) bz1[c] = z;
          break;
        }
        s = (s + 1) & mask;
      }
      next[i] = head[s]!;
      head[s] = i;
    }
    this.#nCells = nCells;
    this.#n = n;
  }

  /** Every pair of the current build with chord ≤ r (r ≤ cellM), each once, as (i, j) with i < j. */
  forEachPair(r: number, visit: PairVisitor): void {
    const r2 = r * r;
    const head = this.#head;
    const next = this.#next;
    const px = this.#px;
    const py = this.#py;
    const pz = this.#pz;
    const stamp = this.#stamp;
    const keys = this.#key;
    const mask = this.#mask;
    const gen = this.#gen;
    const cells = this.#cells;
    const cxs = this.#cx;
    const cys = this.#cy;
    const czs = this.#cz;
    const nCells = this.#nCells;
    const cell = this.cellM;
    const near = r + 1e-3; // slack for floor() at the faces
    for (let c = 0; c < nCells; c++) {
      const s = cells[c]!;
      const hs = head[s]!;
      // Within the cell.
      for (let i = hs; i !== -1; i = next[i]!) {
        for (let j = next[i]!; j !== -1; j = next[j]!) {
          const dx = px[i]! - px[j]!;
          const dy = py[i]! - py[j]!;
          const dz = pz[i]! - pz[j]!;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 <= r2) visit(i < j ? i : j, i < j ? j : i, Math.sqrt(d2));
        }
      }
      // With the 13 forward neighbours (probe inlined: this loop is the hot path).
      const cx = cxs[c]!;
      const cy = cys[c]!;
      const cz = czs[c]!;
      // Which faces the cell's points come within r of (-1 side / +1 side).
      const faces =
        (this.#bx0[c]! - cx * cell <= near ? 1 : 0) |
        ((cx + 1) * cell - this.#bx1[c]! <= near ? 2 : 0) |
        (this.#by0[c]! - cy * cell <= near ? 4 : 0) |
        ((cy + 1) * cell - this.#by1[c]! <= near ? 8 : 0) |
        (this.#bz0[c]! - cz * cell <= near ? 16 : 0) |
        ((cz + 1) * cell - this.#bz1[c]! <= near ? 32 : 0);
      const lEnd = NEAR_FROM[faces + 1]!;
      for (let l = NEAR_FROM[faces]!; l < lEnd; l++) {
        const h3 = 3 * NEAR_LIST[l]!;
        const nx = cx + HALF_FLAT[h3]!;
        const ny = cy + HALF_FLAT[h3 + 1]!;
        const nz = cz + HALF_FLAT[h3 + 2]!;
        const key = packKey(nx, ny, nz);
        let t = hash3(nx, ny, nz) & mask;
        while (stamp[t] === gen && keys[t] !== key) t = (t + 1) & mask;
        if (stamp[t] !== gen) continue;
        for (let i = hs; i !== -1; i = next[i]!) {
          for (let j = head[t]!; j !== -1; j = next[j]!) {
            const dx = px[i]! - px[j]!;
            const dy = py[i]! - py[j]!;
            const dz = pz[i]! - pz[j]!;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 <= r2) visit(i < j ? i : j, i < j ? j : i, Math.sqrt(d2));
          }
        }
      }
    }
  }

  /**
   * Pairs with chord ≤ r that involve at least one point with query[i] true, each once, as
   * (i, j) with i < j. Cost is proportional to the queried points only (watchlisted vessels).
   */
  forEachPairOf(query: Uint8Array, r: number, visit: PairVisitor): void {
    const r2 = r * r;
    const inv = 1 / this.cellM;
    const head = this.#head;
    const next = this.#next;
    const px = this.#px;
    const py = this.#py;
    const pz = this.#pz;
    for (let i = 0; i < this.#n; i++) {
      if (query[i] === 0) continue;
      const x = px[i]!;
      const y = py[i]!;
      const z = pz[i]!;
      const cx = Math.floor(x * inv);
      const cy = Math.floor(y * inv);
      const cz = Math.floor(z * inv);
      const cell = this.cellM;
      const near = r + 1e-3;
      const xm = x - cx * cell <= near;
      const xp = (cx + 1) * cell - x <= near;
      const ym = y - cy * cell <= near;
      const yp = (cy + 1) * cell - y <= near;
      const zm = z - cz * cell <= near;
      const zp = (cz + 1) * cell - z <= near;
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === -1 ? !xm : dx === 1 ? !xp : false) continue;
        for (let dy = -1; dy <= 1; dy++) {
          if (dy === -1 ? !ym : dy === 1 ? !yp : false) continue;
          for (let dz = -1; dz <= 1; dz++) {
            if (dz === -1 ? !zm : dz === 1 ? !zp : false) continue;
            const t = this.#find(cx + dx, cy + dy, cz + dz);
            if (t < 0) continue;
            for (let j = head[t]!; j !== -1; j = next[j]!) {
              if (j === i || (query[j] !== 0 && j < i)) continue; // both queried: report once
              const ex = x - px[j]!;
              const ey = y - py[j]!;
              const ez = z - pz[j]!;
              const d2 = ex * ex + ey * ey + ez * ez;
              if (d2 <= r2) visit(i < j ? i : j, i < j ? j : i, Math.sqrt(d2));
            }
          }
        }
      }
    }
  }

  /** Number of points in the current build. */
  get size(): number {
    return this.#n;
  }
}
