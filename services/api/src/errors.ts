import { AppError, DependencyError } from '@rendezvous/errors';

/**
 * The API's own AppError subclasses (the one hierarchy, @rendezvous/errors): the error handler
 * turns each into problem+json with its status, and `retryAfterSeconds` into a Retry-After header.
 */
export class RateLimitedError extends AppError {
  override readonly code = 'rate_limited';
  override readonly statusCode = 429;
  override readonly expose = true;
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Over SSE_MAX_STREAMS_PER_TOKEN or SSE_MAX_STREAMS: a stream must close before another opens. */
export class TooManyStreamsError extends AppError {
  override readonly code = 'too_many_streams';
  override readonly statusCode = 429;
  override readonly expose = true;
  readonly retryAfterSeconds = 5;
}

/**
 * PostgreSQL cancelled the statement (API_STATEMENT_TIMEOUT_MS) or gave up waiting for a lock
 * (DATABASE_LOCK_TIMEOUT_MS): the request cost too much or the table was busy. Retryable; the
 * message names neither the SQL nor the table.
 */
export class StatementTimeoutError extends AppError {
  override readonly code = 'statement_timeout';
  override readonly statusCode = 503;
  override readonly expose = true;
  readonly retryAfterSeconds = 2;
}

/** SQLSTATEs of a statement stopped by a limit: query_canceled (statement_timeout), lock_not_available. */
const TIMEOUT_STATES = new Set(['57014', '55P03']);
/** Connection-level failures: class 08 (connection exception), 57P01–57P03 (server shutting down / starting). */
const CONNECTION_STATE = /^(08|57P0[1-3])/;
const CONNECTION_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE']);

/**
 * A raw driver error (pg, or the pool timing out on connect) as the AppError it stands for, or
 * null when it is not one we recognise (then it stays a 500). The cause is kept for the log only.
 */
export function fromDriverError(err: unknown): AppError | null {
  if (!err || typeof err !== 'object') return null;
  const code = (err as { code?: unknown }).code;
  const message = String((err as { message?: unknown }).message ?? '');
  if (typeof code === 'string' && TIMEOUT_STATES.has(code)) {
    return new StatementTimeoutError('The database did not answer within the time the API allows a request: retry shortly, or ask for less (a shorter range, fewer rows)', { cause: err });
  }
  if ((typeof code === 'string' && (CONNECTION_STATE.test(code) || CONNECTION_ERRNO.has(code))) || /timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return new DependencyError('postgres', 'the database is unavailable', { cause: err });
  }
  return null;
}
