/**
 * On-land test in O(1)-ish: a 0.25° (lon, lat) grid over the planar land edges (rings.ts). Each
 * cell stores whether its centre is on land (computed once per row by a scanline, even-odd rule)
 * and the edges whose bounding box touches it. A query counts the edges that cross the straight
 * segment from the cell centre to the point (both inside the cell): odd flips the centre's state.
 * Cells without edges — nearly all of them — answer from the flag alone.
 */
import { normLon, type PlanarEdges } from './rings.ts';

export const LAND_CELL_DEG = 0.25;
const NCOLS = 360 / LAND_CELL_DEG;
const NROWS = 180 / LAND_CELL_DEG;

export interface LandGrid {
  isOnLand(lon: number, lat: number): boolean;
  readonly cells: number;
  readonly mixedCells: number;
}

const colOf = (x: number) => Math.min(NCOLS - 1, Math.max(0, Math.floor((x + 180) / LAND_CELL_DEG)));
const rowOf = (y: number) => Math.min(NROWS - 1, Math.max(0, Math.floor((y + 90) / LAND_CELL_DEG)));

export function buildLandGrid(edges: PlanarEdges): LandGrid {
  const { x1, y1, x2, y2 } = edges;
  const n = x1.length;
  const ex1 = Float64Array.from(x1);
  const ey1 = Float64Array.from(y1);
  const ex2 = Float64Array.from(x2);
  const ey2 = Float64Array.from(y2);
  // Cell buckets (CSR): count, then fill, every edge into every cell its bbox touches.
  const count = new Uint32Array(NCOLS * NROWS + 1);
  const rowCount = new Uint32Array(NROWS + 1);
  const forCells = (i: number, f: (cell: number) => void, fr: (row: number) => void) => {
    const xa = Math.min(ex1[i]!, ex2[i]!), xb = Math.max(ex1[i]!, ex2[i]!);
    const ya = Math.min(ey1[i]!, ey2[i]!), yb = Math.max(ey1[i]!, ey2[i]!);
    const r0 = rowOf(ya), r1 = rowOf(yb);
    // Rows take every edge: the scanline's ray runs east past 180° through the shifted copies.
    for (let r = r0; r <= r1; r++) fr(r);
    if (xb < -180 || xa >= 180) return;
    const c0 = colOf(xa), c1 = colOf(xb);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) f(r * NCOLS + c);
  };
  for (let i = 0; i < n; i++) forCells(i, (cell) => count[cell + 1]!++, (row) => rowCount[row + 1]!++);
  for (let c = 0; c < NCOLS * NROWS; c++) count[c + 1]! += count[c]!;
  for (let r = 0; r < NROWS; r++) rowCount[r + 1]! += rowCount[r]!;
  const items = new Uint32Array(count[NCOLS * NROWS]!);
  const rowItems = new Uint32Array(rowCount[NROWS]!);
  const fill = count.slice(0, NCOLS * NROWS);
  const rowFill = rowCount.slice(0, NROWS);
  for (let i = 0; i < n; i++) forCells(i, (cell) => (items[fill[cell]!++] = i), (row) => (rowItems[rowFill[row]!++] = i));

  // Centre flags by scanline: crossings of the row's centre latitude, sorted; a centre is inside
  // when an odd number of crossings lie east of it (PNPOLY's rule: half-open in y, strict in x).
  const centreIn = new Uint8Array(NCOLS * NROWS);
  for (let r = 0; r < NROWS; r++) {
    const yc = -90 + (r + 0.5) * LAND_CELL_DEG;
    const xs: number[] = [];
    for (let k = rowCount[r]!; k < rowCount[r + 1]!; k++) {
      const i = rowItems[k]!;
      const ya = ey1[i]!, yb = ey2[i]!;
      if (ya > yc !== yb > yc) xs.push(ex1[i]! + ((yc - ya) * (ex2[i]! - ex1[i]!)) / (yb - ya));
    }
    xs.sort((a, b) => a - b);
    let j = 0; // crossings with x ≤ centre so far
    for (let c = 0; c < NCOLS; c++) {
      const xc = -180 + (c + 0.5) * LAND_CELL_DEG;
      while (j < xs.length && xs[j]! <= xc) j++;
      centreIn[r * NCOLS + c] = (xs.length - j) & 1;
    }
  }
  let mixed = 0;
  for (let c = 0; c < NCOLS * NROWS; c++) if (count[c + 1]! > count[c]!) mixed++;

  return {
    cells: NCOLS * NROWS,
    mixedCells: mixed,
    isOnLand(lonIn, lat) {
      const lon = normLon(lonIn);
      const c = colOf(lon);
      const r = rowOf(lat);
      const cell = r * NCOLS + c;
      let inside = centreIn[cell] === 1;
      const from = count[cell]!;
      const to = count[cell + 1]!;
      if (from === to) return inside;
      const cx = -180 + (c + 0.5) * LAND_CELL_DEG;
      const cy = -90 + (r + 0.5) * LAND_CELL_DEG;
      for (let k = from; k < to; k++) {
        const i = items[k]!;
        const ax = ex1[i]!, ay = ey1[i]!, bx = ex2[i]!, by = ey2[i]!;
        // Segment C→Q crosses edge A→B: A, B on opposite sides of line CQ and C, Q on opposite
        // sides of line AB (orientation tests; a zero counts as "not positive" on both).
        const o1 = (lon - cx) * (ay - cy) - (lat - cy) * (ax - cx) > 0;
        const o2 = (lon - cx) * (by - cy) - (lat - cy) * (bx - cx) > 0;
        if (o1 === o2) continue;
        const o3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax) > 0;
        const o4 = (bx - ax) * (lat - ay) - (by - ay) * (lon - ax) > 0;
        if (o3 !== o4) inside = !inside;
      }
      return inside;
    },
  };
}
