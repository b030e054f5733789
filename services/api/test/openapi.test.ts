import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../src/app.ts';
import { DOCS_PREFIX } from '../src/plugins/openapi.ts';
import { openTestDatabase, quietLogger, testConfig } from '../../../test/support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ config, logger: quietLogger, database, redis });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  redis.disconnect();
  await database.close();
});

type Operation = { security?: unknown[]; tags?: string[]; summary?: string; parameters?: { in: string; name: string }[] };
type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>>; components?: { securitySchemes?: Record<string, unknown> } };

/**
 * Every route the app has registered, read from Fastify's own router (printRoutes), not from the
 * OpenAPI plugin: the comparison must catch a route the document misses. Each line of the tree is
 * a path segment whose ancestors' segments prefix it; methods follow in parentheses.
 */
function registeredRoutes(instance: FastifyInstance): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of instance.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const url = stack.join('');
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}

/** Fastify's `/v1/alerts/:id` is OpenAPI's `/v1/alerts/{id}`. */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI document', () => {
  it('is served publicly at /openapi.json and validates as OpenAPI 3', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as OpenApiDocument;
    expect(doc.openapi).toMatch(/^3\./);
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect(doc.components?.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer' } });
  });

  it('covers every route the app registers (method and path), except the /docs assets', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument;
    const routes = registeredRoutes(app).filter(
      // HEAD routes are the automatic twins of GET routes (same handler, no body).
      (r) => r.method !== 'HEAD' && !(r.url === DOCS_PREFIX || r.url.startsWith(`${DOCS_PREFIX}/`)),
    );
    // The enumeration itself must see the routes we know exist, or the comparison proves nothing.
    expect(routes).toEqual(expect.arrayContaining([{ method: 'GET', url: '/health' }, { method: 'POST', url: '/v1/reprocess' }, { method: 'GET', url: '/metrics' }]));
    expect(routes.length).toBeGreaterThan(15);
    const missing = routes.filter((r) => !doc.paths[openapiPath(r.url)]?.[r.method.toLowerCase()]);
    expect(missing).toEqual([]);
    // And the document names nothing the app does not serve.
    const served = new Set(routes.map((r) => `${r.method} ${openapiPath(r.url)}`));
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.filter((d) => !served.has(d))).toEqual([]);
  });

  it('says which routes need no token, and gives every operation tags and its path parameters', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.tags?.length, `${method} ${path} tags`).toBeGreaterThan(0);
        for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)) {
          expect(op.parameters?.some((p) => p.in === 'path' && p.name === name), `${method} ${path} declares ${name}`).toBe(true);
        }
      }
    }
    for (const publicPath of ['/health', '/ready', '/openapi.json']) expect(doc.paths[publicPath]!['get']!.security).toEqual([]);
    expect(doc.paths['/v1/reprocess']!['post']!.security).toBeUndefined();
    expect((doc.paths['/v1/reprocess']!['post'] as { description?: string }).description).toMatch(/role \*\*admin\*\*/);
    // A request without a token to a documented non-public route is refused: the document is honest.
    expect((await app.inject({ method: 'GET', url: '/v1/schedules' })).statusCode).toBe(401);
  });

  it('serves Swagger UI at /docs without a token, with a policy that lets it load its assets', async () => {
    const page = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    const asset = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/static/swagger-initializer.js` });
    expect(asset.statusCode).toBe(200);
    const spec = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/json` });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().paths['/v1/reprocess']).toBeDefined();
  });
});
