import type { FastifyPluginAsync } from 'fastify';
import { createSuspectRepository, type DatabaseHandle, type ScreeningService } from '@rendezvous/db';
import { errorResponses } from './schemas.ts';
import { suspectAuditSchema, suspectSchema } from './response-schemas.ts';

const id = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } } } as const;
const reason = { type: 'string', minLength: 3, maxLength: 2000 } as const;

export const suspectRoutes: FastifyPluginAsync<{ database: DatabaseHandle; screening: ScreeningService }> = async (app, { database, screening }) => {
  const repo = createSuspectRepository(database.db);

  app.get<{ Querystring: { all?: boolean } }>(
    '/v1/suspects',
    {
      schema: {
        tags: ['suspects'],
        summary: 'Active suspects (all=true includes removed ones)',
        querystring: { type: 'object', additionalProperties: false, properties: { all: { type: 'boolean' } } },
        response: { 200: { type: 'array', items: suspectSchema }, ...errorResponses },
      },
    },
    async (request) => repo.list({ includeRemoved: request.query.all === true }),
  );

  app.post<{ Body: { imo?: number; mmsi?: number; reason: string } }>(
    '/v1/suspects',
    {
      config: { role: 'analyst' },
      schema: {
        tags: ['suspects'],
        summary: 'Add a suspect vessel by IMO or MMSI; recorded with the token holder as the analyst',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          anyOf: [{ required: ['imo'] }, { required: ['mmsi'] }],
          properties: { imo: { type: 'integer', minimum: 1_000_000, maximum: 9_999_999 }, mmsi: { type: 'integer', minimum: 1, maximum: 999_999_999 }, reason },
        },
        response: { 201: suspectSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const suspect = await repo.add({ imo: request.body.imo ?? null, mmsi: request.body.mmsi ?? null, reason: request.body.reason, actor: request.principal!.name });
      screening.invalidate();
      return reply.status(201).send(suspect);
    },
  );

  app.delete<{ Params: { id: number }; Body: { reason: string } }>(
    '/v1/suspects/:id',
    {
      config: { role: 'analyst' },
      schema: {
        tags: ['suspects'],
        summary: 'Remove a suspect (kept, marked removed, with reason and analyst)',
        params: id,
        body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason } },
        response: { 200: suspectSchema, ...errorResponses },
      },
    },
    async (request) => {
      const removed = await repo.remove({ id: request.params.id, reason: request.body.reason, actor: request.principal!.name });
      screening.invalidate();
      return removed;
    },
  );

  app.get<{ Params: { id: number } }>(
    '/v1/suspects/:id/audit',
    { schema: { tags: ['suspects'], summary: 'Every change to a suspect: who, when, why', params: id, response: { 200: suspectAuditSchema, ...errorResponses } } },
    async (request) => repo.audit(request.params.id),
  );
};
