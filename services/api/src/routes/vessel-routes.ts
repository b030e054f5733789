import type { FastifyPluginAsync } from 'fastify';
import { classifyMmsi, isValidImo } from '@rendezvous/ais';
import { createIdentityRepository, type DatabaseHandle, type ScreeningService } from '@rendezvous/db';
import { NotFoundError, ValidationError } from '@rendezvous/errors';
import { anyObject, errorResponses, isoInstant, mmsiParam } from './schemas.ts';

/** Identity, identity history and list matches of one vessel (by MMSI). */
export const vesselRoutes: FastifyPluginAsync<{ database: DatabaseHandle; screening: ScreeningService }> = async (app, { database, screening }) => {
  const { db } = database;
  const identity = createIdentityRepository(db);

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
    async (request) => identity.historyForVessel(request.params.mmsi),
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

  app.get<{ Params: { mmsi: number }; Querystring: { from?: string; to?: string } }>(
    '/v1/vessels/:mmsi/anomalies',
    {
      schema: {
        tags: ['vessels'],
        summary: 'Identity anomalies of this MMSI (invalid MMSI, IMO check digit, shared MMSI, IMO/MMSI changes, renames/reflagging, watchlist pairing mismatches), each explained',
        params: mmsiParam,
        querystring: { type: 'object', additionalProperties: false, properties: { from: isoInstant, to: isoInstant } },
        response: { 200: anyObject, ...errorResponses },
      },
    },
    async (request) => {
      const from = request.query.from ? new Date(request.query.from) : undefined;
      const to = request.query.to ? new Date(request.query.to) : undefined;
      if (from && to && from >= to) throw new ValidationError('from must be before to');
      const exists = await db.selectFrom('vessels').select('mmsi').where('mmsi', '=', request.params.mmsi).executeTakeFirst();
      if (!exists) throw new NotFoundError(`no vessel with MMSI ${request.params.mmsi} has been ingested`);
      const anomalies = await identity.anomaliesForVessel(request.params.mmsi, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
      return { mmsi: request.params.mmsi, anomalies };
    },
  );
};
