import type { FastifyPluginAsync } from 'fastify';
import { healthRoutes } from './health.js';

/** Every route plugin, one line each; all are mounted under `/api`. */
export const ROUTES = { health: healthRoutes } as const satisfies Record<string, FastifyPluginAsync>;
