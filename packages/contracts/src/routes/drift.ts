/** Drift and anomaly routes (issue 16): a table's drift checks between two windows. */
import { tableParams } from '../api/data.js';
import {
  tableDriftChecksResponseSchema,
  tableDriftQuerySchema,
  tableDriftRequestSchema,
  tableDriftResponseSchema,
} from '../api/drift.js';
import { defineRoute } from './define.js';

/** Drift routes: a check is computed and stored (editor, audited); stored checks are read (viewer). */
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
} as const;
