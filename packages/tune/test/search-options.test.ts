/** Each sampler, pruner and scheduler owns its option schema; the ids are the contracts' ids; bad options name their field. */
import {
  BACKENDS,
  PRUNER_IDS,
  RAY_SEARCH_ALG_IDS,
  SAMPLER_IDS,
  SCHEDULER_IDS,
  searchConfigSchema,
} from '@nflab/contracts';
import { createSearch, PRUNERS, RAY_SEARCH_ALGS, SAMPLERS, SCHEDULERS, searchProblems } from '@nflab/tune';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe('registries and the contracts id lists', () => {
  it('hold the same ids, and every key is its entry id', () => {
    const registries: [string, Record<string, { id: string }>, readonly string[]][] = [
      ['samplers', SAMPLERS, SAMPLER_IDS],
      ['pruners', PRUNERS, PRUNER_IDS],
      ['schedulers', SCHEDULERS, SCHEDULER_IDS],
      ['ray search algorithms', RAY_SEARCH_ALGS, RAY_SEARCH_ALG_IDS],
    ];
    for (const [name, registry, ids] of registries) {
      expect(sorted(Object.keys(registry)), name).toEqual(sorted(ids));
      for (const [key, entry] of Object.entries(registry)) expect(entry.id, `${name}.${key}`).toBe(key);
    }
    expect(BACKENDS.optuna.searchAlgs).toBe(SAMPLER_IDS);
    expect(BACKENDS.ray.schedulers).toBe(SCHEDULER_IDS);
  });

  // Options a member cannot do without; every other member runs with none.
  const required: Record<string, unknown> = { 'pruner threshold': { upper: 1 } };

  it('every sampler, pruner and scheduler id has an option schema that parses its defaults', () => {
    const all: [string, { options: z.ZodType }][] = [
      ...Object.entries(SAMPLERS).map(([id, e]) => [`sampler ${id}`, e] as [string, { options: z.ZodType }]),
      ...Object.entries(PRUNERS).map(([id, e]) => [`pruner ${id}`, e] as [string, { options: z.ZodType }]),
      ...Object.entries(SCHEDULERS).map(
        ([id, e]) => [`scheduler ${id}`, e] as [string, { options: z.ZodType }],
      ),
    ];
    expect(all).toHaveLength(SAMPLER_IDS.length + PRUNER_IDS.length + SCHEDULER_IDS.length);
    for (const [name, entry] of all) {
      const minimal = (required[name] ?? {}) as Record<string, unknown>;
      expect(entry.options.safeParse(minimal).success, name).toBe(true);
      expect(entry.options.safeParse({ ...minimal, no_such_option: 1 }).success, name).toBe(false);
    }
    expect(PRUNERS.percentile.options.parse({})).toEqual({ percentile: 25 });
    expect(PRUNERS.patient.options.parse({})).toEqual({ patience: 3 });
    expect(SAMPLERS.tpe.options.parse({ n_startup_trials: 4 })).toEqual({ n_startup_trials: 4 });
  });

  it('every Ray search algorithm runs as a registered sampler whose schema accepts its presets', () => {
    for (const alg of Object.values(RAY_SEARCH_ALGS))
      expect(SAMPLERS[alg.sampler].options.safeParse(alg.presets).success, alg.id).toBe(true);
  });

  it('every listed combination creates a search with default options', () => {
    for (const search_alg of BACKENDS.optuna.searchAlgs)
      for (const pruner of BACKENDS.optuna.pruners)
        expect(() =>
          createSearch({
            backend: 'optuna',
            search_alg,
            pruner,
            pruner_options: required[`pruner ${pruner}`] as Record<string, unknown> | undefined,
          }),
        ).not.toThrow();
    for (const search_alg of BACKENDS.ray.searchAlgs)
      for (const scheduler of BACKENDS.ray.schedulers)
        expect(() => createSearch({ backend: 'ray', search_alg, scheduler })).not.toThrow();
  });
});

describe('searchProblems', () => {
  it('names the field of a bad sampler option', () => {
    const problems = searchProblems({
      backend: 'optuna',
      search_alg: 'tpe',
      search_alg_options: { n_startup_trials: -1 },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^search_alg_options\.n_startup_trials: .*>=0.* \(options of search_alg "tpe"\)$/,
    );
  });

  it('names an unknown option and lists the allowed ones', () => {
    expect(searchProblems({ backend: 'optuna', pruner: 'median', pruner_options: { warmup: 2 } })).toEqual([
      expect.stringMatching(
        /^pruner_options: .*"warmup".* \(options of pruner "median"\); allowed: n_startup_trials, n_warmup_steps, interval_steps, n_min_trials$/,
      ),
    ]);
    expect(
      searchProblems({ backend: 'ray', scheduler: 'fifo', scheduler_options: { grace_period: 2 } }),
    ).toEqual([expect.stringMatching(/^scheduler_options: .*"grace_period".*; allowed: no options$/)]);
  });

  it('checks Ray options against the sampler and scheduler they run as', () => {
    expect(
      searchProblems({
        backend: 'ray',
        search_alg: 'hyperopt',
        search_alg_options: { n_ei_candidates: 0 },
      })[0],
    ).toMatch(/^search_alg_options\.n_ei_candidates: .* \(options of search_alg "hyperopt"\)$/);
    expect(
      searchProblems({ backend: 'ray', scheduler: 'asha', scheduler_options: { reduction_factor: 1 } })[0],
    ).toMatch(/^scheduler_options\.reduction_factor: .* \(options of scheduler "asha"\)$/);
    expect(
      searchProblems({
        backend: 'ray',
        scheduler: 'hyperband',
        scheduler_options: { grace_period: 2, max_t: 27, reduction_factor: 3 },
      }),
    ).toEqual([]);
  });

  it('is empty for a good configuration and names the field of a bad combination', () => {
    expect(searchProblems({ backend: 'optuna' })).toEqual([]);
    expect(searchProblems({ backend: 'optuna', pruner: 'threshold' })).toEqual([
      'pruner_options: give lower, upper or both (options of pruner "threshold")',
    ]);
    expect(searchProblems({ backend: 'optuna', search_alg: 'hyperopt' })[0]).toMatch(
      /^search_alg "hyperopt"/,
    );
  });

  it('takes the contracts search config as it is: a parsed config is a valid input', () => {
    const cfg = searchConfigSchema.parse({
      backend: 'optuna',
      search_alg: 'qmc',
      search_alg_options: { scramble: true },
    });
    expect(createSearch(cfg).sampler.id).toBe('qmc');
  });
});
