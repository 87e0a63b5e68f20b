/**
 * KernelSHAP over the exogenous columns of each evaluation window: the players are the model's
 * exogenous columns (a column's values over all its window steps are one group), the explained
 * output is the mean point forecast over the horizon (original space), the background is one row —
 * the mean of the evaluation windows' inputs (shap's advice to summarise the background; one row
 * keeps the cost at nsamples forecasts per window). The window's own history, mask and target
 * scale are never replaced: only its exogenous inputs play.
 */
import { kernelShap } from '@nflab/analysis';
import type { ExplainRequest, WindowExplainer } from '@nflab/engine';
import { createBatcher, inGroups } from './batcher.js';
import { rankingOf, rowsFromWindowValues } from './rank.js';
import type { FeatureImportance, KernelShapSummary } from './types.js';

/** Options of {@link kernelShapRun}. */
export interface KernelShapRunOptions {
  readonly nsamples: number | 'auto';
  readonly seed: number;
}

/** Windows explained at once; their model calls share forwards (see batcher.ts). */
export const CONCURRENT_WINDOWS = 16;

/** The element-wise mean of the rows. */
const meanRow = (rows: readonly Float64Array[]): Float64Array => {
  const out = new Float64Array((rows[0] as Float64Array).length);
  for (const row of rows) row.forEach((v, i) => (out[i] = (out[i] as number) + v / rows.length));
  return out;
};

/** The mean over the horizon of a batch of forecasts. */
const meanForecasts = async (
  explainer: WindowExplainer,
  requests: readonly ExplainRequest[],
): Promise<number[]> =>
  (await explainer.forecast(requests)).map((f) => f.reduce((sum, v) => sum + v, 0) / f.length);

/** KernelSHAP values of every exogenous column in every window, and their importance rows. */
export const kernelShapRun = async (
  explainer: WindowExplainer,
  options: KernelShapRunOptions,
  signal?: AbortSignal,
): Promise<FeatureImportance> => {
  const { windows, features, inputs } = explainer;
  const background = [meanRow(inputs)];
  const groups = features.map((f) => [...f.indices]);
  const predict = createBatcher(
    (requests: readonly ExplainRequest[]) => meanForecasts(explainer, requests),
    signal,
  );
  const explained = await inGroups(inputs, CONCURRENT_WINDOWS, (query, window) =>
    kernelShap((rows) => predict(rows.map((input) => ({ window, input }))), background, query, {
      nsamples: options.nsamples,
      seed: options.seed,
      // Every column gets a value (shap's default keeps at most 10, chosen by LARS).
      l1Reg: false,
      groups,
    }),
  );
  const rows = rowsFromWindowValues(
    features,
    windows,
    explained.map((e) => e.shapValues),
  );
  const summary: KernelShapSummary = {
    method: 'kernel_shap',
    windows: windows.map((w) => ({ unique_id: w.uniqueId, cutoff: w.cutoff })),
    series: new Set(windows.map((w) => w.uniqueId)).size,
    ranking: rankingOf(rows, features),
    nsamples: options.nsamples,
    seed: options.seed,
    window_values: explained.map((e) => ({ fx: e.fx, expected_value: e.expectedValue, exact: e.exact })),
  };
  return { rows, summary };
};
