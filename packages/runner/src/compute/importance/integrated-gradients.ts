/**
 * Integrated gradients of each evaluation window's mean point forecast over the horizon (original
 * space) with respect to its exogenous inputs as the network reads them, from a baseline of zeros
 * in that scaled space — with a standard window scaler, every column at its input-window mean —
 * along the straight path, trapezoid rule; an element's attributions are summed per column.
 */
import { integratedGradients } from '@nflab/analysis';
import type { ExplainGradient, ExplainRequest, WindowExplainer } from '@nflab/engine';
import { createBatcher, inGroups } from './batcher.js';
import { CONCURRENT_WINDOWS } from './kernel-shap.js';
import { rankingOf, rowsFromWindowValues } from './rank.js';
import type { FeatureImportance, IntegratedGradientsSummary } from './types.js';

/** Options of {@link integratedGradientsRun}. */
export interface IntegratedGradientsRunOptions {
  readonly steps: number;
}

/** Integrated gradients of every exogenous column in every window, and their importance rows. */
export const integratedGradientsRun = async (
  explainer: WindowExplainer,
  options: IntegratedGradientsRunOptions,
  signal?: AbortSignal,
): Promise<FeatureImportance> => {
  const { windows, features, inputs } = explainer;
  const gradient = createBatcher(
    (requests: readonly ExplainRequest[]) => explainer.gradient(requests),
    signal,
  );
  const forecast = createBatcher(
    (requests: readonly ExplainRequest[]) => explainer.forecast(requests),
    signal,
  );
  const explained = await inGroups(inputs, CONCURRENT_WINDOWS, (input, window) =>
    integratedGradients(
      async (x) => ((await gradient([{ window, input: x }]))[0] as ExplainGradient).gradient,
      input,
      {
        steps: options.steps,
        f: async (x) => {
          const [f] = (await forecast([{ window, input: x }])) as Float64Array[];
          return (f as Float64Array).reduce((sum, v) => sum + v, 0) / (f as Float64Array).length;
        },
      },
    ),
  );
  const values = explained.map((e) =>
    features.map((f) => f.indices.reduce((sum, i) => sum + (e.attributions[i] as number), 0)),
  );
  const rows = rowsFromWindowValues(features, windows, values);
  const summary: IntegratedGradientsSummary = {
    method: 'integrated_gradients',
    windows: windows.map((w) => ({ unique_id: w.uniqueId, cutoff: w.cutoff })),
    series: new Set(windows.map((w) => w.uniqueId)).size,
    ranking: rankingOf(rows, features),
    steps: options.steps,
    window_values: explained.map((e) => ({
      fx: e.fx as number,
      f_baseline: e.fBaseline as number,
      completeness_gap: e.completenessGap as number,
    })),
  };
  return { rows, summary };
};
