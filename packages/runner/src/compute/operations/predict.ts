/** `predict`: forecast h steps with the parent run's saved model, from the table's current rows or the parent's data. */
import { ConfigError } from '@nflab/contracts';
import { describeModel, loadForecaster } from '../fitted-model.js';
import type { ComputeOperation } from './types.js';

/** Loads the parent's model and forecasts with it (nothing is fitted or saved). */
export const predict: ComputeOperation<'predict'> = {
  kind: 'predict',
  source: 'parent',
  run: async (operation, { job, notes }) => {
    if (!job.parent) throw new ConfigError('predict needs the parent run’s saved model');
    const nf = await loadForecaster(job.parent.modelDir);
    try {
      // Models with futr columns need the next draws' calendar values (see execute/future-frame.ts).
      const futrDf = job.data.future?.kind === 'frame' ? { futrDf: job.data.future.futrDf } : {};
      const forecasts = operation.latest_data
        ? await nf.predict({ df: job.data.columns, staticDf: job.data.staticRows, ...futrDf })
        : await nf.predict(futrDf);
      notes.push(`forecast from ${operation.latest_data ? 'the table’s current rows' : 'the parent’s data'}`);
      const modelProperties = await describeModel(job, nf, []);
      return {
        modelColumn: modelProperties.label,
        searchSpace: null,
        config: { ...job.parent.config },
        validLoss: null,
        forecasts,
        test: [],
        cv: [],
        modelProperties,
        files: [],
      };
    } finally {
      nf.dispose();
    }
  },
};
