/**
 * PatchTST: each window is (optionally) RevIN-normalised, cut into overlapping patches, each patch
 * projected to `hidden_size` with a learnable positional embedding added, passed through a
 * batch-normalised Transformer encoder with residual attention, and the flattened patch
 * representations are mapped to the horizon by one linear head; RevIN's statistics are restored.
 * @see Nie et al. (2023), "A Time Series is Worth 64 Words: Long-term Forecasting with Transformers", ICLR. https://arxiv.org/abs/2211.14730
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { TRANSFORMER_COMMON_DEFAULTS } from '../transformer-defaults.js';
import { ConfigError } from '@nflab/contracts';
import type { ModelSpec } from '../../model/types.js';
import { gelu, relu } from '../../nn/activations.js';
import { dropout } from '../../nn/dropout.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { createRevin } from '../../nn/revin.js';
import { checkDims, toNetwork } from '../network.js';
import { createEncoderLayer } from './encoder-layer.js';
import { patchCount, toPatches } from './patching.js';
import { patchtstSearchSpace } from './search-space.js';

/** Activations PatchTST's encoder accepts (NeuralForecast's `get_activation_fn`, case-insensitive). */
export const PATCHTST_ACTIVATIONS = ['gelu', 'relu'] as const;

/** PatchTST's own hyperparameters, with NeuralForecast's names and defaults. */
export const patchtstConfigSchema = z.object({
  /** Number of encoder layers. @default 3 */
  encoder_layers: z.number().int().min(1).default(3),
  /** Attention heads; must divide hidden_size. @default 16 */
  n_heads: z.number().int().min(1).default(16),
  /** Width of the patch embedding and of the encoder. @default 128 */
  hidden_size: z.number().int().min(1).default(128),
  /** Width of the encoder's feed-forward layer. @default 256 */
  linear_hidden_size: z.number().int().min(1).default(256),
  /** Dropout of the embedding, residual connections, attention projection and feed-forward. @default 0.2 */
  dropout: z.number().min(0).max(1).default(0.2),
  /**
   * Accepted for NeuralForecast compatibility and unused, as there: it only feeds the pretraining
   * head, which NeuralForecast's PatchTST never builds. @default 0.2
   */
  fc_dropout: z.number().min(0).max(1).default(0.2),
  /** Dropout after the flatten head. @default 0 */
  head_dropout: z.number().min(0).max(1).default(0),
  /** Dropout on the attention weights. @default 0 */
  attn_dropout: z.number().min(0).max(1).default(0),
  /** Steps per patch; capped at input_size + stride, as NeuralForecast caps it. @default 16 */
  patch_len: z.number().int().min(1).default(16),
  /** Steps between patch starts. @default 8 */
  stride: z.number().int().min(1).default(8),
  /** Normalise each window with RevIN (and restore its statistics on the forecast). @default true */
  revin: z.boolean().default(true),
  /** RevIN's learnable gain and shift. @default false */
  revin_affine: z.boolean().default(false),
  /** RevIN centres on the window's last value instead of its mean. @default true */
  revin_subtract_last: z.boolean().default(true),
  /** Feed-forward activation, 'gelu' or 'relu' (any case). @default 'gelu' */
  activation: z
    .string()
    .transform((name) => name.toLowerCase())
    .pipe(z.enum(PATCHTST_ACTIVATIONS))
    .default('gelu'),
  /** Add each attention layer's pre-softmax scores to the next layer's (RealFormer). @default true */
  res_attention: z.boolean().default(true),
  /**
   * Batch-normalise before each sublayer instead of after it (NeuralForecast passes it as the
   * backbone's `pre_norm`; the norm itself is always BatchNorm). @default false
   */
  batch_normalization: z.boolean().default(false),
  /** Train the positional embedding (else it keeps its U(−0.02, 0.02) start). @default true */
  learn_pos_embed: z.boolean().default(true),
});

/** Parsed PatchTST config. */
export type PatchtstConfig = z.output<typeof patchtstConfigSchema>;

/** NeuralForecast's capability table row: no exogenous variables. */
const exogenous = { futr: false, hist: false, stat: false } as const;

/** NeuralForecast's `PatchTST`. */
export const patchtst = {
  id: 'patchtst',
  label: 'PatchTST',
  description:
    'PatchTST: a Transformer over patches of the input window with RevIN and residual attention (Nie et al., ICLR 2023).',
  family: 'transformer',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: patchtstConfigSchema,
  commonDefaults: TRANSFORMER_COMMON_DEFAULTS,
  defaultSearchSpace: patchtstSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'PatchTST', exogenous }, dims);
    const { h, inputSize: L, nOutputs: K } = dims;
    const d = config.hidden_size;
    if (d % config.n_heads !== 0) {
      throw new ConfigError(`PatchTST: hidden_size (${d}) must be divisible by n_heads (${config.n_heads})`);
    }
    const patching = {
      inputSize: L,
      patchLen: Math.min(config.patch_len, L + config.stride),
      stride: config.stride,
    };
    const P = patchCount(patching);
    const store = createParamStore('patchtst', seed);
    // Creation order follows NeuralForecast's modules: revin_layer, W_P, W_pos, encoder layers, head.
    const revin = config.revin
      ? createRevin(store, {
          path: 'revin_layer',
          numFeatures: 1,
          affine: config.revin_affine,
          subtractLast: config.revin_subtract_last,
        })
      : undefined;
    const patchProjection = createLinear(store, {
      path: 'backbone/w_p',
      inFeatures: patching.patchLen,
      outFeatures: d,
    });
    // NeuralForecast's pe='zeros': a [P, d] table drawn U(−0.02, 0.02), trained when learn_pos_embed.
    const positional = store.uniform('backbone/w_pos/weight', [P, d], { low: -0.02, high: 0.02 });
    positional.trainable = config.learn_pos_embed;
    const layers = Array.from({ length: config.encoder_layers }, (_, i) =>
      createEncoderLayer(store, {
        path: `backbone/encoder/layers_${i}`,
        hiddenSize: d,
        nHeads: config.n_heads,
        linearHiddenSize: config.linear_hidden_size,
        dropout: config.dropout,
        attnDropout: config.attn_dropout,
        activation: config.activation === 'relu' ? relu : gelu,
        preNorm: config.batch_normalization,
      }),
    );
    // NeuralForecast flattens [d, P] per series; flattening [P, d] instead permutes the head's
    // inputs, an equivalent head (same shape and initial distribution) without a transpose.
    const head = createLinear(store, { path: 'head/linear', inFeatures: P * d, outFeatures: h * K });
    return toNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      let y = batch.insampleY; // [B, L, 1]
      const normalized = revin?.normalize(y);
      if (normalized) y = normalized.normalized;
      const patches = toPatches(tf.reshape(y, [B, L]), patching); // [B, P, patch_len]
      let x = dropout(tf.add(patchProjection.apply(patches), positional), config.dropout, ctx) as tf.Tensor3D; // [B, P, d]
      let scores: tf.Tensor4D | undefined;
      for (const layer of layers) {
        const out = layer.apply(x, scores, ctx);
        x = out.output;
        if (config.res_attention) scores = out.scores;
      }
      const flat = tf.reshape(x, [B, P * d]); // [B, P, d] -> [B, P·d]
      let forecast = tf.reshape(dropout(head.apply(flat), config.head_dropout, ctx), [
        B,
        h * K,
        1,
      ]) as tf.Tensor3D;
      // RevIN restores every output (point, quantiles or distribution parameters), as NeuralForecast.
      if (revin && normalized) forecast = revin.denormalize(forecast, normalized.stats);
      return tf.reshape(forecast, [B, h, K]); // [B, H·K, 1] -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<PatchtstConfig>;
