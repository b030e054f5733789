import Type, { type Static, type TSchema } from 'typebox';

/**
 * Queue contracts shared by producers and consumers: queue names, job names and one payload
 * schema per job. Consumers parse payloads on receipt, so an old-format job fails loudly
 * instead of being half-understood.
 */
/** A detection profile's name; the detector checks it names one of its profiles. */
const PROFILE_NAME = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });
/** west, south, east, north in degrees; west > east is a box crossing the antimeridian. */
const BBOX = Type.Tuple([
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Number({ minimum: -90, maximum: 90 }),
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Number({ minimum: -90, maximum: 90 }),
]);

export const QUEUES = {
  /** Detection work: ingest enqueues the time windows each committed batch touched. */
  detection: {
    'detect-window': Type.Object(
      {
        from: Type.String({ format: 'date-time' }),
        to: Type.String({ format: 'date-time' }),
        reason: Type.Union([Type.Literal('ingest'), Type.Literal('reprocess'), Type.Literal('schedule'), Type.Literal('sweep')]),
        bbox: Type.Optional(BBOX),
        /** Reprocess only this detection profile's alerts (a DEFAULT_PROFILES name); absent = all. */
        profile: Type.Optional(PROFILE_NAME),
      },
      { additionalProperties: false },
    ),
  },
  /**
   * A batch re-run over a time range (and optional area): the parent of one detect-window job per
   * window (BullMQ flow); it completes when all of them have, with their combined counts.
   */
  reprocess: {
    reprocess: Type.Object(
      {
        from: Type.String({ format: 'date-time' }),
        to: Type.String({ format: 'date-time' }),
        bbox: Type.Optional(BBOX),
        profile: Type.Optional(PROFILE_NAME),
        windows: Type.Integer({ minimum: 1 }),
        requestedBy: Type.String(),
      },
      { additionalProperties: false },
    ),
    /** Fired by the job scheduler (REPROCESS_SCHEDULE): starts a reprocess of the last hours. */
    scheduled: Type.Object(
      { lookbackHours: Type.Integer({ minimum: 1 }), windowHours: Type.Integer({ minimum: 1, maximum: 168 }) },
      { additionalProperties: false },
    ),
  },
  /** Liveness round trips between processes (API readiness, tests, operators). */
  system: {
    ping: Type.Object(
      { nonce: Type.String({ minLength: 1, maxLength: 64 }), sentAt: Type.String({ format: 'date-time' }) },
      { additionalProperties: false },
    ),
  },
} as const satisfies Record<string, Record<string, TSchema>>;

/**
 * What a schema cannot say: a range must end after it starts, a box must have south < north and
 * some width. Checked with the schema by producers and consumers alike (queues.ts), so a job that
 * could never succeed is neither enqueued nor retried. Returns the problem, or null.
 */
export function payloadProblem(data: { from?: string; to?: string; bbox?: readonly number[] }): string | null {
  if (data.from !== undefined && data.to !== undefined && !(Date.parse(data.from) < Date.parse(data.to))) return 'from must be before to';
  if (data.bbox) {
    const [w, s, e, n] = data.bbox as [number, number, number, number];
    if (!(s < n)) return 'bbox needs south < north';
    if (w === e) return 'bbox needs west != east (west > east crosses the antimeridian)';
  }
  return null;
}

export type QueueName = keyof typeof QUEUES;
export type JobName<Q extends QueueName> = keyof (typeof QUEUES)[Q] & string;
type Schemas = typeof QUEUES;
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = Schemas[Q][J] extends TSchema
  ? Static<Schemas[Q][J]>
  : never;

// Results returned by handlers, by job (kept beside the payloads so both sides agree).

/** What one detect-window job did (the detector's `run` returns it; a reprocess parent sums them). */
export interface WindowResult {
  from: string;
  to: string;
  vessels: number;
  /**
   * Positions the detector read for the context: two per vessel and 10-minute bucket at most
   * (its first and last report), every report of vessels read raw.
   */
  positions: number;
  events: number;
  created: number;
  updated: number;
  unchanged: number;
  retracted: number;
  provisional: number;
  /** Pairs left alone because a run on newer data had already reconciled them (stale run). */
  stale?: number;
  /** Extra reads of long meetings' vessels over a wider range (the detector's settleLongMeetings). */
  rereads: number;
  ms: number;
}

export interface JobResults {
  detection: { 'detect-window': WindowResult };
  reprocess: {
    reprocess: { from: string; to: string; windows: number; events: number; created: number; updated: number; unchanged: number; retracted: number; positions: number };
    scheduled: { reprocessJobId: string; from: string; to: string; windows: number };
  };
  system: {
    ping: { nonce: string; handledBy: string; handledAt: string };
  };
}
export type JobResult<Q extends QueueName, J extends JobName<Q>> = Q extends keyof JobResults
  ? J extends keyof JobResults[Q]
    ? JobResults[Q][J]
    : unknown
  : unknown;
