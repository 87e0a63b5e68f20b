/** Drift and anomaly routes (issue 16): a table's drift checks between two windows, a run's residual anomalies. */
import { tableParams } from '../api/data.js';
import {
  runAnomaliesRequestSchema,
  runAnomaliesResponseSchema,
  runAnomalyListQuerySchema,
  runAnomalyListResponseSchema,
  tableDriftChecksResponseSchema,
  tableDriftQuerySchema,
  tableDriftRequestSchema,
  tableDriftResponseSchema,
} from '../api/drift.js';
import { runParamsSchema } from '../api/runs.js';
import { defineRoute } from './define.js';

/** Drift and anomaly routes: a check or a detection is computed and stored (editor, audited); stored ones are read (viewer). */
export const DRIFT_ROUTES = {
  tableDriftCheck: defineRoute({
    method: 'POST',
    path: '/data/tables/:table/drift',
    summary:
      "a game's columns per series between a reference and a current window (KS or chi-square, PSI, JS, KL, Wasserstein) and the drawn numbers' uniformity, corrected together and stored",
    access: 'editor',
    params: tableParams,
    body: tableDriftRequestSchema,
    response: tableDriftResponseSchema,
  }),
  tableDriftChecks: defineRoute({
    method: 'GET',
    path: '/data/tables/:table/drift',
    summary: "the newest stored drift check of each of the table's games (or of one)",
    access: 'viewer',
    params: tableParams,
    query: tableDriftQuerySchema,
    response: tableDriftChecksResponseSchema,
  }),
  runAnomalies: defineRoute({
    method: 'POST',
    path: '/runs/:id/anomalies',
    summary:
      "a finished run's cross-validation residuals per series scored by a detector (zscore, mad, cusum, iqr) against a reference segment; flagged points replace the method's earlier ones",
    access: 'editor',
    params: runParamsSchema,
    body: runAnomaliesRequestSchema,
    response: runAnomaliesResponseSchema,
  }),
  runAnomalyList: defineRoute({
    method: 'GET',
    path: '/runs/:id/anomalies',
    summary: "a run's stored residual anomalies by series, day and method",
    access: 'viewer',
    params: runParamsSchema,
    query: runAnomalyListQuerySchema,
    response: runAnomalyListResponseSchema,
  }),
} as const;
