import type { FastifyPluginAsync } from 'fastify';
import { dataRoutes } from './data.js';
import { healthRoutes } from './health.js';

/** Every route plugin, one line each; all are mounted under `/api`. */
export const ROUTES = { health: healthRoutes, data: dataRoutes } as const satisfies Record<
  string,
  FastifyPluginAsync
>;
