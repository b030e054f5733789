/**
 * A static 3-d k-d tree (Bentley, "Multidimensional binary search trees used for associative
 * searching", CACM 18(9), 1975) over points on the unit sphere, stored implicitly: the node of the
 * index range [lo, hi) is its middle element, split on the axis of largest extent, built with
 * Hoare's quickselect (median of the range, expected O(n) per level, O(n log n) in all).
 * Unit vectors make the search seamless across the antimeridian and at the poles.
 */
export interface KdTree {
  readonly size: number;
  /** Point coordinates in tree order (xyz interleaved). */
  readonly xyz: Float64Array;
  /** The caller's id of each point, in tree order. */
  readonly ids: Uint32Array;
  /** Split axis (0, 1, 2) of the node at each index. */
  readonly axis: Uint8Array;
}

/** Builds the tree from interleaved xyz (length 3n) and ids (length n). Copies both. */
export function buildKdTree(xyzIn: Float64Array, idsIn: Uint32Array): KdTree {
  const n = idsIn.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const axis = new Uint8Array(n);
  const stack: number[] = [0, n];
  while (stack.length) {
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo <= 0) continue;
    let mnx = Infinity, mny = Infinity, mnz = Infinity, mxx = -Infinity, mxy = -Infinity, mxz = -Infinity;
    for (let i = lo; i < hi; i++) {
      const p = 3 * order[i]!;
      const x = xyzIn[p]!, y = xyzIn[p + 1]!, z = xyzIn[p + 2]!;
      if (x < mnx) mnx = x; if (x > mxx) mxx = x;
      if (y < mny) mny = y; if (y > mxy) mxy = y;
      if (z < mnz) mnz = z; if (z > mxz) mxz = z;
    }
    const ex = mxx - mnx, ey = mxy - mny, ez = mxz - mnz;
    const ax = ex >= ey && ex >= ez ? 0 : ey >= ez ? 1 : 2;
    const mid = (lo + hi) >> 1;
    select(order, xyzIn, ax, lo, hi - 1, mid);
    axis[mid] = ax;
    stack.push(lo, mid, mid + 1, hi);
  }
  const xyz = new Float64Array(3 * n);
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const p = order[i]!;
    xyz[3 * i] = xyzIn[3 * p]!;
    xyz[3 * i + 1] = xyzIn[3 * p + 1]!;
    xyz[3 * i + 2] = xyzIn[3 * p + 2]!;
    ids[i] = idsIn[p]!;
  }
  return { size: n, xyz, ids, axis };
}

/** Quickselect (Hoare 1961, "Algorithm 65: FIND") of order[lo..hi] by coordinate `ax` so that order[k] is the k-th. */
function select(order: Uint32Array, xyz: Float64Array, ax: number, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const pivot = xyz[3 * order[(lo + hi) >> 1]! + ax]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xyz[3 * order[i]! + ax]! < pivot) i++;
      while (xyz[3 * order[j]! + ax]! > pivot) j--;
      if (i <= j) {
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
