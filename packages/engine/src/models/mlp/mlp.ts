/**
 * MLP: a plain multilayer perceptron over the flattened input window and exogenous variables.
 * @see Rosenblatt (1958), "The perceptron: a probabilistic model for information storage and organization in the brain"; NeuralForecast's `MLP`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { mlpSearchSpace } from './search-space.js';
import { createActivation } from '../../nn/activations.js';
import { createLinear } from '../../nn/linear.js';
import { createMlp } from '../../nn/mlp.js';
import { createParamStore } from '../../nn/params.js';
import { checkDims, requireInput, toNetwork } from '../network.js';

/** MLP's own hyperparameters, with NeuralForecast's names and defaults. */
export const mlpConfigSchema = z.object({
  /** Number of hidden layers. @default 2 */
  num_layers: z.number().int().min(1).default(2),
  /** Units of every hidden layer. @default 1024 */
  hidden_size: z.number().int().min(1).default(1024),
});

/** Parsed MLP config. */
export type MlpConfig = z.output<typeof mlpConfigSchema>;

/** NeuralForecast's capability table row for MLP. */
const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast's `MLP`: every input flattened into one vector, ReLU hidden layers, a linear head. */
export const mlp = {
  id: 'mlp',
  label: 'MLP',
  description: 'Multilayer perceptron over the flattened window and exogenous inputs (Rosenblatt, 1958).',
  family: 'mlp',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: mlpConfigSchema,
  // NeuralForecast's MLP keeps BaseModel's training defaults except the windows batch.
  commonDefaults: { windows_batch_size: 1024 },
  defaultSearchSpace: mlpSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'MLP', exogenous }, dims);
    const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S, nOutputs: K } = dims;
    const store = createParamStore('mlp', seed);
    // [ y_{t-L..t} | hist (L*X) | futr ((L+H)*F) | stat S ], as NeuralForecast concatenates them.
    const inFeatures = L + X * L + F * (L + h) + S;
    const hidden = createMlp(store, {
      path: 'mlp',
      sizes: [inFeatures, ...Array.from({ length: config.num_layers }, () => config.hidden_size)],
      activation: createActivation(store, 'mlp/activation', 'ReLU'),
    });
    const out = createLinear(store, { path: 'out', inFeatures: config.hidden_size, outFeatures: h * K });
    return toNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const parts: tf.Tensor2D[] = [tf.reshape(batch.insampleY, [B, L])]; // [B, L, 1] -> [B, L]
      if (X > 0) parts.push(tf.reshape(requireInput(batch.histExog, 'histExog', 'MLP'), [B, L * X])); // [B, L, X] -> [B, L*X]
      if (F > 0) parts.push(tf.reshape(requireInput(batch.futrExog, 'futrExog', 'MLP'), [B, (L + h) * F])); // [B, L+H, F] -> [B, (L+H)*F]
      if (S > 0) parts.push(requireInput(batch.statExog, 'statExog', 'MLP')); // [B, S]
      const x = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 1); // [B, in]
      const y = out.apply(hidden.apply(x, ctx)); // [B, in] -> [B, hidden] -> [B, H*K]
      return tf.reshape(y, [B, h, K]); // [B, H*K] -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<MlpConfig>;
