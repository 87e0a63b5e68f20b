/**
 * Compares stored runs: reads their evaluated point forecasts (cross-validation or test part),
 * runs @nflab/analysis's `compareRuns`, and stores the result in nf_analyses under a fingerprint
 * of the settings and the runs' states, so asking again reads it back.
 */
import { compareRuns, type RunComparison, type RunPoints } from '@nflab/analysis';
import { ConfigError, NotFoundError, type CompareRunsSettings } from '@nflab/contracts';
import {
  findAnalysedRuns,
  findAnalysis,
  findSweepAnalysedRuns,
  listRunPoints,
  saveAnalysis,
  type AnalysedRunRow,
  type Queryable,
  type RunPointRow,
} from '@nflab/store';
import { exogenousDifference, type ExogenousDifference } from './exogenous-difference.js';
import { analysisFingerprint } from './fingerprint.js';
import { analysedRunLabel } from './run-label.js';

/** A parsed comparison request. */
export type CompareStoredRunsRequest = CompareRunsSettings;

/** The most point rows one comparison reads: 200 runs × 2,500 points each. */
export const COMPARE_MAX_POINT_ROWS = 500_000;

/** A stored comparison. */
export interface StoredComparison {
  readonly analysisId: number;
  /** True when the result was read back rather than computed. */
  readonly cached: boolean;
  readonly comparison: RunComparison;
  /**
   * For two runs whose models read different exogenous columns: which, and what else differs (the
   * pair's tests are that group's effect when nothing else does); null otherwise.
   */
  readonly exogenous: ExogenousDifference | null;
}

/** The runs of the request, in the order asked; NotFoundError naming any missing id or sweep. */
const selectedRuns = async (db: Queryable, request: CompareStoredRunsRequest): Promise<AnalysedRunRow[]> => {
  if (request.sweep_id !== undefined) {
    const runs = await findSweepAnalysedRuns(db, request.sweep_id);
    if (runs.length === 0) throw new NotFoundError(`sweep ${request.sweep_id} does not exist or has no runs`);
    return runs;
  }
  const ids = request.run_ids ?? [];
  const found = new Map((await findAnalysedRuns(db, ids)).map((run) => [run.id, run]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new NotFoundError(`no run ${missing.join(', ')}`);
  return ids.map((id) => found.get(id) as AnalysedRunRow);
};

/** Groups point rows by run; a run with forecasts of several model columns cannot be one side of a pair. */
/** A stored evaluated row as the comparison reads it. */
export const evaluatedPoint = (row: RunPointRow): RunPoints['points'][number] => ({
  uniqueId: row.unique_id,
  ds: row.ds,
  cutoff: row.cutoff,
  y: row.y,
  yhat: row.value,
});

const pointsByRun = (runs: readonly AnalysedRunRow[], rows: readonly RunPointRow[]): RunPoints[] => {
  const byRun = new Map<string, RunPointRow[]>();
  for (const row of rows) {
    const own = byRun.get(row.run_id);
    if (own === undefined) byRun.set(row.run_id, [row]);
    else own.push(row);
  }
  return runs.map((run) => {
    const own = byRun.get(run.id) ?? [];
    const models = [...new Set(own.map((row) => row.model))];
    if (models.length > 1) {
      throw new ConfigError(
        `run ${run.id} holds forecasts of several models (${models.join(', ')}); compare runs with one model each`,
      );
    }
    if (own.length === 0) {
      throw new ConfigError(
        `run ${run.id} (${run.status}) has no cross-validation or test forecasts to compare; compare finished runs evaluated on known actuals`,
      );
    }
    return {
      runId: run.id,
      label: analysedRunLabel(run),
      points: own.map(evaluatedPoint),
    };
  });
};

/** Compares the requested runs, reading a stored result back when nothing changed. */
export const compareStoredRuns = async (
  db: Queryable,
  request: CompareStoredRunsRequest,
  options: { readonly createdBy: string | null },
): Promise<StoredComparison> => {
  const runs = await selectedRuns(db, request);
  const settings = {
    loss: request.loss,
    correction: request.correction,
    alpha: request.alpha,
    resamples: request.resamples,
    seed: request.seed,
  };
  const fingerprint = analysisFingerprint('compare', settings, runs);
  // Read from the runs' specs on every request (cheap), so it is never stale in a stored result.
  const exogenous = runs.length === 2 ? exogenousDifference(runs[0]!, runs[1]!) : null;
  const stored = await findAnalysis(db, 'compare', fingerprint);
  if (stored !== undefined) {
    return {
      analysisId: Number(stored.id),
      cached: true,
      comparison: stored.result as RunComparison,
      exogenous,
    };
  }
  const rows = await listRunPoints(
    db,
    runs.map((run) => run.id),
    COMPARE_MAX_POINT_ROWS + 1,
  );
  if (rows.length > COMPARE_MAX_POINT_ROWS) {
    throw new ConfigError(
      `the runs hold more than ${COMPARE_MAX_POINT_ROWS} forecast points; compare fewer runs at once`,
    );
  }
  const comparison = compareRuns(pointsByRun(runs, rows), settings);
  const saved = await saveAnalysis(db, {
    kind: 'compare',
    fingerprint,
    inputs: {
      ...settings,
      run_ids: runs.map((run) => run.id),
      ...(request.sweep_id ? { sweep_id: request.sweep_id } : {}),
    },
    result: comparison,
    run_ids: runs.map((run) => run.id),
    created_by: options.createdBy,
  });
  return { analysisId: Number(saved.id), cached: false, comparison, exogenous };
};
