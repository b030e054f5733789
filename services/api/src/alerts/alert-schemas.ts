import { ALERT_STATUSES, TRIAGE_STATES } from '@rendezvous/db';
import { anyObject } from '../routes/schemas.ts';

/** Response schemas of the alert routes (OpenAPI documents them; Fastify serialises with them). */

const nullable = (type: string) => ({ type: [type, 'null'] }) as const;
const isoTime = { type: 'string', format: 'date-time' } as const;

export const vesselSnapshotSchema = {
  type: 'object',
  description: "The vessel's identity, list matches, suspect records and anomalies at the time of the meeting",
  properties: {
    mmsi: { type: 'integer' },
    imo: nullable('integer'),
    name: nullable('string'),
    callsign: nullable('string'),
    shipType: nullable('integer'),
    flag: nullable('string'),
    listMatches: { type: 'array', items: anyObject },
    suspects: { type: 'array', items: anyObject },
    anomalies: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const alertSummarySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    key: { type: 'string' },
    type: { type: 'string' },
    status: { type: 'string', enum: [...ALERT_STATUSES] },
    triage: {
      type: 'object',
      properties: { state: { type: 'string', enum: [...TRIAGE_STATES] }, note: nullable('string'), by: nullable('string'), at: { type: ['string', 'null'], format: 'date-time' } },
    },
    start: isoTime,
    end: isoTime,
    durationS: { type: 'integer' },
    closestM: { type: 'number' },
    medianM: { type: 'number' },
    medianSogA: nullable('number'),
    medianSogB: nullable('number'),
    centroid: { type: 'object', properties: { lon: { type: 'number' }, lat: { type: 'number' } } },
    inPort: { type: 'boolean' },
    score: { type: 'number', description: '0–100; see scoreFactors on the detail for why' },
    watchlists: { type: 'array', items: { type: 'string' } },
    profile: { type: 'string' },
    detectorVersion: { type: 'string' },
    vesselA: vesselSnapshotSchema,
    vesselB: vesselSnapshotSchema,
    retraction: { type: ['object', 'null'], properties: { reason: nullable('string'), replacedBy: nullable('string') } },
    firstDetectedAt: isoTime,
    updatedAt: isoTime,
    changeSeq: { type: 'string', description: 'commit-ordered change number (a bigint as a string)' },
  },
} as const;

const sync = {
  type: 'object',
  properties: { updatedSince: { type: 'string', description: 'pass as updatedSince next time to get only what changed since this response' } },
} as const;

export const alertListSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: alertSummarySchema }, nextCursor: nullable('string'), sync },
} as const;

export const alertFeatureCollectionSchema = {
  type: 'object',
  description: 'RFC 7946 FeatureCollection of alert centroids (Point features, properties = the alert summary)',
  properties: {
    type: { type: 'string', enum: ['FeatureCollection'] },
    features: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string', enum: ['Feature'] },
          id: { type: 'integer' },
          geometry: { type: 'object', properties: { type: { type: 'string', enum: ['Point'] }, coordinates: { type: 'array', items: { type: 'number' } } } },
          properties: alertSummarySchema,
        },
      },
    },
    nextCursor: nullable('string'),
    sync,
  },
} as const;

export const triageHistorySchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { id: { type: 'integer' }, from: { type: 'string' }, to: { type: 'string' }, note: nullable('string'), by: { type: 'string' }, at: isoTime },
  },
} as const;

export const alertDetailSchema = {
  type: 'object',
  properties: {
    ...alertSummarySchema.properties,
    scoreFactors: { type: 'array', items: anyObject, description: '[{ factor, points, detail }]' },
    evidence: {
      type: ['object', 'null'],
      description: 'both tracks over the meeting plus marginS either side, as GeoJSON Features with per-point times and SOG',
      properties: { marginS: { type: 'integer' }, trackA: anyObject, trackB: anyObject },
    },
    history: triageHistorySchema,
  },
} as const;
