/** Liveness and readiness. */
import { z } from 'zod';
import { defineRoute } from './define.js';

/**
 * `/api/health` (the process answers, also while it shuts down) and `/api/ready` (the database
 * answers and the server is not shutting down: a load balancer stops sending work once it is not).
 */
export const HEALTH_ROUTES = {
  health: defineRoute({
    method: 'GET',
    path: '/health',
    summary: 'liveness',
    access: 'public',
    response: z.object({ status: z.literal('ok') }),
  }),
  ready: defineRoute({
    method: 'GET',
    path: '/ready',
    summary:
      'readiness (database answers; 503 with status "unavailable" when it does not, "draining" once the server is shutting down)',
    access: 'public',
    response: z.object({
      status: z.literal('ready'),
      database: z.enum(['pglite', 'postgres']),
      workers: z.number().int().min(0),
    }),
  }),
} as const;
