/**
 * Lines from a TCP feed (AIS-catcher, a receiver's NMEA-over-TCP port, a feed relay), kept alive:
 * refused, reset or ended connections are retried with exponential backoff until the signal aborts.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { CountingSplitter, countYield } from './counting-splitter.ts';
import { emptyStats, silentLogger, snapshotStats, type LineBatch, type LineSource, type SourceLogger } from './line-source.ts';

export interface TcpSourceOptions {
  host: string;
  port: number;
  maxLineBytes?: number;
  /** Reconnect delays (defaults: 1 s doubling to 60 s, ±20 % jitter). */
  backoff?: BackoffOptions;
  /** Give up a connection attempt after this long. Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * Reconnect when no byte arrives for this long: a feed that went silent behind a NAT or a dead
   * relay keeps a half-open socket forever otherwise. 0 (default) = never; AIS feeds can be quiet.
   */
  idleTimeoutMs?: number;
  logger?: SourceLogger;
}

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.message === 'string' ? e.message : String(err);
}

/** Resolves with a connected socket, or rejects (refused, unreachable, timeout, abort). */
function connectOnce(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    const timer = setTimeout(
      () => fail(Object.assign(new Error(`connect timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    const onAbort = () => fail(signal.reason);
    const cleanup = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', fail);
    };
    function onConnect() {
      cleanup();
      resolve(socket);
    }
    function fail(err: unknown) {
      cleanup();
      socket.destroy();
      reject(err);
    }
    socket.once('connect', onConnect);
    socket.once('error', fail);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Sleeps unless aborted first; returns false when aborted. */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

export function tcpSource(options: TcpSourceOptions): LineSource {
  const { host, port } = options;
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const name = `tcp://${target}`;
  const log = options.logger ?? silentLogger;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 0;
  const stats = emptyStats();

  return {
    name,
    stats: () => snapshotStats(stats),
    async *lines(signal: AbortSignal): AsyncGenerator<LineBatch> {
      const splitter = new CountingSplitter(stats, options);
      const backoff = new Backoff(options.backoff);
      // State-change logging: one line per connect / disconnect / new kind of failure; each retry
      // of the same failure is debug only, so an hour-long outage is not thousands of warnings.
      let failingWith: string | null = null;
      let failedAttempts = 0;
      let downSince = Date.now();
      try {
        while (!signal.aborted) {
          stats.state = 'connecting';
          let socket: Socket;
          try {
            socket = await connectOnce(host, port, connectTimeoutMs, signal);
          } catch (err) {
            if (signal.aborted) break;
            stats.connectFailures++;
            failedAttempts++;
            const code = errorCode(err);
            const waitMs = backoff.next();
            if (code !== failingWith) log.warn({ source: name, error: code, retryInMs: waitMs }, 'feed connection failed; retrying with backoff');
            else log.debug({ source: name, error: code, attempt: failedAttempts, retryInMs: waitMs }, 'feed connection retry failed');
            failingWith = code;
            stats.state = 'backoff';
            if (!(await sleep(waitMs, signal))) break;
            continue;
          }

          stats.connects++;
          stats.state = 'connected';
          log.info({ source: name, failedAttempts, downMs: Date.now() - downSince }, 'feed connected');
          failingWith = null;
          failedAttempts = 0;
          socket.setKeepAlive(true, 30_000);
          if (idleTimeoutMs > 0) {
            socket.setTimeout(idleTimeoutMs, () => socket.destroy(Object.assign(new Error('no data'), { code: 'IDLE_TIMEOUT' })));
          }
          const onAbort = () => socket.destroy();
          signal.addEventListener('abort', onAbort, { once: true });
          let reason = 'end of stream';
          try {
            for await (const chunk of socket) {
              if (signal.aborted) break;
              // Only a connection that delivered data resets the delay: a peer that accepts and
              // hangs up at once (a full relay, a misconfigured port) still backs off.
              if (backoff.attempts > 0) backoff.reset();
              const batch = splitter.chunk(chunk as Buffer, Date.now());
              if (batch !== null) yield countYield(stats, batch);
            }
          } catch (err) {
            reason = errorCode(err);
          } finally {
            signal.removeEventListener('abort', onAbort);
            socket.destroy();
            // Never glue a partial line to the next connection's first line.
            splitter.dropPartial();
          }
          if (signal.aborted) break;
          stats.disconnects++;
          downSince = Date.now();
          const waitMs = backoff.next();
          log.warn({ source: name, reason, retryInMs: waitMs }, 'feed disconnected; reconnecting');
          stats.state = 'backoff';
          if (!(await sleep(waitMs, signal))) break;
        }
      } finally {
        stats.state = 'stopped';
        log.info({ source: name }, 'feed source stopped');
      }
    },
  };
}
