/** `cv`: cross-validate the parent run's (best) configuration on the table's current rows. */
import { ConfigError } from '@nflab/contracts';
import { crossValidate as crossValidateConfig } from '../forecasts.js';
import type { ComputeOperation } from './types.js';

/** Rolling-origin cross-validation of the parent's configuration (no model is kept). */
export const crossValidate: ComputeOperation<'cv'> = {
  kind: 'cv',
  source: 'parent',
  run: async (operation, { job, hooks, sizes, alone }) => {
    if (!job.parent) throw new ConfigError('cv needs the parent run’s configuration');
    const parentConfig = job.parent.config;
    const cv = await alone(() =>
      crossValidateConfig(
        job,
        parentConfig,
        {
          nWindows: operation.n_windows,
          stepSize: operation.step_size,
          refit: operation.refit,
          valSize: sizes.valSize,
        },
        hooks,
      ),
    );
    return {
      modelColumn:
        Object.keys(cv[0] ?? {}).find((k) => !['unique_id', 'ds', 'cutoff', 'y'].includes(k)) ?? '',
      searchSpace: null,
      config: { ...parentConfig },
      validLoss: null,
      forecasts: [],
      test: [],
      cv,
      modelProperties: null,
      files: [],
    };
  },
};
