/** `importance`: exogenous-column importance of the parent run's saved model over the last windows of the table's rows. */
import { ConfigError } from '@nflab/contracts';
import { explainWindows, Hint } from '@nflab/engine';
import { describeModel, loadForecaster } from '../fitted-model.js';
import { computeImportance } from '../importance/index.js';
import type { ComputeOperation } from './types.js';

/** Loads the parent's model and measures how much its forecasts rest on each exogenous column (nothing is fitted). */
export const importance: ComputeOperation<'importance'> = {
  kind: 'importance',
  source: 'parent',
  run: async (operation, { job, hooks, alone, notes }) => {
    if (!job.parent) throw new ConfigError('importance needs the parent run’s saved model');
    const nf = await loadForecaster(job.parent.modelDir);
    try {
      if (nf instanceof Hint)
        throw new ConfigError(
          'importance measures exogenous columns; a HINT run has none (its aggregates have no values of their own)',
        );
      const explainer = await explainWindows(nf, {
        df: job.data.columns,
        staticDf: job.data.staticRows,
        maxWindows: operation.max_windows,
      });
      const series = new Set(explainer.windows.map((w) => w.uniqueId)).size;
      notes.push(
        `importance (${operation.method}) of ${explainer.features.map((f) => f.name).join(', ')} ` +
          `over ${explainer.windows.length} window(s) of ${series} series, the last before the end of the table’s rows`,
      );
      const result = await alone(() => computeImportance(explainer, operation, hooks.signal));
      const modelProperties = await describeModel(job, nf, []);
      return {
        modelColumn: modelProperties.label,
        searchSpace: null,
        config: { ...job.parent.config },
        validLoss: null,
        forecasts: [],
        test: [],
        cv: [],
        modelProperties,
        files: [],
        importance: result,
      };
    } finally {
      nf.dispose();
    }
  },
};
