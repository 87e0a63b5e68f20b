/**
 * Readiness while draining: once the server begins to close (SIGTERM in `nflab serve`, or
 * `app.close()`), `/api/ready` answers 503 "draining" so a load balancer stops sending work, while
 * `/api/health` still answers (the process is alive and finishing its runs; a liveness probe must
 * not kill it mid-drain) and `/metrics` can still be scraped. Every other request is refused with
 * 503 and `Connection: close` until the running runs have finished or gone back to the queue and
 * the server stops.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HEALTH_ROUTES, METRICS_ROUTES } from '@nflab/contracts';
import type { ErrorBody } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the moment the server begins to close. */
    readonly draining: boolean;
  }
}

/** Seconds a refused client is asked to wait: by then another server should take its request. */
const DRAIN_RETRY_AFTER_SECONDS = 5;

/** Routes still answered while draining (their patterns as registered). */
const PROBES = new Set([
  `/api${HEALTH_ROUTES.health.path}`,
  `/api${HEALTH_ROUTES.ready.path}`,
  METRICS_ROUTES.metrics.path,
]);

/**
 * Declares `app.draining` and the hooks that act on it. Call before anything else adds a preClose
 * hook: the flag must be up before the slower ones (the worker grace period) start waiting.
 */
export const refuseWhileDraining = (app: FastifyInstance): void => {
  let draining = false;
  app.decorate('draining', { getter: () => draining });
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!draining) return;
    void reply.header('connection', 'close');
    if (!request.is404 && PROBES.has(request.routeOptions.url ?? '')) return;
    const body: ErrorBody = {
      error: {
        code: 'unavailable',
        message: 'the server is shutting down; send the request to another lab server or retry shortly',
      },
    };
    return reply.status(503).header('retry-after', String(DRAIN_RETRY_AFTER_SECONDS)).send(body);
  });
};
