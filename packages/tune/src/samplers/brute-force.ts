/**
 * Brute force (Optuna's BruteForceSampler): every combination of a finite space, conditional
 * branches expanded only where active, each exactly once, chosen at random among those not yet
 * tried (claimed through storage, so parallel workers never repeat one).
 */
import { enumerateSpace } from '../params.js';
import { Rng, randomSeed } from '@nflab/contracts';
import type { Params, SearchSpace } from '../space.js';
import { allTaken, claimPoint } from './grid.js';
import { spaceKey } from './types.js';
import type { Sampler } from './types.js';
import { z } from 'zod';
import { defineSampler, seedOption } from './define-sampler.js';

/** Options of the brute-force sampler. */
export interface BruteForceOptions {
  /** @default a random seed */
  readonly seed?: number;
}

/** Creates a brute-force sampler. */
export const createBruteForceSampler = (options: BruteForceOptions = {}): Sampler => {
  const seed = options.seed ?? randomSeed();
  const cache = new Map<string, Params[]>();
  const pointsFor = (space: SearchSpace): Params[] => {
    let points = cache.get(spaceKey(space));
    if (!points) {
      points = enumerateSpace(space);
      cache.set(spaceKey(space), points);
    }
    return points;
  };
  return {
    id: 'bruteforce',
    isExhausted: (space, trials) => allTaken('bruteforce', pointsFor(space).length, trials),
    async sample(ctx) {
      const points = pointsFor(ctx.space);
      // A fresh random order per trial: each trial picks uniformly among the untried combinations.
      return claimPoint(
        ctx,
        'bruteforce',
        points,
        new Rng(seed, 'bruteforce', ctx.trial.number).permutation(points.length),
      );
    },
  };
};

/** The `bruteforce` sampler: no options. */
export const bruteforce = defineSampler({
  id: 'bruteforce',
  exhaustive: true,
  description: 'Every combination of a finite space, in random order.',
  options: z.object({}).strict(),
  create: (_o, seed) => createBruteForceSampler(seedOption(seed)),
});
