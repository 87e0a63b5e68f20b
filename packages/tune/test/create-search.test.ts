import { BACKENDS, searchConfigSchema } from '@nflab/contracts';
import { createSearch } from '@nflab/tune';
import { describe, expect, it } from 'vitest';

describe('backend vocabulary', () => {
  it('accepts every listed combination', () => {
    for (const alg of BACKENDS.optuna.searchAlgs)
      for (const pruner of BACKENDS.optuna.pruners)
        expect(searchConfigSchema.safeParse({ backend: 'optuna', search_alg: alg, pruner }).success).toBe(
          true,
        );
    for (const alg of BACKENDS.ray.searchAlgs)
      for (const scheduler of BACKENDS.ray.schedulers)
        expect(searchConfigSchema.safeParse({ backend: 'ray', search_alg: alg, scheduler }).success).toBe(
          true,
        );
  });

  it('rejects a Ray searcher under optuna, naming the allowed values', () => {
    const r = searchConfigSchema.safeParse({ backend: 'optuna', search_alg: 'hyperopt' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(
      'search_alg "hyperopt" is not available with backend "optuna"; allowed: tpe, random, cmaes, qmc, grid, bruteforce',
    );
    expect(
      searchConfigSchema.safeParse({ backend: 'ray', search_alg: 'cmaes' }).error?.issues[0]?.message,
    ).toMatch(/allowed: basic_variant, grid, hyperopt, optuna/);
    expect(
      searchConfigSchema.safeParse({ backend: 'optuna', scheduler: 'asha' }).error?.issues[0]?.message,
    ).toMatch(/takes a pruner, not a scheduler/);
    expect(
      searchConfigSchema.safeParse({ backend: 'ray', pruner: 'median' }).error?.issues[0]?.message,
    ).toMatch(/takes a scheduler, not a pruner/);
    expect(
      searchConfigSchema.safeParse({ backend: 'ray', scheduler: 'median' }).error?.issues[0]?.message,
    ).toMatch(/allowed: fifo, asha, hyperband/);
  });
});

describe('createSearch', () => {
  it('maps both vocabularies onto native samplers and pruners', () => {
    expect(createSearch({ backend: 'optuna' })).toMatchObject({
      sampler: { id: 'tpe' },
      pruner: { id: 'none' },
    });
    expect(
      createSearch({ backend: 'optuna', search_alg: 'cmaes', pruner: 'hyperband', seed: 3 }),
    ).toMatchObject({ sampler: { id: 'cmaes' }, pruner: { id: 'hyperband' } });
    expect(createSearch({ backend: 'ray' })).toMatchObject({
      sampler: { id: 'random' },
      pruner: { id: 'none' },
    });
    expect(createSearch({ backend: 'ray', search_alg: 'hyperopt', scheduler: 'asha' })).toMatchObject({
      sampler: { id: 'tpe' },
      pruner: { id: 'successive_halving' },
    });
    expect(
      createSearch({
        backend: 'ray',
        search_alg: 'optuna',
        scheduler: 'hyperband',
        scheduler_options: { grace_period: 2, max_t: 27 },
      }),
    ).toMatchObject({ sampler: { id: 'tpe' }, pruner: { id: 'hyperband' } });
    expect(createSearch({ backend: 'ray', search_alg: 'grid' }).sampler.id).toBe('grid');
  });

  it('throws ConfigError for incompatible combinations and bad options', () => {
    expect(() => createSearch({ backend: 'optuna', search_alg: 'basic_variant' })).toThrow(
      /allowed: tpe, random/,
    );
    expect(() =>
      createSearch({ backend: 'optuna', pruner: 'median', pruner_options: { n_startup_trials: -2 } }),
    ).toThrow(/n_startup_trials/);
  });
});
