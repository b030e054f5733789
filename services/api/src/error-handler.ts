import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError } from '@rendezvous/errors';

/**
 * Every error leaves as application/problem+json (RFC 9457) with the request id. Client errors
 * keep their message; 5xx bodies say only that something failed, never a stack trace or SQL.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = 500;
    let code = 'internal_error';
    let detail = 'An internal error occurred; quote the request id when reporting it.';
    if (isAppError(error)) {
      status = error.statusCode;
      code = error.code;
      if (error.expose) detail = error.message;
    } else if (error.validation) {
      status = 400;
      code = 'validation_failed';
      detail = error.message;
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      code = (error.code ?? 'bad_request').toLowerCase();
      detail = error.message;
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
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
