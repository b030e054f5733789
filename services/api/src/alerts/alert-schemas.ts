import { ALERT_STATUSES, TRIAGE_STATES } from '@rendezvous/db';

/** Response schemas of the alert routes (OpenAPI documents them; Fastify serialises with them). */

const nullable = (type: string) => ({ type: [type, 'null'] }) as const;
const isoTime = { type: 'string', format: 'date-time' } as const;
const numbers = { type: 'array', items: { type: 'number' } } as const;

const listMatchSchema = {
  type: 'object',
  description: 'a list the vessel was on at the start of the meeting',
  required: ['list', 'rule', 'confidence', 'entryName'],
  properties: { list: { type: 'string' }, rule: { type: 'string', description: 'imo, mmsi, legacy_mmsi, name…' }, confidence: { type: 'number' }, entryName: nullable('string') },
} as const;

const suspectSchema = {
  type: 'object',
  description: 'a suspect record that matched the vessel at the start of the meeting',
  required: ['suspectId', 'rule', 'reason'],
  properties: { suspectId: { type: 'integer' }, rule: { type: 'string', enum: ['imo', 'mmsi'] }, reason: { type: 'string' } },
} as const;

export const scoreFactorSchema = {
  type: 'object',
  required: ['factor', 'points', 'detail'],
  properties: {
    factor: { type: 'string', description: 'watchlist, suspect, duration, tightness, tanker_pair, night, identity_anomaly, in_port…' },
    points: { type: 'number', description: 'points added (negative for a cap or a discount)' },
    detail: { type: 'string', description: 'why, in words' },
  },
} as const;

/** One vessel's evidence track: a LineString (two or more fixes), a Point (one) or no geometry. */
const evidenceTrackSchema = {
  type: 'object',
  description: 'GeoJSON Feature of one vessel over the meeting ± marginS; properties.times and .sog align with the coordinates',
  required: ['type', 'geometry', 'properties'],
  properties: {
    type: { type: 'string', enum: ['Feature'] },
    geometry: {
      type: ['object', 'null'],
      required: ['type', 'coordinates'],
      properties: {
        type: { type: 'string', enum: ['LineString', 'Point'] },
        coordinates: { description: '[lon, lat] pairs for a LineString, one [lon, lat] for a Point', type: 'array', items: { anyOf: [{ type: 'number' }, numbers] } },
      },
    },
    properties: {
      type: 'object',
      required: ['vessel', 'mmsi', 'times', 'sog', 'marginS'],
      properties: {
        vessel: { type: 'string', enum: ['a', 'b'] },
        mmsi: { type: 'integer' },
        times: { type: 'array', items: isoTime },
        sog: { type: 'array', items: nullable('number'), description: 'knots; null where not reported' },
        marginS: { type: 'integer' },
      },
    },
  },
} as const;

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
    listMatches: { type: 'array', items: listMatchSchema },
    suspects: { type: 'array', items: suspectSchema },
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
    closestM: { type: ['number', 'null'], description: 'metres between the two vessels at their closest, where both were seen (rendezvous)' },
    medianM: { type: ['number', 'null'] },
    medianSogA: nullable('number'),
    medianSogB: nullable('number'),
    centroid: { type: 'object', properties: { lon: { type: 'number' }, lat: { type: 'number' } } },
    inPort: { type: 'boolean' },
    score: { type: 'number', description: '0–100; see scoreFactors on the detail for why' },
    watchlists: { type: 'array', items: { type: 'string' } },
    profile: { type: 'string' },
    detectorVersion: { type: 'string' },
    vesselA: vesselSnapshotSchema,
    vesselB: { ...vesselSnapshotSchema, type: ['object', 'null'], description: 'the second vessel; null for one-vessel alerts (ais_gap, loitering)' },
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
    scoreFactors: { type: 'array', items: scoreFactorSchema, description: 'why the score is what it is, factor by factor' },
    evidence: {
      type: ['object', 'null'],
      description: 'both tracks over the meeting plus marginS either side, as GeoJSON Features with per-point times and SOG',
      properties: { marginS: { type: 'integer' }, trackA: evidenceTrackSchema, trackB: { ...evidenceTrackSchema, type: ['object', 'null'] } },
    },
    history: triageHistorySchema,
    behaviour: {
      type: ['object', 'null'],
      description: 'what a one-vessel behaviour or a dark rendezvous established (null for a rendezvous, whose evidence tracks say it all)',
      required: ['type', 'reasons', 'facts', 'geometry'],
      properties: {
        type: { type: 'string' },
        reasons: { type: 'array', items: { type: 'string' }, description: 'why it was alerted, with the numbers' },
        facts: {
          type: 'object',
          description: 'measured facts: times ISO-8601, distances m, speeds kn (ais_gap: off, on, durationS, distanceM, impliedSpeedKn, positionsBefore, offShoreDistanceM, onShoreDistanceM, neighboursHeard, ongoing; loitering: meanSpeedKn, shoreDistanceM, points, truncated; dark_rendezvous: kind, confidence, separationM, loiteringKey, gapKeys; port_call_sanctioned: port, country, sanctionedPort, distanceM, arrival, departure, draughtArrivalM, draughtDepartureM; gap_near_sanctioned_area: area, country, off, on, durationS, offDistanceM, onDistanceM, neededS, draughtBeforeM, draughtAfterM, draughtIncreaseM; voyage_irregularity: kinds, fromPort, toPort, departure, arrival, durationS, distanceM, usualSpeedKn, draughtDepartureM, draughtArrivalM)',
          additionalProperties: { type: ['number', 'string', 'boolean', 'null'] },
        },
        geometry: {
          type: 'object',
          description: 'GeoJSON FeatureCollection: gap off/on points and the straight line between them, loitering hull and centroid, dark rendezvous spot, sanctioned port, voyage from_port/to_port; properties.role names each',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: {
              type: 'array',
              items: {
                type: 'object',
                required: ['type', 'geometry', 'properties'],
                properties: {
                  type: { type: 'string', enum: ['Feature'] },
                  geometry: {
                    type: 'object',
                    required: ['type', 'coordinates'],
                    properties: { type: { type: 'string', enum: ['Point', 'LineString', 'Polygon'] }, coordinates: { type: 'array', description: 'RFC 7946 coordinates for the geometry type' } },
                  },
                  properties: { type: 'object', required: ['role'], properties: { role: { type: 'string' }, time: isoTime } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
