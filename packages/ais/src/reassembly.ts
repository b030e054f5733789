/**
 * Multi-sentence reassembly. A group is keyed by (source, channel,
 * sequence id) — source being the TAG block `s:` or trailer station, else
 * the talker — or by the TAG block group id when one is present (later
 * fragments of a TAG group often omit `s:`).
 *
 * Fragments must arrive in order (as gpsd requires). Bounded: at most
 * `maxPending` open groups (oldest evicted), and a group expires when
 * `timeoutMs` of caller time (`receivedAtMs`) or `timeoutSentences`
 * sentences have passed since its first fragment. Every drop is counted.
 */
import type { RejectReason } from './reasons.ts';

interface Group {
  key: string;
  total: number;
  /** Next expected fragment number. */
  next: number;
  payload: string;
  lastPayload: string;
  firstAtMs: number;
  firstSentence: number;
  timestampMs: number | null;
  source: string | null;
}

export interface Completed {
  payload: string;
  fillBits: number;
  fragments: number;
  timestampMs: number | null;
  source: string | null;
}

export type Counter = (reason: RejectReason) => void;

export class Reassembler {
  private readonly groups = new Map<string, Group>();
  /** Open groups in creation order (for expiry/eviction without Map iterators). */
  private order: Group[] = [];
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  private readonly timeoutSentences: number;
  private readonly count: Counter;

  constructor(maxPending: number, timeoutMs: number, timeoutSentences: number, count: Counter) {
    this.maxPending = maxPending;
    this.timeoutMs = timeoutMs;
    this.timeoutSentences = timeoutSentences;
    this.count = count;
  }

  get pending(): number {
    return this.order.length;
  }

  /** Drop groups past their time or sentence budget. */
  expire(nowMs: number, sentenceNo: number): void {
    const order = this.order;
    if (order.length === 0) return;
    let kept = 0;
    for (let i = 0; i < order.length; i++) {
      const g = order[i]!;
      if (nowMs - g.firstAtMs > this.timeoutMs || sentenceNo - g.firstSentence > this.timeoutSentences) {
        this.groups.delete(g.key);
        this.count('fragment_timeout');
      } else {
        order[kept++] = g;
      }
    }
    order.length = kept;
  }

  private remove(g: Group): void {
    this.groups.delete(g.key);
    const i = this.order.indexOf(g);
    if (i >= 0) this.order.splice(i, 1);
  }

  /**
   * Add fragment `index` of `total`. Returns the completed message when this
   * fragment finishes its group, else null (counting any anomaly).
   */
  add(
    key: string,
    total: number,
    index: number,
    payload: string,
    fillBits: number,
    nowMs: number,
    sentenceNo: number,
    timestampMs: number | null,
    source: string | null,
  ): Completed | null {
    let g = this.groups.get(key);
    if (g !== undefined) {
      if (index === g.next && total === g.total) {
        g.payload += payload;
        g.lastPayload = payload;
        g.next++;
        if (g.timestampMs === null) g.timestampMs = timestampMs;
        if (g.source === null) g.source = source;
        if (index === total) {
          this.remove(g);
          return { payload: g.payload, fillBits, fragments: total, timestampMs: g.timestampMs, source: g.source };
        }
        return null;
      }
      if (index === g.next - 1 && total === g.total && payload === g.lastPayload) {
        this.count('duplicate_fragment');
        return null;
      }
      // Inconsistent: the open group cannot be completed any more.
      this.remove(g);
      this.count('fragment_out_of_order');
      if (index !== 1) return null;
      // A new first fragment on the same key starts a fresh group below.
    } else if (index !== 1) {
      this.count('orphan_fragment');
      return null;
    }
    if (this.order.length >= this.maxPending) {
      const oldest = this.order[0]!;
      this.remove(oldest);
      this.count('fragment_overflow');
    }
    g = {
      key,
      total,
      next: 2,
      payload,
      lastPayload: payload,
      firstAtMs: nowMs,
      firstSentence: sentenceNo,
      timestampMs,
      source,
    };
    this.groups.set(key, g);
    this.order.push(g);
    return null;
  }

  /** End of input: count every open group as incomplete. */
  flush(): void {
    for (let i = 0; i < this.order.length; i++) this.count('fragment_incomplete');
    this.groups.clear();
    this.order = [];
  }
}
