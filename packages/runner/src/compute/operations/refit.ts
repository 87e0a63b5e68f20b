/** `refit`: fit the parent run's (best) configuration again on the table's current rows, then forecast. */
import { ConfigError } from '@nflab/contracts';
import { fitFixed } from '../fit.js';
import { dropSeriesTail } from '../run-data.js';
import { completeFit } from './complete-fit.js';
import type { ComputeOperation } from './types.js';

/** Refits the parent's configuration (no search). */
export const refit: ComputeOperation<'refit'> = {
  kind: 'refit',
  source: 'parent',
  run: async (_operation, context) => {
    const { job, hooks, sizes } = context;
    const df = dropSeriesTail(job.data, sizes.testSize);
    if (!job.parent) throw new ConfigError('refit needs the parent run’s configuration');
    const config = job.parent.config;
    return completeFit(await context.alone(() => fitFixed(job, config, df, sizes.valSize, hooks)), context);
  },
};
