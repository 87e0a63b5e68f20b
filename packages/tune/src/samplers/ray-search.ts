/**
 * Ray Tune's search algorithms (`search_alg` under `backend: 'ray'`) as native samplers: Ray's
 * basic_variant is random search, hyperopt and Ray's OptunaSearch are TPE (hyperopt with
 * hyperopt's γ and 20 startup trials). `search_alg_options` are the sampler's own options, laid
 * over the preset. The ids are the contracts' RAY_SEARCH_ALG_IDS.
 */
import type { RaySearchAlgId, SamplerId } from '@nflab/contracts';

/** One Ray search algorithm: the sampler it runs as and the options it presets. */
export interface RaySearchAlgEntry {
  readonly id: string;
  /** One line for UIs and docs. */
  readonly description: string;
  readonly sampler: SamplerId;
  readonly presets: Readonly<Record<string, unknown>>;
}

/** Every Ray search algorithm by persisted id. */
export const RAY_SEARCH_ALGS = {
  basic_variant: {
    id: 'basic_variant',
    description: "Ray's basic variant generator: random search.",
    sampler: 'random',
    presets: {},
  },
  grid: { id: 'grid', description: 'Grid search over a finite space.', sampler: 'grid', presets: {} },
  hyperopt: {
    id: 'hyperopt',
    description: "HyperOpt's TPE: hyperopt's γ and 20 startup trials.",
    sampler: 'tpe',
    presets: { gamma: 'hyperopt', n_startup_trials: 20 },
  },
  optuna: { id: 'optuna', description: "Ray's OptunaSearch: Optuna's TPE.", sampler: 'tpe', presets: {} },
} as const satisfies Record<RaySearchAlgId, RaySearchAlgEntry>;
