/**
 * TiDE: an MLP encoder-decoder; covariates are projected per time step, the flattened window is
 * encoded and decoded into per-step vectors, and a temporal decoder mixes them with the future
 * covariates, plus a linear global skip from the window.
 * @see Das et al. (2023), "Long-term Forecasting with TiDE: Time-series Dense Encoder", TMLR. https://arxiv.org/abs/2304.08424
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { tideSearchSpace } from './search-space.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { checkDims, requireInput, toNetwork } from '../network.js';
import { createMlpResidual, type MlpResidual } from './mlp-residual.js';

/** TiDE's own hyperparameters, with NeuralForecast's names and defaults. */
export const tideConfigSchema = z.object({
  /** Units of the dense encoder and decoder. @default 512 */
  hidden_size: z.number().int().min(1).default(512),
  /** Per-step output size of the dense decoder. @default 32 */
  decoder_output_dim: z.number().int().min(1).default(32),
  /** Hidden units of the temporal decoder. @default 128 */
  temporal_decoder_dim: z.number().int().min(1).default(128),
  /** Dropout inside every residual block. @default 0.3 */
  dropout: z.number().min(0).lt(1).default(0.3),
  /** Layer norm at the end of every residual block. @default true */
  layernorm: z.boolean().default(true),
  /** @default 1 */
  num_encoder_layers: z.number().int().min(1).default(1),
  /** @default 1 */
  num_decoder_layers: z.number().int().min(1).default(1),
  /** Width covariates are projected to per time step. @default 4 */
  temporal_width: z.number().int().min(1).default(4),
});

/** Parsed TiDE config. */
export type TideConfig = z.output<typeof tideConfigSchema>;

const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast's `TiDE`. */
export const tide = {
  id: 'tide',
  label: 'TiDE',
  description: 'Time-series Dense Encoder, an MLP encoder-decoder (Das et al., TMLR 2023).',
  family: 'mlp',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: tideConfigSchema,
  commonDefaults: {
    max_steps: 1000,
    learning_rate: 1e-3,
    num_lr_decays: -1,
    windows_batch_size: 1024,
    inference_windows_batch_size: 1024,
  },
  defaultSearchSpace: tideSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'TiDE', exogenous }, dims);
    const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S, nOutputs: K } = dims;
    const { hidden_size: hidden, temporal_width: tw, decoder_output_dim: dOut } = config;
    const store = createParamStore('tide', seed);
    const block = (path: string, inputDim: number, hiddenSize: number, outputDim: number): MlpResidual =>
      createMlpResidual(store, {
        path,
        inputDim,
        hiddenSize,
        outputDim,
        dropout: config.dropout,
        layernorm: config.layernorm,
      });
    // NeuralForecast also builds an (unused) hist projection when only futr columns exist; we build it only when used.
    const histProjection = X > 0 ? block('hist_exog_projection', X, hidden, tw) : undefined;
    const futrProjection = F > 0 ? block('futr_exog_projection', F, hidden, tw) : undefined;
    const encoderIn = L + (X > 0 ? L * tw : 0) + (F > 0 ? (L + h) * tw : 0) + S;
    const encoder = Array.from({ length: config.num_encoder_layers }, (_, i) =>
      block(`dense_encoder/layer_${i}`, i === 0 ? encoderIn : hidden, hidden, hidden),
    );
    const decoder = Array.from({ length: config.num_decoder_layers }, (_, i) =>
      block(
        `dense_decoder/layer_${i}`,
        hidden,
        hidden,
        i === config.num_decoder_layers - 1 ? dOut * h : hidden,
      ),
    );
    const temporalDecoder = block(
      'temporal_decoder',
      dOut + (F > 0 ? tw : 0),
      config.temporal_decoder_dim,
      K,
    );
    const globalSkip = createLinear(store, { path: 'global_skip', inFeatures: L, outFeatures: h * K });
    return toNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const y = tf.reshape(batch.insampleY, [B, L]) as tf.Tensor2D; // [B, L, 1] -> [B, L]
      const skip = tf.reshape(globalSkip.apply(y), [B, h, K]) as tf.Tensor3D; // [B, L] -> [B, H*K] -> [B, H, K]
      const parts: tf.Tensor2D[] = [y];
      if (histProjection) {
        const hist = histProjection.apply(requireInput(batch.histExog, 'histExog', 'TiDE'), ctx); // [B, L, X] -> [B, L, tw]
        parts.push(tf.reshape(hist, [B, L * tw])); // -> [B, L*tw]
      }
      let futr: tf.Tensor3D | undefined;
      if (futrProjection) {
        futr = futrProjection.apply(requireInput(batch.futrExog, 'futrExog', 'TiDE'), ctx); // [B, L+H, F] -> [B, L+H, tw]
        parts.push(tf.reshape(futr, [B, (L + h) * tw])); // -> [B, (L+H)*tw]
      }
      if (S > 0) parts.push(requireInput(batch.statExog, 'statExog', 'TiDE')); // [B, S]
      let x = (parts.length === 1 ? y : tf.concat(parts, 1)) as tf.Tensor2D; // [B, encoderIn]
      for (const layer of encoder) x = layer.apply(x, ctx); // -> [B, hidden]
      for (const layer of decoder) x = layer.apply(x, ctx); // -> [B, dOut*H]
      let perStep: tf.Tensor3D = tf.reshape(x, [B, h, dOut]); // [B, dOut*H] -> [B, H, dOut]
      if (futr) perStep = tf.concat([perStep, tf.slice(futr, [0, L, 0], [B, h, tw])], 2); // -> [B, H, dOut+tw]
      // With layernorm and one output the temporal decoder normalises a size-1 axis, so it emits only
      // its norm bias: the forecast is the global skip plus a constant. The reference TiDE and
      // NeuralForecast behave the same (google-research/google-research#2133); kept for parity.
      return tf.add(temporalDecoder.apply(perStep, ctx), skip); // [B, H, K] + [B, H, K]
    });
  },
} as const satisfies ModelSpec<TideConfig>;
