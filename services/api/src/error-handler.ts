import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError, type AppError } from '@rendezvous/errors';
import { fromDriverError } from './errors.ts';

/**
 * Every error leaves as application/problem+json (RFC 9457) with the request id. Client errors
 * keep their message; 5xx bodies say only that something failed, never a stack trace or SQL —
 * except the AppErrors that mark themselves `expose` (a statement timeout says what to do).
 * Driver errors we recognise (statement/lock timeout, lost connection) become their AppError
 * first, so a cancelled statement is a retryable 503, not a 500.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const error: FastifyError | AppError = isAppError(raw) ? raw : (fromDriverError(raw) ?? raw);
    let status = 500;
    let code = 'internal_error';
    let detail = 'An internal error occurred; quote the request id when reporting it.';
    if (isAppError(error)) {
      status = error.statusCode;
      code = error.code;
      if (error.expose) detail = error.message;
      else if (status === 503) detail = 'A dependency of the API is unavailable; retry shortly.';
      const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds ?? (status === 503 ? 5 : undefined);
      if (typeof retryAfter === 'number') void reply.header('retry-after', Math.max(1, Math.ceil(retryAfter)));
    } else if (error.validation) {
      status = 400;
      code = 'validation_failed';
      detail = error.message;
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      code = (error.code ?? 'bad_request').toLowerCase();
      detail = error.message;
    }
    if (status >= 500) request.log.error({ err: raw, code }, 'request failed');
    else request.log.info({ code, status }, 'request rejected');
    void reply
      .status(status)
      .type('application/problem+json')
      .send({ type: `about:blank`, title: code, status, detail, requestId: request.id });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).type('application/problem+json').send({
      type: 'about:blank',
      title: 'not_found',
      status: 404,
      detail: `No route ${request.method} ${request.url.split('?')[0]}`,
      requestId: request.id,
    });
  });
}
