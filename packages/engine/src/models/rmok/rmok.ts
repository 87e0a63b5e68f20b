/**
 * RMoK (Reversible Mixture of KAN experts): each series' RevIN-normalised window goes through four
 * experts — Taylor KAN, Jacobi KAN, wavelet KAN and a linear layer — mixed by a softmax gate read
 * from the same window.
 * @see Han et al. (2024), "KAN4TSF: Are KAN and KAN-based models Effective for Time Series Forecasting?". https://arxiv.org/abs/2408.11306
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { MultivariateModelSpec } from '../../model/types.js';
import { dropout } from '../../nn/dropout.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { createRevin } from '../../nn/revin.js';
import { checkMultivariateDims, nSeriesSchema, toMultivariateNetwork } from '../multivariate.js';
import { createJacobiKan, createTaylorKan } from './polynomial-kan.js';
import { rmokSearchSpace } from './search-space.js';
import { createWaveKan, WAVELETS } from './wave-kan.js';

/** RMoK's own hyperparameters, with NeuralForecast's names and defaults. */
export const rmokConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema('RMoK'),
  /** Terms x⁰ … x^(order−1) of the Taylor expert. @default 3 */
  taylor_order: z.number().int().min(1).default(3),
  /** Degree of the Jacobi expert's polynomials. @default 6 */
  jacobi_degree: z.number().int().min(0).default(6),
  /** Mother wavelet of the wavelet expert. @default 'mexican_hat' */
  wavelet_function: z.enum(WAVELETS).default('mexican_hat'),
  /** Dropout on the normalised window. @default 0.1 */
  dropout: z.number().min(0).max(1).default(0.1),
  /** Learnable per-series gain and shift in the RevIN (which is always on). @default true */
  revin_affine: z.boolean().default(true),
});

/** Parsed RMoK config. */
export type RmokConfig = z.output<typeof rmokConfigSchema>;

/** NeuralForecast's capability table row for RMoK: no exogenous variables. */
const exogenous = { futr: false, hist: false, stat: false } as const;

/** NeuralForecast's `RMoK`. */
export const rmok = {
  id: 'rmok',
  label: 'RMoK',
  description:
    'Reversible mixture of KAN experts (Taylor, Jacobi, wavelet, linear) under a softmax gate (Han et al., 2024).',
  family: 'mlp',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: rmokConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: rmokSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: 'RMoK', exogenous }, dims);
    const { h, inputSize: L, nOutputs: K, nSeries: N } = dims;
    const store = createParamStore('rmok', seed);
    const sizes = { inFeatures: L, outFeatures: h * K };
    // NeuralForecast's expert order, which is also the gate's column order.
    const taylor = createTaylorKan(store, { ...sizes, path: 'taylor', order: config.taylor_order });
    const jacobi = createJacobiKan(store, { ...sizes, path: 'jacobi', degree: config.jacobi_degree });
    const wave = createWaveKan(store, { ...sizes, path: 'wavelet', wavelet: config.wavelet_function });
    const linear = createLinear(store, { ...sizes, path: 'linear' });
    const gate = createLinear(store, { path: 'gate', inFeatures: L, outFeatures: 4 });
    const rev = createRevin(store, {
      path: 'rev',
      numFeatures: N,
      affine: config.revin_affine,
      exactAffineInverse: true,
    });
    return toMultivariateNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const { normalized, stats } = rev.normalize(batch.insampleY); // [B, L, N]
      const x = tf.reshape(tf.transpose(dropout(normalized, config.dropout, ctx), [0, 2, 1]), [
        B * N,
        L,
      ]) as tf.Tensor2D; // [B, L, N] -> [B, N, L] -> [B*N, L]
      const score = tf.softmax(gate.apply(x)); // [B*N, 4]
      const experts = [taylor.apply(x), jacobi.apply(x), wave.apply(x, ctx), linear.apply(x)]; // 4 x [B*N, H*K]
      // Σ_e score[m, e]·expert_e[m]: one batched product over the stacked experts instead of a
      // slice, a product and a sum per expert (and their gradients).
      const stacked = tf.transpose(tf.stack(experts), [1, 0, 2]); // [4, B*N, H*K] -> [B*N, 4, H*K]
      const mixed = tf.reshape(tf.matMul(tf.reshape(score, [B * N, 1, 4]), stacked), [B * N, h * K]); // [B*N, 1, H*K] -> [B*N, H*K]
      const y = tf.transpose(tf.reshape(mixed, [B, N, h * K]), [0, 2, 1]) as tf.Tensor3D; // [B, N, H*K] -> [B, H*K, N]
      const out = rev.denormalize(y, stats); // per series
      return tf.transpose(tf.reshape(out, [B, h, K, N]), [0, 1, 3, 2]); // [B, H*K, N] -> [B, H, K, N] -> [B, H, N, K]
    });
  },
} as const satisfies MultivariateModelSpec<RmokConfig>;
