/**
 * Asynchronous successive halving (ASHA; Optuna's SuccessiveHalvingPruner). A trial reaching rung
 * r's step (min_resource · reduction_factor^(min_early_stopping_rate + r)) records its value for
 * that rung and continues only if it is in the top 1/reduction_factor of values recorded there.
 */
import { ConfigError } from '@nflab/contracts';
import type { FrozenTrial } from '../trial.js';
import { lastStep } from '../trial.js';
import type { Pruner } from './types.js';
import { z } from 'zod';
import { defined, definePruner, int0 } from './define-pruner.js';

/** Options of the successive-halving pruner. */
export interface SuccessiveHalvingOptions {
  /** Steps before the first rung; 'auto' = max(last step of completed trials / 100, 1). @default 'auto' */
  readonly minResource?: number | 'auto';
  /** @default 4 */
  readonly reductionFactor?: number;
  /** @default 0 */
  readonly minEarlyStoppingRate?: number;
  /** Values a rung needs before any trial is promoted past it. @default 0 */
  readonly bootstrapCount?: number;
}

/** The system attribute holding a trial's value at a rung. */
export const rungKey = (rung: number): string => `completed_rung_${rung}`;

const estimateMinResource = (trials: readonly FrozenTrial[]): number | undefined => {
  const steps = trials
    .filter((t) => t.state === 'COMPLETE')
    .flatMap((t) => {
      const s = lastStep(t);
      return s === undefined ? [] : [s];
    });
  return steps.length === 0 ? undefined : Math.max(Math.floor(Math.max(...steps) / 100), 1);
};

/** Creates a successive-halving pruner. */
export const createSuccessiveHalvingPruner = (
  options: SuccessiveHalvingOptions = {},
  id = 'successive_halving',
): Pruner => {
  const { minResource = 'auto', reductionFactor = 4, minEarlyStoppingRate = 0, bootstrapCount = 0 } = options;
  if (minResource !== 'auto' && !(Number.isInteger(minResource) && minResource >= 1))
    throw new ConfigError(`${id}: min_resource must be 'auto' or an integer >= 1, got ${minResource}`);
  if (!(Number.isInteger(reductionFactor) && reductionFactor >= 2))
    throw new ConfigError(`${id}: reduction_factor must be an integer >= 2, got ${reductionFactor}`);
  if (!(Number.isInteger(minEarlyStoppingRate) && minEarlyStoppingRate >= 0))
    throw new ConfigError(
      `${id}: min_early_stopping_rate must be an integer >= 0, got ${minEarlyStoppingRate}`,
    );
  if (!(Number.isInteger(bootstrapCount) && bootstrapCount >= 0))
    throw new ConfigError(`${id}: bootstrap_count must be an integer >= 0, got ${bootstrapCount}`);
  if (bootstrapCount > 0 && minResource === 'auto')
    throw new ConfigError(`${id}: bootstrap_count > 0 needs an explicit min_resource`);
  let resolvedMin = minResource === 'auto' ? undefined : minResource;
  return {
    id,
    async prune(ctx) {
      const step = lastStep(ctx.trial);
      if (step === undefined) return false;
      let rung = 0;
      while (rungKey(rung) in ctx.trial.systemAttrs) rung++;
      const value = ctx.trial.intermediateValues[step] as number;
      let trials: readonly FrozenTrial[] | undefined;
      for (;;) {
        if (resolvedMin === undefined) {
          trials ??= await ctx.trials();
          resolvedMin = estimateMinResource(trials);
          if (resolvedMin === undefined) return false;
        }
        if (step < resolvedMin * reductionFactor ** (minEarlyStoppingRate + rung)) return false;
        if (Number.isNaN(value)) return true;
        trials ??= await ctx.trials();
        const key = rungKey(rung);
        await ctx.setSystemAttr(ctx.trial.id, key, value);
        const competing = trials.flatMap((t) =>
          t.id !== ctx.trial.id && key in t.systemAttrs ? [t.systemAttrs[key] as number] : [],
        );
        competing.push(value);
        if (competing.length <= bootstrapCount) return true;
        competing.sort((a, b) => a - b);
        const idx = Math.max(0, Math.floor(competing.length / reductionFactor) - 1);
        const promotable =
          ctx.direction === 'maximize'
            ? value >= (competing[competing.length - 1 - idx] as number)
            : value <= (competing[idx] as number);
        if (!promotable) return true;
        rung++;
      }
    },
  };
};

/** `pruner_options` of successive halving, Optuna's SuccessiveHalvingPruner names. */
export const successiveHalvingOptionsShape = {
  min_resource: z.union([z.literal('auto'), z.number().int().min(1)]).optional(),
  reduction_factor: z.number().int().min(2).optional(),
  min_early_stopping_rate: int0,
  bootstrap_count: int0,
};

/** The `successive_halving` pruner (ASHA). */
export const successive_halving = definePruner({
  id: 'successive_halving',
  description: 'Asynchronous successive halving (ASHA): keeps the top 1/reduction_factor at each rung.',
  options: z.object(successiveHalvingOptionsShape).strict(),
  create: (o) =>
    createSuccessiveHalvingPruner(
      defined({
        minResource: o.min_resource,
        reductionFactor: o.reduction_factor,
        minEarlyStoppingRate: o.min_early_stopping_rate,
        bootstrapCount: o.bootstrap_count,
      }),
    ),
});
