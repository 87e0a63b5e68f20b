/** A run's exports to external trackers: read by viewers, retried by editors (audited). */
import { retryRunExportsResponseSchema, runExportsResponseSchema } from '../api/run-exports.js';
import { runParamsSchema } from '../api/runs.js';
import { defineRoute } from './define.js';

export const RUN_EXPORT_ROUTES = {
  listRunExports: defineRoute({
    method: 'GET',
    path: '/runs/:id/exports',
    summary: "where a run's exports to its W&B (and MLflow) sinks stand, with the tracker's run id and page",
    access: 'viewer',
    params: runParamsSchema,
    response: runExportsResponseSchema,
  }),
  retryRunExports: defineRoute({
    method: 'POST',
    path: '/runs/:id/exports/retry',
    summary: "make a run's failed or waiting exports due now with fresh attempts (offline ones stay offline)",
    access: 'editor',
    params: runParamsSchema,
    response: retryRunExportsResponseSchema,
  }),
} as const;
