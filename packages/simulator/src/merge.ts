/**
 * Time-ordered merge of every vessel's transmissions. A binary heap holds one pending transmission
 * per vessel plus the receiver copies already produced but not yet due; each copy's time is at or
 * after the transmission that produced it, so popping in time order yields sorted output while only
 * O(vessels × receivers) entries are ever held.
 */
import type { VesselEmitter } from './emitter.ts';

interface Entry {
  t: number;
  /** Insertion order: ties on time come out first-in first-out, so the output is deterministic. */
  seq: number;
  lines: string[] | null;
  emitter: VesselEmitter | null;
}

class Heap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(e: Entry): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = e;
  }

  pop(): Entry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && less(a[r]!, a[l]!) ? r : l;
      if (!less(a[c]!, last)) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }
}

function less(x: Entry, y: Entry): boolean {
  return x.t < y.t || (x.t === y.t && x.seq < y.seq);
}

/** Lines of all emitters in time order, produced lazily. */
export function* mergeEmitters(emitters: readonly VesselEmitter[], endMs: number): Generator<string, void, undefined> {
  const heap = new Heap();
  let seq = 0;
  for (const e of emitters) if (e.nextMs < endMs) heap.push({ t: e.nextMs, seq: seq++, lines: null, emitter: e });
  const out = (t: number, lines: string[]) => heap.push({ t, seq: seq++, lines, emitter: null });
  for (let entry = heap.pop(); entry; entry = heap.pop()) {
    if (entry.lines) {
      for (const line of entry.lines) yield line;
    } else if (entry.emitter) {
      const e = entry.emitter;
      e.emit(out);
      if (e.nextMs < endMs) heap.push({ t: e.nextMs, seq: seq++, lines: null, emitter: e });
    }
  }
}
