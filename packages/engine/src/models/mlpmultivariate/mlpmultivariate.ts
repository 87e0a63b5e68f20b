/**
 * MLPMultivariate: one multilayer perceptron over the flattened windows of every series at once.
 * @see NeuralForecast's `MLPMultivariate` (Rosenblatt, 1958, "The perceptron: a probabilistic model for information storage and organization in the brain").
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { MultivariateBatch, MultivariateDims, MultivariateModelSpec } from '../../model/types.js';
import { createActivation } from '../../nn/activations.js';
import { createLinear } from '../../nn/linear.js';
import { createMlp } from '../../nn/mlp.js';
import { createParamStore } from '../../nn/params.js';
import { checkMultivariateDims, nSeriesSchema, toMultivariateNetwork } from '../multivariate.js';
import { requireInput } from '../network.js';
import { mlpMultivariateSearchSpace } from './search-space.js';

/** MLPMultivariate's own hyperparameters, with NeuralForecast's names and defaults. */
export const mlpMultivariateConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema('MLPMultivariate'),
  /** Number of hidden layers. @default 2 */
  num_layers: z.number().int().min(1).default(2),
  /** Units of every hidden layer. @default 1024 */
  hidden_size: z.number().int().min(1).default(1024),
});

/** Parsed MLPMultivariate config. */
export type MlpMultivariateConfig = z.output<typeof mlpMultivariateConfigSchema>;

/** NeuralForecast's capability table row for MLPMultivariate. */
const exogenous = { futr: true, hist: true, stat: true } as const;

/** Width of the flattened input: N·(L + X·L + F·(L+H) + S). */
export const mlpMultivariateInputSize = (dims: MultivariateDims): number => {
  const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S, nSeries: N } = dims;
  return N * (L + X * L + F * (L + h) + S);
};

/**
 * [B, N·(L+X·L+F·(L+H)+S)]: y [B, L, N], hist [B, X, L, N], futr [B, F, L+H, N] flattened in
 * their own layouts, then the [N, S] statics repeated per window — NeuralForecast's order.
 */
const flatten = (batch: MultivariateBatch, dims: MultivariateDims): tf.Tensor2D => {
  const B = batch.insampleY.shape[0];
  const label = 'MLPMultivariate';
  const parts: tf.Tensor2D[] = [tf.reshape(batch.insampleY, [B, -1])]; // [B, L, N] -> [B, L*N]
  if (dims.histExogSize > 0) parts.push(tf.reshape(requireInput(batch.histExog, 'histExog', label), [B, -1])); // [B, X, L, N] -> [B, X*L*N]
  if (dims.futrExogSize > 0) parts.push(tf.reshape(requireInput(batch.futrExog, 'futrExog', label), [B, -1])); // [B, F, L+H, N] -> [B, F*(L+H)*N]
  if (dims.statExogSize > 0) {
    const stat = tf.reshape(requireInput(batch.statExog, 'statExog', label), [1, -1]); // [N, S] -> [1, N*S]
    parts.push(tf.tile(stat, [B, 1]) as tf.Tensor2D); // [1, N*S] -> [B, N*S]
  }
  return parts.length === 1 ? (parts[0] as tf.Tensor2D) : (tf.concat(parts, 1) as tf.Tensor2D);
};

/** NeuralForecast's `MLPMultivariate`: every series' inputs flattened into one vector, ReLU layers, a linear head for all series. */
export const mlpmultivariate = {
  id: 'mlpmultivariate',
  label: 'MLPMultivariate',
  description: 'Multilayer perceptron over the flattened windows of all series at once (NeuralForecast).',
  family: 'mlp',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: mlpMultivariateConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: mlpMultivariateSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: 'MLPMultivariate', exogenous }, dims);
    const { h, nOutputs: K, nSeries: N } = dims;
    const store = createParamStore('mlpmultivariate', seed);
    const hidden = createMlp(store, {
      path: 'mlp',
      sizes: [
        mlpMultivariateInputSize(dims),
        ...Array.from({ length: config.num_layers }, () => config.hidden_size),
      ],
      activation: createActivation(store, 'mlp/activation', 'ReLU'),
    });
    const out = createLinear(store, { path: 'out', inFeatures: config.hidden_size, outFeatures: h * K * N });
    return toMultivariateNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const y = out.apply(hidden.apply(flatten(batch, dims), ctx)); // [B, in] -> [B, hidden] -> [B, H*N*K]
      return tf.reshape(y, [B, h, N, K]); // [B, H*N*K] -> [B, H, N, K], NeuralForecast's [B, H, N*K] split
    });
  },
} as const satisfies MultivariateModelSpec<MlpMultivariateConfig>;
