import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AlertChangeFeed } from './change-feed.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The response depends only on the request and on this data set's version: the route gets a
     * strong ETag, and `If-None-Match` with it answers 304 before the handler runs.
     */
    conditional?: 'alerts';
  }
}

/**
 * Cheap polling for dashboards (issue 6): routes marked `config: { conditional: 'alerts' }` get
 *
 *   ETag: "a<version>-<hash of method, URL and Accept>"
 *
 * where <version> is the highest committed alert change (change-feed.ts). The same URL and data
 * version always give the same body (list handlers are deterministic, no clocks), so the tag is
 * strong. A matching If-None-Match answers 304 from memory — after authentication, without a
 * query. The tag is computed *before* the handler runs, so a body is never older than its tag: a
 * change racing the request at worst costs the client one extra 200, never a missed change.
 */
export const conditionalGet = fp<{ feeds: { alerts: AlertChangeFeed } }>(
  async (app, { feeds }) => {
    app.decorateRequest('entityTag', null);
    app.addHook('onRoute', (route) => {
      const source = route.config?.conditional;
      if (!source) return;
      const feed = feeds[source];
      const hooks = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
      // Route-level onRequest hooks run after the app-level ones: authentication comes first.
      route.onRequest = [...hooks, async (request: FastifyRequest, reply: FastifyReply) => {
        const tag = entityTag(feed.version(), request);
        request.entityTag = tag;
        void reply.header('etag', tag).header('cache-control', 'private, no-cache').header('vary', 'Accept, Authorization');
        if (matches(request.headers['if-none-match'], tag)) {
          void reply.code(304).send();
          return reply;
        }
        return undefined;
      }];
    });
    // Only successful full responses carry the tag; an error body must not be cached under it.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.entityTag && reply.statusCode !== 200 && reply.statusCode !== 304) reply.removeHeader('etag');
      return payload;
    });
  },
  { name: 'rendezvous-conditional-get', fastify: '5.x' },
);

declare module 'fastify' {
  interface FastifyRequest {
    entityTag: string | null;
  }
}

function entityTag(version: string, request: FastifyRequest): string {
  const digest = createHash('sha1')
    .update(request.method)
    .update('\0')
    .update(request.url)
    .update('\0')
    .update(request.headers.accept ?? '')
    .digest('base64url')
    .slice(0, 16);
  return `"a${version}-${digest}"`;
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison, may list several tags, or be "*". */
export function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  for (const part of header.split(',')) {
    const candidate = part.trim().replace(/^W\//, '');
    if (candidate === tag) return true;
  }
  return false;
}
