/** A sweep's leaderboard from its runs' stored metrics (cheap: no points are read, nothing is stored). */
import { leaderboard, type Leaderboard, type LeaderboardOptions } from '@nflab/analysis';
import { NotFoundError } from '@nflab/contracts';
import { findSweepAnalysedRuns, sweepExists, type Queryable } from '@nflab/store';
import { analysedRunLabel } from './run-label.js';

/** Ranks a sweep's runs; NotFoundError when there is no such sweep. */
export const sweepLeaderboard = async (
  db: Queryable,
  sweepId: string,
  options: LeaderboardOptions = {},
): Promise<Leaderboard> => {
  if (!(await sweepExists(db, sweepId))) throw new NotFoundError(`sweep ${sweepId} does not exist`);
  const runs = await findSweepAnalysedRuns(db, sweepId);
  if (runs.length === 0) throw new NotFoundError(`sweep ${sweepId} has no runs yet`);
  return leaderboard(
    runs.map((run) => ({
      runId: run.id,
      label: analysedRunLabel(run),
      status: run.status,
      metrics: run.metrics,
    })),
    options,
  );
};
