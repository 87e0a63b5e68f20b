/**
 * Turns NeuralForecast's vocabulary (`backend`, `search_alg`, `pruner` | `scheduler`) into a
 * sampler and a pruner. Both backends are native implementations here, modelled on Optuna and
 * Ray Tune: Ray's basic_variant is random search, hyperopt and Ray's OptunaSearch are TPE (hyperopt
 * with hyperopt's γ and 20 startup trials), ASHA is asynchronous successive halving, FIFO never stops a trial.
 */
import { ConfigError, BACKEND_DEFAULTS, searchConfigSchema } from '@nflab/contracts';
import { createPruner } from './pruners/registry.js';
import type { Pruner } from './pruners/types.js';
import { createSampler } from './samplers/registry.js';
import type { Sampler } from './samplers/types.js';

/** Input of {@link createSearch} (camelCase mirror of the spec's search keys). */
export interface CreateSearchOptions {
  readonly backend: 'optuna' | 'ray';
  /** @default 'tpe' for optuna, 'basic_variant' for ray */
  readonly searchAlg?: string;
  /** Optuna backend only. @default 'none' */
  readonly pruner?: string;
  /** Ray backend only. @default 'fifo' */
  readonly scheduler?: string;
  readonly searchAlgOptions?: Record<string, unknown>;
  readonly prunerOptions?: Record<string, unknown>;
  /** Ray scheduler options: grace_period (→ min_resource), reduction_factor, max_t (→ max_resource for hyperband). */
  readonly schedulerOptions?: Record<string, unknown>;
  readonly seed?: number;
}

const RAY_SEARCH = {
  basic_variant: { id: 'random', options: {} },
  grid: { id: 'grid', options: {} },
  hyperopt: { id: 'tpe', options: { gamma: 'hyperopt', n_startup_trials: 20 } },
  optuna: { id: 'tpe', options: {} },
} as const;

const RAY_SCHEDULERS = { fifo: 'none', asha: 'successive_halving', hyperband: 'hyperband' } as const;

const schedulerToPruner = (
  scheduler: keyof typeof RAY_SCHEDULERS,
  options: Record<string, unknown>,
): Record<string, unknown> => {
  if (scheduler === 'fifo') return {};
  const { grace_period, max_t, ...rest } = options;
  const out: Record<string, unknown> = { ...rest };
  if (grace_period !== undefined) out.min_resource = grace_period;
  if (max_t !== undefined) {
    if (scheduler === 'hyperband') out.max_resource = max_t;
    // ASHA's max_t only caps training, which the objective's own step budget already does.
  }
  return out;
};

/** A sampler and a pruner for a backend configuration; ConfigError on incompatible combinations. */
export const createSearch = (options: CreateSearchOptions): { sampler: Sampler; pruner: Pruner } => {
  const parsed = searchConfigSchema.safeParse({
    backend: options.backend,
    search_alg: options.searchAlg,
    pruner: options.pruner,
    scheduler: options.scheduler,
    search_alg_options: options.searchAlgOptions,
    pruner_options: options.prunerOptions,
    scheduler_options: options.schedulerOptions,
    seed: options.seed,
  });
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => i.message).join('; '), { cause: parsed.error });
  const cfg = parsed.data;
  if (cfg.backend === 'optuna') {
    return {
      sampler: createSampler(
        cfg.search_alg ?? BACKEND_DEFAULTS.optuna.search_alg,
        cfg.search_alg_options ?? {},
        cfg.seed,
      ),
      pruner: createPruner(cfg.pruner ?? BACKEND_DEFAULTS.optuna.pruner, cfg.pruner_options ?? {}),
    };
  }
  const alg = RAY_SEARCH[(cfg.search_alg ?? BACKEND_DEFAULTS.ray.search_alg) as keyof typeof RAY_SEARCH];
  const scheduler = (cfg.scheduler ?? BACKEND_DEFAULTS.ray.scheduler) as keyof typeof RAY_SCHEDULERS;
  return {
    sampler: createSampler(alg.id, { ...alg.options, ...cfg.search_alg_options }, cfg.seed),
    pruner: createPruner(
      RAY_SCHEDULERS[scheduler],
      schedulerToPruner(scheduler, cfg.scheduler_options ?? {}),
    ),
  };
};
