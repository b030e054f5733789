/**
 * Lines from a file, or from stdin for `-`; gzip is detected by content and decompressed in a
 * stream, so a multi-GB capture never sits in memory.
 */
import { open } from 'node:fs/promises';
import { addAbortSignal, type Readable } from 'node:stream';
import { ValidationError } from '@rendezvous/errors';
import { CountingSplitter, countYield } from './counting-splitter.ts';
import { gunzipIfCompressed } from './gunzip.ts';
import { emptyStats, snapshotStats, type LineBatch, type LineSource } from './line-source.ts';
import { LineSplitter } from './line-splitter.ts';

export interface FileSourceOptions {
  maxLineBytes?: number;
  /** Read size in bytes. Default 64 KiB: large enough to amortise a batch, small enough to stream. */
  readBytes?: number;
  /** What `-` reads (default process.stdin); lets embedders and tests supply their own stream. */
  stdin?: Readable;
}

const DEFAULT_READ_BYTES = 64 * 1024;

/** Error codes that mean "this path cannot be read as given": the user's problem, not ours. */
const USER_ERRORS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EPERM', 'ELOOP', 'ENAMETOOLONG']);

function describe(path: string): string {
  return path === '-' ? 'stdin' : path;
}

/** Rewrites errors a user can act on (missing file, bad gzip) into ValidationErrors naming the path. */
function readError(path: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && USER_ERRORS.has(code)) return new ValidationError(`Cannot read ${describe(path)}: ${code}`, { cause: err });
  if (code !== undefined && code.startsWith('Z_')) {
    return new ValidationError(`Corrupt or truncated gzip data in ${describe(path)}: ${(err as Error).message}`, { cause: err });
  }
  return err;
}

/** Raw bytes of `path` (or stdin), ending early when `signal` aborts (the stream is destroyed). */
async function* rawChunks(path: string, signal: AbortSignal, options: FileSourceOptions): AsyncGenerator<Buffer> {
  let stream: Readable;
  if (path === '-') stream = options.stdin ?? process.stdin;
  else {
    const handle = await open(path, 'r');
    stream = handle.createReadStream({ highWaterMark: options.readBytes ?? DEFAULT_READ_BYTES });
  }
  addAbortSignal(signal, stream);
  for await (const chunk of stream) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, 'latin1');
}

/** Decompressed bytes of `path`; errors a user can act on come out as ValidationErrors. */
async function* fileChunks(path: string, signal: AbortSignal, options: FileSourceOptions): AsyncGenerator<Buffer> {
  try {
    yield* gunzipIfCompressed(rawChunks(path, signal, options));
  } catch (err) {
    if (signal.aborted) return;
    throw readError(path, err);
  }
}

/** A LineSource over a file path, or stdin for `-`. Ends at end of input. */
export function fileSource(path: string, options: FileSourceOptions = {}): LineSource {
  const stats = emptyStats();
  return {
    name: path === '-' ? 'stdin' : `file:${path}`,
    stats: () => snapshotStats(stats),
    async *lines(signal: AbortSignal): AsyncGenerator<LineBatch> {
      // A local controller too, so a consumer that stops early (break) also closes the file.
      const local = new AbortController();
      const splitter = new CountingSplitter(stats, options);
      stats.state = 'reading';
      try {
        for await (const chunk of fileChunks(path, AbortSignal.any([signal, local.signal]), options)) {
          // Decompressed data already buffered in zlib would otherwise keep coming after an abort.
          if (signal.aborted) return;
          const batch = splitter.chunk(chunk, Date.now());
          if (batch !== null) yield countYield(stats, batch);
        }
        if (signal.aborted) return;
        const last = splitter.end(Date.now());
        if (last !== null) yield countYield(stats, last);
        stats.state = 'ended';
      } finally {
        if (stats.state !== 'ended') stats.state = 'stopped';
        local.abort();
      }
    },
  };
}

/**
 * The first non-blank line of a file (gunzipped if need be), or null if there is none within
 * `maxBytes`; lets the caller tell NMEA from CSV before choosing a parser. Reads only what it needs.
 * Not for stdin: sniffing would consume the input; look at the first batch instead.
 */
export async function sniffFirstLine(path: string, { maxBytes = 1024 * 1024 }: { maxBytes?: number } = {}): Promise<string | null> {
  if (path === '-' || path === 'stdin') throw new ValidationError('Cannot sniff stdin without consuming it; inspect the first batch instead');
  const done = new AbortController();
  const splitter = new LineSplitter();
  let read = 0;
  try {
    for await (const chunk of fileChunks(path, done.signal, {})) {
      for (const line of splitter.push(chunk)) if (line.trim() !== '') return line;
      read += chunk.length;
      if (read >= maxBytes) return null;
    }
    const last = splitter.end();
    return last !== null && last.trim() !== '' ? last : null;
  } finally {
    done.abort();
  }
}
