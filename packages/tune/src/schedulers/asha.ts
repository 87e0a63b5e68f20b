/**
 * Ray Tune's ASHAScheduler as asynchronous successive halving: `grace_period` is the first rung
 * (the pruner's min_resource); `max_t` only caps training, which the objective's own step budget
 * already does, so it is accepted and not passed on. The pruner's own option names are accepted too.
 */
import { z } from 'zod';
import { successiveHalvingOptionsShape } from '../pruners/successive-halving.js';
import { defineScheduler } from './define-scheduler.js';

/** The `asha` scheduler. */
export const asha = defineScheduler({
  id: 'asha',
  description: 'Asynchronous successive halving (ASHA): keeps the top 1/reduction_factor at each rung.',
  options: z
    .object({
      grace_period: z.number().int().min(1).optional(),
      max_t: z.number().int().min(1).optional(),
      ...successiveHalvingOptionsShape,
    })
    .strict(),
  pruner: 'successive_halving',
  prunerOptions: ({ grace_period, max_t: _capsTrainingOnly, ...rest }) => ({
    ...rest,
    ...(grace_period === undefined ? {} : { min_resource: grace_period }),
  }),
});
