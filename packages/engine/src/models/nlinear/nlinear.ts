/**
 * NLinear: subtracts the last observed value, maps the window to the horizon with one linear
 * layer and adds the value back (a guard against distribution shift).
 * @see Zeng et al. (2023), "Are Transformers Effective for Time Series Forecasting?", AAAI. https://arxiv.org/abs/2205.13504
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { nlinearSearchSpace } from './search-space.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { checkDims, toNetwork } from '../network.js';

/** NLinear has no hyperparameters of its own. */
export const nlinearConfigSchema = z.object({});

/** Parsed NLinear config. */
export type NlinearConfig = z.output<typeof nlinearConfigSchema>;

const exogenous = { futr: false, hist: false, stat: false } as const;

/** NeuralForecast's `NLinear`. */
export const nlinear = {
  id: 'nlinear',
  label: 'NLinear',
  description: 'Last-value normalised linear map from window to horizon (Zeng et al., AAAI 2023).',
  family: 'linear',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: nlinearConfigSchema,
  commonDefaults: {
    max_steps: 5000,
    learning_rate: 1e-4,
    num_lr_decays: -1,
    windows_batch_size: 1024,
    inference_windows_batch_size: 1024,
  },
  defaultSearchSpace: nlinearSearchSpace,
  build(_config, dims, seed) {
    checkDims({ label: 'NLinear', exogenous }, dims);
    const { h, inputSize: L, nOutputs: K } = dims;
    const store = createParamStore('nlinear', seed);
    const linear = createLinear(store, { path: 'linear', inFeatures: L, outFeatures: K * h });
    return toNetwork(store, (batch) => {
      const B = batch.insampleY.shape[0];
      const y = tf.reshape(batch.insampleY, [B, L]); // [B, L, 1] -> [B, L]
      const last = tf.slice(y, [0, L - 1], [B, 1]); // [B, 1]
      const out = tf.add(linear.apply(tf.sub(y, last)), last); // [B, L] -> [B, H*K], + [B, 1]
      return tf.reshape(out, [B, h, K]); // [B, H*K] -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<NlinearConfig>;
