import type { FastifyPluginAsync } from 'fastify';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';

/** Webhooks (issue 14): registration (admin), signed deliveries through a BullMQ queue, delivery log. */
export const webhookRoutes: FastifyPluginAsync<ApiPluginDependencies> = async () => {};
