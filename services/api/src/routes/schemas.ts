import type {} from '@fastify/swagger'; // route schema fields: tags, summary
/** JSON Schemas shared by route modules (Fastify validates and serialises with them). */
export const problem = {
  type: 'object',
  properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, requestId: { type: 'string' } },
} as const;

export const errorResponses = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem } as const;

export const mmsiParam = {
  type: 'object',
  required: ['mmsi'],
  additionalProperties: false,
  properties: { mmsi: { type: 'integer', minimum: 0, maximum: 999_999_999 } },
} as const;

export const listName = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } as const;

/** An ISO-8601 instant between the start of AIS (2002) and a year from now. */
export const isoInstant = { type: 'string', format: 'date-time' } as const;

/** `:id` of an alert or a webhook: a positive integer (bigint ids stay within JavaScript's safe range). */
export const idParam = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;
