/**
 * Quasi-Monte Carlo sampling (Optuna's QMCSampler): trial n takes point n of a Sobol or Halton
 * sequence over the unconditional parameters, so evaluated points cover the space evenly.
 * Conditional parameters are sampled at random. Workers sharing a study must share the seed,
 * since the seed fixes the scrambling.
 */
import { fromUnit, resolveParams } from '../params.js';
import { Rng, randomSeed } from '@nflab/contracts';
import type { QmcSequence } from './qmc-sequences.js';
import { halton, sobol } from './qmc-sequences.js';
import { spaceKey } from './types.js';
import type { Sampler } from './types.js';
import { z } from 'zod';
import { defineSampler, seedOption } from './define-sampler.js';

/** Options of the QMC sampler. */
export interface QmcOptions {
  /** @default a random seed (give one when several workers share a study) */
  readonly seed?: number;
  /** @default 'sobol' */
  readonly qmcType?: 'sobol' | 'halton';
  /** @default true */
  readonly scramble?: boolean;
}

/** Creates a QMC sampler. */
export const createQmcSampler = (options: QmcOptions = {}): Sampler => {
  const seed = options.seed ?? randomSeed();
  const type = options.qmcType ?? 'sobol';
  const scramble = options.scramble ?? true;
  const cache = new Map<string, { names: string[]; seq: QmcSequence }>();
  return {
    id: 'qmc',
    sample(ctx) {
      let plan = cache.get(spaceKey(ctx.space));
      if (!plan) {
        const names = Object.entries(ctx.space)
          .filter(([, spec]) => !spec.when && spec.kind !== 'fixed')
          .map(([name]) => name);
        plan = { names, seq: (type === 'sobol' ? sobol : halton)(names.length, scramble, seed) };
        cache.set(spaceKey(ctx.space), plan);
      }
      const u = plan.seq.point(ctx.trial.number);
      const dim = new Map(plan.names.map((n, i) => [n, u[i] as number]));
      const rng = new Rng(seed, 'qmc', ctx.trial.number);
      return resolveParams(ctx.space, ctx.fixed, (name, spec) => fromUnit(spec, dim.get(name) ?? rng.next()));
    },
  };
};

/** The `qmc` sampler; options `qmc_type` and `scramble` (Optuna's names). */
export const qmc = defineSampler({
  id: 'qmc',
  exhaustive: false,
  description: 'Quasi-Monte Carlo: scrambled Sobol or Halton points.',
  options: z
    .object({ qmc_type: z.enum(['sobol', 'halton']).optional(), scramble: z.boolean().optional() })
    .strict(),
  create: (o, seed) =>
    createQmcSampler({
      ...seedOption(seed),
      ...(o.qmc_type === undefined ? {} : { qmcType: o.qmc_type }),
      ...(o.scramble === undefined ? {} : { scramble: o.scramble }),
    }),
});
