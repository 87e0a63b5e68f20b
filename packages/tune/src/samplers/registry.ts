/**
 * Every sampler, keyed by its persisted id: one line per sampler. Options are snake_case JSON
 * (Optuna's argument names) so specs store and travel as they are.
 */
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import { createBruteForceSampler } from './brute-force.js';
import { createCmaEsSampler } from './cmaes.js';
import { createGridSampler } from './grid.js';
import { createQmcSampler } from './qmc.js';
import { createRandomSampler } from './random.js';
import { createTpeSampler, defaultGamma, hyperoptGamma } from './tpe/tpe.js';
import type { Sampler } from './types.js';

/** A registered sampler: its options schema and a factory. */
export interface SamplerEntry<S extends z.ZodType = z.ZodType> {
  readonly id: string;
  /** One line for UIs and docs. */
  readonly description: string;
  /** Visits each point of a finite space once and needs a finite space (no continuous floats). */
  readonly exhaustive: boolean;
  readonly options: S;
  readonly create: (options: z.output<S>, seed: number | undefined) => Sampler;
}

const entry = <S extends z.ZodType>(e: SamplerEntry<S>): SamplerEntry<S> => e;
const seedOpt = (seed: number | undefined): { seed?: number } => (seed === undefined ? {} : { seed });

const random = entry({
  id: 'random',
  exhaustive: false,
  description: 'Independent uniform sampling.',
  options: z.object({}).strict(),
  create: (_o, seed) => createRandomSampler(seedOpt(seed)),
});
const grid = entry({
  id: 'grid',
  exhaustive: true,
  description: 'Every point of a finite space exactly once, shared safely between workers.',
  options: z.object({ ordered: z.boolean().optional() }).strict(),
  create: (o, seed) =>
    createGridSampler({ ...seedOpt(seed), ...(o.ordered === undefined ? {} : { ordered: o.ordered }) }),
});
const tpe = entry({
  id: 'tpe',
  exhaustive: false,
  description:
    'Tree-structured Parzen Estimator (Optuna semantics), univariate or multivariate, constant liar.',
  options: z
    .object({
      n_startup_trials: z.number().int().min(0).optional(),
      n_ei_candidates: z.number().int().min(1).optional(),
      multivariate: z.boolean().optional(),
      constant_liar: z.boolean().optional(),
      prior_weight: z.number().positive().optional(),
      consider_magic_clip: z.boolean().optional(),
      consider_endpoints: z.boolean().optional(),
      gamma: z.enum(['default', 'hyperopt']).optional(),
    })
    .strict(),
  create: (o, seed) =>
    createTpeSampler({
      ...seedOpt(seed),
      ...(o.n_startup_trials === undefined ? {} : { nStartupTrials: o.n_startup_trials }),
      ...(o.n_ei_candidates === undefined ? {} : { nEiCandidates: o.n_ei_candidates }),
      ...(o.multivariate === undefined ? {} : { multivariate: o.multivariate }),
      ...(o.constant_liar === undefined ? {} : { constantLiar: o.constant_liar }),
      ...(o.prior_weight === undefined ? {} : { priorWeight: o.prior_weight }),
      ...(o.consider_magic_clip === undefined ? {} : { considerMagicClip: o.consider_magic_clip }),
      ...(o.consider_endpoints === undefined ? {} : { considerEndpoints: o.consider_endpoints }),
      gamma: o.gamma === 'hyperopt' ? hyperoptGamma : defaultGamma,
    }),
});
const qmc = entry({
  id: 'qmc',
  exhaustive: false,
  description: 'Quasi-Monte Carlo: scrambled Sobol or Halton points.',
  options: z
    .object({ qmc_type: z.enum(['sobol', 'halton']).optional(), scramble: z.boolean().optional() })
    .strict(),
  create: (o, seed) =>
    createQmcSampler({
      ...seedOpt(seed),
      ...(o.qmc_type === undefined ? {} : { qmcType: o.qmc_type }),
      ...(o.scramble === undefined ? {} : { scramble: o.scramble }),
    }),
});
const cmaes = entry({
  id: 'cmaes',
  exhaustive: false,
  description: 'CMA-ES over numeric parameters (categoricals sampled at random).',
  options: z
    .object({
      sigma0: z.number().positive().optional(),
      popsize: z.number().int().min(2).optional(),
      n_startup_trials: z.number().int().min(0).optional(),
    })
    .strict(),
  create: (o, seed) =>
    createCmaEsSampler({
      ...seedOpt(seed),
      ...(o.sigma0 === undefined ? {} : { sigma0: o.sigma0 }),
      ...(o.popsize === undefined ? {} : { popsize: o.popsize }),
      ...(o.n_startup_trials === undefined ? {} : { nStartupTrials: o.n_startup_trials }),
    }),
});
const bruteforce = entry({
  id: 'bruteforce',
  exhaustive: true,
  description: 'Every combination of a finite space, in random order.',
  options: z.object({}).strict(),
  create: (_o, seed) => createBruteForceSampler(seedOpt(seed)),
});

/** Every sampler by persisted id. */
export const SAMPLERS = { random, grid, tpe, qmc, cmaes, bruteforce } as const satisfies Record<
  string,
  SamplerEntry
>;

/** A sampler id. */
export type SamplerId = keyof typeof SAMPLERS;

/** Creates a sampler from its id and JSON options; ConfigError names unknown ids and bad options. */
export const createSampler = (id: string, options: unknown = {}, seed?: number): Sampler => {
  const found = (SAMPLERS as Record<string, SamplerEntry>)[id];
  if (!found) throw new ConfigError(`unknown sampler "${id}"; allowed: ${Object.keys(SAMPLERS).join(', ')}`);
  const parsed = found.options.safeParse(options ?? {});
  if (!parsed.success)
    throw new ConfigError(
      `sampler "${id}" options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'} ${i.message}`).join('; ')}`,
    );
  return found.create(parsed.data, seed);
};
