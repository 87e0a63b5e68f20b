/**
 * NeuralForecast's hyperparameter-search vocabulary as data: `backend: 'optuna'` pairs a sampler
 * (`search_alg`) with a `pruner`; `backend: 'ray'` pairs a Ray Tune search algorithm with a
 * `scheduler`. Both are native implementations in @nflab/tune modelled on Optuna and Ray Tune —
 * neither Optuna nor Ray runs; UIs must say so.
 */
import { z } from 'zod';

/** Allowed search algorithms and pruners/schedulers per backend. */
export const BACKENDS = {
  optuna: {
    searchAlgs: ['tpe', 'random', 'cmaes', 'qmc', 'grid', 'bruteforce'],
    pruners: ['none', 'median', 'percentile', 'successive_halving', 'hyperband', 'patient', 'threshold'],
  },
  ray: {
    searchAlgs: ['basic_variant', 'grid', 'hyperopt', 'optuna'],
    schedulers: ['fifo', 'asha', 'hyperband'],
  },
} as const;

/** A search backend. */
export type Backend = keyof typeof BACKENDS;
/** The backend ids, for forms and enums. */
export const BACKEND_IDS = Object.keys(BACKENDS) as Backend[];

/** Default search algorithm and pruner/scheduler per backend (NeuralForecast's defaults). */
export const BACKEND_DEFAULTS = {
  optuna: { search_alg: 'tpe', pruner: 'none' },
  ray: { search_alg: 'basic_variant', scheduler: 'fifo' },
} as const;

const optionsSchema = z.record(z.string(), z.unknown());

const list = (values: readonly string[]): string => values.join(', ');

/**
 * A search configuration as a spec carries it. Rejects combinations the backend does not have,
 * naming the allowed values (e.g. a Ray searcher such as `hyperopt` under `backend: "optuna"`).
 */
export const searchConfigSchema = z
  .object({
    backend: z.enum(['optuna', 'ray']),
    search_alg: z.string().min(1).optional(),
    pruner: z.string().min(1).optional(),
    scheduler: z.string().min(1).optional(),
    search_alg_options: optionsSchema.optional(),
    pruner_options: optionsSchema.optional(),
    scheduler_options: optionsSchema.optional(),
    seed: z.number().int().min(0).optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const allowedAlgs: readonly string[] = BACKENDS[cfg.backend].searchAlgs;
    if (cfg.search_alg !== undefined && !allowedAlgs.includes(cfg.search_alg)) {
      ctx.addIssue({
        code: 'custom',
        path: ['search_alg'],
        message: `search_alg "${cfg.search_alg}" is not available with backend "${cfg.backend}"; allowed: ${list(allowedAlgs)}`,
      });
    }
    if (cfg.backend === 'optuna') {
      if (cfg.scheduler !== undefined || cfg.scheduler_options !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['scheduler'],
          message: `backend "optuna" takes a pruner, not a scheduler; allowed pruners: ${list(BACKENDS.optuna.pruners)}`,
        });
      }
      const allowed: readonly string[] = BACKENDS.optuna.pruners;
      if (cfg.pruner !== undefined && !allowed.includes(cfg.pruner)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pruner'],
          message: `pruner "${cfg.pruner}" is not available with backend "optuna"; allowed: ${list(allowed)}`,
        });
      }
    } else {
      if (cfg.pruner !== undefined || cfg.pruner_options !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['pruner'],
          message: `backend "ray" takes a scheduler, not a pruner; allowed schedulers: ${list(BACKENDS.ray.schedulers)}`,
        });
      }
      const allowed: readonly string[] = BACKENDS.ray.schedulers;
      if (cfg.scheduler !== undefined && !allowed.includes(cfg.scheduler)) {
        ctx.addIssue({
          code: 'custom',
          path: ['scheduler'],
          message: `scheduler "${cfg.scheduler}" is not available with backend "ray"; allowed: ${list(allowed)}`,
        });
      }
    }
  });

/** A validated search configuration. */
export type SearchConfig = z.output<typeof searchConfigSchema>;
