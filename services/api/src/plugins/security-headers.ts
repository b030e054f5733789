import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every response (@fastify/helmet) and the CORS allow-list (@fastify/cors).
 *
 * The API answers JSON, never HTML, so its Content-Security-Policy forbids everything
 * (`default-src 'none'`, no framing): a response rendered by mistake runs nothing. /docs serves
 * Swagger UI's HTML and sets its own policy on those pages (openapi.ts).
 *
 * CORS: `origins` empty → no CORS headers at all (browsers on other origins are refused);
 * `['*']` → any origin; otherwise only the listed origins get Access-Control-Allow-Origin, and a
 * preflight from them is answered before authentication (browsers send it without the
 * Authorization header). Credentials (cookies) are never allowed: the API uses bearer tokens.
 */
async function securityHeadersImpl(app: FastifyInstance, options: { corsOrigins: readonly string[] }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
    // Only meaningful for documents that embed others; JSON responses do not.
    crossOriginEmbedderPolicy: false,
  });
  if (options.corsOrigins.length === 0) return;
  const any = options.corsOrigins.includes('*');
  await app.register(cors, {
    origin: any ? '*' : [...options.corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match', 'Last-Event-ID', 'X-Request-Id'],
    // Let browser code read what dashboards need: validators, rate-limit state, request ids.
    exposedHeaders: ['ETag', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-Request-Id', 'Location'],
    maxAge: 600,
    credentials: false,
  });
}

export const securityHeadersPlugin = fp(securityHeadersImpl, { name: 'rendezvous-security-headers', fastify: '5.x' });
