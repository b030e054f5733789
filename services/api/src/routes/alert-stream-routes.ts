import type { FastifyPluginAsync } from 'fastify';
import { ValidationError } from '@rendezvous/errors';
import type { AlertChangeFeed } from '../changes/change-feed.ts';
import { errorResponses } from './schemas.ts';

/** One changed alert, in change order. `seq` is its change_seq: the SSE event id. */
export interface AlertChange {
  seq: string;
  alert: unknown;
}

export interface AlertStreamOptions {
  feed: AlertChangeFeed;
  /** Alerts with change_seq > after, in change_seq order, at most `limit`. */
  changesAfter(after: string, limit: number): Promise<AlertChange[]>;
  /** Comment line sent this often so proxies keep the connection open (ms). */
  heartbeatMs?: number;
}

const PAGE = 500;
const SEQ = /^(0|[1-9][0-9]{0,18})$/;

/**
 * GET /v1/alerts/stream — Server-Sent Events of alert changes (created, updated, closed,
 * retracted, triaged), each `event: alert`, `id: <change_seq>`, `data: <alert summary JSON>`.
 * A client that reconnects sends Last-Event-ID (browsers' EventSource do it by themselves) and
 * gets every change after it, then live ones: change_seq is assigned in commit order
 * (migrations/0006), so nothing committed in between is missed. Without Last-Event-ID (or
 * `?since=`) the stream starts at the present.
 */
export const alertStreamRoutes: FastifyPluginAsync<AlertStreamOptions> = async (app, options) => {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  // Open streams never go idle: end them when the server shuts down, or close() would wait for ever.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get<{ Querystring: { since?: string } }>(
    '/v1/alerts/stream',
    {
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
      let cursor = resumeFrom ?? (await options.feed.refresh());

      // From here on the connection is ours: Fastify will not send a reply of its own.
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx buffers responses by default; an event stream must not be.
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: 3000\n: resuming after ${cursor}\n\n`);

      let closed = false;
      let pumping = false;
      let pending = false;
      const pump = async () => {
        if (pumping) {
          pending = true;
          return;
        }
        pumping = true;
        try {
          do {
            pending = false;
            for (;;) {
              const changes = await options.changesAfter(cursor, PAGE);
              for (const c of changes) {
                if (closed) return;
                raw.write(`id: ${c.seq}\nevent: alert\ndata: ${JSON.stringify(c.alert)}\n\n`);
                cursor = c.seq;
              }
              if (changes.length < PAGE) break;
            }
          } while (pending && !closed);
        } catch (err) {
          request.log.warn({ err }, 'alert stream could not read changes; the client will reconnect');
          raw.end();
        } finally {
          pumping = false;
        }
      };
      const unsubscribe = options.feed.subscribe(() => void pump());
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), heartbeatMs);
      const stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
      };
      const end = () => {
        stop();
        raw.end();
      };
      open.add(end);
      request.raw.on('close', stop);
      raw.on('close', stop);
      // Serve the backlog at once (after Last-Event-ID), then whatever the feed announces.
      await pump();
    },
  );
};
