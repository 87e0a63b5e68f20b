/** Independent uniform sampling (Optuna's RandomSampler; Ray's basic variant generator). */
import { fromUnit, resolveParams } from '../params.js';
import { Rng, randomSeed } from '@nflab/contracts';
import type { Params, SearchSpace } from '../space.js';
import type { Sampler, SampleContext } from './types.js';
import { z } from 'zod';
import { defineSampler, seedOption } from './define-sampler.js';

/** Options of the random sampler. */
export interface RandomSamplerOptions {
  /** @default a random seed */
  readonly seed?: number;
}

/** Samples every active parameter uniformly (log-uniformly when `log`; uniformly over grid points when stepped). */
export const sampleUniform = (space: SearchSpace, fixed: Params, rng: Rng): Params =>
  resolveParams(space, fixed, (_name, spec) => fromUnit(spec, rng.next()));

/** Creates a random sampler. */
export const createRandomSampler = (options: RandomSamplerOptions = {}): Sampler => {
  const seed = options.seed ?? randomSeed();
  return {
    id: 'random',
    sample: (ctx: SampleContext) =>
      sampleUniform(ctx.space, ctx.fixed, new Rng(seed, 'random', ctx.trial.number)),
  };
};

/** The `random` sampler: no options. */
export const random = defineSampler({
  id: 'random',
  exhaustive: false,
  description: 'Independent uniform sampling.',
  options: z.object({}).strict(),
  create: (_o, seed) => createRandomSampler(seedOption(seed)),
});
