import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { NotFoundError, ValidationError } from '@rendezvous/errors';
import type { ApiRole, Database } from '../schema.ts';

export type { ApiRole };

export const API_ROLES: readonly ApiRole[] = ['viewer', 'analyst', 'admin'];

/** Recognisable in configs, logs and secret scanners (like GitHub's `ghp_`). */
export const TOKEN_MARKER = 'rzv_';
/** 32 random bytes = 256 bits, base64url without padding = 43 characters. */
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^rzv_[A-Za-z0-9_-]{43}$/;
/** The stored prefix: the marker plus 6 characters (36 of the 256 bits), enough to tell tokens apart. */
const PREFIX_LENGTH = TOKEN_MARKER.length + 6;

export interface ApiToken {
  id: number;
  name: string;
  role: ApiRole;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Null = never expires. */
  expiresAt: string | null;
}

/** What `verify` needs to authorise a request and to throttle last-used writes. */
export interface VerifiedToken {
  id: number;
  name: string;
  role: ApiRole;
  revoked: boolean;
  /** Past its expiry time (refused like a revoked token). */
  expired: boolean;
  lastUsedAt: Date | null;
}

export const isApiRole = (value: unknown): value is ApiRole => API_ROLES.includes(value as ApiRole);

/** Shape check only: rejects junk before anything touches PostgreSQL. */
export const looksLikeApiToken = (value: string): boolean => TOKEN_PATTERN.test(value);

export const hashApiToken = (token: string): Buffer => createHash('sha256').update(token).digest();

const toApiToken = (r: {
  id: number;
  name: string;
  role: ApiRole;
  token_prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date | null;
}): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefix: r.token_prefix,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  expiresAt: r.expires_at?.toISOString() ?? null,
});

const PUBLIC_COLUMNS = ['id', 'name', 'role', 'token_prefix', 'created_at', 'last_used_at', 'revoked_at', 'expires_at'] as const;

/** API tokens: issued here (the only place a secret exists in clear), stored as SHA-256 hashes. */
export function createTokenRepository(db: Kysely<Database>) {
  return {
    /** Returns the secret once; it cannot be recovered afterwards, only revoked and re-issued. */
    async create(input: { role: ApiRole; name?: string | undefined; expiresAt?: Date | undefined }): Promise<ApiToken & { token: string }> {
      if (!isApiRole(input.role)) throw new ValidationError(`role must be one of ${API_ROLES.join(', ')}`);
      const token = TOKEN_MARKER + randomBytes(SECRET_BYTES).toString('base64url');
      const prefix = token.slice(0, PREFIX_LENGTH);
      const name = input.name?.trim() || `${input.role}-${prefix.slice(TOKEN_MARKER.length)}`;
      if (name.length > 100) throw new ValidationError('token name must be at most 100 characters');
      const row = await db
        .insertInto('api_tokens')
        .values({ name, role: input.role, token_prefix: prefix, token_hash: hashApiToken(token), last_used_at: null, revoked_at: null, expires_at: input.expiresAt ?? null })
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirstOrThrow();
      return { ...toApiToken(row), token };
    },

    /**
     * Finds the token by its non-secret prefix, then compares SHA-256 hashes in constant time, so
     * response timing says nothing about how much of a guessed hash matched. Null when unknown.
     */
    async verify(token: string): Promise<VerifiedToken | null> {
      if (!looksLikeApiToken(token)) return null;
      const hash = hashApiToken(token);
      const candidates = await db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'role', 'token_hash', 'last_used_at', 'revoked_at', sql<boolean>`coalesce(expires_at <= now(), false)`.as('expired')])
        .where('token_prefix', '=', token.slice(0, PREFIX_LENGTH))
        .execute();
      const match = candidates.find((c) => timingSafeEqual(c.token_hash, hash));
      if (!match) return null;
      return { id: match.id, name: match.name, role: match.role, revoked: match.revoked_at !== null, expired: match.expired, lastUsedAt: match.last_used_at };
    },

    /** Records use; the `WHERE` keeps several API processes to about one write a minute per token. */
    async touch(id: number, minIntervalSeconds = 60): Promise<void> {
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - make_interval(secs => ${minIntervalSeconds})`)]))
        .execute();
    },

    /** Idempotent: revoking a revoked token keeps its first revocation time. */
    async revoke(id: number): Promise<ApiToken> {
      const row = await db
        .updateTable('api_tokens')
        .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.fn<Date>('now')) }))
        .where('id', '=', id)
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirst();
      if (!row) throw new NotFoundError(`no API token with id ${id}`);
      return toApiToken(row);
    },

    /** Which of these token ids may still be used (neither revoked nor expired): open streams are re-checked with it. */
    async activeIds(ids: readonly number[]): Promise<Set<number>> {
      if (ids.length === 0) return new Set();
      const rows = await db
        .selectFrom('api_tokens')
        .select('id')
        .where('id', '=', sql<number>`any(${[...ids]}::int[])`)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
        .execute();
      return new Set(rows.map((r) => r.id));
    },

    async list(): Promise<ApiToken[]> {
      const rows = await db.selectFrom('api_tokens').select(PUBLIC_COLUMNS).orderBy('id').execute();
      return rows.map(toApiToken);
    },
  };
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;
