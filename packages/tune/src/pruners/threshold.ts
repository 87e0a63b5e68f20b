/** Prunes when the latest value leaves [lower, upper] or is NaN (Optuna's ThresholdPruner). */
import { ConfigError } from '@nflab/contracts';
import { lastStep } from '../trial.js';
import type { StepOptions } from './percentile.js';
import { checkStepOptions, isFirstInInterval } from './percentile.js';
import type { Pruner } from './types.js';
import { z } from 'zod';
import { defined, definePruner, stepOptionsShape } from './define-pruner.js';

/** Options of the threshold pruner; at least one bound. */
export interface ThresholdOptions extends StepOptions {
  /** @default -Infinity */
  readonly lower?: number;
  /** @default Infinity */
  readonly upper?: number;
}

/** Creates a threshold pruner. */
export const createThresholdPruner = (options: ThresholdOptions): Pruner => {
  if (options.lower === undefined && options.upper === undefined)
    throw new ConfigError('threshold: give lower, upper or both');
  const lower = options.lower ?? -Infinity;
  const upper = options.upper ?? Infinity;
  if (lower > upper) throw new ConfigError(`threshold: lower (${lower}) must be <= upper (${upper})`);
  const { warmup, interval } = checkStepOptions('threshold', options);
  return {
    id: 'threshold',
    async prune(ctx) {
      const step = lastStep(ctx.trial);
      if (step === undefined || step < warmup) return false;
      if (!isFirstInInterval(step, Object.keys(ctx.trial.intermediateValues).map(Number), warmup, interval))
        return false;
      const value = ctx.trial.intermediateValues[step] as number;
      return Number.isNaN(value) || value < lower || value > upper;
    },
  };
};

/** The `threshold` pruner; options with Optuna's ThresholdPruner names. */
export const threshold = definePruner({
  id: 'threshold',
  description: 'Prunes when an intermediate value leaves [lower, upper] or is NaN.',
  options: z
    .object({ lower: z.number().optional(), upper: z.number().optional(), ...stepOptionsShape })
    .strict()
    .refine((o) => o.lower !== undefined || o.upper !== undefined, {
      message: 'give lower, upper or both',
    }),
  create: (o) =>
    createThresholdPruner(
      defined({
        lower: o.lower,
        upper: o.upper,
        nWarmupSteps: o.n_warmup_steps,
        intervalSteps: o.interval_steps,
      }),
    ),
});
