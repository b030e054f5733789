import { hash } from 'node:crypto';
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
 * query — and a request whose tag was answered before (any client) gets that body from memory. The tag is computed *before* the handler runs, so a body is never older than its tag: a
 * change racing the request at worst costs the client one extra 200, never a missed change.
 */
export const conditionalGet = fp<{ feeds: { alerts: AlertChangeFeed }; cache?: ResponseCacheOptions }>(
  async (app, { feeds, cache: cacheOptions }) => {
    const cache = new ResponseCache(cacheOptions);
    app.decorateRequest('entityTag', null);
    app.decorateRequest('servedFromCache', false);
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
        // Same tag, same body: another client's identical request at this version was answered
        // already (a wall of dashboards showing the same list costs one query per change).
        const hit = cache.get(tag);
        if (hit) {
          request.servedFromCache = true;
          void reply.code(200).type(hit.contentType).header('x-cache', 'hit').send(hit.body);
          return reply;
        }
        return undefined;
      }];
    });
    // Only successful full responses carry the tag; an error body must not be cached under it.
    // A client that has just changed alerts through this API (triage) must read its own write:
    // the version is re-read before the response to the write leaves, instead of waiting for
    // the NOTIFY round trip.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) await feeds.alerts.refresh();
      if (!request.entityTag) return payload;
      if (reply.statusCode !== 200 && reply.statusCode !== 304) reply.removeHeader('etag');
      else if (reply.statusCode === 200 && !request.servedFromCache && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
        // Streams (CSV exports) are not kept.
        cache.set(request.entityTag, { body: payload, contentType: String(reply.getHeader('content-type') ?? 'application/json') });
        void reply.header('x-cache', 'miss');
      }
      return payload;
    });
  },
  { name: 'rendezvous-conditional-get', fastify: '5.x' },
);

declare module 'fastify' {
  interface FastifyRequest {
    entityTag: string | null;
    servedFromCache: boolean;
  }
}

export interface ResponseCacheOptions {
  /** Most bodies kept (least recently used dropped first). */
  maxEntries?: number;
  /** Most bytes kept in all. */
  maxBytes?: number;
}

/**
 * Bodies of conditional responses by entity tag. A tag names the version of the data and the
 * exact request, so an entry never goes stale: a change makes new tags, and old entries age out.
 */
class ResponseCache {
  readonly #entries = new Map<string, { body: string | Buffer; contentType: string; bytes: number }>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;
  constructor(options: ResponseCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 500;
    this.#maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }
  get(tag: string) {
    const entry = this.#entries.get(tag);
    if (entry) {
      this.#entries.delete(tag);
      this.#entries.set(tag, entry);
    }
    return entry;
  }
  set(tag: string, value: { body: string | Buffer; contentType: string }) {
    const bytes = typeof value.body === 'string' ? Buffer.byteLength(value.body) : value.body.length;
    if (bytes > this.#maxBytes / 8 || this.#entries.has(tag)) return;
    this.#entries.set(tag, { ...value, bytes });
    this.#bytes += bytes;
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}

function entityTag(version: string, request: FastifyRequest): string {
  // One-shot hash of the same bytes as before (method, URL and Accept, NUL-separated), so tags
  // survive a restart onto this version; crypto.hash skips building a Hash object per poll.
  const digest = hash('sha1', `${request.method}\0${request.url}\0${request.headers.accept ?? ''}`, 'base64url').slice(0, 16);
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
