import type { FastifyPluginAsync } from 'fastify';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';

/** The analyst web app (issue 14): the built single-page app served at / under a strict CSP. */
export const webAppRoutes: FastifyPluginAsync<ApiPluginDependencies> = async () => {};
