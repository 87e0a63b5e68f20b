import type { FastifyPluginAsync } from 'fastify';
import { METRICS_ROUTES } from '@nflab/contracts';
import { requireScrapeToken } from '../metrics/scrape-token.js';
import { attach } from './attach.js';

/**
 * `GET /metrics` for Prometheus, registered outside `/api`. The guard has checked the scrape token
 * by the time the handler runs (`scrape` access); without a configured token it answers 404.
 */
export const metricsRoutes: FastifyPluginAsync = async (app) => {
  attach(app, METRICS_ROUTES.metrics, async (_values, request, reply) => {
    const scrape = app.scrape;
    // Unreachable while the guard checks `scrape` routes: it answers 404 when metrics are off.
    if (scrape === undefined) return requireScrapeToken(request, undefined);
    return reply.type(scrape.metrics.contentType).send(await scrape.metrics.render());
  });
};
