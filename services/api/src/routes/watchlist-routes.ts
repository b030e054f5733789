import type { FastifyPluginAsync } from 'fastify';
import { createWatchlistRepository, type DatabaseHandle, type ScreeningService } from '@rendezvous/db';
import { prepareListSnapshot, LIST_FORMATS } from '@rendezvous/watchlists';
import { errorResponses, listName } from './schemas.ts';
import { importResultSchema, watchlistEntriesSchema, watchlistVersionsSchema, watchlistsSchema } from './response-schemas.ts';

/** Raw list files up to this size are accepted over HTTP; larger ones go through the CLI. */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

export const watchlistRoutes: FastifyPluginAsync<{ database: DatabaseHandle; screening: ScreeningService }> = async (app, { database, screening }) => {
  const repo = createWatchlistRepository(database.db);
  // List files arrive as they are (CSV, XML, JSON lines): the importer decodes and detects.
  for (const type of ['text/csv', 'text/plain', 'application/xml', 'text/xml', 'application/x-ndjson', 'application/octet-stream']) {
    if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));
  }

  app.get('/v1/watchlists', { schema: { tags: ['watchlists'], summary: 'Lists and their latest versions', response: { 200: watchlistsSchema, ...errorResponses } } }, async () =>
    repo.lists(),
  );

  app.get<{ Params: { name: string } }>(
    '/v1/watchlists/:name/versions',
    {
      schema: {
        tags: ['watchlists'],
        summary: 'Every imported version of a list, with what each added, removed and changed',
        params: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: listName } },
        response: { 200: watchlistVersionsSchema, ...errorResponses },
      },
    },
    async (request) => repo.versions(request.params.name),
  );

  app.get<{ Params: { name: string }; Querystring: { version?: number } }>(
    '/v1/watchlists/:name/entries',
    {
      schema: {
        tags: ['watchlists'],
        summary: 'Entries of a list, as of a version (default: latest)',
        params: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: listName } },
        querystring: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } } },
        response: { 200: watchlistEntriesSchema, ...errorResponses },
      },
    },
    async (request) => repo.entries(request.params.name, request.query.version),
  );

  app.put<{ Params: { name: string }; Querystring: { format?: string; fileName?: string }; Body: Buffer }>(
    '/v1/watchlists/:name',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      config: { role: 'admin' },
      schema: {
        tags: ['watchlists'],
        summary: 'Import a list file (the raw file as the body) as the next version of the list',
        params: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: listName } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: [...LIST_FORMATS] }, fileName: { type: 'string', maxLength: 255 } },
        },
        response: { 200: importResultSchema, 201: importResultSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const snapshot = prepareListSnapshot({
        name: request.params.name,
        bytes: request.body,
        fileName: request.query.fileName ?? null,
        ...(request.query.format ? { format: request.query.format } : {}),
        importedBy: `token:${request.principal!.name}`,
      });
      const result = await repo.importSnapshot(snapshot);
      screening.invalidate();
      return reply.status(result.status === 'imported' ? 201 : 200).send(result);
    },
  );
};
