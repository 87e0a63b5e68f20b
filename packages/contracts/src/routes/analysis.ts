/** Analysis routes: leaderboards and statistical comparisons of runs (read-only for the runs they read). */
import {
  compareRunsRequestSchema,
  compareRunsResponseSchema,
  exogenousAnalysisRequestSchema,
  exogenousAnalysisResponseSchema,
  leaderboardQuerySchema,
  leaderboardResponseSchema,
} from '../api/analysis.js';
import { tableParams } from '../api/data.js';
import { sweepParamsSchema } from '../api/sweeps.js';
import { defineRoute } from './define.js';

/** Analysis routes (viewer role: they read runs and store only derived results). */
export const ANALYSIS_ROUTES = {
  sweepLeaderboard: defineRoute({
    method: 'GET',
    path: '/sweeps/:id/leaderboard',
    summary: "a sweep's runs ranked with the naive baselines, corrected for the number of configurations",
    access: 'viewer',
    params: sweepParamsSchema,
    query: leaderboardQuerySchema,
    response: leaderboardResponseSchema,
  }),
  compareRuns: defineRoute({
    method: 'POST',
    path: '/analysis/compare',
    summary:
      'statistical comparison of runs on the forecast points they share (stored; read back when unchanged)',
    access: 'viewer',
    body: compareRunsRequestSchema,
    response: compareRunsResponseSchema,
  }),
  exogenousAnalysis: defineRoute({
    method: 'POST',
    path: '/data/tables/:table/exogenous',
    summary:
      "a game's exogenous columns against each series: correlations, cross-correlation, mutual information, Granger causality, corrected across pairs",
    access: 'viewer',
    params: tableParams,
    body: exogenousAnalysisRequestSchema,
    response: exogenousAnalysisResponseSchema,
  }),
} as const;
