/**
 * StemGNN (Spectral Temporal Graph Neural Network): a graph over the series is learnt from every
 * batch (latent correlation layer), and two blocks forecast in the graph-spectral and frequency
 * domains at once — graph Fourier transform, DFT, GLUs, inverse DFT, graph convolution — the first
 * block's backcast feeding the second; their forecasts are summed and mapped to the horizon.
 * @see Cao et al. (2020), "Spectral Temporal Graph Neural Network for Multivariate Time-series Forecasting", NeurIPS. https://arxiv.org/abs/2103.07719
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { MultivariateModelSpec } from '../../model/types.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { checkMultivariateDims, nSeriesSchema, toMultivariateNetwork } from '../multivariate.js';
import { createLatentCorrelation } from './latent-correlation.js';
import { stemgnnSearchSpace } from './search-space.js';
import { spectralOperator } from './spectral.js';
import { createStockBlock } from './stock-block.js';

const LABEL = 'StemGNN';

/** StemGNN's own hyperparameters, with NeuralForecast's names and defaults. */
export const stemgnnConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema(LABEL),
  /** Number of StemGNN blocks; NeuralForecast supports 2 only (it raises otherwise). @default 2 */
  n_stacks: z
    .number()
    .int()
    .refine((n) => n === 2, { message: `${LABEL} supports n_stacks = 2 only, as NeuralForecast` })
    .default(2),
  /** Width multiplier m of the blocks' layers (m·input_size units). @default 5 */
  multi_layer: z.number().int().min(1).default(5),
  /** Dropout on the latent correlation layer's attention weights. @default 0.5 */
  dropout_rate: z.number().min(0).max(1).default(0.5),
  /** Negative slope of the LeakyReLU on the attention scores. @default 0.2 */
  leaky_rate: z.number().min(0).default(0.2),
});

/** Parsed StemGNN config. */
export type StemgnnConfig = z.output<typeof stemgnnConfigSchema>;

/** NeuralForecast's capability table row for StemGNN: no exogenous variables. */
const exogenous = { futr: false, hist: false, stat: false } as const;

/** The negative slope of the head's `nn.LeakyReLU()` (PyTorch's default, not `leaky_rate`). */
const HEAD_SLOPE = 0.01;

/** NeuralForecast's `StemGNN`. */
export const stemgnn = {
  id: 'stemgnn',
  label: LABEL,
  description:
    'StemGNN: a learnt graph over the series, forecasting in the graph-spectral and Fourier domains (Cao et al., 2020).',
  family: 'other',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: stemgnnConfigSchema,
  commonDefaults: {
    num_lr_decays: 3,
    windows_batch_size: 32,
    inference_windows_batch_size: 32,
    scaler_type: 'robust',
  },
  defaultSearchSpace: stemgnnSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: LABEL, exogenous }, dims);
    const { h, inputSize: L, nOutputs: K, nSeries: N } = dims;
    const store = createParamStore('stemgnn', seed);
    const correlation = createLatentCorrelation(store, {
      inputSize: L,
      nSeries: N,
      leakyRate: config.leaky_rate,
      dropoutRate: config.dropout_rate,
    });
    const blocks = Array.from({ length: config.n_stacks }, (_, i) =>
      createStockBlock(store, {
        path: `stock_block_${i}`,
        timeStep: L,
        multiLayer: config.multi_layer,
        backcast: i === 0,
      }),
    );
    const fc0 = createLinear(store, { path: 'fc_0', inFeatures: L, outFeatures: L });
    const fc2 = createLinear(store, { path: 'fc_2', inFeatures: L, outFeatures: h * K });
    return toMultivariateNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const operator = spectralOperator(correlation.apply(batch.insampleY, ctx)); // [2·4·N, N]
      let x: tf.Tensor3D | undefined = tf.transpose(batch.insampleY, [0, 2, 1]); // [B, L, N] -> [B, N, L]
      let sum: tf.Tensor2D | undefined;
      for (const block of blocks) {
        if (!x) break;
        const out = block.apply(x, operator);
        sum = sum ? tf.add<tf.Tensor2D>(sum, out.forecast) : out.forecast; // [B·N, L]
        x = out.backcast;
      }
      const y = fc2.apply(tf.leakyRelu(fc0.apply(sum as tf.Tensor2D), HEAD_SLOPE)); // [B·N, H·K]
      const series = tf.transpose(tf.reshape(y, [B, N, h * K]), [0, 2, 1]); // [B, N, H·K] -> [B, H·K, N]
      return tf.transpose(tf.reshape(series, [B, h, K, N]), [0, 1, 3, 2]); // [B, H, K, N] -> [B, H, N, K]
    });
  },
} as const satisfies MultivariateModelSpec<StemgnnConfig>;
