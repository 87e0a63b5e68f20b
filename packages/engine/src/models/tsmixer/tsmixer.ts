/**
 * TSMixer: stacked time- and feature-mixing MLPs over all series at once, with RevIN around them.
 * @see Chen et al. (2023), "TSMixer: An All-MLP Architecture for Time Series Forecasting". http://arxiv.org/abs/2303.06053
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { MultivariateModelSpec } from '../../model/types.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { createRevin } from '../../nn/revin.js';
import { checkMultivariateDims, nSeriesSchema, toMultivariateNetwork } from '../multivariate.js';
import { createMixingLayer } from './mixing.js';
import { tsmixerSearchSpace } from './search-space.js';

/** TSMixer's own hyperparameters, with NeuralForecast's names and defaults. */
export const tsmixerConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema('TSMixer'),
  /** Mixing layers. @default 2 */
  n_block: z.number().int().min(1).default(2),
  /** Hidden units of the feature MLP. @default 64 */
  ff_dim: z.number().int().min(1).default(64),
  /** Dropout rate of the mixing layers. @default 0.9 */
  dropout: z.number().min(0).max(1).default(0.9),
  /** Reversible instance normalisation (learnable, per series) around the network. @default true */
  revin: z.boolean().default(true),
});

/** Parsed TSMixer config. */
export type TsmixerConfig = z.output<typeof tsmixerConfigSchema>;

/** NeuralForecast's capability table row for TSMixer: no exogenous variables. */
const exogenous = { futr: false, hist: false, stat: false } as const;

/** NeuralForecast's `TSMixer`. */
export const tsmixer = {
  id: 'tsmixer',
  label: 'TSMixer',
  description: 'All-MLP mixing of time and series, with RevIN (Chen et al., 2023).',
  family: 'mlp',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: tsmixerConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: tsmixerSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: 'TSMixer', exogenous }, dims);
    const { h, inputSize: L, nOutputs: K, nSeries: N } = dims;
    const store = createParamStore('tsmixer', seed);
    const norm = config.revin
      ? createRevin(store, { path: 'norm', numFeatures: N, affine: true, exactAffineInverse: true })
      : undefined;
    const layers = Array.from({ length: config.n_block }, (_, i) =>
      createMixingLayer(store, {
        path: `mixing_${i}`,
        steps: L,
        channels: N,
        ffDim: config.ff_dim,
        dropout: config.dropout,
      }),
    );
    const out = createLinear(store, { path: 'out', inFeatures: L, outFeatures: h * K });
    return toMultivariateNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const normalized = norm?.normalize(batch.insampleY);
      let x = normalized?.normalized ?? batch.insampleY; // [B, L, N]
      for (const layer of layers) x = layer.apply(x, ctx);
      let y = tf.transpose(out.apply(tf.transpose(x, [0, 2, 1])), [0, 2, 1]) as tf.Tensor3D; // [B, N, L] -> [B, N, H*K] -> [B, H*K, N]
      if (norm && normalized) y = norm.denormalize(y, normalized.stats); // per series
      return tf.transpose(tf.reshape(y, [B, h, K, N]), [0, 1, 3, 2]); // [B, H*K, N] -> [B, H, K, N] -> [B, H, N, K]
    });
  },
} as const satisfies MultivariateModelSpec<TsmixerConfig>;
