import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import { ValidationError } from '@rendezvous/errors';
import { principalOf } from '../auth/auth-plugin.ts';
import type { AlertChangeFeed } from '../changes/change-feed.ts';
import { TooManyStreamsError } from '../errors.ts';
import { RATE_COST } from '../plugins/rate-limit.ts';
import { errorResponses } from './schemas.ts';

/** One changed alert, in change order. `seq` is its change_seq: the SSE event id. */
export interface AlertChange {
  seq: string;
  alert: unknown;
}

/** Tuning of the stream; the caps come from SSE_MAX_STREAMS / SSE_MAX_STREAMS_PER_TOKEN. */
export interface AlertStreamTuning {
  /** Comment line sent this often so proxies keep the connection open (ms). */
  heartbeatMs?: number;
  /**
   * Bytes a live stream may hold unsent (its client reads slower than changes arrive); past this
   * the stream is closed and the client resumes after its Last-Event-ID.
   */
  maxBufferedBytes?: number;
  /** How often open streams' tokens are checked for revocation (ms): the auth cache TTL. */
  revalidateMs?: number;
}

export interface AlertStreamOptions extends AlertStreamTuning {
  feed: AlertChangeFeed;
  /** Alerts with change_seq > after, in change_seq order, at most `limit`. */
  changesAfter(after: string, limit: number): Promise<AlertChange[]>;
  /** Which of these token ids are still valid (not revoked). */
  activeTokens(ids: number[]): Promise<Set<number>>;
  maxStreams: number;
  maxStreamsPerToken: number;
}

/** Rows per change query, shared or replay: a query's result and a page in memory stay small. */
export const STREAM_PAGE = 200;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
const SEQ = /^(0|[1-9][0-9]{0,18})$/;

interface Stream {
  tokenId: number;
  /** change_seq of the last event written. */
  cursor: bigint;
  raw: ServerResponse;
  closed: boolean;
}

const frame = (c: AlertChange) => `id: ${c.seq}\nevent: alert\ndata: ${JSON.stringify(c.alert)}\n\n`;

/**
 * GET /v1/alerts/stream — Server-Sent Events of alert changes (created, updated, closed,
 * retracted, triaged), each `event: alert`, `id: <change_seq>`, `data: <alert summary JSON>`.
 * A client that reconnects sends Last-Event-ID (browsers' EventSource do it by themselves) and
 * gets every change after it, then live ones: change_seq is assigned in commit order
 * (migrations/0006), so nothing committed in between is missed. Without Last-Event-ID (or
 * `?since=`) the stream starts at the present.
 *
 * Cost is bounded whatever the clients do:
 * - Live streams share one change query per change: the hub reads the changes after `head` (the
 *   newest change every live stream has been given) once, and writes them to each.
 * - A stream behind `head` (a replay after Last-Event-ID, or a client that was closed for being
 *   slow) catches up on its own, STREAM_PAGE rows per query, and waits for its socket to drain
 *   before writing more: a replay of a million changes holds one page in memory. Caught up, it
 *   joins the live set.
 * - A live stream whose client stops reading is written to until `maxBufferedBytes` are waiting,
 *   then closed: the client reconnects with its Last-Event-ID and replays the rest paced by its
 *   socket. Nothing is lost; memory per stream is bounded.
 * - SSE_MAX_STREAMS_PER_TOKEN and SSE_MAX_STREAMS cap open streams (429 beyond), and streams of
 *   a token revoked since they opened are closed within the revocation window.
 */
export const alertStreamRoutes: FastifyPluginAsync<AlertStreamOptions> = async (app, options) => {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const revalidateMs = options.revalidateMs ?? 5_000;
  const streams = new Set<Stream>();
  const perToken = new Map<number, number>();
  const live = new Set<Stream>();
  /** Every change ≤ head has been written to every live stream. */
  let head = BigInt(options.feed.version());

  const close = (s: Stream, how: 'end' | 'destroy') => {
    if (!s.closed) forget(s);
    if (s.raw.destroyed || s.raw.writableEnded) return;
    // Destroy drops what the client has not read (it is over the bound); end lets it drain,
    // then closes the connection: the client (EventSource) reconnects, or learns why it cannot.
    if (how === 'destroy') s.raw.destroy();
    else s.raw.end(() => s.raw.socket?.end());
  };
  function forget(s: Stream) {
    s.closed = true;
    live.delete(s);
    streams.delete(s);
    const n = (perToken.get(s.tokenId) ?? 1) - 1;
    if (n > 0) perToken.set(s.tokenId, n);
    else perToken.delete(s.tokenId);
  }

  /** Writes changes the stream has not had; closes it if its unsent bytes pass the bound. */
  const deliver = (s: Stream, changes: AlertChange[]) => {
    for (const c of changes) {
      if (s.closed) return;
      const seq = BigInt(c.seq);
      if (seq <= s.cursor) continue;
      s.raw.write(frame(c));
      s.cursor = seq;
      if (s.raw.writableLength > maxBuffered) {
        app.log.info({ tokenId: s.tokenId, buffered: s.raw.writableLength }, 'alert stream client is not reading; closing it (it resumes after Last-Event-ID)');
        close(s, 'destroy');
      }
    }
  };

  // One reader of new changes for all live streams.
  let advancing = false;
  let again = false;
  let retry: NodeJS.Timeout | null = null;
  async function advance(): Promise<void> {
    if (advancing) {
      again = true;
      return;
    }
    advancing = true;
    try {
      do {
        again = false;
        if (live.size === 0) {
          // Nobody to write to: catching-up streams read up to the feed's version themselves.
          const v = BigInt(options.feed.version());
          if (v > head) head = v;
          continue;
        }
        for (;;) {
          const changes = await options.changesAfter(head.toString(), STREAM_PAGE);
          for (const s of live) deliver(s, changes);
          if (changes.length > 0) head = BigInt(changes[changes.length - 1]!.seq);
          if (changes.length < STREAM_PAGE) break;
        }
      } while (again);
    } catch (err) {
      // Nothing was skipped (head did not move past unread changes): read again shortly.
      app.log.warn({ err }, 'alert stream could not read changes; retrying');
      retry ??= setTimeout(() => {
        retry = null;
        void advance();
      }, 1000);
    } finally {
      advancing = false;
    }
  }
  const unsubscribe = options.feed.subscribe(() => void advance());

  /** Replays a stream from its cursor up to head, paced by its socket, then makes it live. */
  async function catchUp(s: Stream): Promise<void> {
    while (!s.closed) {
      if (s.cursor >= head) {
        // Synchronously with the check: the next shared read starts at head ≤ cursor, so
        // nothing between is missed (and deliver skips what this stream already has).
        live.add(s);
        return;
      }
      const changes = await options.changesAfter(s.cursor.toString(), STREAM_PAGE);
      if (changes.length === 0) {
        live.add(s);
        return;
      }
      for (const c of changes) {
        if (s.closed) return;
        s.cursor = BigInt(c.seq);
        if (!s.raw.write(frame(c))) {
          await new Promise<void>((resolve) => {
            const done = () => {
              s.raw.off('drain', done);
              s.raw.off('close', done);
              resolve();
            };
            s.raw.on('drain', done);
            s.raw.on('close', done);
          });
        }
      }
    }
  }

  // One timer for every stream's heartbeat; none written to a client that is not reading.
  const heartbeat = setInterval(() => {
    for (const s of streams) if (!s.raw.writableNeedDrain) s.raw.write(': keep-alive\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  // Revocation: one query per period for all open streams' tokens.
  const revalidate = setInterval(() => {
    if (streams.size === 0) return;
    const ids = [...perToken.keys()];
    options.activeTokens(ids).then(
      (active) => {
        for (const s of streams) if (!active.has(s.tokenId)) close(s, 'end');
      },
      (err: unknown) => app.log.warn({ err }, 'could not re-check the tokens of open alert streams'),
    );
  }, revalidateMs);
  revalidate.unref();

  // Open streams never go idle: end them when the server shuts down, or close() would wait for ever.
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    clearInterval(revalidate);
    if (retry) clearTimeout(retry);
    unsubscribe();
    for (const s of [...streams]) close(s, 'end');
  });

  app.get<{ Querystring: { since?: string } }>(
    '/v1/alerts/stream',
    {
      config: { rateCost: RATE_COST.stream },
      schema: {
        tags: ['alerts'],
        summary: 'Server-Sent Events stream of alert changes; resumes after Last-Event-ID (or ?since=<change seq>)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { since: { type: 'string', pattern: SEQ.source, description: 'Start after this change sequence number (as Last-Event-ID)' } },
        },
        headers: {
          type: 'object',
          properties: { 'last-event-id': { type: 'string', maxLength: 32, description: 'The id of the last event received' } },
        },
        response: { 200: { description: 'text/event-stream', type: 'string' }, ...errorResponses },
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const lastEventId = request.headers['last-event-id'];
      const resumeFrom = typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId.trim() : request.query.since;
      if (resumeFrom !== undefined && !SEQ.test(resumeFrom)) {
        throw new ValidationError('Last-Event-ID must be the id of an event from this stream (a change sequence number)');
      }
      const { tokenId } = principalOf(request);
      if ((perToken.get(tokenId) ?? 0) >= options.maxStreamsPerToken) {
        throw new TooManyStreamsError(`This token already has ${options.maxStreamsPerToken} open streams per token (SSE_MAX_STREAMS_PER_TOKEN): close one first`);
      }
      if (streams.size >= options.maxStreams) {
        throw new TooManyStreamsError(`This API process already serves ${options.maxStreams} open streams (SSE_MAX_STREAMS): retry later`);
      }
      // Counted before the first await, so concurrent opens cannot all pass the caps.
      const s: Stream = { tokenId, cursor: 0n, raw: reply.raw, closed: false };
      streams.add(s);
      perToken.set(tokenId, (perToken.get(tokenId) ?? 0) + 1);
      // The response closes when the client goes away (or when we end it).
      reply.raw.on('close', () => close(s, 'end'));
      try {
        s.cursor = BigInt(resumeFrom ?? (await options.feed.refresh()));
      } catch (err) {
        forget(s);
        throw err;
      }
      if (s.closed) return reply.hijack();

      // From here on the connection is ours: Fastify will not send a reply of its own.
      reply.hijack();
      reply.raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx buffers responses by default; an event stream must not be.
        'x-accel-buffering': 'no',
      });
      reply.raw.write(`retry: 3000\n: resuming after ${s.cursor}\n\n`);
      try {
        await catchUp(s);
      } catch (err) {
        request.log.warn({ err }, 'alert stream could not read changes; the client will reconnect');
        close(s, 'end');
      }
    },
  );
};
