import type { FastifyPluginAsync } from 'fastify';
import { classifyMmsi, isValidImo } from '@rendezvous/ais';
import type { DatabaseHandle, ScreeningService } from '@rendezvous/db';
import { NotFoundError, ValidationError } from '@rendezvous/errors';
import { anyObject, errorResponses, isoInstant, mmsiParam } from './schemas.ts';

/** Identity, identity history and list matches of one vessel (by MMSI). */
export const vesselRoutes: FastifyPluginAsync<{ database: DatabaseHandle; screening: ScreeningService }> = async (app, { database, screening }) => {
  const { db } = database;

  app.get<{ Params: { mmsi: number } }>(
    '/v1/vessels/:mmsi',
    { schema: { tags: ['vessels'], summary: 'Current identity as reported, with the MMSI check and flag from its MID', params: mmsiParam, response: { 200: anyObject, ...errorResponses } } },
    async (request) => {
      const v = await db.selectFrom('vessels').selectAll().where('mmsi', '=', request.params.mmsi).executeTakeFirst();
      if (!v) throw new NotFoundError(`no vessel with MMSI ${request.params.mmsi} has been ingested`);
      const mmsiCheck = classifyMmsi(v.mmsi);
      return {
        mmsi: v.mmsi,
        imo: v.imo,
        imoValid: v.imo === null ? null : isValidImo(v.imo),
        name: v.name,
        callsign: v.callsign,
        shipType: v.ship_type,
        length: v.length,
        width: v.width,
        draught: v.draught,
        destination: v.destination,
        flag: v.flag,
        mmsiValid: mmsiCheck.valid,
        mmsiKind: mmsiCheck.kind,
        ...(mmsiCheck.reason ? { mmsiProblem: mmsiCheck.reason } : {}),
        firstSeen: v.first_seen.toISOString(),
        lastSeen: v.last_seen.toISOString(),
        identityReportedAt: v.identity_at?.toISOString() ?? null,
      };
    },
  );

  app.get<{ Params: { mmsi: number } }>(
    '/v1/vessels/:mmsi/history',
    {
      schema: {
        tags: ['vessels'],
        summary: 'Every name, call sign, IMO, ship type and flag this MMSI reported, with when each was first seen',
        params: mmsiParam,
        response: { 200: { type: 'array', items: anyObject }, ...errorResponses },
      },
    },
    async (request) => {
      const rows = await db
        .selectFrom('vessel_identity_history')
        .select(['field', 'value', 'first_seen'])
        .where('mmsi', '=', request.params.mmsi)
        .orderBy('first_seen')
        .orderBy('field')
        .execute();
      return rows.map((r) => ({ field: r.field, value: r.value, firstSeen: r.first_seen.toISOString() }));
    },
  );

  app.get<{ Params: { mmsi: number }; Querystring: { at?: string } }>(
    '/v1/vessels/:mmsi/matches',
    {
      schema: {
        tags: ['vessels'],
        summary: 'Watchlist entries and suspects this vessel matches at a time (default now), with the rule behind each',
        params: mmsiParam,
        querystring: { type: 'object', additionalProperties: false, properties: { at: isoInstant } },
        response: { 200: anyObject, ...errorResponses },
      },
    },
    async (request) => {
      const at = request.query.at ? new Date(request.query.at) : new Date();
      if (Number.isNaN(at.getTime()) || at.getTime() < Date.UTC(2002, 0, 1) || at.getTime() > Date.now() + 366 * 86_400_000) {
        throw new ValidationError('at must be an ISO-8601 time between 2002 and a year from now');
      }
      return { mmsi: request.params.mmsi, at: at.toISOString(), matches: await screening.screenMmsi(request.params.mmsi, at) };
    },
  );
};
