import { parseSentence, type DecodedAis } from '@rendezvous/ais';
import type { PositionObservation } from '@rendezvous/feeds';

/**
 * The received line(s) a position was decoded from, carried on the observation itself to the
 * store (positions.lines, migrations/0028), so it follows its position through every filter and split
 * of a batch. Undefined for positions that did not come from a reader (tools, tests).
 */
export type RawPosition = PositionObservation & { raw?: string };

/** The raw line(s) of a position, or undefined when it has none. */
export function rawOf(p: PositionObservation): string | undefined {
  return (p as RawPosition).raw;
}

export function setRaw(p: PositionObservation, raw: string): void {
  (p as RawPosition).raw = raw;
}

interface Fragment {
  line: string;
  /** Age order: the line's place in the ring, newest last. */
  age: number;
  number: number;
  payload: string;
  source: string | null;
}

/**
 * The last lines the decoder returned nothing for (fragments, rejections, metadata), so a
 * completed multi-sentence message can give back every part as received (TAG blocks included),
 * not only the line that completed it. The decoder (packages/ais) keeps only the payloads.
 * Holding a line costs one slot of a ring, no parsing: the ring is searched only when a
 * multi-sentence message completes as a position, which is rare (positions fit one sentence;
 * the multi-sentence traffic is type 5, which stores no raw line). Fragments arrive in order (the
 * reassembler requires it), so a message's parts are the fragments 1…n-1 whose payloads, with
 * the completing line's, concatenate to its payload; among equal fragments from several
 * receivers the newest from the message's own source is taken. The last `size` such lines are
 * kept (the decoder itself forgets an open group after 500 sentences).
 */
export class FragmentLines {
  private readonly ring: (string | null)[];
  private next = 0;

  constructor(size = 512) {
    this.ring = new Array<string | null>(size).fill(null);
  }

  /** A line the decoder returned nothing for: it may be an early part of a later message. */
  hold(line: string): void {
    this.ring[this.next] = line;
    this.next = (this.next + 1) % this.ring.length;
  }

  /**
   * The lines of a message of `decoded.fragments` parts completed by `line` (the line just
   * pushed), joined by '\n' in arrival order; the parts found are forgotten. The completing line
   * is always included: when it carries every part itself (concatenated sentences), it is all.
   */
  linesOf(decoded: DecodedAis, line: string): string {
    const n = decoded.fragments;
    const payload = decoded.payload;
    const own = parseSentence(line);
    // The completing line holds the last part (parts arrive in order); the earlier ones wait.
    if (!own.ok || own.sentence.fragmentCount !== n || own.sentence.fragmentNumber !== n) return line;
    const prefix = payload.length - own.sentence.payload.length;
    if (prefix < 0 || !payload.endsWith(own.sentence.payload)) return line;
    const candidates = this.fragmentsOf(n);
    const found: Fragment[] = [];
    let offset = 0;
    for (let k = 1; k < n; k++) {
      const part = pick(candidates, k, payload, offset, decoded.source);
      if (part === undefined) return line; // a part is no longer held: the line alone
      found.push(part);
      offset += part.payload.length;
    }
    if (offset !== prefix) return line;
    found.sort((a, b) => a.age - b.age);
    for (const f of found) this.ring[(this.next + f.age) % this.ring.length] = null;
    return found.map((f) => f.line).join('\n') + '\n' + line;
  }

  /** Held lines that are parts of an `n`-part message, oldest first. */
  private fragmentsOf(n: number): Fragment[] {
    const out: Fragment[] = [];
    const size = this.ring.length;
    for (let age = 0; age < size; age++) {
      const line = this.ring[(this.next + age) % size];
      if (line === null || line === undefined) continue;
      const parsed = parseSentence(line);
      if (!parsed.ok || parsed.sentence.fragmentCount !== n) continue;
      out.push({ line, age, number: parsed.sentence.fragmentNumber, payload: parsed.sentence.payload, source: parsed.sentence.source });
    }
    return out;
  }
}

function pick(candidates: readonly Fragment[], number: number, payload: string, offset: number, source: string | null): Fragment | undefined {
  let any: Fragment | undefined;
  for (let i = candidates.length - 1; i >= 0; i--) {
    const f = candidates[i]!;
    if (f.number !== number || !payload.startsWith(f.payload, offset)) continue;
    if (f.source === source) return f;
    any ??= f;
  }
  return any;
}

/**
 * A `$PGHP` line (Gatehouse) stamps the sentence after it: kept with that sentence's report, as
 * the evidence of its time.
 */
export function isPghpLine(line: string): boolean {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) <= 32) i++;
  return line.startsWith('$PGHP', i);
}
