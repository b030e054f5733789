import fp from 'fastify-plugin';
import { ValidationError } from '@rendezvous/errors';

/**
 * Ajv's type coercion turns "1e309" into Infinity and lets it past `integer` and `maximum`
 * (seen with GET /v1/vessels/1e309, which reached PostgreSQL and failed there as a 500). After
 * validation, before any handler: a non-finite number in the params or query string is a 400.
 */
export const finiteNumbers = fp(
  async (app) => {
    app.addHook('preHandler', async (request) => {
      check(request.params, 'path parameter');
      check(request.query, 'query parameter');
    });
  },
  { name: 'rendezvous-finite-numbers', fastify: '5.x' },
);

function check(values: unknown, where: string): void {
  if (values === null || typeof values !== 'object') return;
  for (const [name, value] of Object.entries(values)) {
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new ValidationError(`${where} ${name} must be a finite number`);
    }
  }
}
