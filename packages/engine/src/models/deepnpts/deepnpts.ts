/**
 * DeepNPTS: an MLP scores every value of the input window for each horizon step; the softmax of the
 * scores weighs the window's values, and the point forecast is that weighted mixture (a learned,
 * non-negative kernel over the past instead of a free regression output).
 * @see Rangapuram et al. (2023), "Deep Non-Parametric Time Series Forecaster", arXiv. https://arxiv.org/abs/2312.14657
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { relu } from '../../nn/activations.js';
import { dropout } from '../../nn/dropout.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { checkDims, requireInput, toNetwork } from '../network.js';
import { createBatchNorm } from '../../nn/batch-norm.js';
import { weightedMixture } from './mixture.js';
import { deepnptsSearchSpace } from './search-space.js';

/** DeepNPTS' own hyperparameters, with NeuralForecast's names and defaults. */
export const deepnptsConfigSchema = z.object({
  /** Units of every dense layer. @default 32 */
  hidden_size: z.number().int().min(1).default(32),
  /** BatchNorm1d after each dense layer's ReLU. @default true */
  batch_norm: z.boolean().default(true),
  /** Dropout after each dense layer. @default 0.1 */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** Number of dense layers. @default 2 */
  n_layers: z.number().int().min(1).default(2),
});

/** Parsed DeepNPTS config. */
export type DeepnptsConfig = z.output<typeof deepnptsConfigSchema>;

const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast's `DeepNPTS`. */
export const deepnpts = {
  id: 'deepnpts',
  label: 'DeepNPTS',
  description:
    'Deep Non-Parametric Time Series Forecaster: a softmax-weighted mixture of past values (Rangapuram et al., 2023).',
  family: 'mlp',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  requiresInsampleY: true,
  pointLossOnly: true,
  configSchema: deepnptsConfigSchema,
  commonDefaults: {
    max_steps: 1000,
    learning_rate: 1e-3,
    num_lr_decays: 3,
    windows_batch_size: 1024,
    inference_windows_batch_size: 1024,
    scaler_type: 'standard',
  },
  defaultSearchSpace: deepnptsSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'DeepNPTS', exogenous }, dims);
    if (dims.nOutputs !== 1) {
      // NeuralForecast: "DeepNPTS only supports point loss functions (MAE, MSE, etc) as loss function."
      throw new ConfigError(
        `DeepNPTS only supports point losses (mae, mse, …); the loss asks for ${dims.nOutputs} outputs per step`,
      );
    }
    const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S } = dims;
    const hidden = config.hidden_size;
    const store = createParamStore('deepnpts', seed);
    // [ (y_t, futr_t, hist_t) for t in window | stat | futr over the horizon ], as NeuralForecast concatenates them.
    const inputDim = L * (1 + F + X) + S + h * F;
    const layers = Array.from({ length: config.n_layers }, (_, i) => ({
      linear: createLinear(store, {
        path: `layer_${i}/linear`,
        inFeatures: i === 0 ? inputDim : hidden,
        outFeatures: hidden,
      }),
      norm: config.batch_norm ? createBatchNorm(store, `layer_${i}/batch_norm`, hidden) : undefined,
    }));
    const out = createLinear(store, { path: 'out', inFeatures: hidden, outFeatures: L * h });
    return toNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const steps: tf.Tensor3D[] = [batch.insampleY]; // [B, L, 1]
      let futr: tf.Tensor3D | undefined;
      if (F > 0) {
        futr = requireInput(batch.futrExog, 'futrExog', 'DeepNPTS'); // [B, L+H, F]
        steps.push(tf.slice(futr, [0, 0, 0], [B, L, F])); // [B, L, F]
      }
      if (X > 0) steps.push(requireInput(batch.histExog, 'histExog', 'DeepNPTS')); // [B, L, X]
      const perStep = steps.length === 1 ? batch.insampleY : tf.concat(steps, 2); // [B, L, 1+F+X]
      const parts: tf.Tensor2D[] = [tf.reshape(perStep, [B, L * (1 + F + X)])]; // -> [B, L*(1+F+X)]
      if (S > 0) parts.push(requireInput(batch.statExog, 'statExog', 'DeepNPTS')); // [B, S]
      if (futr) parts.push(tf.reshape(tf.slice(futr, [0, L, 0], [B, h, F]), [B, h * F])); // [B, H*F]
      let x = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 1); // [B, inputDim]
      for (const { linear, norm } of layers) {
        x = linear.apply(x, relu); // [B, in] -> [B, hidden]
        if (norm) x = norm.apply(x, ctx);
        x = dropout(x, config.dropout, ctx);
      }
      return weightedMixture(out.apply(x), batch.insampleY, h); // [B, L*H] -> [B, H, 1]
    });
  },
} as const satisfies ModelSpec<DeepnptsConfig>;
