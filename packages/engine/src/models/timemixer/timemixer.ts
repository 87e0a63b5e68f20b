/**
 * TimeMixer: the window at several scales (average- or max-pooled), each RevIN-normalised and split
 * into seasonal and trend parts; past-decomposable mixing blocks mix seasons bottom-up and trends
 * top-down across the scales, and every scale forecasts the horizon, the forecasts summed.
 * @see Wang et al. (2024), "TimeMixer: Decomposable Multiscale Mixing for Time Series Forecasting", ICLR. https://openreview.net/pdf?id=7oLshfEIC2
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type { MultivariateDims, MultivariateModelSpec } from '../../model/types.js';
import { createDataEmbedding } from '../../nn/data-embedding.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { createRevin, type RevinStatistics } from '../../nn/revin.js';
import { createSeriesDecomposition } from '../../nn/series-decomp.js';
import { checkMultivariateDims, nSeriesSchema, toMultivariateNetwork } from '../multivariate.js';
import { createDftDecomposition } from './dft-decomp.js';
import { createPastDecomposableMixing, type Decomposition } from './mixing.js';
import { timemixerSearchSpace } from './search-space.js';

/** TimeMixer's own hyperparameters, with NeuralForecast's names and defaults. */
export const timemixerConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema('TimeMixer'),
  /** Width of the embedded sequences. @default 32 */
  d_model: z.number().int().min(1).default(32),
  /** Hidden units of the cross layers. @default 32 */
  d_ff: z.number().int().min(1).default(32),
  /** Dropout of the embedding. @default 0.1 */
  dropout: z.number().min(0).max(1).default(0.1),
  /** Past-decomposable mixing blocks. @default 4 */
  e_layers: z.number().int().min(1).default(4),
  /** Frequencies kept by the 'dft_decomp' decomposition. @default 5 */
  top_k: z.number().int().min(1).default(5),
  /** How the mixing blocks split seasonal from trend. @default 'moving_avg' */
  decomp_method: z.enum(['moving_avg', 'dft_decomp']).default('moving_avg'),
  /** Width of the moving average (odd: the average is centred). @default 25 */
  moving_avg: z
    .number()
    .int()
    .min(1)
    .refine((k) => k % 2 === 1, 'moving_avg must be odd (a centred moving average)')
    .default(25),
  /** 0: the series embedded together; 1: each series alone. @default 0 */
  channel_independence: z.union([z.literal(0), z.literal(1)]).default(0),
  /** Coarser scales below the window (at least 1, as NeuralForecast's mixing needs two scales). @default 1 */
  down_sampling_layers: z.number().int().min(1).default(1),
  /** Pooling width between two scales. @default 2 */
  down_sampling_window: z.number().int().min(1).default(2),
  /**
   * Pooling between scales. NeuralForecast's 'conv' builds a new, randomly initialised convolution
   * on every forward pass (never trained), so it is refused here. @default 'avg'
   */
  down_sampling_method: z
    .enum(['avg', 'max', 'conv'])
    .refine((m) => m !== 'conv', {
      message:
        "down_sampling_method 'conv' is not supported: NeuralForecast creates a fresh random convolution on every forward pass, so it is never trained; use 'avg' or 'max'",
    })
    .default('avg'),
  /** RevIN (learnable gain and shift) on every scale. @default true */
  use_norm: z.boolean().default(true),
  /** Checked as NeuralForecast does (label_len = ceil(input_size·m) in 1..input_size−1); unused without future exogenous. @default 0.5 */
  decoder_input_size_multiplier: z.number().default(0.5),
});

/** Parsed TimeMixer config. */
export type TimemixerConfig = z.output<typeof timemixerConfigSchema>;

/** NeuralForecast's capability table row for TimeMixer: no exogenous variables. */
const exogenous = { futr: false, hist: false, stat: false } as const;

const LABEL = 'TimeMixer';

/** Steps of every scale, finest first, after checking NeuralForecast's own constraints. */
const scaleLengths = (config: TimemixerConfig, L: number): number[] => {
  const labelLen = Math.ceil(L * config.decoder_input_size_multiplier);
  if (labelLen >= L || labelLen <= 0) {
    throw new ConfigError(
      `${LABEL}: decoder_input_size_multiplier=${config.decoder_input_size_multiplier} must give ceil(input_size·m) in 1..input_size−1`,
    );
  }
  const w = config.down_sampling_window;
  const coarsest = w ** config.down_sampling_layers;
  // NeuralForecast sizes its pooled scales by floor and its up-sampling layers by ceil: they agree only here.
  if (L % coarsest !== 0) {
    throw new ConfigError(
      `${LABEL}: input_size ${L} must be a multiple of down_sampling_window^down_sampling_layers = ${coarsest}`,
    );
  }
  return Array.from({ length: config.down_sampling_layers + 1 }, (_, i) => L / w ** i);
};

/** x [B, T, N] pooled over non-overlapping runs of `w` steps (AvgPool1d / MaxPool1d). */
const pool = (x: tf.Tensor3D, w: number, method: 'avg' | 'max' | 'conv'): tf.Tensor3D => {
  const [B, T, N] = x.shape;
  const steps = Math.floor(T / w);
  const runs = tf.reshape(tf.slice(x, [0, 0, 0], [B, steps * w, N]), [B, steps, w, N]); // [B, T/w, w, N]
  return (method === 'max' ? tf.max(runs, 2) : tf.mean(runs, 2)) as tf.Tensor3D;
};

/** The mixing blocks' decomposition. */
const decomposition = (config: TimemixerConfig): Decomposition =>
  config.decomp_method === 'dft_decomp'
    ? createDftDecomposition(config.d_model, config.top_k)
    : createSeriesDecomposition(config.moving_avg);

/** Builds the layers in NeuralForecast's creation order. */
const createLayers = (config: TimemixerConfig, dims: MultivariateDims, seed: number) => {
  const { h, inputSize: L, nOutputs: K, nSeries: N } = dims;
  const lengths = scaleLengths(config, L);
  const store = createParamStore('timemixer', seed);
  const independent = config.channel_independence === 1;
  const blockDecomposition = decomposition(config);
  const blocks = Array.from({ length: config.e_layers }, (_, i) =>
    createPastDecomposableMixing(store, {
      path: `pdm_${i}`,
      lengths,
      dModel: config.d_model,
      dFf: config.d_ff,
      channelIndependence: config.channel_independence,
      decomposition: blockDecomposition,
    }),
  );
  const embedding = createDataEmbedding(store, {
    path: 'enc_embedding',
    inChannels: independent ? 1 : N,
    exogSize: 0,
    hiddenSize: config.d_model,
    dropout: config.dropout,
    positional: false,
  });
  const norms = lengths.map((_, i) =>
    createRevin(store, { path: `normalize_${i}`, numFeatures: N, affine: true }),
  );
  const predict = lengths.map((T, i) =>
    createLinear(store, { path: `predict_${i}`, inFeatures: T, outFeatures: h }),
  );
  const projection = createLinear(store, {
    path: 'projection',
    inFeatures: config.d_model,
    outFeatures: independent ? 1 : N,
  });
  const residual = independent
    ? undefined
    : {
        outRes: lengths.map((T, i) =>
          createLinear(store, { path: `out_res_${i}`, inFeatures: T, outFeatures: T }),
        ),
        regression: lengths.map((T, i) =>
          createLinear(store, { path: `regression_${i}`, inFeatures: T, outFeatures: h }),
        ),
      };
  const distr =
    K > 1 ? createLinear(store, { path: 'distr_output', inFeatures: N, outFeatures: N * K }) : undefined;
  return { store, blocks, embedding, norms, predict, projection, residual, distr, lengths };
};

/** NeuralForecast's `TimeMixer`. */
export const timemixer = {
  id: 'timemixer',
  label: LABEL,
  description:
    'Decomposable multiscale mixing of seasonal and trend parts across pooled scales (Wang et al., 2024).',
  family: 'mlp',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: timemixerConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: timemixerSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: LABEL, exogenous }, dims);
    const { h, nOutputs: K, nSeries: N } = dims;
    const layers = createLayers(config, dims, seed);
    const { blocks, embedding, norms, predict, projection, residual, distr } = layers;
    const preprocess = createSeriesDecomposition(config.moving_avg);
    return toMultivariateNetwork(layers.store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const scales: tf.Tensor3D[] = [batch.insampleY]; // [B, T_i, N], finest first
      for (let i = 1; i < layers.lengths.length; i += 1) {
        scales.push(
          pool(scales[i - 1] as tf.Tensor3D, config.down_sampling_window, config.down_sampling_method),
        );
      }
      let stats: RevinStatistics | undefined;
      const normed = scales.map((x, i) => {
        if (!config.use_norm) return x;
        const out = (norms[i] as ReturnType<typeof createRevin>).normalize(x);
        if (i === 0) stats = out.stats;
        return out.normalized;
      });
      let summed: tf.Tensor3D;
      if (residual) {
        const parts = normed.map((x) => preprocess.apply(x)); // seasonal embedded, trend kept for the residual heads
        let enc = parts.map((p) => embedding.apply(p.seasonal, undefined, ctx)); // [B, T_i, d]
        for (const block of blocks) enc = block.apply(enc);
        const outs = enc.map((e, i) => {
          const dec = tf.transpose(predict[i]!.apply(tf.transpose(e, [0, 2, 1])), [0, 2, 1]); // [B, d, T_i] -> [B, d, H] -> [B, H, d]
          const trend = tf.transpose(parts[i]!.trend, [0, 2, 1]); // [B, N, T_i]
          const res = residual.regression[i]!.apply(residual.outRes[i]!.apply(trend)); // [B, N, T_i] -> [B, N, H]
          return tf.add(projection.apply(dec), tf.transpose(res, [0, 2, 1])) as tf.Tensor3D; // [B, H, N]
        });
        summed = outs.reduce((a, b) => tf.add(a, b));
      } else {
        let enc = normed.map((x) => {
          const T = x.shape[1];
          const rows = tf.reshape(tf.transpose(x, [0, 2, 1]), [B * N, T, 1]) as tf.Tensor3D; // [B, T, N] -> [B*N, T, 1]
          return embedding.apply(rows, undefined, ctx); // [B*N, T, d]
        });
        for (const block of blocks) enc = block.apply(enc);
        const outs = enc.map((e, i) => {
          const dec = tf.transpose(predict[i]!.apply(tf.transpose(e, [0, 2, 1])), [0, 2, 1]); // [B*N, H, d]
          const y = tf.reshape(projection.apply(dec), [B, N, h]); // [B*N, H, 1] -> [B, N, H]
          return tf.transpose(y, [0, 2, 1]) as tf.Tensor3D; // [B, H, N]
        });
        summed = outs.reduce((a, b) => tf.add(a, b));
      }
      const y = stats ? norms[0]!.denormalize(summed, stats) : summed; // [B, H, N]
      if (!distr) return tf.reshape(y, [B, h, N, 1]);
      // [B, H, N] -> [B, H, N*K] read as [B, H, K, N] (NeuralForecast's multivariate output layout) -> [B, H, N, K]
      return tf.transpose(tf.reshape(distr.apply(y), [B, h, K, N]), [0, 1, 3, 2]);
    });
  },
} as const satisfies MultivariateModelSpec<TimemixerConfig>;
