import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Never rate limited: health probes (load balancers and orchestrators poll them). */
    probe?: boolean;
  }
}

export interface RateLimitOptions {
  /** Requests per window per token (or per client address without a valid token). */
  max: number;
  windowMs: number;
}

/** A 429 for the error handler: problem+json with the rate-limit message (see error-handler.ts). */
function tooManyRequests(max: number, after: string): Error & { statusCode: number; code: string } {
  return Object.assign(new Error(`Rate limit exceeded: ${max} requests per window; retry in ${after} (see the Retry-After header)`), {
    statusCode: 429,
    code: 'rate_limited',
  });
}

const clientKey = (request: FastifyRequest) => `ip:${request.ip}`;

/**
 * Rate limiting (@fastify/rate-limit) with an in-process store: each API process counts on its
 * own, so N processes behind a balancer allow up to N × max (README "Rate limiting").
 *
 * - Authenticated requests are counted per token (request.principal.tokenId), whatever address
 *   they come from: the limiter is a route-level onRequest hook, which Fastify runs after every
 *   app-level one, so after authentication. Headers X-RateLimit-Limit/Remaining/Reset on every
 *   limited response; over the limit → 429 problem+json with Retry-After.
 * - Public routes (documentation) are counted per client address.
 * - Requests without a valid token are refused by authentication before that hook, so their
 *   401s are counted per client address instead, and an address over the limit gets 429 before
 *   its token is even looked up: guessing tokens costs a window per `max` guesses.
 * - Health probes (`config.probe`) are exempt.
 *
 * Register before the auth plugin: the address check must run before authentication.
 */
async function rateLimitImpl(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.windowMs,
    keyGenerator: (request) => (request.principal ? `token:${request.principal.tokenId}` : clientKey(request)),
    allowList: (request) => request.routeOptions.config.probe === true,
    errorResponseBuilder: (_request, context) => tooManyRequests(context.max, context.after),
  });

  const unauthenticated = app.createRateLimit({ max: options.max, timeWindow: options.windowMs, keyGenerator: (request) => `unauthenticated:${clientKey(request)}` });
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public || request.is404) return;
    const state = await unauthenticated(request, { increment: false });
    if (state.isAllowed || !state.isExceeded) return;
    void reply.header('retry-after', state.ttlInSeconds);
    throw tooManyRequests(state.max, `${state.ttlInSeconds} s`);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401) await unauthenticated(request);
  });
}

export const rateLimitPlugin = fp(rateLimitImpl, { name: 'rendezvous-rate-limit', fastify: '5.x' });
