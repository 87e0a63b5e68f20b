/**
 * Ray Tune's HyperBandScheduler as the hyperband pruner: `grace_period` is its min_resource and
 * `max_t` its max_resource. The pruner's own option names are accepted too.
 */
import { z } from 'zod';
import { hyperbandOptionsShape } from '../pruners/hyperband.js';
import { defineScheduler } from './define-scheduler.js';

/** The `hyperband` scheduler. */
export const hyperband = defineScheduler({
  id: 'hyperband',
  description: 'Hyperband: successive-halving brackets with different early-stopping rates.',
  options: z
    .object({
      grace_period: z.number().int().min(1).optional(),
      max_t: z.number().int().min(1).optional(),
      ...hyperbandOptionsShape,
    })
    .strict(),
  pruner: 'hyperband',
  prunerOptions: ({ grace_period, max_t, ...rest }) => ({
    ...rest,
    ...(grace_period === undefined ? {} : { min_resource: grace_period }),
    ...(max_t === undefined ? {} : { max_resource: max_t }),
  }),
});
