/**
 * Parzen estimator of TPE (Optuna's `_ParzenEstimator`): a mixture with one kernel per observed
 * trial plus a prior kernel; numeric kernels are truncated normals in search coordinates (log for
 * log params, cells of width `step` for stepped ones), categorical kernels are smoothed one-hots.
 */
import { fromSearchCoord, searchBounds, stepOf } from '../../params.js';
import type { Rng } from '../../rng.js';
import type { CategoricalParam, NumericParam } from '../../space.js';
import { LOG_SQRT_2PI, logGaussMass, truncnormDraw } from './truncnorm.js';

/** The estimator's knobs (Optuna's `_ParzenEstimatorParameters`). */
export interface ParzenParameters {
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  /** Weights of n observations ordered oldest first. */
  readonly weights: (n: number) => readonly number[];
}

/** A dimension's spec as the estimator sees it. */
export type ParzenSpec = NumericParam | CategoricalParam;

interface NumericDim {
  readonly kind: 'numeric';
  readonly spec: NumericParam;
  readonly low: number;
  readonly high: number;
  readonly step: number | undefined;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** Continuous: log σ + log √(2π) + log mass of the bounds. Discrete: log mass of the bounds. */
  readonly logNorm: Float64Array;
}

interface CategoricalDim {
  readonly kind: 'categorical';
  readonly n: number;
  /** Row-major [kernel][choice] probabilities and their logs. */
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
}

const EPS = 1e-12;

/** Optuna's bandwidth rule: distance to the farther neighbour (bounds count as neighbours), magic-clipped. */
export const computeSigmas = (
  mus: readonly number[],
  low: number,
  high: number,
  p: ParzenParameters,
): Float64Array => {
  const n = mus.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (mus[i] as number) - (mus[j] as number),
  );
  const withEnds = [low, ...order.map((i) => mus[i] as number), high];
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sorted[i] = Math.max(
      (withEnds[i + 1] as number) - (withEnds[i] as number),
      (withEnds[i + 2] as number) - (withEnds[i + 1] as number),
    );
  }
  if (!p.considerEndpoints && withEnds.length >= 4) {
    sorted[0] = (withEnds[2] as number) - (withEnds[1] as number);
    sorted[n - 1] = (withEnds[withEnds.length - 2] as number) - (withEnds[withEnds.length - 3] as number);
  }
  const maxSigma = high - low;
  const minSigma = p.considerMagicClip ? (high - low) / Math.min(100, 1 + (n + 1)) : EPS;
  const sigmas = new Float64Array(n);
  order.forEach((idx, rank) => {
    sigmas[idx] = Math.min(maxSigma, Math.max(minSigma, sorted[rank] as number));
  });
  return sigmas;
};

/** Mixture of product kernels over several dimensions, sampled and evaluated jointly. */
export class ParzenEstimator {
  private readonly dims: (NumericDim | CategoricalDim)[];
  private readonly weights: Float64Array;
  private readonly logWeights: Float64Array;

  /** `observations[d][i]` is trial i's value of dimension d: a number, or a choice index for categoricals. */
  constructor(
    specs: readonly ParzenSpec[],
    observations: readonly (readonly number[])[],
    p: ParzenParameters,
  ) {
    const nObs = observations[0]?.length ?? 0;
    const raw = nObs === 0 ? [1] : [...p.weights(nObs).slice(0, nObs), p.priorWeight];
    const total = raw.reduce((a, b) => a + b, 0);
    this.weights = Float64Array.from(raw, (w) => w / total);
    this.logWeights = this.weights.map(Math.log);
    this.dims = specs.map((spec, d) =>
      spec.kind === 'categorical'
        ? categoricalDim(spec, observations[d] ?? [], p)
        : numericDim(spec, observations[d] ?? [], p),
    );
  }

  /** Draws `size` points; numeric values are parameter values, categoricals are choice indices. */
  sample(rng: Rng, size: number): number[][] {
    const out: number[][] = [];
    for (let s = 0; s < size; s++) {
      const k = rng.weighted(this.weights);
      out.push(
        this.dims.map((dim) => {
          if (dim.kind === 'categorical')
            return rng.weighted(dim.weights.subarray(k * dim.n, (k + 1) * dim.n));
          const mu = dim.mus[k] as number;
          const sigma = dim.sigmas[k] as number;
          const z = truncnormDraw((dim.low - mu) / sigma, (dim.high - mu) / sigma, rng.random());
          return fromSearchCoord(dim.spec, mu + sigma * z);
        }),
      );
    }
    return out;
  }

  /** Log density (mass for discrete dimensions) of each point under the mixture. */
  logPdf(points: readonly (readonly number[])[]): Float64Array {
    const K = this.weights.length;
    const out = new Float64Array(points.length);
    const acc = new Float64Array(K);
    points.forEach((point, c) => {
      acc.set(this.logWeights);
      this.dims.forEach((dim, d) => addLogTerms(dim, point[d] as number, acc));
      let max = -Infinity;
      for (let k = 0; k < K; k++) if ((acc[k] as number) > max) max = acc[k] as number;
      if (max === -Infinity) {
        out[c] = -Infinity;
        return;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp((acc[k] as number) - max);
      out[c] = max + Math.log(sum);
    });
    return out;
  }
}

const numericDim = (spec: NumericParam, obs: readonly number[], p: ParzenParameters): NumericDim => {
  const { low, high } = searchBounds(spec);
  const step = stepOf(spec);
  const coords = obs.map((x) => (spec.log ? Math.log(x) : x));
  const sigmasObs = coords.length === 0 ? new Float64Array(0) : computeSigmas(coords, low, high, p);
  const mus = Float64Array.from([...coords, 0.5 * (low + high)]);
  const sigmas = Float64Array.from([...sigmasObs, high - low]);
  const logNorm = mus.map((mu, k) => {
    const sigma = sigmas[k] as number;
    const mass = logGaussMass((low - mu) / sigma, (high - mu) / sigma);
    return step === undefined ? Math.log(sigma) + LOG_SQRT_2PI + mass : mass;
  });
  return { kind: 'numeric', spec, low, high, step, mus, sigmas, logNorm };
};

const categoricalDim = (
  spec: CategoricalParam,
  obs: readonly number[],
  p: ParzenParameters,
): CategoricalDim => {
  const n = spec.choices.length;
  const K = obs.length === 0 ? 1 : obs.length + 1;
  const weights = new Float64Array(K * n).fill(obs.length === 0 ? 1 / n : p.priorWeight / K);
  obs.forEach((choice, i) => {
    weights[i * n + choice] = (weights[i * n + choice] as number) + 1;
  });
  for (let k = 0; k < K; k++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += weights[k * n + j] as number;
    if (sum > 0) for (let j = 0; j < n; j++) weights[k * n + j] = (weights[k * n + j] as number) / sum;
  }
  return { kind: 'categorical', n, weights, logWeights: weights.map(Math.log) };
};

const addLogTerms = (dim: NumericDim | CategoricalDim, x: number, acc: Float64Array): void => {
  const K = acc.length;
  if (dim.kind === 'categorical') {
    for (let k = 0; k < K; k++) acc[k] = (acc[k] as number) + (dim.logWeights[k * dim.n + x] as number);
    return;
  }
  const { mus, sigmas, logNorm, step, spec } = dim;
  if (step === undefined) {
    const xc = spec.log ? Math.log(x) : x;
    for (let k = 0; k < K; k++) {
      const z = (xc - (mus[k] as number)) / (sigmas[k] as number);
      acc[k] = (acc[k] as number) - 0.5 * z * z - (logNorm[k] as number);
    }
    return;
  }
  const left = spec.log ? Math.log(x - step / 2) : x - step / 2;
  const right = spec.log ? Math.log(x + step / 2) : x + step / 2;
  for (let k = 0; k < K; k++) {
    const mu = mus[k] as number;
    const sigma = sigmas[k] as number;
    acc[k] =
      (acc[k] as number) + logGaussMass((left - mu) / sigma, (right - mu) / sigma) - (logNorm[k] as number);
  }
};
