/**
 * TimesNet: the window is embedded per step, stretched linearly from L to L+H steps, and passed
 * through TimesBlocks that fold the sequence into 2-D grids along its dominant FFT periods and
 * convolve them with inception blocks; a shared layer norm follows each block and a linear head
 * maps each step to the outputs, of which the last H are the forecast.
 * @see Wu et al. (2023), "TimesNet: Temporal 2D-Variation Modeling for General Time Series Analysis", ICLR. https://openreview.net/pdf?id=ju_Uqw384Oq
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type { ModelSpec } from '../../model/types.js';
import { createLayerNorm } from '../../nn/layer-norm.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { checkDims, requireInput, toNetwork } from '../network.js';
import { createDataEmbedding } from '../../nn/data-embedding.js';
import { rfftBasis } from './fft-period.js';
import { timesnetSearchSpace } from './search-space.js';
import { createTimesBlock } from './times-block.js';

/** TimesNet's own hyperparameters, with NeuralForecast's names and defaults. */
export const timesnetConfigSchema = z.object({
  /**
   * Width of the embedding and of every TimesBlock. Even: the positional embedding pairs a sine
   * and a cosine per frequency (NeuralForecast fails on an odd size too). @default 64
   */
  hidden_size: z
    .number()
    .int()
    .min(2)
    .refine((d) => d % 2 === 0, 'hidden_size must be even (sine/cosine pairs of the positional embedding)')
    .default(64),
  /** Dropout of the embedding. @default 0.1 */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** Channels inside the inception blocks. @default 64 */
  conv_hidden_size: z.number().int().min(1).default(64),
  /** Number of periods each TimesBlock folds the sequence by. @default 5 */
  top_k: z.number().int().min(1).default(5),
  /** Convolutions per inception block, of kernel sizes 1, 3, …, 2·num_kernels − 1. @default 6 */
  num_kernels: z.number().int().min(1).default(6),
  /** Number of TimesBlocks. @default 2 */
  encoder_layers: z.number().int().min(1).default(2),
});

/** Parsed TimesNet config. */
export type TimesnetConfig = z.output<typeof timesnetConfigSchema>;

/** NeuralForecast's capability table row: future exogenous only (as calendar-like marks). */
const exogenous = { futr: true, hist: false, stat: false } as const;

/** NeuralForecast's `TimesNet`. */
export const timesnet = {
  id: 'timesnet',
  label: 'TimesNet',
  description:
    'TimesNet: 2-D inception convolutions over the sequence folded by its FFT periods (Wu et al., ICLR 2023).',
  family: 'cnn',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: timesnetConfigSchema,
  commonDefaults: {
    max_steps: 1000,
    learning_rate: 1e-4,
    num_lr_decays: -1,
    windows_batch_size: 64,
    inference_windows_batch_size: 256,
    scaler_type: 'standard',
  },
  defaultSearchSpace: timesnetSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'TimesNet', exogenous }, dims);
    const { h, inputSize: L, futrExogSize: F, nOutputs: K } = dims;
    const T = L + h;
    // torch.topk over the ⌊T/2⌋+1 rfft bins, the zero frequency forced to 0: more than ⌊T/2⌋
    // periods would pick frequency 0 (a period T // 0), which NeuralForecast cannot fold either.
    if (config.top_k > Math.floor(T / 2)) {
      throw new ConfigError(
        `TimesNet: top_k = ${config.top_k} exceeds the ${Math.floor(T / 2)} non-zero frequencies of input_size + h = ${T} steps; use top_k <= ${Math.floor(T / 2)} or a longer window`,
      );
    }
    const d = config.hidden_size;
    const store = createParamStore('timesnet', seed);
    // Creation order follows NeuralForecast's modules: model, enc_embedding, layer_norm, predict_linear, projection.
    const blocks = Array.from({ length: config.encoder_layers }, (_, i) =>
      createTimesBlock(store, {
        path: `model_${i}`,
        hiddenSize: d,
        convHiddenSize: config.conv_hidden_size,
        numKernels: config.num_kernels,
        topK: config.top_k,
      }),
    );
    const embedding = createDataEmbedding(store, {
      path: 'enc_embedding',
      inChannels: 1,
      exogSize: F,
      hiddenSize: d,
      dropout: config.dropout,
    });
    const layerNorm = createLayerNorm(store, 'layer_norm', d);
    const predictLinear = createLinear(store, { path: 'predict_linear', inFeatures: L, outFeatures: T });
    const projection = createLinear(store, { path: 'projection', inFeatures: d, outFeatures: K });
    const basis = rfftBasis(T);
    return toNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      // NeuralForecast embeds only the input-window part of the future exogenous columns.
      const mark =
        F > 0
          ? tf.slice(requireInput(batch.futrExog, 'futrExog', 'TimesNet'), [0, 0, 0], [B, L, F]) // [B, L, F]
          : undefined;
      const embedded = embedding.apply(batch.insampleY, mark, ctx); // [B, L, d]
      // Align the time axis: [B, L, d] -> [B, d, L] -> [B, d, T] -> [B, T, d].
      let x = tf.transpose(predictLinear.apply(tf.transpose(embedded, [0, 2, 1])), [0, 2, 1]) as tf.Tensor3D;
      const basisTensor = tf.tensor2d(basis, [T, basis.length / T]); // [T, 2F]
      for (const block of blocks) x = layerNorm.apply(block.apply(x, basisTensor)); // [B, T, d]
      const out = projection.apply(x); // [B, T, K]
      return tf.slice(out, [0, L, 0], [B, h, K]); // [B, H, K]
    });
  },
} as const satisfies ModelSpec<TimesnetConfig>;
