/**
 * Tree-structured Parzen Estimator, a native implementation modelled on Optuna's TPESampler
 * (univariate by default, multivariate on request, constant liar for RUNNING trials). Trials are
 * split into the best γ(n) ("below", l(x)) and the rest ("above", g(x)); n_ei_candidates points are
 * drawn from l and the one maximising log l(x) − log g(x) is chosen.
 * @see Bergstra et al., "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011.
 * @see Watanabe, "Tree-Structured Parzen Estimator: Understanding Its Algorithm Components", 2023.
 */
import { ConfigError } from '@nflab/contracts';
import { resolveParams } from '../../params.js';
import { Rng, randomSeed } from '@nflab/contracts';
import type { CategoricalParam, JsonValue, ParamSpec, SearchSpace } from '../../space.js';
import { jsonKey } from '../../space.js';
import type { Direction, FrozenTrial } from '../../trial.js';
import { lastStep } from '../../trial.js';
import { sampleUniform } from '../random.js';
import type { Sampler, SampleContext } from '../types.js';
import type { ParzenParameters, ParzenSpec } from './parzen.js';
import { ParzenEstimator } from './parzen.js';
import { z } from 'zod';
import { defineSampler, seedOption } from '../define-sampler.js';

/** Options of the TPE sampler (Optuna's names in camelCase, Optuna's defaults). */
export interface TpeOptions {
  /** @default a random seed */
  readonly seed?: number;
  /** Finished (COMPLETE or PRUNED) trials sampled at random before TPE starts. @default 10 */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter (or per joint draw). @default 24 */
  readonly nEiCandidates?: number;
  /** Model the joint distribution of unconditional parameters. @default false */
  readonly multivariate?: boolean;
  /** Treat RUNNING trials' parameters as bad results so parallel workers spread out. @default true */
  readonly constantLiar?: boolean;
  /** @default 1 */
  readonly priorWeight?: number;
  /** @default true */
  readonly considerMagicClip?: boolean;
  /** @default false */
  readonly considerEndpoints?: boolean;
  /** Size of the "below" set from the number of finished trials. @default {@link defaultGamma} */
  readonly gamma?: (n: number) => number;
  /** Observation weights, oldest first. @default {@link defaultWeights} */
  readonly weights?: (n: number) => readonly number[];
}

/** Optuna's default γ: the best 10%, at most 25. */
export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/** hyperopt's γ: ⌈0.25·√n⌉, at most 25. */
export const hyperoptGamma = (n: number): number => Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);

/** Optuna's default weights: 1 for the newest 25, a linear ramp from 1/n up to 1 for older ones. */
export const defaultWeights = (n: number): number[] => {
  const out = new Array<number>(n).fill(1);
  const m = n - 25;
  // np.linspace(1/n, 1, m) for the oldest m = n − 25 observations.
  for (let i = 0; i < m; i++) out[i] = m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1);
  return out;
};

const prunedScore = (t: FrozenTrial, direction: Direction): [number, number] => {
  const step = lastStep(t);
  if (step === undefined) return [1, 0];
  const v = t.intermediateValues[step] as number;
  if (Number.isNaN(v)) return [-step, Infinity];
  return [-step, direction === 'minimize' ? v : -v];
};

/**
 * Optuna's split: the best COMPLETE trials first, then PRUNED ones ranked by how far and how well
 * they got; RUNNING trials always go above. Both lists come back ordered by number (the order the
 * weights ramp over). Ties in value go to the lower number, as a stable sort would.
 */
export const splitTrials = (
  trials: readonly FrozenTrial[],
  nBelow: number,
  direction: Direction,
): [FrozenTrial[], FrozenTrial[]] => {
  let byNumber = trials;
  for (let i = 1; i < trials.length; i++) {
    if ((trials[i] as FrozenTrial).number < (trials[i - 1] as FrozenTrial).number) {
      byNumber = [...trials].sort((a, b) => a.number - b.number);
      break;
    }
  }
  const sign = direction === 'minimize' ? 1 : -1;
  const complete = byNumber.filter((t) => t.state === 'COMPLETE');
  const nc = Math.min(nBelow, complete.length);
  const below = new Set<FrozenTrial>();
  if (nc > 0) {
    // Threshold by a native numeric sort instead of sorting trial objects with a comparator.
    const values = Float64Array.from(complete, (t) => sign * (t.value as number));
    const threshold = values.slice().sort()[nc - 1] as number;
    for (let i = 0; i < complete.length; i++)
      if ((values[i] as number) < threshold) below.add(complete[i] as FrozenTrial);
    for (let i = 0; i < complete.length && below.size < nc; i++)
      if (values[i] === threshold) below.add(complete[i] as FrozenTrial);
  }
  const np = Math.max(0, nBelow - nc);
  if (np > 0) {
    const pruned = byNumber
      .filter((t) => t.state === 'PRUNED')
      .map((t) => ({ t, s: prunedScore(t, direction) }))
      .sort((a, b) => a.s[0] - b.s[0] || a.s[1] - b.s[1]);
    for (const { t } of pruned.slice(0, np)) below.add(t);
  }
  const lower: FrozenTrial[] = [];
  const upper: FrozenTrial[] = [];
  for (const t of byNumber) {
    if (below.has(t)) lower.push(t);
    else if (t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'RUNNING') upper.push(t);
  }
  return [lower, upper];
};

const choiceKeys = new WeakMap<CategoricalParam, Map<string, number>>();

/** Index of a stored categorical value; choice keys are computed once per spec. */
const choiceIndexOf = (spec: CategoricalParam, value: JsonValue | undefined): number | undefined => {
  let keys = choiceKeys.get(spec);
  if (!keys) {
    keys = new Map();
    for (let i = spec.choices.length - 1; i >= 0; i--) keys.set(jsonKey(spec.choices[i] as JsonValue), i);
    choiceKeys.set(spec, keys);
  }
  return keys.get(jsonKey(value));
};

/** Internal value of a stored parameter: the number itself, or the choice index. */
const internal = (spec: ParzenSpec, value: JsonValue | undefined): number | undefined => {
  if (spec.kind === 'categorical') return choiceIndexOf(spec, value);
  return typeof value === 'number' && value >= spec.low && value <= spec.high ? value : undefined;
};

/** Observations per dimension from the trials that have every one of `names`. */
const observe = (
  trials: readonly FrozenTrial[],
  names: readonly string[],
  specs: readonly ParzenSpec[],
): number[][] => {
  const D = names.length;
  const obs: number[][] = names.map(() => []);
  const row = new Array<number>(D);
  next: for (const t of trials) {
    for (let d = 0; d < D; d++) {
      const v = internal(specs[d] as ParzenSpec, t.params[names[d] as string]);
      if (v === undefined) continue next;
      row[d] = v;
    }
    for (let d = 0; d < D; d++) (obs[d] as number[]).push(row[d] as number);
  }
  return obs;
};

/** Creates a TPE sampler. */
export const createTpeSampler = (options: TpeOptions = {}): Sampler => {
  const seed = options.seed ?? randomSeed();
  const nStartup = options.nStartupTrials ?? 10;
  const nEi = options.nEiCandidates ?? 24;
  if (!(Number.isInteger(nStartup) && nStartup >= 0))
    throw new ConfigError(`tpe: n_startup_trials must be an integer >= 0, got ${nStartup}`);
  if (!(Number.isInteger(nEi) && nEi >= 1))
    throw new ConfigError(`tpe: n_ei_candidates must be an integer >= 1, got ${nEi}`);
  const gamma = options.gamma ?? defaultGamma;
  const constantLiar = options.constantLiar ?? true;
  const parzen: ParzenParameters = {
    priorWeight: options.priorWeight ?? 1,
    considerMagicClip: options.considerMagicClip ?? true,
    considerEndpoints: options.considerEndpoints ?? false,
    weights: options.weights ?? defaultWeights,
  };

  const sampleGroup = (
    names: readonly string[],
    specs: readonly ParzenSpec[],
    below: readonly FrozenTrial[],
    above: readonly FrozenTrial[],
    rng: Rng,
  ): JsonValue[] => {
    const l = new ParzenEstimator(specs, observe(below, names, specs), parzen);
    const g = new ParzenEstimator(specs, observe(above, names, specs), parzen);
    const candidates = l.sample(rng, nEi);
    const ll = l.logPdf(candidates);
    const lg = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < candidates.length; i++)
      if ((ll[i] as number) - (lg[i] as number) > (ll[best] as number) - (lg[best] as number)) best = i;
    const chosen = candidates[best] as number[];
    return specs.map((spec, d) =>
      spec.kind === 'categorical' ? (spec.choices[chosen[d] as number] as JsonValue) : (chosen[d] as number),
    );
  };

  return {
    id: 'tpe',
    sample(ctx: SampleContext) {
      const rng = new Rng(seed, 'tpe', ctx.trial.number);
      const finished = ctx.trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED');
      if (finished.length < nStartup) return sampleUniform(ctx.space, ctx.fixed, rng);
      const pool = constantLiar
        ? ctx.trials.filter((t) => t.state !== 'FAIL' && t.state !== 'WAITING')
        : finished;
      const [below, above] = splitTrials(pool, gamma(finished.length), ctx.direction);
      const joint = options.multivariate ? jointSample(ctx.space, ctx, below, above, rng, sampleGroup) : {};
      return resolveParams(ctx.space, ctx.fixed, (name, spec) => {
        if (name in joint) return joint[name] as JsonValue;
        return sampleGroup([name], [spec], below, above, rng)[0] as JsonValue;
      });
    },
  };
};

/** Multivariate TPE samples unconditional searchable parameters jointly (Optuna's relative search space). */
const jointSample = (
  space: SearchSpace,
  ctx: SampleContext,
  below: readonly FrozenTrial[],
  above: readonly FrozenTrial[],
  rng: Rng,
  sampleGroup: (
    names: readonly string[],
    specs: readonly ParzenSpec[],
    below: readonly FrozenTrial[],
    above: readonly FrozenTrial[],
    rng: Rng,
  ) => JsonValue[],
): Record<string, JsonValue> => {
  const names = Object.keys(space).filter((n) => {
    const spec = space[n] as ParamSpec;
    return !spec.when && spec.kind !== 'fixed' && !(n in ctx.fixed);
  });
  if (names.length === 0) return {};
  const values = sampleGroup(
    names,
    names.map((n) => space[n] as ParzenSpec),
    below,
    above,
    rng,
  );
  return Object.fromEntries(names.map((n, i) => [n, values[i] as JsonValue]));
};

/** The `tpe` sampler; options with Optuna's TPESampler names, `gamma: 'hyperopt'` for hyperopt's γ. */
export const tpe = defineSampler({
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
      ...seedOption(seed),
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
