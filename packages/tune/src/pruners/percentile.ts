/** Percentile and median pruners (Optuna's PercentilePruner / MedianPruner). */
import { ConfigError } from '@nflab/contracts';
import type { Direction, FrozenTrial } from '../trial.js';
import { lastStep } from '../trial.js';
import type { Pruner } from './types.js';
import { z } from 'zod';
import { defined, definePruner, int0, int1, stepOptionsShape } from './define-pruner.js';

/** Options shared by the percentile, median and threshold pruners. */
export interface StepOptions {
  /** Steps before pruning starts. @default 0 */
  readonly nWarmupSteps?: number;
  /** Prune only at the first report of each interval of this many steps past warm-up. @default 1 */
  readonly intervalSteps?: number;
}

/** Options of the percentile pruner. */
export interface PercentileOptions extends StepOptions {
  /** Percentile in [0, 100] of completed trials' values at the same step a trial must beat. */
  readonly percentile: number;
  /** COMPLETE trials needed before pruning starts. @default 5 */
  readonly nStartupTrials?: number;
  /** Trials that reported the step needed before comparing at it. @default 1 */
  readonly nMinTrials?: number;
}

/** Checks warm-up/interval options; shared by threshold. */
export const checkStepOptions = (name: string, o: StepOptions): { warmup: number; interval: number } => {
  const warmup = o.nWarmupSteps ?? 0;
  const interval = o.intervalSteps ?? 1;
  if (!(Number.isInteger(warmup) && warmup >= 0))
    throw new ConfigError(`${name}: n_warmup_steps must be an integer >= 0, got ${warmup}`);
  if (!(Number.isInteger(interval) && interval >= 1))
    throw new ConfigError(`${name}: interval_steps must be an integer >= 1, got ${interval}`);
  return { warmup, interval };
};

/** True when `step` is the first report at or after the latest pruning step of its interval. */
export const isFirstInInterval = (
  step: number,
  steps: readonly number[],
  warmup: number,
  interval: number,
): boolean => {
  const nearestLower = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLower;
};

/** numpy's nanpercentile with linear interpolation. */
export const nanPercentile = (values: readonly number[], q: number): number => {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const pos = (q / 100) * (xs.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (xs[lo] as number) + ((xs[hi] as number) - (xs[lo] as number)) * (pos - lo);
};

const bestSoFar = (trial: FrozenTrial, direction: Direction): number => {
  const values = Object.values(trial.intermediateValues).filter((v) => !Number.isNaN(v));
  if (values.length === 0) return NaN;
  return direction === 'maximize' ? Math.max(...values) : Math.min(...values);
};

/** Creates a percentile pruner: prunes when a trial's best value so far is worse than the percentile of completed trials at this step. */
export const createPercentilePruner = (options: PercentileOptions, id = 'percentile'): Pruner => {
  const { percentile, nStartupTrials = 5, nMinTrials = 1 } = options;
  if (!(percentile >= 0 && percentile <= 100))
    throw new ConfigError(`${id}: percentile must be in [0, 100], got ${percentile}`);
  if (!(Number.isInteger(nStartupTrials) && nStartupTrials >= 0))
    throw new ConfigError(`${id}: n_startup_trials must be an integer >= 0, got ${nStartupTrials}`);
  if (!(Number.isInteger(nMinTrials) && nMinTrials >= 1))
    throw new ConfigError(`${id}: n_min_trials must be an integer >= 1, got ${nMinTrials}`);
  const { warmup, interval } = checkStepOptions(id, options);
  return {
    id,
    async prune(ctx) {
      const step = lastStep(ctx.trial);
      if (step === undefined || step < warmup) return false;
      const completed = (await ctx.trials()).filter((t) => t.state === 'COMPLETE');
      if (completed.length === 0 || completed.length < nStartupTrials) return false;
      const steps = Object.keys(ctx.trial.intermediateValues).map(Number);
      if (!isFirstInInterval(step, steps, warmup, interval)) return false;
      const best = bestSoFar(ctx.trial, ctx.direction);
      if (Number.isNaN(best)) return true;
      const atStep = completed.flatMap((t) =>
        step in t.intermediateValues ? [t.intermediateValues[step] as number] : [],
      );
      if (atStep.length < nMinTrials) return false;
      const p = nanPercentile(atStep, ctx.direction === 'maximize' ? 100 - percentile : percentile);
      if (Number.isNaN(p)) return false;
      return ctx.direction === 'maximize' ? best < p : best > p;
    },
  };
};

/** Options of the median pruner (the percentile pruner at 50). */
export type MedianOptions = Omit<PercentileOptions, 'percentile'>;

/** Creates a median pruner (Optuna's default pruner). */
export const createMedianPruner = (options: MedianOptions = {}): Pruner =>
  createPercentilePruner({ ...options, percentile: 50 }, 'median');

const percentileShape = { n_startup_trials: int0, ...stepOptionsShape, n_min_trials: int1 };
const camelPercentile = (o: {
  n_startup_trials?: number;
  n_warmup_steps?: number;
  interval_steps?: number;
  n_min_trials?: number;
}) =>
  defined({
    nStartupTrials: o.n_startup_trials,
    nWarmupSteps: o.n_warmup_steps,
    intervalSteps: o.interval_steps,
    nMinTrials: o.n_min_trials,
  });

/** The `median` pruner; options with Optuna's MedianPruner names. */
export const median = definePruner({
  id: 'median',
  description:
    "Prunes a trial whose best value is worse than the median of completed trials at the same step (Optuna's default).",
  options: z.object(percentileShape).strict(),
  create: (o) => createMedianPruner(camelPercentile(o)),
});

/** The `percentile` pruner; options with Optuna's PercentilePruner names. @default percentile 25 */
export const percentile = definePruner({
  id: 'percentile',
  description: 'Prunes a trial outside the given top percentile of completed trials at the same step.',
  options: z.object({ percentile: z.number().min(0).max(100).default(25), ...percentileShape }).strict(),
  create: (o) => createPercentilePruner({ percentile: o.percentile, ...camelPercentile(o) }),
});
