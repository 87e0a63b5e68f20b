import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth.js';
import { dataRoutes } from './data.js';
import { healthRoutes } from './health.js';
import { userRoutes } from './users.js';

/** Every route plugin, one line each; all are mounted under `/api`. */
export const ROUTES = {
  health: healthRoutes,
  auth: authRoutes,
  users: userRoutes,
  data: dataRoutes,
} as const satisfies Record<string, FastifyPluginAsync>;
