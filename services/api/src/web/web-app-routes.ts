import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '@rendezvous/errors';
import { markRoutesPublic, principalOf } from '../auth/auth-plugin.ts';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';
import { errorResponses, problem } from '../routes/schemas.ts';

/** Where `vite build` (packages/web-app) writes the app: index.html and hashed files under assets/. */
export const WEB_APP_DIST = fileURLToPath(new URL('../../../../packages/web-app/dist/', import.meta.url));

/**
 * The app's policy: everything from this origin only, no inline script, no framing. The map
 * draws on canvas and sets element styles through the CSSOM (allowed without 'unsafe-inline');
 * `data:`/`blob:` images are the favicon and exported files, `blob:` workers are OpenLayers'.
 */
export const WEB_APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The API runs but nobody built the app (npm start builds it; a bare `node services/api` does not). */
export class WebAppNotBuiltError extends AppError {
  override readonly code = 'web_app_not_built';
  override readonly statusCode = 503;
  override readonly expose = true;
  readonly retryAfterSeconds = 30;
}

export interface WebAppOptions {
  /** The built app's directory (tests point it elsewhere); default WEB_APP_DIST. */
  distDir?: string;
}

/** Who the token is, for the app's sign-in and its role-dependent controls. */
const sessionSchema = {
  type: 'object',
  required: ['name', 'role', 'expiresAt', 'sanctionedCountries'],
  properties: {
    name: { type: 'string' },
    role: { type: 'string', enum: ['viewer', 'analyst', 'admin'] },
    expiresAt: { type: ['string', 'null'], format: 'date-time', description: 'null: the token does not expire' },
    sanctionedCountries: { type: 'array', items: { type: 'string' }, description: 'SANCTIONED_COUNTRIES (ISO3): the countries whose ports the detector flags' },
  },
} as const;

const idParam = (name: string) =>
  ({ type: 'object', required: [name], additionalProperties: false, properties: { [name]: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } } }) as const;

const html = { 200: { description: 'the web app (text/html)', type: 'string' }, 503: problem } as const;

/**
 * Static files are public (the app holds no data; every /v1 call it makes carries the token).
 * Whether the app is built is checked per request, so building it does not need an API restart.
 */
async function staticFiles(scope: FastifyInstance, distDir: string): Promise<void> {
  markRoutesPublic(scope);
  // The API's helmet policy forbids everything (JSON only); these responses are the app's pages.
  scope.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode < 400) void reply.header('content-security-policy', WEB_APP_CSP);
    return payload;
  });
  // reply.sendFile only: the routes are ours, so they are documented and no wildcard swallows
  // unknown URLs (which still answer 404 problem+json).
  await scope.register(fastifyStatic, { root: distDir, serve: false, index: false, suppressWarning: true });
  const index = `${distDir}index.html`;
  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(index)) {
      throw new WebAppNotBuiltError(`The web app is not built (${index} is missing): run "npm run build -w @rendezvous/web-app", or start with "npm start", which builds it`);
    }
    // Always revalidated: a new build must reach the next page load.
    return reply.header('cache-control', 'no-cache').sendFile('index.html', distDir, { cacheControl: false });
  };
  const tags = ['web app'];
  scope.get('/', { schema: { tags, summary: 'The analyst web app (sign in with an API token)', response: html } }, async (_request, reply) => sendIndex(reply));
  scope.get<{ Params: { id: number } }>(
    '/alerts/:id',
    { schema: { tags, summary: "The web app's page of one alert (a shareable link)", params: idParam('id'), response: html } },
    async (_request, reply) => sendIndex(reply),
  );
  scope.get<{ Params: { mmsi: number } }>(
    '/vessels/:mmsi',
    { schema: { tags, summary: "The web app's page of one vessel (a shareable link)", params: idParam('mmsi'), response: html } },
    async (_request, reply) => sendIndex(reply),
  );
  // Vite's output is flat under assets/ with content-hashed names: a file never changes, so
  // browsers keep it for a year.
  scope.get<{ Params: { file: string } }>(
    '/assets/:file',
    {
      schema: {
        tags,
        summary: 'A file of the built web app (script, style, basemap)',
        params: { type: 'object', required: ['file'], additionalProperties: false, properties: { file: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' } } },
        response: { 200: { description: 'the file', type: 'string' }, 404: problem },
      },
    },
    async (request, reply) => {
      if (!existsSync(`${distDir}assets/${request.params.file}`)) return reply.callNotFound();
      return reply.sendFile(request.params.file, `${distDir}assets/`, { immutable: true, maxAge: '365d' });
    },
  );
}

/**
 * The analyst web app (issue 14): the built single-page app served at / under a strict CSP, and
 * GET /v1/session, which tells the app whose token it holds (its role decides the triage buttons).
 */
export const webAppRoutes: FastifyPluginAsync<ApiPluginDependencies & WebAppOptions> = async (app, options) => {
  const distDir = options.distDir ?? WEB_APP_DIST;
  await app.register(async (scope) => staticFiles(scope, distDir.endsWith('/') ? distDir : `${distDir}/`));

  app.get(
    '/v1/session',
    { schema: { tags: ['auth'], summary: "The token's holder name, role and expiry (any valid token), and the sanctioned countries the app marks", response: { 200: sessionSchema, ...errorResponses } } },
    async (request) => {
      const who = principalOf(request);
      const row = await options.database.db.selectFrom('api_tokens').select('expires_at').where('id', '=', who.tokenId).executeTakeFirst();
      return { name: who.name, role: who.role, expiresAt: row?.expires_at?.toISOString() ?? null, sanctionedCountries: options.config.sanctions.countries };
    },
  );
};
