/** Prunes when the latest value leaves [lower, upper] or is NaN (Optuna's ThresholdPruner). */
import { ConfigError } from '@nflab/contracts';
import { lastStep } from '../trial.js';
import type { StepOptions } from './percentile.js';
import { checkStepOptions, isFirstInInterval } from './percentile.js';
import type { Pruner } from './types.js';

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
