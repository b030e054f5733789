import type { FastifyPluginAsync } from 'fastify';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';

/** Evidence export (issue 14): GET /v1/alerts/:id/evidence.zip. */
export const evidenceExportRoutes: FastifyPluginAsync<ApiPluginDependencies> = async () => {};
