/**
 * Permutation importance over evaluation windows: the MAE increase when one exogenous column is
 * shuffled among the windows, the rest of every window untouched. A window is the sample and a
 * column's values over its steps are the feature (shuffled as one block, as scikit-learn shuffles
 * a column among rows). Temporal columns move only among the windows of the same series; static
 * columns among all windows (within one series they are the same value, so shuffling there would
 * change nothing).
 */
import { permutationImportance, permuteWithinGroups } from '@nflab/analysis';
import type { ExplainFeature, WindowExplainer } from '@nflab/engine';
import { rankingOf, rankRows, type UnrankedRow } from './rank.js';
import type { FeatureImportance } from './types.js';

/** Options of {@link permutationRun}. */
export interface PermutationOptions {
  readonly repeats: number;
  readonly seed: number;
}

/** Absolute errors of each window's forecasts over its observed horizon points. */
interface WindowErrors {
  readonly sum: number;
  readonly count: number;
}

/** MAE over windows (all, or those of one series). */
const mae = (errors: readonly WindowErrors[], keep: (w: number) => boolean): number => {
  let sum = 0;
  let count = 0;
  errors.forEach((e, w) => {
    if (!keep(w)) return;
    sum += e.sum;
    count += e.count;
  });
  return sum / count;
};

/** Forecasts every window with `inputs` and scores it against the actuals. */
const windowErrors = async (
  explainer: WindowExplainer,
  inputs: readonly Float64Array[],
): Promise<WindowErrors[]> => {
  const forecasts = await explainer.forecast(inputs.map((input, window) => ({ window, input })));
  return forecasts.map((forecast, w) => {
    let sum = 0;
    let count = 0;
    explainer.windows[w]?.actual.forEach((y, j) => {
      if (y === null) return;
      sum += Math.abs(y - (forecast[j] as number));
      count += 1;
    });
    return { sum, count };
  });
};

/** Each window's input with `feature`'s values taken from window `source[w]`. */
const withColumnFrom = (
  inputs: readonly Float64Array[],
  feature: ExplainFeature,
  source: readonly number[],
): Float64Array[] =>
  inputs.map((row, w) => {
    const copy = Float64Array.from(row);
    const from = inputs[source[w] as number] as Float64Array;
    for (const i of feature.indices) copy[i] = from[i] as number;
    return copy;
  });

/** Permutation importance of every exogenous column, over all series and per series. */
export const permutationRun = async (
  explainer: WindowExplainer,
  options: PermutationOptions,
  signal?: AbortSignal,
): Promise<FeatureImportance> => {
  const { windows, features, inputs } = explainer;
  const seriesIds = [...new Set(windows.map((w) => w.uniqueId))];
  const base = await windowErrors(explainer, inputs);
  // Every (column, repeat)'s per-series MAE, in call order, so each series' summary replays the same draws.
  const perSeries = new Map<string, number[][]>(features.map((f) => [f.name, []]));
  const overall = await permutationImportance(
    {
      columns: features.map((f) => f.name),
      baselineError: () => mae(base, () => true),
      errorWithColumnPermuted: async (column, rng) => {
        signal?.throwIfAborted();
        const feature = features.find((f) => f.name === column) as ExplainFeature;
        const groups = windows.map((w) => (feature.kind === 'stat' ? '' : w.uniqueId));
        const source = permuteWithinGroups(
          windows.map((_, w) => w),
          groups,
          rng,
        );
        const errors = await windowErrors(explainer, withColumnFrom(inputs, feature, source));
        perSeries.get(column)?.push(seriesIds.map((id) => mae(errors, (w) => windows[w]?.uniqueId === id)));
        return mae(errors, () => true);
      },
    },
    options,
  );
  const rows: UnrankedRow[] = overall.columns.map((c) => ({
    feature: c.column,
    uniqueId: null,
    importance: c.meanIncrease,
    std: c.std,
    ciLow: c.interval?.low ?? null,
    ciHigh: c.interval?.high ?? null,
    details: {
      kind: features.find((f) => f.name === c.column)?.kind ?? 'futr',
      increases: c.increases,
      ratio: c.ratio,
      baseline_mae: overall.baselineError,
    },
  }));
  for (const [s, uniqueId] of seriesIds.entries()) {
    const replay = new Map([...perSeries].map(([column, runs]) => [column, runs.map((r) => r[s] as number)]));
    const series = await permutationImportance(
      {
        columns: features.map((f) => f.name),
        baselineError: () => mae(base, (w) => windows[w]?.uniqueId === uniqueId),
        errorWithColumnPermuted: (column) => replay.get(column)?.shift() as number,
      },
      options,
    );
    for (const c of series.columns) {
      rows.push({
        feature: c.column,
        uniqueId,
        importance: c.meanIncrease,
        std: c.std,
        ciLow: c.interval?.low ?? null,
        ciHigh: c.interval?.high ?? null,
        details: { increases: c.increases, ratio: c.ratio, baseline_mae: series.baselineError },
      });
    }
  }
  const ranked = rankRows(rows);
  return {
    rows: ranked,
    summary: {
      method: 'permutation',
      windows: windows.map((w) => ({ unique_id: w.uniqueId, cutoff: w.cutoff })),
      series: seriesIds.length,
      ranking: rankingOf(ranked, features),
      baseline_mae: overall.baselineError,
      repeats: options.repeats,
      seed: options.seed,
    },
  };
};
