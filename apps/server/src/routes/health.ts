import type { FastifyPluginAsync } from 'fastify';
import { ping } from '@nflab/store';

/** Liveness (`/api/health`: the process answers) and readiness (`/api/ready`: the database answers). */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/health', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/ready', { config: { access: 'public' } }, async (_request, reply) => {
    try {
      await ping(app.db);
      return { status: 'ready', database: app.db.kind, workers: app.lab.workers };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: app.db.kind });
    }
  });
};
