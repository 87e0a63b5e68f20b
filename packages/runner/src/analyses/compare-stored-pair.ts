/**
 * Two stored runs compared as champion and challenger (issue 17, item 6): their evaluated point
 * forecasts (cross-validation or test part) read from nf_cv_results, then @nflab/analysis's
 * `championChallenger` on the most recent points both forecast.
 */
import {
  championChallenger,
  type ChampionChallengerOptions,
  type ChampionChallengerResult,
  type RunPoints,
} from '@nflab/analysis';
import { ConfigError } from '@nflab/contracts';
import { listRunPoints, type Queryable, type RunPointRow } from '@nflab/store';
import { evaluatedPoint } from './compare-stored-runs.js';

/** The most stored point rows one champion/challenger comparison reads (both runs together). */
export const COMPARE_PAIR_MAX_POINT_ROWS = 200_000;

/** One side of the pair: its run and how the result names it. */
export interface PairSide {
  readonly runId: string;
  readonly label: string;
}

const pointsOf = (side: PairSide, rows: readonly RunPointRow[]): RunPoints => {
  const own = rows.filter((row) => row.run_id === side.runId);
  if (own.length === 0)
    throw new ConfigError(
      `${side.label} (run ${side.runId}) stored no cross-validation or test forecasts with actuals to compare`,
    );
  return {
    runId: side.runId,
    label: side.label,
    points: own.map(evaluatedPoint),
  };
};

/** Compares `champion` with `challenger` on their most recent shared stored points. */
export const compareStoredPair = async (
  db: Queryable,
  pair: { readonly champion: PairSide; readonly challenger: PairSide },
  options: ChampionChallengerOptions,
): Promise<ChampionChallengerResult> => {
  if (pair.champion.runId === pair.challenger.runId)
    throw new ConfigError(
      `${pair.champion.label} and ${pair.challenger.label} serve the same run ${pair.champion.runId}; compare two different versions`,
    );
  const rows = await listRunPoints(
    db,
    [pair.champion.runId, pair.challenger.runId],
    COMPARE_PAIR_MAX_POINT_ROWS + 1,
  );
  if (rows.length > COMPARE_PAIR_MAX_POINT_ROWS)
    throw new ConfigError(
      `the two runs stored more than ${COMPARE_PAIR_MAX_POINT_ROWS} forecast points; a comparison reads at most that many`,
    );
  return championChallenger(pointsOf(pair.champion, rows), pointsOf(pair.challenger, rows), options);
};
