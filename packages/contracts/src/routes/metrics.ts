/** Prometheus metrics, outside `/api` where scrapers look for them. */
import { defineRoute } from './define.js';

/** `GET /metrics`: only with the scrape token, and only while one is configured. */
export const METRICS_ROUTES = {
  metrics: defineRoute({
    method: 'GET',
    path: '/metrics',
    summary:
      'Prometheus metrics (text format 0.0.4); needs the scrape token NFLAB_METRICS_TOKEN as a bearer token',
    access: 'scrape',
  }),
} as const;
