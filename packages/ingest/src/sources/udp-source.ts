/**
 * Lines from UDP datagrams (receivers and AIS-catcher commonly forward NMEA over UDP). Each
 * datagram is self-contained: several lines, the last one possibly without a terminator, nothing
 * carried over to the next datagram (which may come from another sender).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import { ValidationError } from '@rendezvous/errors';
import { CountingSplitter, countYield } from './counting-splitter.ts';
import { emptyStats, silentLogger, snapshotStats, type LineBatch, type LineSource, type SourceLogger } from './line-source.ts';

export interface UdpSourceOptions {
  host: string;
  /** 0 picks a free port (see onListening). */
  port: number;
  maxLineBytes?: number;
  /**
   * UDP has no backpressure: lines waiting for a slow consumer beyond this are dropped and counted
   * (`queue_overflow_dropped`) rather than growing memory without bound. Default 200 000.
   */
  maxQueuedLines?: number;
  /**
   * The same, in bytes of datagrams (INGEST_UDP_QUEUE_BYTES; config.ingest.udpQueueBytes): a flood
   * of long lines stays within this much memory. Datagrams beyond it are dropped whole and their
   * lines counted (`udp_queue_full`). Default 16 MiB, the configuration's default.
   */
  maxQueuedBytes?: number;
  /** Datagrams that arrive while the consumer is busy are merged into batches of up to this. Default 1000. */
  batchLines?: number;
  /** Called once bound, with the actual address (useful with port 0). */
  onListening?: (address: AddressInfo) => void;
  logger?: SourceLogger;
}

function bind(socket: Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

/** Default byte cap of the UDP queue: INGEST_UDP_QUEUE_BYTES's default (packages/config schema.ts). */
export const DEFAULT_UDP_QUEUE_BYTES = 16 * 1024 * 1024;

export function udpSource(options: UdpSourceOptions): LineSource {
  const { host, port } = options;
  const name = `udp://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const log = options.logger ?? silentLogger;
  const maxQueued = options.maxQueuedLines ?? 200_000;
  const maxBytes = options.maxQueuedBytes ?? DEFAULT_UDP_QUEUE_BYTES;
  const batchLines = options.batchLines ?? 1000;
  const stats = emptyStats();

  return {
    name,
    stats: () => snapshotStats(stats),
    async *lines(signal: AbortSignal): AsyncGenerator<LineBatch> {
      if (signal.aborted) return;
      const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
      const splitter = new CountingSplitter(stats, options);
      const queue: (LineBatch & { bytes: number })[] = [];
      let queued = 0;
      let overflowing = false;
      let full = false;
      let failure: Error | null = null;
      let wake: (() => void) | null = null;
      const wakeUp = () => {
        wake?.();
        wake = null;
      };
      let closed = false;
      const closeSocket = () => {
        if (closed) return;
        closed = true;
        try {
          socket.close();
        } catch {
          // never bound (bind failed)
        }
      };

      socket.on('message', (msg) => {
        stats.datagrams++;
        const batch = splitter.whole(msg, Date.now());
        if (batch === null) return;
        const n = batch.lines.length;
        if (stats.queuedBytes + msg.length > maxBytes) {
          stats.dropped.udp_queue_full += n;
          if (!full) log.warn({ source: name, maxQueuedBytes: maxBytes }, 'consumer too slow; UDP queue full, dropping datagrams');
          full = true;
          return;
        }
        full = false;
        if (queued + n > maxQueued) {
          stats.dropped.queue_overflow_dropped += n;
          if (!overflowing) log.warn({ source: name, maxQueuedLines: maxQueued }, 'consumer too slow; dropping UDP lines');
          overflowing = true;
          return;
        }
        overflowing = false;
        queued += n;
        stats.queuedBytes += msg.length;
        if (stats.queuedBytes > stats.queuedBytesMax) stats.queuedBytesMax = stats.queuedBytes;
        const last = queue.at(-1);
        if (last !== undefined && last.lines.length + n <= batchLines) {
          last.lines.push(...batch.lines);
          last.bytes += msg.length;
        } else queue.push({ lines: batch.lines, receivedAtMs: batch.receivedAtMs, bytes: msg.length });
        wakeUp();
      });
      // Close at once on abort, even if the consumer is not pulling: the port is released now.
      const onAbort = () => {
        closeSocket();
        wakeUp();
      };
      signal.addEventListener('abort', onAbort, { once: true });

      try {
        try {
          await bind(socket, host, port);
        } catch (err) {
          throw new ValidationError(`Cannot listen on ${name}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
        }
        // A larger kernel buffer absorbs bursts while a batch is being processed; the OS may cap it.
        try {
          socket.setRecvBufferSize(4 * 1024 * 1024);
        } catch {
          // best effort
        }
        socket.on('error', (err) => {
          failure = err;
          wakeUp();
        });
        stats.state = 'listening';
        const address = socket.address();
        log.info({ source: name, port: address.port }, 'listening for UDP feed');
        options.onListening?.(address);

        while (!signal.aborted) {
          if (failure !== null) throw failure;
          const batch = queue.shift();
          if (batch === undefined) {
            await new Promise<void>((resolve) => (wake = resolve));
            continue;
          }
          queued -= batch.lines.length;
          stats.queuedBytes -= batch.bytes;
          yield countYield(stats, { lines: batch.lines, receivedAtMs: batch.receivedAtMs });
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
        stats.state = 'stopped';
        closeSocket();
      }
    },
  };
}
