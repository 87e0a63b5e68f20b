/** DistributionLoss: negative log-likelihood of a parametric distribution, sampled quantiles as forecast. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { Rng } from '@nflab/contracts';
import { defineLoss } from './define-loss.js';
import type { DistributionFamily, DistributionName } from './distributions/family.js';
import { negativeBinomial } from './distributions/negative-binomial.js';
import { normal } from './distributions/normal.js';
import { poisson } from './distributions/poisson.js';
import { studentT } from './distributions/student-t.js';
import { levelSchema, quantilesSchema } from './param-schemas.js';
import { observedTargets } from './point-loss.js';
import { levelToOutputs, quantilesToOutputs } from './quantile-outputs.js';
import { sortAscending, sortedQuantile } from '../scalers/quantile.js';
import type { Loss, WindowScale } from './types.js';
import { weightedAverage } from './weighted-mean.js';

/** The supported families, keyed by NeuralForecast's names. */
export const DISTRIBUTIONS = {
  Normal: normal,
  StudentT: studentT,
  Poisson: poisson,
  NegativeBinomial: negativeBinomial,
} as const satisfies Record<DistributionName, DistributionFamily>;

const DISTRIBUTION_NAMES = Object.keys(DISTRIBUTIONS) as DistributionName[];

/** Accepts NeuralForecast's names in any case (`'studentt'` -> `'StudentT'`). */
const distributionSchema = z.preprocess(
  (v) =>
    typeof v === 'string' ? (DISTRIBUTION_NAMES.find((n) => n.toLowerCase() === v.toLowerCase()) ?? v) : v,
  z.enum(DISTRIBUTION_NAMES as [DistributionName, ...DistributionName[]], {
    error: `must be one of ${DISTRIBUTION_NAMES.join(', ')}`,
  }),
);

/** Splits raw outputs [B, H, K] into K tensors [B, H, 1] and decouples them. */
function decoupled(family: DistributionFamily, yHat: tf.Tensor3D, scale: WindowScale): tf.Tensor3D[] {
  // [B, H, K] -> K x [B, H, 1]; slices rather than tf.split, whose gradient fails when K is 1.
  const raw = family.paramNames.map((_, k) => tf.slice(yHat, [0, 0, k], [-1, -1, 1]));
  return family.decouple(raw, scale);
}

/** Options of {@link sampleForecast}. */
interface SampleOptions {
  readonly family: DistributionFamily;
  readonly quantiles: readonly number[];
  readonly numSamples: number;
  readonly seed: number;
  /** [B, H, 1] analytic means to report instead of the sample mean. */
  readonly mean?: tf.Tensor3D;
}

/**
 * `numSamples` draws for each of the B·H steps, step after step from one seeded stream, as
 * [steps × numSamples] (row-major).
 */
function drawSamples(
  family: DistributionFamily,
  params: readonly tf.Tensor3D[],
  numSamples: number,
  seed: number,
): Float64Array {
  const first = params[0] as tf.Tensor3D;
  const steps = first.shape[0] * first.shape[1];
  // Forecasting is outside the training step, so a synchronous read is acceptable here.
  const values = params.map((p) => p.dataSync());
  const draws = new Float64Array(steps * numSamples);
  const rng = new Rng(seed, 'forecast-samples');
  const stepParams = new Array<number>(values.length);
  for (let i = 0; i < steps; i += 1) {
    values.forEach((v, k) => (stepParams[k] = v[i] as number));
    for (let s = 0; s < numSamples; s += 1) draws[i * numSamples + s] = family.draw(rng, stepParams);
  }
  return draws;
}

/**
 * Draws `numSamples` per step and returns [B, H, 1 + Q]: the sample mean, then the empirical
 * quantiles with linear interpolation (torch.quantile's default), as NeuralForecast's `sample`.
 */
function sampleForecast(params: readonly tf.Tensor3D[], options: SampleOptions): tf.Tensor3D {
  const [b, h] = (params[0] as tf.Tensor3D).shape;
  const { numSamples } = options;
  const draws = drawSamples(options.family, params, numSamples, options.seed);
  const means = options.mean?.dataSync();
  const width = 1 + options.quantiles.length;
  const out = new Float32Array(b * h * width);
  for (let i = 0; i < b * h; i += 1) {
    const stepDraws = Array.from(draws.subarray(i * numSamples, (i + 1) * numSamples));
    const sorted = sortAscending(stepDraws);
    out[i * width] = means ? (means[i] as number) : stepDraws.reduce((a, d) => a + d, 0) / numSamples;
    options.quantiles.forEach((q, j) => (out[i * width + 1 + j] = sortedQuantile(sorted, q)));
  }
  return tf.tensor3d(out, [b, h, width]);
}

/**
 * NeuralForecast's `DistributionLoss(distribution, level=[80, 90], quantiles=None, num_samples=1000)`.
 * `compute` takes y in the original space and returns the masked mean negative log-likelihood;
 * `domainMap` is the identity because the domain maps (softplus, offsets) need the window's loc /
 * scale and run in the scale decoupling, as in NeuralForecast. Forecast columns: `''` (sample mean),
 * then `-median`, `-lo-X`, `-hi-X` (from `level`, or from the sorted `quantiles`).
 */
export const distributionloss = defineLoss({
  id: 'distributionloss',
  label: 'DistributionLoss',
  description:
    'Negative log-likelihood of Normal, StudentT, Poisson or NegativeBinomial; quantiles by sampling.',
  paramsSchema: z
    .object({
      distribution: distributionSchema,
      level: levelSchema.default([80, 90]),
      quantiles: quantilesSchema.optional(),
      num_samples: z
        .number({ error: 'must be a positive integer' })
        .int({ error: 'must be a positive integer' })
        .min(1, { error: 'must be a positive integer' })
        .default(1000),
    })
    .strict(),
  create: ({ distribution, level, quantiles, num_samples: numSamples }): Loss => {
    const family = DISTRIBUTIONS[distribution];
    const outputs =
      quantiles === undefined ? levelToOutputs(level) : quantilesToOutputs(sortAscending(quantiles));
    return {
      id: 'distributionloss',
      label: 'DistributionLoss',
      outputSize: family.paramNames.length,
      outputNames: ['', ...outputs.names],
      pointIndex: 0,
      isDistribution: true,
      domainMap: (raw) => tf.clone(raw),
      compute: ({ y, yHat, mask, scale }) =>
        tf.tidy(() => {
          const params = decoupled(family, yHat, scale);
          // 0 lies in every family's support, so masked steps stay finite before they are weighted out.
          return weightedAverage(tf.neg(family.logProb(observedTargets(y, mask), params)), mask);
        }),
      forecast: (yHat, scale, options) => {
        const params = tf.tidy(() => decoupled(family, yHat, scale));
        const mean = options.analyticMean ? (tf.tidy(() => family.mean(params)) as tf.Tensor3D) : undefined;
        try {
          return sampleForecast(params, {
            family,
            quantiles: outputs.quantiles,
            numSamples: options.numSamples ?? numSamples,
            seed: options.seed,
            ...(mean ? { mean } : {}),
          });
        } finally {
          tf.dispose([...params, ...(mean ? [mean] : [])]);
        }
      },
      mean: (yHat, scale) => tf.tidy(() => family.mean(decoupled(family, yHat, scale)) as tf.Tensor3D),
      quantiles: outputs.quantiles,
      numSamples,
      sample: (yHat, scale, options) => {
        const params = tf.tidy(() => decoupled(family, yHat, scale));
        try {
          const [b, h] = (params[0] as tf.Tensor3D).shape;
          const draws = drawSamples(family, params, options.numSamples, options.seed);
          return tf.tensor3d(Float32Array.from(draws), [b, h, options.numSamples]);
        } finally {
          tf.dispose(params);
        }
      },
    };
  },
});
