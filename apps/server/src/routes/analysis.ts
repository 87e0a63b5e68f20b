import type { FastifyPluginAsync } from 'fastify';
import { ANALYSIS_ROUTES as ROUTE } from '@nflab/contracts';
import { analyzeExogenousTable, compareStoredRuns, sweepLeaderboard } from '@nflab/runner';
import { currentUser } from '../auth/plugin.js';
import { attach } from './attach.js';

/**
 * Leaderboards and run comparisons (viewer role). A comparison is computed here, in the request:
 * its size is bounded by the request schema (runs, resamples) and the point-row limit, and an
 * unchanged question is answered from nf_analyses.
 */
export const analysisRoutes: FastifyPluginAsync = async (app) => {
  attach(app, ROUTE.sweepLeaderboard, async ({ params, query }) =>
    sweepLeaderboard(app.db, params.id, query),
  );

  attach(app, ROUTE.compareRuns, async ({ body }, request) =>
    compareStoredRuns(app.db, body, { createdBy: currentUser(request).username }),
  );

  // Data is read through the data connection and scope, as the data routes read it.
  attach(app, ROUTE.exogenousAnalysis, async ({ params, body }, request) =>
    analyzeExogenousTable(
      { lab: app.db, data: app.dataDb, scope: app.lab.dataScope },
      { table: params.table, ...body },
      { createdBy: currentUser(request).username },
    ),
  );
};
