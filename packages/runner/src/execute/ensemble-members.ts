/** What an ensemble run reads of its members: their stored evaluated points and forecasts. */
import type { EnsembleMemberPoints } from '@nflab/analysis';
import { ConfigError, ENSEMBLE_LIMITS, NotFoundError } from '@nflab/contracts';
import {
  findEnsembleCandidates,
  listRunForecastPoints,
  listRunPoints,
  type ForecastPointRow,
  type Queryable,
  type RunPointRow,
} from '@nflab/store';
import { analysedRunLabel } from '../analyses/run-label.js';

/** A stored time point as text: an ISO day, or an integer step of a stepped series. */
const timePoint = (text: string | number): string | number =>
  typeof text === 'string' && /^-?\d+$/.test(text) ? Number(text) : text;

const groupByRun = <R extends { readonly run_id: string }>(rows: readonly R[]): Map<string, R[]> => {
  const byRun = new Map<string, R[]>();
  for (const row of rows) {
    const own = byRun.get(row.run_id);
    if (own === undefined) byRun.set(row.run_id, [row]);
    else own.push(row);
  }
  return byRun;
};

/** Refuses members with forecasts of several model columns: a point would have several forecasts. */
const checkOneModel = (runId: string, rows: readonly RunPointRow[]): void => {
  const models = new Set(rows.map((row) => row.model));
  if (models.size > 1) {
    throw new ConfigError(
      `members: run ${runId} holds forecasts of several models (${[...models].join(', ')}); ensemble runs of one model each`,
    );
  }
};

/**
 * Every member's points, in `memberIds` order. Members must still exist and be finished (they were
 * when the ensemble was queued; this is the moment that counts), and all of them together may hold
 * at most {@link ENSEMBLE_LIMITS.maxRows} rows of each kind.
 */
export const loadEnsembleMembers = async (
  db: Queryable,
  memberIds: readonly string[],
): Promise<EnsembleMemberPoints[]> => {
  const runs = new Map((await findEnsembleCandidates(db, memberIds)).map((run) => [run.id, run]));
  for (const id of memberIds) {
    const run = runs.get(id);
    if (!run) throw new NotFoundError(`members: run ${id} does not exist`);
    if (run.status !== 'finished') throw new ConfigError(`members: run ${id} is ${run.status}, not finished`);
  }
  const limit = ENSEMBLE_LIMITS.maxRows;
  const [evaluated, forecasts] = await Promise.all([
    listRunPoints(db, memberIds, limit + 1),
    listRunForecastPoints(db, memberIds, limit + 1),
  ]);
  if (evaluated.length > limit || forecasts.length > limit) {
    throw new ConfigError(
      `members: the runs hold more than ${limit.toLocaleString('en')} stored points; combine fewer runs`,
    );
  }
  const evaluatedByRun = groupByRun(evaluated);
  const forecastsByRun = groupByRun<ForecastPointRow>(forecasts);
  return memberIds.map((id) => {
    const own = evaluatedByRun.get(id) ?? [];
    checkOneModel(id, own);
    return {
      runId: id,
      label: analysedRunLabel(runs.get(id) as { id: string; model_name: string | null }),
      evaluated: own.map((row) => ({
        uniqueId: row.unique_id,
        ds: timePoint(row.ds),
        cutoff: timePoint(row.cutoff),
        y: row.y,
        yhat: row.value,
      })),
      forecast: (forecastsByRun.get(id) ?? []).map((row) => ({
        uniqueId: row.unique_id,
        ds: timePoint(row.ds),
        yhat: row.value,
      })),
    };
  });
};
