/**
 * NeuralForecast's hyperparameter-search vocabulary as data: `backend: 'optuna'` pairs a sampler
 * (`search_alg`) with a `pruner`; `backend: 'ray'` pairs a Ray Tune search algorithm with a
 * `scheduler`. Both are native implementations in @nflab/tune modelled on Optuna and Ray Tune —
 * neither Optuna nor Ray runs; UIs must say so.
 */
import { z } from 'zod';

/**
 * Optuna samplers (`search_alg` under `backend: 'optuna'`): the ids of @nflab/tune's SAMPLERS, which
 * is typed `satisfies Record<SamplerId, …>` so a sampler missing from either side fails to compile.
 */
export const SAMPLER_IDS = ['tpe', 'random', 'cmaes', 'qmc', 'grid', 'bruteforce'] as const;
/** A sampler id (a key of tune's SAMPLERS). */
export type SamplerId = (typeof SAMPLER_IDS)[number];

/** Optuna pruners: the canonical ids of tune's PRUNERS (aliases such as `nop` are tune's own). */
export const PRUNER_IDS = [
  'none',
  'median',
  'percentile',
  'successive_halving',
  'hyperband',
  'patient',
  'threshold',
] as const;
/** A canonical pruner id (a key of tune's PRUNERS). */
export type PrunerId = (typeof PRUNER_IDS)[number];

/** Ray Tune search algorithms (`search_alg` under `backend: 'ray'`): the keys of tune's RAY_SEARCH_ALGS. */
export const RAY_SEARCH_ALG_IDS = ['basic_variant', 'grid', 'hyperopt', 'optuna'] as const;
/** A Ray search algorithm id. */
export type RaySearchAlgId = (typeof RAY_SEARCH_ALG_IDS)[number];

/** Ray Tune schedulers: the keys of tune's SCHEDULERS. */
export const SCHEDULER_IDS = ['fifo', 'asha', 'hyperband'] as const;
/** A Ray scheduler id. */
export type SchedulerId = (typeof SCHEDULER_IDS)[number];

/** Allowed search algorithms and pruners/schedulers per backend. */
export const BACKENDS = {
  optuna: { searchAlgs: SAMPLER_IDS, pruners: PRUNER_IDS },
  ray: { searchAlgs: RAY_SEARCH_ALG_IDS, schedulers: SCHEDULER_IDS },
} as const;

/** A search backend. */
export type Backend = keyof typeof BACKENDS;
/** The backend ids, for forms and enums. */
export const BACKEND_IDS = Object.keys(BACKENDS) as [Backend, ...Backend[]];

/** Default search algorithm and pruner/scheduler per backend (NeuralForecast's defaults). */
export const BACKEND_DEFAULTS = {
  optuna: { search_alg: 'tpe', pruner: 'none' },
  ray: { search_alg: 'basic_variant', scheduler: 'fifo' },
} as const satisfies {
  optuna: { search_alg: SamplerId; pruner: PrunerId };
  ray: { search_alg: RaySearchAlgId; scheduler: SchedulerId };
};

const optionsSchema = z.record(z.string(), z.unknown());

const list = (values: readonly string[]): string => values.join(', ');

/**
 * A search configuration as a spec carries it. Rejects combinations the backend does not have,
 * naming the allowed values (e.g. a Ray searcher such as `hyperopt` under `backend: "optuna"`).
 */
export const searchConfigSchema = z
  .object({
    backend: z.enum(BACKEND_IDS),
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

/** The keys of a spec that make up its search configuration (a run spec carries them at its top level). */
export const SEARCH_CONFIG_KEYS = [
  'backend',
  'search_alg',
  'pruner',
  'scheduler',
  'search_alg_options',
  'pruner_options',
  'scheduler_options',
  'seed',
] as const satisfies readonly (keyof SearchConfig)[];

/** The search configuration of a spec, its keys taken as they are (absent keys stay absent). */
export const pickSearchConfig = <T extends { readonly backend: Backend }>(
  spec: T,
): Pick<SearchConfig, 'backend'> & Partial<SearchConfig> => {
  const out: Record<string, unknown> = {};
  for (const key of SEARCH_CONFIG_KEYS) {
    const value = (spec as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as Pick<SearchConfig, 'backend'> & Partial<SearchConfig>;
};
