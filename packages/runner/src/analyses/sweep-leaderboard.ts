/** Leaderboards from runs' stored metrics (cheap: no points are read, nothing is stored). */
import { leaderboard, type Leaderboard, type LeaderboardOptions } from '@nflab/analysis';
import { NotFoundError } from '@nflab/contracts';
import {
  findAnalysedRuns,
  findSweepAnalysedRuns,
  sweepExists,
  type AnalysedRunRow,
  type Queryable,
} from '@nflab/store';
import { analysedRunLabel } from './run-label.js';

const ranked = (runs: readonly AnalysedRunRow[], options: LeaderboardOptions): Leaderboard =>
  leaderboard(
    runs.map((run) => ({
      runId: run.id,
      label: analysedRunLabel(run),
      status: run.status,
      metrics: run.metrics,
    })),
    options,
  );

/** Ranks a sweep's runs; NotFoundError when there is no such sweep. */
export const sweepLeaderboard = async (
  db: Queryable,
  sweepId: string,
  options: LeaderboardOptions = {},
): Promise<Leaderboard> => {
  if (!(await sweepExists(db, sweepId))) throw new NotFoundError(`sweep ${sweepId} does not exist`);
  const runs = await findSweepAnalysedRuns(db, sweepId);
  if (runs.length === 0) throw new NotFoundError(`sweep ${sweepId} has no runs yet`);
  return ranked(runs, options);
};

/**
 * Ranks the listed runs, each against its best naive baseline (e.g. an ensemble alone, corrected
 * for one configuration); NotFoundError names the ids that are no run.
 */
export const runsLeaderboard = async (
  db: Queryable,
  runIds: readonly string[],
  options: LeaderboardOptions = {},
): Promise<Leaderboard> => {
  const runs = await findAnalysedRuns(db, runIds);
  const missing = runIds.filter((id) => !runs.some((run) => run.id === id));
  if (missing.length > 0) throw new NotFoundError(`no run ${missing.join(', ')}`);
  return ranked(runs, options);
};
