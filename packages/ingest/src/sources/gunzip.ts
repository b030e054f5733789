/**
 * Transparent gunzip for a byte stream, detected by the gzip magic bytes (1f 8b) rather than by a
 * file name: captures are often renamed, piped through stdin, or compressed without `.gz`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Yields `chunks` unchanged, or gunzipped when they start with the gzip magic. Concatenated gzip
 * members (`cat a.gz b.gz`) decompress as one stream. A corrupt or truncated stream throws after
 * the data decoded before the damage has been yielded.
 */
export async function* gunzipIfCompressed(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  // Two bytes decide; a first read shorter than that (a pipe can deliver 1 byte) is topped up.
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const r = await it.next();
    if (r.done === true) {
      if (head.length > 0) yield head;
      return;
    }
    head = head.length === 0 ? r.value : Buffer.concat([head, r.value]);
  }
  async function* whole(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const r = await it.next();
      if (r.done === true) return;
      yield r.value;
    }
  }
  if (!isGzip(head)) {
    yield* whole();
    return;
  }
  const gunzip = createGunzip();
  // A pipeline failure destroys `gunzip` with that error, so it surfaces in the loop below;
  // the promise itself is only observed to keep it from becoming an unhandled rejection.
  pipeline(Readable.from(whole()), gunzip).catch(() => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    gunzip.destroy();
  }
}
