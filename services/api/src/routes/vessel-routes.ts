import type { FastifyPluginAsync } from 'fastify';
import { classifyMmsi, isValidImo } from '@rendezvous/ais';
import { DATE_TIME_PATTERN, parseInstant, portCallItem, readVoyages } from '@rendezvous/alerts';
import type { DestinationPort } from '@rendezvous/detection';
import {
  createIdentityRepository,
  createPortCallRepository,
  createTrackRepository,
  createVesselRepository,
  type DatabaseHandle,
  type ScreeningService,
} from '@rendezvous/db';
import { NotFoundError, ValidationError } from '@rendezvous/errors';
import { errorResponses, isoInstant, mmsiParam } from './schemas.ts';
import { identityHistorySchema, trackFeatureSchema, vesselAnomaliesSchema, vesselIdentitySchema, vesselMatchesSchema, vesselPortCallsSchema, vesselVoyagesSchema } from './response-schemas.ts';
import { TRACK_MAX_LOADED, TRACK_MAX_RANGE_MS, toTrackFeature } from '../alerts/vessel-track.ts';
import { RATE_COST } from '../plugins/rate-limit.ts';

/** Identity, identity history and list matches of one vessel (by MMSI). */
export const vesselRoutes: FastifyPluginAsync<{ database: DatabaseHandle; screening: ScreeningService; knownPorts: readonly DestinationPort[] }> = async (app, { database, screening, knownPorts }) => {
  const identity = createIdentityRepository(database.db);
  const vessels = createVesselRepository(database.db);
  const tracks = createTrackRepository(database.pool);
  const portCalls = createPortCallRepository(database.db);

  app.get<{ Params: { mmsi: number } }>(
    '/v1/vessels/:mmsi',
    { schema: { tags: ['vessels'], summary: 'Current identity as reported, with the MMSI check and flag from its MID', params: mmsiParam, response: { 200: vesselIdentitySchema, ...errorResponses } } },
    async (request) => {
      const v = await vessels.get(request.params.mmsi);
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
        response: { 200: identityHistorySchema, ...errorResponses },
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
        response: { 200: vesselMatchesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const at = request.query.at ? parseInstant('at', request.query.at, Date.now()) : new Date();
      return { mmsi: request.params.mmsi, at: at.toISOString(), matches: await screening.screenMmsi(request.params.mmsi, at) };
    },
  );

  app.get<{ Params: { mmsi: number }; Querystring: { from?: string; to?: string } }>(
    '/v1/vessels/:mmsi/anomalies',
    {
      schema: {
        tags: ['vessels'],
        summary:
          'Identity anomalies of this MMSI (invalid MMSI, IMO check digit, shared MMSI, IMO/MMSI changes, renames/reflagging, watchlist pairing mismatches), each explained; positions read over [from, to), at most 31 days (default: the 31 days to its last report)',
        params: mmsiParam,
        querystring: { type: 'object', additionalProperties: false, properties: { from: isoInstant, to: isoInstant } },
        response: { 200: vesselAnomaliesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { mmsi } = request.params;
      const vessel = await vessels.get(mmsi);
      if (!vessel) throw new NotFoundError(`no vessel with MMSI ${mmsi} has been ingested`);
      // The positions read are bounded like a track's: at most 31 days, by default the 31 days
      // up to the vessel's last report (its whole history would be unbounded).
      const to = request.query.to ? parseInstant('to', request.query.to, Date.now()) : new Date(vessel.last_seen.getTime() + 1);
      const from = request.query.from ? parseInstant('from', request.query.from, Date.now()) : new Date(to.getTime() - TRACK_MAX_RANGE_MS);
      if (from >= to) throw new ValidationError('from must be before to');
      if (to.getTime() - from.getTime() > TRACK_MAX_RANGE_MS) {
        throw new ValidationError('anomalies are read over at most 31 days of positions: ask for a shorter range (from and to)');
      }
      const anomalies = await identity.anomaliesForVessel(mmsi, { from, to, maxPositions: TRACK_MAX_LOADED });
      return { mmsi, range: { from: from.toISOString(), to: to.toISOString() }, anomalies };
    },
  );

  app.get<{ Params: { mmsi: number }; Querystring: { from: string; to: string; simplify?: number } }>(
    '/v1/vessels/:mmsi/track',
    {
      config: { rateCost: RATE_COST.track },
      schema: {
        tags: ['vessels'],
        summary: "The vessel's positions in [from, to) (at most 31 days) as a GeoJSON MultiLineString broken at silences of 1 h or more, optionally simplified",
        params: mmsiParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: {
            from: { type: 'string', format: 'date-time', pattern: DATE_TIME_PATTERN },
            to: { type: 'string', format: 'date-time', pattern: DATE_TIME_PATTERN },
            simplify: { type: 'number', minimum: 0, maximum: 10_000, description: 'Douglas–Peucker tolerance in metres (0 = every position)' },
          },
        },
        response: { 200: trackFeatureSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const from = parseInstant('from', request.query.from, Date.now());
      const to = parseInstant('to', request.query.to, Date.now());
      if (from >= to) throw new ValidationError('from must be before to');
      if (to.getTime() - from.getTime() > TRACK_MAX_RANGE_MS) throw new ValidationError('a track covers at most 31 days: ask for a shorter range');
      // Infinity ("1e309" coerced by ajv) never gets here: plugins/finite-numbers.ts refuses it.
      const simplifyM = request.query.simplify ?? 0;
      const fixes = await tracks.vesselFixes(request.params.mmsi, from, to, TRACK_MAX_LOADED);
      return reply.type('application/geo+json').send(toTrackFeature(request.params.mmsi, from, to, fixes, simplifyM));
    },
  );

  app.get<{ Params: { mmsi: number }; Querystring: { from?: string; to?: string } }>(
    '/v1/vessels/:mmsi/port-calls',
    {
      schema: {
        tags: ['vessels'],
        summary: 'Port calls of this MMSI overlapping [from, to] (either optional), by arrival: port, country, arrival, departure, draught on arrival and departure',
        params: mmsiParam,
        querystring: { type: 'object', additionalProperties: false, properties: { from: isoInstant, to: isoInstant } },
        response: { 200: vesselPortCallsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { mmsi } = request.params;
      const from = request.query.from ? parseInstant('from', request.query.from, Date.now()) : undefined;
      const to = request.query.to ? parseInstant('to', request.query.to, Date.now()) : undefined;
      if (from && to && from > to) throw new ValidationError('from must not be after to');
      const rows = await portCalls.forVessel(mmsi, { from, to });
      return { mmsi, portCalls: rows.map(portCallItem) };
    },
  );

  app.get<{ Params: { mmsi: number }; Querystring: { from?: string; to?: string } }>(
    '/v1/vessels/:mmsi/voyages',
    {
      schema: {
        tags: ['vessels'],
        summary:
          'Voyages of this MMSI from its port calls overlapping [from, to] (either optional): legs between consecutive calls with distance, time, implied speed, draught change, the destination declared (type 5) and the voyage irregularities found (destination mismatch, hidden stop, draught change at sea)',
        params: mmsiParam,
        querystring: { type: 'object', additionalProperties: false, properties: { from: isoInstant, to: isoInstant } },
        response: { 200: vesselVoyagesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { mmsi } = request.params;
      const from = request.query.from ? parseInstant('from', request.query.from, Date.now()) : undefined;
      const to = request.query.to ? parseInstant('to', request.query.to, Date.now()) : undefined;
      if (from && to && from > to) throw new ValidationError('from must not be after to');
      // The known ports (PORTS_FILE and the sanctioned ones) as the detector has them: a declared
      // port name far from the port reached is a mismatch here as in its alerts.
      return readVoyages(database.db, mmsi, { from, to }, knownPorts);
    },
  );
};
