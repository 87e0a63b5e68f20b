import type { FastifyPluginAsync } from 'fastify';
import { HEALTH_ROUTES } from '@nflab/contracts';
import { ping } from '@nflab/store';
import { attach } from './attach.js';

/**
 * Liveness (`/api/health`: the process answers) and readiness (`/api/ready`: the database answers
 * and the server is not shutting down — see drain.ts).
 */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  attach(app, HEALTH_ROUTES.health, async () => ({ status: 'ok' }));
  attach(app, HEALTH_ROUTES.ready, async (_values, _request, reply) => {
    if (app.draining) return reply.status(503).send({ status: 'draining', database: app.db.kind });
    try {
      await ping(app.db);
      return { status: 'ready', database: app.db.kind, workers: app.lab.workers };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: app.db.kind });
    }
  });
};
