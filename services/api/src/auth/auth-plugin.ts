import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { API_ROLES, isApiRole, looksLikeApiToken, type ApiRole, type TokenRepository } from '@rendezvous/db';
import { ForbiddenError, UnauthorizedError, type AppError } from '@rendezvous/errors';
import { roleSatisfies } from './roles.ts';
import { createTokenVerifier, type Principal } from './token-verifier.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer without a token (health probes). */
    public?: boolean;
    /** Least role a token needs for this route; default 'viewer'. */
    role?: ApiRole;
  }
  interface FastifyRequest {
    /** The authenticated caller; null only on public routes (and unknown URLs, which answer 404). */
    principal: Principal | null;
  }
}

/** Revocation takes effect within this long in every API process (see README "API access"). */
export const DEFAULT_CACHE_TTL_MS = 5_000;

export interface AuthTuning {
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  touchIntervalMs?: number;
  /** Clock of the token cache and last-used writes (ms since the epoch); tests pass a virtual one. */
  now?: () => number;
}

export interface AuthOptions extends AuthTuning {
  tokens: Pick<TokenRepository, 'verify' | 'touch'>;
  /** Sees each 401 before it is raised and answers the error to raise instead (the rate limiter's per-address count). */
  onFailure?: (request: FastifyRequest, reply: FastifyReply, error: UnauthorizedError) => AppError;
}

const BEARER = /^Bearer +(\S+)$/i;

function bearerToken(header: string | undefined, reply: FastifyReply): string {
  // RFC 6750 §3: a 401 names the scheme, and says `invalid_token` when one was presented.
  if (!header) {
    reply.header('www-authenticate', 'Bearer realm="rendezvous"');
    throw new UnauthorizedError('Authentication required: send "Authorization: Bearer <token>" (npm run cli -- token create)');
  }
  const token = BEARER.exec(header.trim())?.[1];
  if (!token || !looksLikeApiToken(token)) {
    reply.header('www-authenticate', 'Bearer realm="rendezvous", error="invalid_token"');
    throw new UnauthorizedError('Malformed Authorization header: expected "Bearer rzv_…" with a Rendezvous API token');
  }
  return token;
}

const authPluginImpl: FastifyPluginAsync<AuthOptions> = async (app, options) => {
  const verifier = createTokenVerifier({
    tokens: options.tokens,
    logger: app.log,
    cacheTtlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    cacheMaxEntries: options.cacheMaxEntries ?? 1_000,
    touchIntervalMs: options.touchIntervalMs ?? 60_000,
    now: options.now,
  });
  app.decorateRequest('principal', null);

  // A typo in a route's role would otherwise default to open access or lock everyone out: fail at boot.
  app.addHook('onRoute', (route) => {
    const role = route.config?.role;
    if (role !== undefined && !isApiRole(role)) {
      throw new Error(`${route.method} ${route.url}: config.role must be one of ${API_ROLES.join(', ')}, not ${String(role)}`);
    }
    if (role !== undefined && route.config?.public) throw new Error(`${route.method} ${route.url}: a public route cannot require a role`);
  });

  // onRequest, before the body is read: an unauthenticated client cannot make the server parse it.
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    // Unknown URLs have nothing to protect; they answer 404 as before.
    if (config.public || request.is404) return;
    let principal: Principal;
    try {
      const token = bearerToken(request.headers.authorization, reply);
      const result = await verifier.verify(token);
      if (result.status !== 'ok') {
        reply.header('www-authenticate', 'Bearer realm="rendezvous", error="invalid_token"');
        throw new UnauthorizedError(
          result.status === 'revoked' ? 'This API token has been revoked' : result.status === 'expired' ? 'This API token has expired' : 'Unknown API token',
        );
      }
      principal = result.principal;
    } catch (err) {
      if (err instanceof UnauthorizedError && options.onFailure) throw options.onFailure(request, reply, err);
      throw err;
    }
    request.principal = principal;
    // Every later log line of this request says which token acted (never the token itself).
    // Fastify gives each request a logger of its own (a child binding reqId, shared by request
    // and reply): the binding is added to it rather than to one more child per request, the
    // costliest step of a 304 poll after the socket write (issue 16).
    const log = request.log as FastifyBaseLogger & { setBindings?: (bindings: Record<string, unknown>) => void };
    if (log !== app.log && log === reply.log && typeof log.setBindings === 'function') log.setBindings({ tokenId: principal.tokenId });
    else request.log = reply.log = request.log.child({ tokenId: principal.tokenId });
    const needed = config.role ?? 'viewer';
    if (!roleSatisfies(principal.role, needed)) {
      throw new ForbiddenError(`${request.method} ${config.url} needs the ${needed} role; token "${principal.name}" has ${principal.role}`);
    }
  });

  app.addHook('onClose', () => verifier.close());
};

/**
 * Every route needs a bearer token unless its config says `public: true`; `config.role` raises
 * the minimum role. Registered with fastify-plugin so its hooks cover the routes of the whole app.
 */
export const authPlugin = fp(authPluginImpl, { name: 'rendezvous-auth', fastify: '5.x' });

/** Marks every route registered in `scope` (and its children) public: for plugins such as health probes. */
export function markRoutesPublic(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true };
  });
}

/** The principal of an authenticated route; throws if called from a public one (a programming error). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new UnauthorizedError('Authentication required');
  return request.principal;
}
