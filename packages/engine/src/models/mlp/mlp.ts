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
import { flattenWindow, flatWindowSize } from '../flat-window.js';
import { checkDims, toNetwork } from '../network.js';

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
  categoricalExogenous: true,
  configSchema: mlpConfigSchema,
  // NeuralForecast's MLP keeps BaseModel's training defaults except the windows batch.
  commonDefaults: { windows_batch_size: 1024 },
  defaultSearchSpace: mlpSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'MLP', exogenous }, dims);
    const { h, nOutputs: K } = dims;
    const store = createParamStore('mlp', seed);
    const inFeatures = flatWindowSize(dims);
    const hidden = createMlp(store, {
      path: 'mlp',
      sizes: [inFeatures, ...Array.from({ length: config.num_layers }, () => config.hidden_size)],
      activation: createActivation(store, 'mlp/activation', 'ReLU'),
    });
    const out = createLinear(store, { path: 'out', inFeatures: config.hidden_size, outFeatures: h * K });
    return toNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const x = flattenWindow(batch, dims, 'MLP'); // [B, in]
      const y = out.apply(hidden.apply(x, ctx)); // [B, in] -> [B, hidden] -> [B, H*K]
      return tf.reshape(y, [B, h, K]); // [B, H*K] -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<MlpConfig>;
