/**
 * DLinear: splits the window into a moving-average trend and a remainder and maps each to the
 * horizon with one linear layer.
 * @see Zeng et al. (2023), "Are Transformers Effective for Time Series Forecasting?", AAAI. https://arxiv.org/abs/2205.13504
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { dlinearSearchSpace } from './search-space.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { movingAverageMatrix } from '../../nn/series-decomp.js';
import { checkDims, toNetwork } from '../network.js';

/** DLinear's own hyperparameters, with NeuralForecast's names and defaults. */
export const dlinearConfigSchema = z.object({
  /** Odd window of the moving average that extracts the trend. @default 25 */
  moving_avg_window: z
    .number()
    .int()
    .min(1)
    .refine((k) => k % 2 === 1, {
      message: 'moving_avg_window must be odd (the average is centred), e.g. 25',
    })
    .default(25),
});

/** Parsed DLinear config. */
export type DlinearConfig = z.output<typeof dlinearConfigSchema>;

/** DLinear's trend matrix, shared with Autoformer/FEDformer's series decomposition. */
export { movingAverageMatrix };

const exogenous = { futr: false, hist: false, stat: false } as const;

/** NeuralForecast's `DLinear`. */
export const dlinear = {
  id: 'dlinear',
  label: 'DLinear',
  description: 'Trend/remainder decomposition with one linear map each (Zeng et al., AAAI 2023).',
  family: 'linear',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: dlinearConfigSchema,
  commonDefaults: {
    max_steps: 5000,
    learning_rate: 1e-4,
    num_lr_decays: -1,
    windows_batch_size: 1024,
    inference_windows_batch_size: 1024,
  },
  defaultSearchSpace: dlinearSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'DLinear', exogenous }, dims);
    const { h, inputSize: L, nOutputs: K } = dims;
    const store = createParamStore('dlinear', seed);
    const trendLayer = createLinear(store, { path: 'linear_trend', inFeatures: L, outFeatures: K * h });
    const seasonLayer = createLinear(store, { path: 'linear_season', inFeatures: L, outFeatures: K * h });
    const average = movingAverageMatrix(L, config.moving_avg_window);
    return toNetwork(store, (batch) => {
      const B = batch.insampleY.shape[0];
      const y = tf.reshape(batch.insampleY, [B, L]); // [B, L, 1] -> [B, L]
      const trend = tf.matMul(y, tf.tensor2d(average, [L, L])); // [B, L] x [L, L] -> [B, L]
      const remainder = tf.sub(y, trend); // [B, L]
      const out = tf.add(trendLayer.apply(trend), seasonLayer.apply(remainder)); // [B, H*K]
      return tf.reshape(out, [B, h, K]); // [B, H*K] -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<DlinearConfig>;
