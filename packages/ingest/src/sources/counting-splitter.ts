/**
 * A LineSplitter that keeps a source's SourceStats in step with what it splits (bytes, empty
 * lines, drops), so every source turns read chunks into batches and counts them the same way.
 * Lines and batches are counted by the source when it yields (see countYield): a UDP batch can
 * still be dropped after splitting.
 */
import type { LineBatch, SourceStats } from './line-source.ts';
import { LineSplitter, type LineSplitterOptions } from './line-splitter.ts';

export class CountingSplitter {
  private readonly splitter: LineSplitter;
  private readonly stats: SourceStats;

  constructor(stats: SourceStats, options: LineSplitterOptions = {}) {
    this.splitter = new LineSplitter(options);
    this.stats = stats;
  }

  /** The complete lines of one read chunk as a batch, or null if it completed none. */
  chunk(chunk: Buffer | string, receivedAtMs: number): LineBatch | null {
    const s = this.splitter;
    const oversized = s.oversizedLines;
    const empty = s.emptyLines;
    const lines = s.push(chunk);
    this.stats.bytes += chunk.length;
    this.stats.dropped.oversized_line_dropped += s.oversizedLines - oversized;
    this.stats.emptyLines += s.emptyLines - empty;
    return lines.length === 0 ? null : { lines, receivedAtMs };
  }

  /** End of input: the unterminated last line as a batch (a file's last line needs no newline). */
  end(receivedAtMs: number): LineBatch | null {
    const line = this.splitter.end();
    return line === null ? null : { lines: [line], receivedAtMs };
  }

  /** A self-contained chunk (a UDP datagram): its last line needs no terminator, nothing carries over. */
  whole(chunk: Buffer | string, receivedAtMs: number): LineBatch | null {
    const batch = this.chunk(chunk, receivedAtMs);
    const last = this.splitter.end();
    if (last === null) return batch;
    if (batch === null) return { lines: [last], receivedAtMs };
    batch.lines.push(last);
    return batch;
  }

  /** Connection lost: the partial line is discarded and counted, never glued to what comes next. */
  dropPartial(): void {
    if (this.splitter.dropPartial()) this.stats.dropped.partial_line_at_disconnect++;
  }
}

/** Counts a batch as yielded and returns it, so `yield countYield(stats, batch)` keeps stats exact. */
export function countYield(stats: SourceStats, batch: LineBatch): LineBatch {
  stats.lines += batch.lines.length;
  stats.batches++;
  return batch;
}
