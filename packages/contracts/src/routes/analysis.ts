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
import {
  analysisParamsSchema,
  runAnalysesQuerySchema,
  runAnalysesResponseSchema,
  runEnsembleResponseSchema,
  storedAnalysisSchema,
} from '../api/ensembles.js';
import { runParamsSchema } from '../api/runs.js';
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
  runAnalyses: defineRoute({
    method: 'GET',
    path: '/runs/:id/analyses',
    summary: 'the stored analyses (comparisons, leaderboards) that read this run, newest first',
    access: 'viewer',
    params: runParamsSchema,
    query: runAnalysesQuerySchema,
    response: runAnalysesResponseSchema,
  }),
  storedAnalysis: defineRoute({
    method: 'GET',
    path: '/analyses/:id',
    summary: 'one stored analysis with its inputs and result',
    access: 'viewer',
    params: analysisParamsSchema,
    response: storedAnalysisSchema,
  }),
  runEnsemble: defineRoute({
    method: 'GET',
    path: '/runs/:id/ensemble',
    summary: "an ensemble run's members and weights, and the ensembles a run is in",
    access: 'viewer',
    params: runParamsSchema,
    response: runEnsembleResponseSchema,
  }),
} as const;
