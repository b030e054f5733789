import cors from '@fastify/cors';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The API's helmet options: every header is a constant (no nonces, no per-request directives). */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  // Only meaningful for documents that embed others; JSON responses do not.
  crossOriginEmbedderPolicy: false,
};

/**
 * The headers helmet sets with these options, found once at boot by answering one request with
 * and one without it on throwaway instances. @fastify/helmet rebuilds its middleware (parsing the
 * CSP directives again) on every request: a tenth of a 304 poll's CPU (issue 16); the headers are
 * the same every time, so they are worked out once and set as they are.
 */
async function helmetHeaders(options: FastifyHelmetOptions): Promise<[string, string][]> {
  const probe = async (withHelmet: boolean) => {
    const app = Fastify({ logger: false });
    if (withHelmet) await app.register(helmet, options);
    app.get('/', async () => '');
    const res = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    return res.headers;
  };
  const [plain, helmeted] = [await probe(false), await probe(true)];
  return Object.entries(helmeted)
    .filter(([name]) => !(name in plain))
    .map(([name, value]) => [name, String(value)]);
}

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
  const headers = await helmetHeaders(HELMET_OPTIONS);
  // As reply headers, which Fastify writes with the status line: routes that set their own policy
  // (Swagger UI, the web app) replace them with reply.header, error replies keep them, and the
  // alert stream sends them with reply.getHeaders(). (Node's setHeader on the raw response
  // validates each name and value again on every request.)
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) void reply.header(name, value);
    done();
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
