/**
 * Every pruner, keyed by its persisted id, with Optuna's argument names (snake_case JSON) as
 * options. Aliases (`nop`, `asha`) resolve to a canonical id.
 */
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import { createHyperbandPruner } from './hyperband.js';
import { createNopPruner } from './nop.js';
import { createPatientPruner } from './patient.js';
import { createMedianPruner, createPercentilePruner } from './percentile.js';
import { createSuccessiveHalvingPruner } from './successive-halving.js';
import { createThresholdPruner } from './threshold.js';
import type { Pruner } from './types.js';

/** A registered pruner: its options schema and a factory. */
export interface PrunerEntry<S extends z.ZodType = z.ZodType> {
  readonly id: string;
  /** One line for UIs and docs. */
  readonly description: string;
  readonly options: S;
  readonly create: (options: z.output<S>) => Pruner;
}

const entry = <S extends z.ZodType>(e: PrunerEntry<S>): PrunerEntry<S> => e;
const int0 = z.number().int().min(0).optional();
const int1 = z.number().int().min(1).optional();
const defined = <T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]-?: Exclude<T[K], undefined>;
  };

const stepOptions = { n_warmup_steps: int0, interval_steps: int1 };
const percentileOptions = { n_startup_trials: int0, ...stepOptions, n_min_trials: int1 };
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

const none = entry({
  id: 'none',
  description: 'Never prunes.',
  options: z.object({}).strict(),
  create: () => createNopPruner(),
});
const median = entry({
  id: 'median',
  description:
    "Prunes a trial whose best value is worse than the median of completed trials at the same step (Optuna's default).",
  options: z.object(percentileOptions).strict(),
  create: (o) => createMedianPruner(camelPercentile(o)),
});
const percentile = entry({
  id: 'percentile',
  description: 'Prunes a trial outside the given top percentile of completed trials at the same step.',
  options: z.object({ percentile: z.number().min(0).max(100).default(25), ...percentileOptions }).strict(),
  create: (o) => createPercentilePruner({ percentile: o.percentile, ...camelPercentile(o) }),
});
const shOptions = z
  .object({
    min_resource: z.union([z.literal('auto'), z.number().int().min(1)]).optional(),
    reduction_factor: z.number().int().min(2).optional(),
    min_early_stopping_rate: int0,
    bootstrap_count: int0,
  })
  .strict();
const successive_halving = entry({
  id: 'successive_halving',
  description: 'Asynchronous successive halving (ASHA): keeps the top 1/reduction_factor at each rung.',
  options: shOptions,
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
const hyperband = entry({
  id: 'hyperband',
  description: 'Hyperband: successive-halving brackets with different early-stopping rates.',
  options: z
    .object({
      min_resource: int1,
      max_resource: z.union([z.literal('auto'), z.number().int().min(1)]).optional(),
      reduction_factor: z.number().int().min(2).optional(),
      bootstrap_count: int0,
    })
    .strict(),
  create: (o) =>
    createHyperbandPruner(
      defined({
        minResource: o.min_resource,
        maxResource: o.max_resource,
        reductionFactor: o.reduction_factor,
        bootstrapCount: o.bootstrap_count,
      }),
    ),
});
const patient = entry({
  id: 'patient',
  description:
    'Prunes after `patience` steps without improvement (optionally deferring to a wrapped pruner).',
  options: z
    .object({
      patience: z.number().int().min(0).default(3),
      min_delta: z.number().min(0).optional(),
      wrapped: z.object({ id: z.string(), options: z.unknown().optional() }).optional(),
    })
    .strict(),
  create: (o) =>
    createPatientPruner({
      patience: o.patience,
      ...defined({
        minDelta: o.min_delta,
        wrapped: o.wrapped ? createPruner(o.wrapped.id, o.wrapped.options) : undefined,
      }),
    }),
});
const threshold = entry({
  id: 'threshold',
  description: 'Prunes when an intermediate value leaves [lower, upper] or is NaN.',
  options: z.object({ lower: z.number().optional(), upper: z.number().optional(), ...stepOptions }).strict(),
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

/** Every pruner by persisted id. */
export const PRUNERS = {
  none,
  median,
  percentile,
  successive_halving,
  hyperband,
  patient,
  threshold,
} as const satisfies Record<string, PrunerEntry>;

/** A canonical pruner id. */
export type PrunerId = keyof typeof PRUNERS;

/** Other names accepted for pruners: Optuna's NopPruner and Ray's ASHA. */
export const PRUNER_ALIASES = { nop: 'none', asha: 'successive_halving' } as const satisfies Record<
  string,
  PrunerId
>;

/** Creates a pruner from its id (or alias) and JSON options; ConfigError names unknown ids and bad options. */
export function createPruner(id: string, options: unknown = {}): Pruner {
  const canonical = (PRUNER_ALIASES as Record<string, string>)[id] ?? id;
  const found = (PRUNERS as Record<string, PrunerEntry>)[canonical];
  if (!found)
    throw new ConfigError(
      `unknown pruner "${id}"; allowed: ${[...Object.keys(PRUNERS), ...Object.keys(PRUNER_ALIASES)].join(', ')}`,
    );
  const parsed = found.options.safeParse(options ?? {});
  if (!parsed.success)
    throw new ConfigError(
      `pruner "${id}" options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'} ${i.message}`).join('; ')}`,
    );
  return found.create(parsed.data);
}
