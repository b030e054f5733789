import type { FastifyPluginAsync } from 'fastify';
import { createAlertQueryRepository, createWebhookRepository, type WebhookFilter } from '@rendezvous/db';
import { ConflictError, ValidationError } from '@rendezvous/errors';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';
import { principalOf } from '../auth/auth-plugin.ts';
import { createWebhookQueue, postDelivery, startWebhookWorker, type WebhookWorker } from '../webhooks/webhook-delivery.ts';
import { startWebhookDispatcher } from '../webhooks/webhook-dispatcher.ts';
import { webhookFilterSchema } from '../webhooks/webhook-filter.ts';
import { generateWebhookSecret } from '../webhooks/webhook-signature.ts';
import { errorResponses, idParam } from './schemas.ts';

const URL_MAX = 2048;
const DELIVERY_PAGE_DEFAULT = 50;
const DELIVERY_PAGE_MAX = 200;

const webhookSchema = {
  type: 'object',
  required: ['id', 'url', 'filter', 'description', 'createdBy', 'createdAt', 'disabledAt'],
  properties: {
    id: { type: 'integer' },
    url: { type: 'string' },
    filter: webhookFilterSchema,
    description: { type: ['string', 'null'] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    disabledAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const deliverySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    webhookId: { type: 'integer' },
    alertId: { type: 'integer' },
    changeSeq: { type: 'string' },
    kind: { type: ['string', 'null'], description: 'created, updated, triaged or retracted' },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: 'integer' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

interface CreateBody {
  url: string;
  filter?: WebhookFilter;
  description?: string;
  secret?: string;
}

/** http(s) only, a host, no credentials, no fragment; the schema has already bounded the length. */
function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError('url must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError('url must use http or https');
  if (!url.hostname) throw new ValidationError('url must name a host');
  // fetch refuses them, and a credential would be shown to every admin listing the hooks.
  if (url.username || url.password) throw new ValidationError('url must not carry credentials (user:password@); the signature authenticates the sender');
  if (url.hash) throw new ValidationError('url must not have a fragment (#…): it is never sent');
  return value;
}

/**
 * Webhooks (issue 14), admin only: register a URL and a filter (POST, the secret is in the answer
 * once), list them (never their secrets), disable one (DELETE: its log stays), read a hook's
 * delivery log, send a hook a test delivery. Starts the dispatcher and, once a hook exists, the
 * delivery worker (webhooks/), stopped when the app closes; WEBHOOKS=off starts neither.
 */
export const webhookRoutes: FastifyPluginAsync<ApiPluginDependencies> = async (app, { config, logger, database, redis, alertChanges }) => {
  const repo = createWebhookRepository(database.db);

  if (config.webhooks.enabled) {
    const log = logger.child({ component: 'webhooks' });
    const queue = createWebhookQueue(redis, config.redis.prefix, config.webhooks.retryBaseMs);
    let worker: WebhookWorker | null = null;
    const dispatcher = startWebhookDispatcher({
      repo,
      alerts: createAlertQueryRepository(database.db),
      feed: alertChanges,
      pool: database.pool,
      queue,
      logger: log,
      onHooks: () => {
        worker ??= startWebhookWorker({ config, logger: log, repo });
      },
    });
    app.addHook('onClose', async () => {
      await dispatcher.close();
      await worker?.close();
      await queue.close();
    });
  }

  app.post<{ Body: CreateBody }>(
    '/v1/webhooks',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Register a webhook: every alert change matching the filter is POSTed to the URL, signed with the secret (returned here once)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 10, maxLength: URL_MAX, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$' },
            filter: webhookFilterSchema,
            description: { type: 'string', maxLength: 500 },
            secret: { type: 'string', minLength: 16, maxLength: 256, pattern: '^[\\x21-\\x7e]+$', description: 'the HMAC key; generated when absent' },
          },
        },
        response: {
          201: { ...webhookSchema, required: [...webhookSchema.required, 'secret'], properties: { ...webhookSchema.properties, secret: { type: 'string' } } },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const who = principalOf(request);
      const hook = await repo.create({
        url: checkUrl(request.body.url),
        secret: request.body.secret ?? generateWebhookSecret(),
        filter: request.body.filter ?? {},
        description: request.body.description ?? null,
        createdBy: `${who.name} (token ${who.tokenId})`,
      });
      return reply.status(201).send(hook);
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Registered webhooks, disabled ones included, oldest first (without their secrets)',
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: webhookSchema } } }, ...errorResponses },
      },
    },
    async () => ({ items: await repo.list() }),
  );

  app.get<{ Params: { id: number } }>(
    '/v1/webhooks/:id',
    {
      config: { role: 'admin' },
      schema: { tags: ['webhooks'], summary: 'One webhook (without its secret)', params: idParam, response: { 200: webhookSchema, ...errorResponses } },
    },
    async (request) => repo.get(request.params.id),
  );

  app.delete<{ Params: { id: number } }>(
    '/v1/webhooks/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Disable a webhook: nothing more is recorded or sent to it (pending deliveries are dropped); its delivery log stays',
        params: idParam,
        response: { 200: webhookSchema, ...errorResponses },
      },
    },
    async (request) => repo.disable(request.params.id),
  );

  app.get<{ Params: { id: number }; Querystring: { limit?: number; before?: number } }>(
    '/v1/webhooks/:id/deliveries',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: "A webhook's delivery log, newest first: each change's status, attempts, last HTTP status and error",
        params: idParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: DELIVERY_PAGE_MAX, description: `default ${DELIVERY_PAGE_DEFAULT}` },
            before: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "the previous page's nextBefore" },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: deliverySchema }, nextBefore: { type: ['integer', 'null'] } } },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await repo.get(request.params.id); // 404 for an unknown hook, not an empty log
      const limit = request.query.limit ?? DELIVERY_PAGE_DEFAULT;
      const items = await repo.deliveries(request.params.id, { limit, before: request.query.before });
      return { items, nextBefore: items.length === limit ? items[items.length - 1]!.id : null };
    },
  );

  app.post<{ Params: { id: number } }>(
    '/v1/webhooks/:id/test',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Send the hook one signed test delivery now (change.kind "test", alert null, X-Rendezvous-Delivery "test"): one attempt, not retried, not logged; answers what the endpoint did',
        params: idParam,
        response: {
          200: {
            type: 'object',
            properties: { delivered: { type: 'boolean' }, statusCode: { type: ['integer', 'null'] }, error: { type: ['string', 'null'] } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const target = await repo.target(id);
      if (target.disabled) throw new ConflictError(`webhook ${id} is disabled`);
      return postDelivery({ id: null, webhookId: id, url: target.url, secret: target.secret, event: { change: { seq: null, kind: 'test' }, alert: null } }, config.webhooks.timeoutMs);
    },
  );
};
