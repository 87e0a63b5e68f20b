/**
 * A forecast combination of several runs: their evaluated points (cross-validation and test
 * windows) aligned on (series, cutoff, date) and combined point by point, and their forecasts
 * beyond the data aligned on (series, date) and combined with the weights every evaluated point
 * gives. The result is the ensemble's own forecasts, evaluated and scored like any run's.
 */
import { ConfigError, type EnsembleMethod, type EnsembleWeightMetric } from '@nflab/contracts';
import { alignRuns, type DroppedPoints, type RunPoint } from '../runs/align.js';
import { combine } from './combine.js';
import { compareTime, ErrorSums, inverseErrorWeights, type TimePoint } from './member-errors.js';

/** One point forecast beyond the data. */
export interface ForecastPoint {
  readonly uniqueId: string;
  readonly ds: TimePoint;
  readonly yhat: number;
}

/** One member: its evaluated points (with actuals) and its forecast beyond the data. */
export interface EnsembleMemberPoints {
  readonly runId: string;
  readonly label: string;
  readonly evaluated: readonly RunPoint[];
  readonly forecast: readonly ForecastPoint[];
}

/** What to combine, and how. */
export interface EnsembleInput {
  readonly members: readonly EnsembleMemberPoints[];
  readonly method: EnsembleMethod;
  /** The error inverse_error weighs by (also reported for mean and median). */
  readonly weightMetric: EnsembleWeightMetric;
}

/** One member's part in the ensemble. */
export interface EnsembleMemberSummary {
  readonly runId: string;
  readonly label: string;
  /** Weight in the forecast beyond the data; null for median (no weights). */
  readonly weight: number | null;
  /** Error (weightMetric) over every evaluated point all members share; null without any. */
  readonly error: number | null;
  /** Evaluated points left out (not shared by every member, or without an actual). */
  readonly evaluatedDropped: Omit<DroppedPoints, 'runId'>;
  /** Forecast points other members do not have. */
  readonly forecastNotShared: number;
}

/** An evaluated point of the ensemble. */
export interface EnsembleEvaluatedPoint extends RunPoint {
  readonly y: number;
}

/** The ensemble's forecasts and how they were made. */
export interface EnsembleResult {
  readonly evaluated: readonly EnsembleEvaluatedPoint[];
  readonly forecast: readonly ForecastPoint[];
  readonly members: readonly EnsembleMemberSummary[];
  /** Evaluated windows (distinct cutoffs) whose weights had no earlier actual and so were equal. */
  readonly equalWeightCutoffs: number;
}

const forecastKey = (p: { readonly uniqueId: string; readonly ds: TimePoint }): string =>
  JSON.stringify([p.uniqueId, p.ds]);

/** Forecast points all members share, each member's value in member order. */
const alignForecasts = (members: readonly EnsembleMemberPoints[]) => {
  const maps = members.map((member) => {
    const byKey = new Map<string, ForecastPoint>();
    for (const point of member.forecast) {
      if (!Number.isFinite(point.yhat)) continue;
      const key = forecastKey(point);
      if (byKey.has(key)) {
        throw new ConfigError(
          `run ${member.runId} has two forecasts for series '${point.uniqueId}' at ${String(point.ds)}; an ensemble combines one point forecast per point`,
        );
      }
      byKey.set(key, point);
    }
    return byKey;
  });
  const [first, ...rest] = maps;
  const shared = [...(first?.values() ?? [])]
    .filter((point) => rest.every((map) => map.has(forecastKey(point))))
    .sort((a, b) => a.uniqueId.localeCompare(b.uniqueId) || compareTime(a.ds, b.ds));
  return {
    points: shared.map(({ uniqueId, ds }) => ({ uniqueId, ds })),
    values: shared.map((point) => maps.map((map) => (map.get(forecastKey(point)) as ForecastPoint).yhat)),
    notShared: maps.map((map) => map.size - shared.length),
  };
};

/** The members' evaluated points, aligned; undefined when no member has any. */
const alignEvaluated = (members: readonly EnsembleMemberPoints[]) =>
  members.some((member) => member.evaluated.length > 0)
    ? alignRuns(members.map(({ runId, label, evaluated }) => ({ runId, label, points: evaluated })))
    : undefined;

/**
 * Combines the members. Throws a ConfigError for fewer than two members, members that disagree on
 * an actual, inverse_error without shared evaluated points, or nothing at all to combine.
 */
export function buildEnsemble({ members, method, weightMetric }: EnsembleInput): EnsembleResult {
  if (members.length < 2)
    throw new ConfigError(`members: an ensemble combines at least 2 runs, got ${members.length}`);
  const k = members.length;
  const aligned = alignEvaluated(members);
  if (method === 'inverse_error' && aligned === undefined) {
    throw new ConfigError(
      'method: inverse_error weighs members by their errors, and none of them has evaluated points (cross-validation or test windows); cross-validate the members or use mean or median',
    );
  }
  const equal = Array.from({ length: k }, () => 1 / k);

  // Evaluated points, window by window: inverse_error weights from points known at the cutoff.
  const evaluated: EnsembleEvaluatedPoint[] = [];
  const sums = new ErrorSums(k);
  let equalWeightCutoffs = 0;
  if (aligned) {
    const n = aligned.keys.length;
    const errorsAt = (i: number): number[] => aligned.errors.map((row) => row[i] as number);
    const byDs = [...Array(n).keys()].sort((a, b) => compareTime(aligned.keys[a]!.ds, aligned.keys[b]!.ds));
    const byCutoff = [...Array(n).keys()].sort((a, b) =>
      compareTime(aligned.keys[a]!.cutoff, aligned.keys[b]!.cutoff),
    );
    let known = 0;
    let weights = equal;
    let lastCutoff: TimePoint | undefined;
    for (const i of byCutoff) {
      const key = aligned.keys[i]!;
      if (lastCutoff === undefined || compareTime(key.cutoff, lastCutoff) !== 0) {
        lastCutoff = key.cutoff;
        while (known < n && compareTime(aligned.keys[byDs[known]!]!.ds, key.cutoff) <= 0) {
          sums.add(errorsAt(byDs[known]!));
          known += 1;
        }
        if (method === 'inverse_error') {
          if (sums.points === 0) equalWeightCutoffs += 1;
          weights = inverseErrorWeights(sums.errors(weightMetric), k);
        }
      }
      const y = aligned.y[i]!;
      const values = aligned.errors.map((row) => y - (row[i] as number));
      evaluated.push({ ...key, y, yhat: combine(method, values, weights) });
    }
  }

  // Every evaluated point is known beyond the data: the forecast's weights and each member's error.
  const all = new ErrorSums(k);
  if (aligned)
    for (let i = 0; i < aligned.keys.length; i += 1) all.add(aligned.errors.map((row) => row[i] as number));
  const errors = all.errors(weightMetric);
  const forecastWeights = method === 'inverse_error' ? inverseErrorWeights(errors, k) : equal;
  const forecasts = alignForecasts(members);
  const forecast = forecasts.points.map((point, i) => ({
    ...point,
    yhat: combine(method, forecasts.values[i] as number[], forecastWeights),
  }));
  if (evaluated.length === 0 && forecast.length === 0) {
    throw new ConfigError(
      'members: the runs share no forecast point (same series and date); combine runs of the same table, game, series and horizon',
    );
  }
  evaluated.sort(
    (a, b) =>
      a.uniqueId.localeCompare(b.uniqueId) || compareTime(a.cutoff, b.cutoff) || compareTime(a.ds, b.ds),
  );
  return {
    evaluated,
    forecast,
    members: members.map((member, m) => ({
      runId: member.runId,
      label: member.label,
      weight: method === 'median' ? null : (forecastWeights[m] as number),
      error: errors.length === 0 ? null : (errors[m] as number),
      evaluatedDropped: {
        notShared: aligned?.dropped[m]?.notShared ?? 0,
        missingValues: aligned?.dropped[m]?.missingValues ?? 0,
      },
      forecastNotShared: forecasts.notShared[m] as number,
    })),
    equalWeightCutoffs,
  };
}
