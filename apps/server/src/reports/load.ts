/**
 * Reads what each report shows from the lab database, within fixed bounds (trials, points,
 * resource samples), so a huge run makes a report of bounded size. Rendering is separate and pure.
 */
import {
  leaderboardResponseSchema,
  NotFoundError,
  runComparisonSchema,
  type LeaderboardDto,
} from '@nflab/contracts';
import { sweepLeaderboard } from '@nflab/runner';
import {
  findAnalysisById,
  getRun,
  getRunDataVersion,
  getSweep,
  listCvResults,
  listResourceSamples,
  listRunTags,
  listTrials,
  type Queryable,
} from '@nflab/store';
import type { CompareReportData } from './compare-report.js';
import type { ForecastPoint, RunReportData } from './run-report.js';
import type { SweepReportData } from './sweep-report.js';

/** Bounds on what one report reads. */
export const REPORT_READ_LIMITS = {
  /** Trials listed (best kept order: by number). */
  trials: 500,
  /** Forecast points drawn (the newest cutoffs' when there are more). */
  points: 5_000,
  resourceSamples: 10_000,
} as const;

/** A leaderboard's settings (metric, correction, alpha), defaults filled. */
export type LeaderboardSettings = Pick<LeaderboardDto, 'metric' | 'correction' | 'alpha'>;

const now = (): string => new Date().toISOString();

/** The run, its first trials, its forecast points with actuals and its resource samples. */
export const loadRunReport = async (db: Queryable, runId: string): Promise<RunReportData> => {
  const run = await getRun(db, runId);
  const [trials, cv, resources, tags, dataVersion] = await Promise.all([
    listTrials(db, runId),
    listCvResults(db, runId),
    listResourceSamples(db, runId, { limit: REPORT_READ_LIMITS.resourceSamples }),
    listRunTags(db, runId),
    getRunDataVersion(db, runId),
  ]);
  // The point forecast is the row without a suffix (intervals carry one); a step stands in for a date.
  const points: ForecastPoint[] = cv
    .filter((row) => row.suffix === '' && row.model !== 'y')
    .map((row) => ({
      unique_id: row.unique_id,
      at: row.ds ?? `step ${String(row.step)}`,
      y: row.y,
      yhat: row.value,
    }))
    .slice(-REPORT_READ_LIMITS.points);
  return {
    run,
    trials: trials.slice(0, REPORT_READ_LIMITS.trials),
    trialCount: trials.length,
    points,
    resources,
    madeAt: now(),
    tags,
    dataVersion,
  };
};

/** The sweep and its leaderboard under the given settings. */
export const loadSweepReport = async (
  db: Queryable,
  sweepId: string,
  settings: LeaderboardSettings,
): Promise<SweepReportData> => {
  const sweep = await getSweep(db, sweepId);
  if (sweep === undefined) throw new NotFoundError(`sweep ${sweepId} does not exist`);
  const leaderboard = leaderboardResponseSchema.parse(await sweepLeaderboard(db, sweepId, settings));
  return { sweep: { id: sweep.id, name: sweep.name, status: sweep.status }, leaderboard, madeAt: now() };
};

/** A stored comparison (an nf_analyses row of kind `compare`). */
export const loadCompareReport = async (
  db: Queryable,
  analysisId: number,
): Promise<CompareReportData & { readonly runIds: readonly string[] }> => {
  const row = await findAnalysisById(db, analysisId);
  if (row === undefined || row.kind !== 'compare')
    throw new NotFoundError(`analysis ${analysisId} is not a stored comparison of runs`);
  return {
    analysisId,
    comparison: runComparisonSchema.parse(row.result),
    runIds: row.run_ids,
    madeAt: now(),
  };
};
