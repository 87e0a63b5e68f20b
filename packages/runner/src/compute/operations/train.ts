/** `train`: fit the spec's model (its search first, for an Auto model) on the data before the test part. */
import { isAutoModel } from '@nflab/contracts';
import { fitAuto, fitFixed } from '../fit.js';
import { plainModelConfig } from '../model-config.js';
import { dropSeriesTail } from '../run-data.js';
import { completeFit } from './complete-fit.js';
import type { ComputeOperation } from './types.js';

/** Fits the spec's model from scratch. */
export const train: ComputeOperation<'train'> = {
  kind: 'train',
  source: 'spec',
  run: async (_operation, context) => {
    const { job, hooks, sizes } = context;
    const df = dropSeriesTail(job.data, sizes.testSize);
    if (isAutoModel(job.spec.model)) return completeFit(await fitAuto(job, df, hooks), context);
    const config = plainModelConfig(job.spec, job.data.exog);
    return completeFit(await context.alone(() => fitFixed(job, config, df, sizes.valSize, hooks)), context);
  },
};
