import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { TRIAGE_STATES, createAlertQueryRepository, type AlertQueryRepository, type DatabaseHandle, type TriageState } from '@rendezvous/db';
import {
  alertQueryProperties,
  alertQuerystring,
  parseAlertQuery,
  toAlertDetail,
  toAlertSummary,
  toTriageHistory,
  type AlertFormat,
  type AlertQueryInput,
} from '@rendezvous/alerts';
import { principalOf } from '../auth/auth-plugin.ts';
import { alertDetailSchema, alertFeatureCollectionSchema, alertListSchema, triageHistorySchema } from '../alerts/alert-schemas.ts';
import { CSV_EXPORT_MAX_ROWS, alertCsvStream } from '../alerts/csv.ts';
import { toAlertFeatureCollection } from '../alerts/geojson.ts';
import { RATE_COST } from '../plugins/rate-limit.ts';
import { errorResponses, idParam, mmsiParam } from './schemas.ts';

export interface AlertRouteOptions {
  database: DatabaseHandle;
  /** Rows a CSV export stops at (a trailer line says so); default CSV_EXPORT_MAX_ROWS. */
  csvMaxRows?: number;
}

const listResponses = {
  200: {
    description: 'A page of alerts: JSON (default), GeoJSON (Accept: application/geo+json) or CSV of every match (Accept: text/csv or format=csv)',
    content: {
      'application/json': { schema: alertListSchema },
      'application/geo+json': { schema: alertFeatureCollectionSchema },
      'text/csv': { schema: { type: 'string' } },
    },
  },
  ...errorResponses,
} as const;

const { mmsi: _mmsi, ...vesselAlertQueryProperties } = alertQueryProperties;
const vesselAlertQuerystring = { ...alertQuerystring, properties: { ...vesselAlertQueryProperties, format: alertQuerystring.properties.format } } as const;

/**
 * The representation asked for: `format` wins over Accept; in Accept the highest q of the types
 * we serve wins, ties going to the first listed. Anything else gets JSON.
 */
export function negotiateAlertFormat(format: AlertFormat | undefined, accept: string | undefined): AlertFormat {
  if (format) return format;
  if (!accept) return 'json';
  const served: Record<string, AlertFormat> = { 'application/json': 'json', 'application/geo+json': 'geojson', 'text/csv': 'csv' };
  let best: { format: AlertFormat; q: number } | null = null;
  for (const part of accept.split(',').slice(0, 20)) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const f = served[type!.trim()];
    if (!f) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { format: f, q };
  }
  return best?.format ?? 'json';
}

/** A CSV export reads up to 100 000 rows: it spends more of the rate limit than a page. */
const listCost = (request: FastifyRequest) =>
  negotiateAlertFormat((request.query as { format?: AlertFormat } | undefined)?.format, request.headers.accept) === 'csv' ? RATE_COST.csvExport : 1;

/** GET /v1/alerts and GET /v1/vessels/:mmsi/alerts: one implementation. */
async function sendAlertList(repo: AlertQueryRepository, csvMaxRows: number, request: FastifyRequest, reply: FastifyReply, query: AlertQueryInput & { format?: AlertFormat }) {
  const { filter, page } = parseAlertQuery(query);
  const format = negotiateAlertFormat(query.format, request.headers.accept);
  if (format === 'csv') {
    // Every matching row, not one page: an export is for a spreadsheet, which cannot follow cursors.
    const stream = await alertCsvStream(repo, filter, page, csvMaxRows);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="alerts.csv"')
      .send(Readable.from(stream));
  }
  const result = await repo.list(filter, page);
  const items = result.rows.map(toAlertSummary);
  const sync = { updatedSince: result.highWater };
  if (format === 'geojson') return reply.type('application/geo+json').send(toAlertFeatureCollection(items, result.nextCursor, sync));
  // V8's JSON.stringify writes a page (~50 KB) in about half the CPU of the schema's compiled
  // serialiser, and gives the same bytes: the views hold exactly the schema's properties, in its
  // order, with integers where it says integer (alert-view.ts), and a string body is sent as is.
  // test/api/alert-list-json.test.ts holds the two serialisations equal.
  return reply.type('application/json; charset=utf-8').send(JSON.stringify({ items, nextCursor: result.nextCursor, sync }));
}

/** Alerts for analysts and dashboards: filtered lists (JSON, GeoJSON, CSV), detail, triage. */
export const alertRoutes: FastifyPluginAsync<AlertRouteOptions> = async (app, { database, csvMaxRows = CSV_EXPORT_MAX_ROWS }) => {
  const repo = createAlertQueryRepository(database.db);

  app.get<{ Querystring: AlertQueryInput & { format?: AlertFormat } }>(
    '/v1/alerts',
    {
      config: { conditional: 'alerts', rateCost: listCost },
      schema: {
        tags: ['alerts'],
        summary: 'Alerts filtered by time, bounding box, vessel (MMSI/IMO), watchlist, type, status, triage, score and updatedSince; keyset-paginated',
        querystring: alertQuerystring,
        response: listResponses,
      },
    },
    async (request, reply) => sendAlertList(repo, csvMaxRows, request, reply, request.query),
  );

  app.get<{ Params: { mmsi: number }; Querystring: AlertQueryInput & { format?: AlertFormat } }>(
    '/v1/vessels/:mmsi/alerts',
    {
      config: { conditional: 'alerts', rateCost: listCost },
      schema: {
        tags: ['vessels', 'alerts'],
        summary: "This vessel's alerts (either side of the meeting): the same list, filters and formats as /v1/alerts",
        params: mmsiParam,
        querystring: vesselAlertQuerystring,
        response: listResponses,
      },
    },
    async (request, reply) => sendAlertList(repo, csvMaxRows, request, reply, { ...request.query, mmsi: request.params.mmsi }),
  );

  app.get<{ Params: { id: number } }>(
    '/v1/alerts/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'One alert with its score factors, evidence (both tracks as GeoJSON), identity snapshots and triage history',
        params: idParam,
        response: { 200: alertDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const found = await repo.get(id);
      return toAlertDetail(found.alert, found.evidence, await repo.history(id));
    },
  );

  app.patch<{ Params: { id: number }; Body: { state: TriageState; note?: string } }>(
    '/v1/alerts/:id',
    {
      config: { role: 'analyst' },
      schema: {
        tags: ['alerts'],
        summary: "Triage an alert (new, acknowledged, escalated, dismissed) with an optional note; recorded with the token's name and when",
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['state'],
          properties: { state: { type: 'string', enum: [...TRIAGE_STATES] }, note: { type: 'string', maxLength: 2000 } },
        },
        response: { 200: alertDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const who = principalOf(request);
      const { id } = request.params;
      // The audit names the token's holder and the token (a name can be reused after a revocation).
      const row = await repo.triage(id, { state: request.body.state, note: request.body.note ?? null }, `${who.name} (token ${who.tokenId})`);
      const found = await repo.get(id);
      return toAlertDetail(row, found.evidence, await repo.history(id));
    },
  );

  app.get<{ Params: { id: number } }>(
    '/v1/alerts/:id/history',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Triage history of an alert, oldest first: who, when, from which state to which, and the note',
        params: idParam,
        response: { 200: triageHistorySchema, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      return toTriageHistory(await repo.history(id));
    },
  );
};
