import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { markRoutesPublic } from '../auth/auth-plugin.ts';

const API_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Where the interactive documentation lives (its HTML and assets are public, like the document). */
export const DOCS_PREFIX = '/docs';

/**
 * The OpenAPI 3 document (GET /openapi.json) and Swagger UI (/docs). Registered before every
 * route: @fastify/swagger records routes as they are added, so each route's own schemas (params,
 * querystring, body, responses, tags, summary) become the document. Both are public —
 * documentation, no data; bearer auth is declared as a security scheme so "Authorize" works, and
 * public routes say they need none.
 */
async function openapiPluginImpl(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Rendezvous API',
        version: API_VERSION,
        description:
          'Ship-to-ship rendezvous alerts, vessels, watchlists, suspects and batch reprocessing. Every route except the health probes and this documentation needs `Authorization: Bearer <token>` (`npm run cli -- token create --role <viewer|analyst|admin>`). Errors are application/problem+json with a requestId.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Rendezvous API token (rzv_…)' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: ({ schema, url, route }) => {
      const config = route.config as { public?: boolean; role?: string } | undefined;
      const out: FastifySchema = { ...(schema ?? {}) };
      if (config?.public) out.security = [];
      else {
        const role = config?.role ?? 'viewer';
        out.description = [out.description, `Needs a token with role **${role}** or above.`].filter(Boolean).join('\n\n');
      }
      return { schema: out, url };
    },
  });

  await app.register(async (scope) => {
    markRoutesPublic(scope);
    scope.get(
      '/openapi.json',
      { schema: { tags: ['documentation'], summary: 'This API as an OpenAPI 3 document', response: { 200: { type: 'object', additionalProperties: true } } } },
      async () => app.swagger(),
    );
    await scope.register(swaggerUi, {
      routePrefix: DOCS_PREFIX,
      uiConfig: { persistAuthorization: false, deepLinking: true },
      // Swagger UI's own CSP on its pages (assets from 'self'), instead of the API's strict one
      // (see security-headers.ts); without upgrade-insecure-requests, which would break the
      // docs served over plain HTTP on a LAN address.
      staticCSP: true,
      transformStaticCSP: (header: string) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
    });
  });
}

export const openapiPlugin = fp(openapiPluginImpl, { name: 'rendezvous-openapi', fastify: '5.x' });
