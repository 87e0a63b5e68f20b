/**
 * CMA-ES (Optuna's CmaEsSampler) over the unconditional int and float parameters, scaled to the
 * unit cube (log parameters in log space; ints rounded, as Optuna does without margin). Each
 * sampled trial records its generation; a generation is told once λ of its trials are COMPLETE,
 * so the state is replayed from storage and workers sharing a study agree on it. Categorical and
 * conditional parameters are sampled at random.
 */
import { fromUnit, resolveParams, toUnit } from '../params.js';
import { Rng, randomSeed } from '@nflab/contracts';
import type { JsonValue, NumericParam } from '../space.js';
import { jsonKey } from '../space.js';
import type { FrozenTrial } from '../trial.js';
import type { CmaState } from './cma-core.js';
import { cmaPoint, defaultPopsize, initCma, tellCma } from './cma-core.js';
import { sampleUniform } from './random.js';
import type { Sampler } from './types.js';
import { z } from 'zod';
import { defineSampler, seedOption } from './define-sampler.js';

/** Options of the CMA-ES sampler. */
export interface CmaEsOptions {
  /** @default a random seed */
  readonly seed?: number;
  /** Initial step size in unit-cube coordinates. @default 1/6 */
  readonly sigma0?: number;
  /** Population λ. @default 4 + ⌊3 ln n⌋ */
  readonly popsize?: number;
  /** Trials sampled at random before CMA-ES starts. @default 1 */
  readonly nStartupTrials?: number;
}

const GEN_KEY = 'cma:generation';

/** Creates a CMA-ES sampler. */
export const createCmaEsSampler = (options: CmaEsOptions = {}): Sampler => {
  const seed = options.seed ?? randomSeed();
  const sigma0 = options.sigma0 ?? 1 / 6;
  const nStartup = options.nStartupTrials ?? 1;
  const states = new Map<string, CmaState>();
  return {
    id: 'cmaes',
    async sample(ctx) {
      const rng = new Rng(seed, 'cmaes', ctx.trial.number);
      const names = Object.entries(ctx.space)
        .filter(([, spec]) => !spec.when && (spec.kind === 'float' || spec.kind === 'int'))
        .map(([name]) => name)
        .filter((name) => !(name in ctx.fixed));
      const completed = ctx.trials.filter((t) => t.state === 'COMPLETE');
      if (names.length === 0 || completed.length < nStartup) return sampleUniform(ctx.space, ctx.fixed, rng);
      const specs = names.map((n) => ctx.space[n] as NumericParam);
      const key = jsonKey(ctx.space as unknown as JsonValue);
      let state =
        states.get(key) ??
        initCma(
          new Array<number>(names.length).fill(0.5),
          sigma0,
          options.popsize ?? defaultPopsize(names.length),
        );
      state = replay(state, completed, names, specs, ctx.direction === 'maximize' ? -1 : 1);
      states.set(key, state);
      const x = drawInside(state, rng);
      await ctx.setSystemAttr(GEN_KEY, state.generation);
      const joint = new Map(
        names.map((n, i) => [n, fromUnit(specs[i] as NumericParam, Math.min(x[i] as number, 1 - 1e-12))]),
      );
      return resolveParams(ctx.space, ctx.fixed, (name, spec) =>
        joint.has(name) ? (joint.get(name) as JsonValue) : fromUnit(spec, rng.next()),
      );
    },
  };
};

/** Tells every generation that has λ COMPLETE trials, in order. */
const replay = (
  start: CmaState,
  completed: readonly FrozenTrial[],
  names: readonly string[],
  specs: readonly NumericParam[],
  sign: number,
): CmaState => {
  let state = start;
  for (;;) {
    const gen = completed.filter(
      (t) =>
        t.systemAttrs[GEN_KEY] === state.generation && names.every((n) => typeof t.params[n] === 'number'),
    );
    if (gen.length < state.lambda) return state;
    const solutions = gen
      .sort((a, b) => a.number - b.number)
      .slice(0, state.lambda)
      .map((t) => ({
        x: names.map((n, i) => toUnit(specs[i] as NumericParam, t.params[n] as number)),
        value: sign * (t.value as number),
      }));
    state = tellCma(state, solutions);
  }
};

/** Resamples up to 100 times for a point inside the unit cube, then clips (as the cmaes library does). */
const drawInside = (state: CmaState, rng: Rng): number[] => {
  let x: number[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    x = cmaPoint(
      state,
      Array.from({ length: state.n }, () => rng.normal()),
    );
    if (x.every((v) => v >= 0 && v <= 1)) return x;
  }
  return x.map((v) => Math.min(1, Math.max(0, v)));
};

/** The `cmaes` sampler; options `sigma0`, `popsize`, `n_startup_trials` (Optuna's names). */
export const cmaes = defineSampler({
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
      ...seedOption(seed),
      ...(o.sigma0 === undefined ? {} : { sigma0: o.sigma0 }),
      ...(o.popsize === undefined ? {} : { popsize: o.popsize }),
      ...(o.n_startup_trials === undefined ? {} : { nStartupTrials: o.n_startup_trials }),
    }),
});
