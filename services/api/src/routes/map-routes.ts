import type { FastifyPluginAsync } from 'fastify';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';

/** Map support for the web app (issue 14): server-side clusters of the filtered alerts, STS hub and port layers. */
export const mapRoutes: FastifyPluginAsync<ApiPluginDependencies> = async () => {};
