/** `ensemble`: combine finished runs' stored forecasts (mean, median or inverse-error weighted). */
import { buildEnsemble } from '@nflab/analysis';
import { ConfigError } from '@nflab/contracts';
import { summarizeEnsemble } from '../ensemble-summary.js';
import type { ComputeOperation } from './types.js';

/** The forecast column of an ensemble, as NeuralForecast names a model's (`NHITS`). */
export const ENSEMBLE_COLUMN = 'Ensemble';

/** Combines the members' evaluated points and forecasts (nothing is loaded or fitted). */
export const ensemble: ComputeOperation<'ensemble'> = {
  kind: 'ensemble',
  source: 'members',
  run: async (operation, { job, notes }) => {
    if (!job.members) throw new ConfigError('an ensemble needs its members’ stored forecasts');
    const { method, weight_metric: weightMetric } = operation;
    const built = buildEnsemble({ members: job.members, method, weightMetric });
    const summary = summarizeEnsemble(built, method, weightMetric);
    notes.push(
      `ensemble (${method}) of ${job.members.length} runs: ${built.evaluated.length} evaluated point(s) and ` +
        `${built.forecast.length} forecast point(s) all members share`,
      ...built.members
        .filter((m) => m.evaluatedDropped.notShared + m.forecastNotShared > 0)
        .map(
          (m) =>
            `left out of ${m.label}: ${m.evaluatedDropped.notShared} evaluated and ${m.forecastNotShared} forecast point(s) other members do not have`,
        ),
      ...(built.equalWeightCutoffs > 0
        ? [
            `${built.equalWeightCutoffs} window(s) weighted equally: no actual was known at their cutoff (weights never look ahead)`,
          ]
        : []),
    );
    return {
      modelColumn: ENSEMBLE_COLUMN,
      searchSpace: null,
      config: { method, weight_metric: weightMetric, members: job.members.map((m) => m.runId) },
      validLoss: null,
      forecasts: built.forecast.map((p) => ({ unique_id: p.uniqueId, ds: p.ds, [ENSEMBLE_COLUMN]: p.yhat })),
      test: [],
      cv: built.evaluated.map((p) => ({
        unique_id: p.uniqueId,
        ds: p.ds,
        cutoff: p.cutoff,
        y: p.y,
        [ENSEMBLE_COLUMN]: p.yhat,
      })),
      modelProperties: null,
      files: [],
      ensemble: summary,
    };
  },
};
