import { hash } from 'node:crypto';
import type { ApiRole, TokenRepository } from '@rendezvous/db';
import { DependencyError } from '@rendezvous/errors';
import type { FastifyBaseLogger } from 'fastify';
import { TtlCache } from './ttl-cache.ts';

/** Who a request acts as; routes record `name`/`tokenId` for auditing. */
export interface Principal {
  tokenId: number;
  name: string;
  role: ApiRole;
}

export type Verification = { status: 'ok'; principal: Principal } | { status: 'unknown' } | { status: 'revoked' } | { status: 'expired' };

export interface TokenVerifierOptions {
  tokens: Pick<TokenRepository, 'verify' | 'touch'>;
  logger: FastifyBaseLogger;
  /** How long a verified token is trusted without asking PostgreSQL: also the revocation delay. */
  cacheTtlMs: number;
  cacheMaxEntries: number;
  /** Minimum time between `last_used_at` writes for one token. */
  touchIntervalMs: number;
  /** Clock (ms since the epoch); default Date.now. */
  now?: () => number;
}

interface Cached {
  principal: Principal;
  /** When `last_used_at` was last written (or read as written), in ms since the epoch. */
  touchedAt: number;
}

/**
 * Verifies bearer tokens, caching positive answers briefly so a dashboard polling several times a
 * second costs one query per TTL instead of one per request. Unknown and revoked answers are not
 * cached: they must not evict good entries, and they are cheap (malformed tokens never get here).
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const { tokens, logger, touchIntervalMs } = options;
  const clock = options.now ?? Date.now;
  const cache = new TtlCache<Cached>({ ttlMs: options.cacheTtlMs, maxEntries: options.cacheMaxEntries, now: clock });
  const pendingTouches = new Set<Promise<void>>();

  // Fire-and-forget: recording use must neither slow nor fail the request it belongs to.
  function touchIfDue(entry: Cached): void {
    const now = clock();
    if (now - entry.touchedAt < touchIntervalMs) return;
    entry.touchedAt = now;
    const tokenId = entry.principal.tokenId;
    const write: Promise<void> = tokens
      .touch(tokenId, touchIntervalMs / 1000)
      .catch((err: unknown) => logger.warn({ tokenId, err: (err as Error).message }, 'could not record API token use'))
      .finally(() => pendingTouches.delete(write));
    pendingTouches.add(write);
  }

  return {
    async verify(token: string): Promise<Verification> {
      // Keyed by the hash so the clear token is not kept in a long-lived structure: the SHA-256
      // the tokens table stores (hashApiToken), by the one-shot crypto.hash, which skips the Hash
      // object createHash builds on every request.
      const key = hash('sha256', token, 'base64');
      let entry = cache.get(key);
      if (!entry) {
        const found = await tokens.verify(token).catch((err: unknown) => {
          throw new DependencyError('postgres', 'cannot verify the API token', { cause: err });
        });
        if (!found) return { status: 'unknown' };
        if (found.revoked) return { status: 'revoked' };
        if (found.expired) return { status: 'expired' };
        entry = {
          principal: { tokenId: found.id, name: found.name, role: found.role },
          touchedAt: found.lastUsedAt?.getTime() ?? 0,
        };
        cache.set(key, entry);
      }
      touchIfDue(entry);
      return { status: 'ok', principal: entry.principal };
    },

    /** Waits for last-used writes in flight, so closing the pool after the app loses none. */
    async close(): Promise<void> {
      await Promise.all([...pendingTouches]);
    },
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
