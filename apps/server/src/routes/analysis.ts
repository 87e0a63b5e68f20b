import type { FastifyPluginAsync } from 'fastify';
import {
  ANALYSIS_ROUTES as ROUTE,
  ensembleOptionsSchema,
  NotFoundError,
  type EnsembleMethod,
  type RunEnsembleDto,
  type RunStatusId,
  type StoredAnalysisDto,
} from '@nflab/contracts';
import { analyzeExogenousTable, compareStoredRuns, sweepLeaderboard } from '@nflab/runner';
import {
  findAnalysisById,
  getRunOperation,
  listEnsembleMembers,
  listEnsemblesOfMember,
  listRunAnalyses,
  requireRun,
  type AnalysisRow,
  type Queryable,
} from '@nflab/store';
import { currentUser } from '../auth/plugin.js';
import { attach } from './attach.js';

/** Most ensembles a run's `member_of` lists (newest first): a run is rarely in more than a few. */
const MEMBER_OF_LIMIT = 100;

// Statuses are RUN_STATUS_IDS (the queue writes no other), an ensemble's method one of ENSEMBLE_METHODS.
const status = (value: string): RunStatusId => value as RunStatusId;

/** An ensemble run's method and members (null for any other run), and the ensembles the run is in. */
const runEnsemble = async (db: Queryable, id: string): Promise<RunEnsembleDto> => {
  const run = await getRunOperation(db, id);
  const memberOf = (await listEnsemblesOfMember(db, id, MEMBER_OF_LIMIT)).map((row) => ({
    run_id: row.run_id,
    status: status(row.status),
    method: row.method as EnsembleMethod,
    created_at: row.created_at.toISOString(),
  }));
  if (run.operation !== 'ensemble') return { ensemble: null, member_of: memberOf };
  const { method, weight_metric } = ensembleOptionsSchema.parse(run.operation_options);
  const members = (await listEnsembleMembers(db, id)).map((row) => ({ ...row, status: status(row.status) }));
  return { ensemble: { method, weight_metric, members }, member_of: memberOf };
};

/** A stored analysis as listed: without its inputs and result. */
const analysisItem = (row: Pick<AnalysisRow, 'id' | 'kind' | 'run_ids' | 'created_by' | 'created_at'>) => ({
  id: row.id,
  kind: row.kind,
  run_ids: row.run_ids,
  created_by: row.created_by,
  created_at: row.created_at.toISOString(),
});

/**
 * Leaderboards, run comparisons, stored analyses and ensembles (viewer role). A comparison is
 * computed here, in the request: its size is bounded by the request schema (runs, resamples) and
 * the point-row limit, and an unchanged question is answered from nf_analyses.
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

  attach(app, ROUTE.runAnalyses, async ({ params, query }) => {
    const { id } = params;
    await requireRun(app.db, id);
    return { items: (await listRunAnalyses(app.db, id, query.limit)).map(analysisItem) };
  });

  attach(app, ROUTE.storedAnalysis, async ({ params }): Promise<StoredAnalysisDto> => {
    const { id } = params;
    const row = await findAnalysisById(app.db, id);
    if (row === undefined) throw new NotFoundError(`analysis ${id} does not exist`);
    return { ...analysisItem(row), fingerprint: row.fingerprint, inputs: row.inputs, result: row.result };
  });

  attach(app, ROUTE.runEnsemble, async ({ params }) => runEnsemble(app.db, params.id));
};
