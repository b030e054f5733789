import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppError } from '@rendezvous/errors';
import { RateLimitedError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Never rate limited: health probes (load balancers and orchestrators poll them). */
    probe?: boolean;
    /**
     * Units of the limit one request spends (default 1): routes that cost the server far more
     * than a page (CSV export, tracks, the SSE stream) weigh more. A function decides per request.
     */
    rateCost?: number | ((request: FastifyRequest) => number);
  }
}

export interface RateLimitOptions {
  /** Units per window per token (or per client address on public routes). */
  max: number;
  windowMs: number;
}

/** Weights of the costly routes (README "Rate limiting"). */
export const RATE_COST = { csvExport: 20, stream: 10, track: 5 } as const;

/** Counters kept at most; beyond, expired windows are swept and then the oldest dropped. */
const MAX_KEYS = 100_000;

interface Window {
  used: number;
  resetAt: number;
}

/**
 * Fixed windows per key, in process memory: each API process counts on its own, so N processes
 * behind a balancer allow up to N × max. Bounded: a client cycling addresses cannot grow it past
 * MAX_KEYS.
 */
class WindowCounter {
  readonly #windows = new Map<string, Window>();
  readonly #windowMs: number;
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Spends `cost` units of `key`'s current window; returns the window after spending. */
  spend(key: string, cost: number, now = Date.now()): Window {
    let w = this.#windows.get(key);
    if (!w || w.resetAt <= now) {
      this.#windows.delete(key);
      if (this.#windows.size >= MAX_KEYS) this.#sweep(now);
      w = { used: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, w);
    }
    w.used += cost;
    return w;
  }

  #sweep(now: number) {
    for (const [k, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(k);
    // Still full: drop the oldest windows (a Map iterates in insertion order).
    for (const k of this.#windows.keys()) {
      if (this.#windows.size < MAX_KEYS) break;
      this.#windows.delete(k);
    }
  }
}

const secondsUntil = (t: number) => Math.max(1, Math.ceil((t - Date.now()) / 1000));

export interface RateLimiter {
  /**
   * Called by authentication with the 401 it is about to raise: counts the failure against the
   * client address and answers the error to raise — a 429 once the address is over the limit.
   */
  authFailed(request: FastifyRequest, reply: FastifyReply, error: AppError): AppError;
}

/**
 * Rate limiting:
 *
 * - Authenticated requests spend from their token's budget (request.principal.tokenId), whatever
 *   address they come from: the charge is a route-level onRequest hook, which Fastify runs after
 *   every app-level one, so after authentication. Costly routes spend `config.rateCost` units.
 *   X-RateLimit-Limit/Remaining/Reset on every charged response; over the budget → 429
 *   problem+json (RateLimitedError) with Retry-After.
 * - Public routes (documentation) spend from the client address's budget.
 * - Failed authentications (401) spend from a separate per-address budget; past it the address's
 *   failures answer 429 instead of 401. A valid token from that address is still served: it was
 *   verified like any other, and only failures are refused — a shared NAT or proxy address with
 *   one guessing client does not lock out everyone behind it.
 * - The client address is request.ip: the socket's peer, or with TRUST_PROXY the X-Forwarded-For
 *   hop Fastify's trustProxy picks, so a proxy's clients are limited one by one and a direct
 *   client cannot buy a new budget by forging the header.
 * - Health probes (`config.probe`) and unknown URLs are never charged.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter & { register(app: FastifyInstance): void } {
  const budgets = new WindowCounter(options.windowMs);
  const failures = new WindowCounter(options.windowMs);

  const charge = async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.probe || request.is404) return;
    const key = request.principal ? `token:${request.principal.tokenId}` : `ip:${request.ip}`;
    const cost = typeof config.rateCost === 'function' ? config.rateCost(request) : (config.rateCost ?? 1);
    const w = budgets.spend(key, cost);
    const reset = secondsUntil(w.resetAt);
    void reply.header('x-ratelimit-limit', options.max).header('x-ratelimit-remaining', Math.max(0, options.max - w.used)).header('x-ratelimit-reset', reset);
    if (w.used > options.max) {
      void reply.header('retry-after', reset);
      throw new RateLimitedError(`Rate limit exceeded: ${options.max} units per ${options.windowMs / 1000} s window (this request costs ${cost}); retry in ${reset} s (see the Retry-After header)`, reset);
    }
  };

  return {
    register(app) {
      // Route-level, so it runs after authentication has set request.principal.
      app.addHook('onRoute', (route) => {
        const existing = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
        route.onRequest = [...existing, charge];
      });
    },
    authFailed(request, reply, error) {
      const w = failures.spend(`ip:${request.ip}`, 1);
      if (w.used <= options.max) return error;
      const reset = secondsUntil(w.resetAt);
      void reply.header('retry-after', reset);
      return new RateLimitedError(`Too many failed authentications from this address: ${options.max} per ${options.windowMs / 1000} s window; retry in ${reset} s`, reset);
    },
  };
}

async function rateLimitImpl(app: FastifyInstance, options: { limiter: ReturnType<typeof createRateLimiter> }): Promise<void> {
  options.limiter.register(app);
}

/** Registered with fastify-plugin so its onRoute hook sees every route of the app. */
export const rateLimitPlugin = fp(rateLimitImpl, { name: 'rendezvous-rate-limit', fastify: '5.x' });
