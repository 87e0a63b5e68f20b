/**
 * TimeXer: each series' window as patch tokens plus one global token, self-attention within the
 * series, and cross-attention from the global tokens to variate tokens — every exogenous column's
 * whole window embedded as one token (iTransformer's inverted embedding), beside the series' own.
 * @see Wang et al. (2024), "TimeXer: Empowering Transformers for Time Series Forecasting with Exogenous Variables", NeurIPS. https://arxiv.org/abs/2402.19072
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type { MultivariateBatch, MultivariateDims, MultivariateModelSpec } from '../../model/types.js';
import { createAttentionLayer, fullAttention } from '../../nn/attention.js';
import { dropout } from '../../nn/dropout.js';
import { createLayerNorm } from '../../nn/layer-norm.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore, type ParamStore } from '../../nn/params.js';
import { createRevin } from '../../nn/revin.js';
import { createInvertedEmbedding } from '../inverted.js';
import { checkMultivariateDims, nSeriesSchema, toMultivariateNetwork } from '../multivariate.js';
import { requireInput } from '../network.js';
import { createPatchEmbedding } from './embedding.js';
import { createTimexerEncoder, createTimexerEncoderLayer, type TimexerEncoder } from './encoder.js';
import { timexerSearchSpace } from './search-space.js';

/** TimeXer's own hyperparameters, with NeuralForecast's names and defaults. */
export const timexerConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema('TimeXer'),
  /** Steps per endogenous patch; at most input_size. @default 16 */
  patch_len: z.number().int().min(1).default(16),
  /** Width of every token. @default 512 */
  hidden_size: z.number().int().min(1).default(512),
  /** Attention heads. @default 8 */
  n_heads: z.number().int().min(1).default(8),
  /** Encoder layers. @default 2 */
  e_layers: z.number().int().min(1).default(2),
  /** Channels of each encoder layer's feed-forward. @default 2048 */
  d_ff: z.number().int().min(1).default(2048),
  /** Accepted as NeuralForecast does; full attention has no sampling factor. @default 1 */
  factor: z.number().int().min(1).default(1),
  /** Dropout of the embeddings, the attention weights, the encoder layers and the head. @default 0.1 */
  dropout: z.number().min(0).max(1).default(0.1),
  /** Normalise each window per series (mean, deviation) and map the forecast back. @default true */
  use_norm: z.boolean().default(true),
});

/** Parsed TimeXer config. */
export type TimexerConfig = z.output<typeof timexerConfigSchema>;

/** NeuralForecast's capability table row for TimeXer: historical and static exogenous, no future. */
const exogenous = { futr: false, hist: true, stat: true } as const;

const LABEL = 'TimeXer';

/** Rejects what NeuralForecast's TimeXer cannot build or run, naming the values. */
const checkConfig = (config: TimexerConfig, inputSize: number): void => {
  if (config.patch_len > inputSize) {
    throw new ConfigError(
      `${LABEL}: patch_len = ${config.patch_len} exceeds input_size = ${inputSize}; the window must hold at least one patch`,
    );
  }
  if (config.n_heads > config.hidden_size) {
    throw new ConfigError(
      `${LABEL}: n_heads = ${config.n_heads} exceeds hidden_size = ${config.hidden_size}; each head needs a channel`,
    );
  }
};

/**
 * The variate tokens' inputs, [B, T, L]: the (normalised) series, then each historical column of each
 * series (row N + x·N + n), then each static of each series held over the window (row N + X·N + n·S + s).
 */
export const variateRows = (
  batch: MultivariateBatch,
  y: tf.Tensor3D,
  dims: MultivariateDims,
): tf.Tensor3D => {
  const { inputSize: L, nSeries: N, histExogSize: X, statExogSize: S } = dims;
  const B = y.shape[0];
  const rows: tf.Tensor3D[] = [tf.transpose(y, [0, 2, 1])]; // [B, L, N] -> [B, N, L]
  if (X > 0) {
    const hist = requireInput(batch.histExog, 'histExog', LABEL); // [B, X, L, N]
    rows.push(tf.reshape(tf.transpose(hist, [0, 1, 3, 2]), [B, X * N, L])); // [B, X, N, L] -> [B, X·N, L]
  }
  if (S > 0) {
    const stat = requireInput(batch.statExog, 'statExog', LABEL); // [N, S]
    rows.push(tf.tile(tf.reshape(stat, [1, N * S, 1]), [B, 1, L])); // [B, N·S, L]
  }
  return rows.length === 1 ? (rows[0] as tf.Tensor3D) : (tf.concat(rows, 1) as tf.Tensor3D);
};

/** The encoder layers: self-attention over a series' tokens, cross-attention to the variates, ReLU feed-forward. */
const createEncoder = (store: ParamStore, config: TimexerConfig): TimexerEncoder => {
  const E = config.hidden_size;
  const attention = (path: string) =>
    createAttentionLayer(
      store,
      { path, hiddenSize: E, nHeads: config.n_heads },
      fullAttention({ causal: false, dropout: config.dropout }),
    );
  return createTimexerEncoder({
    layers: Array.from({ length: config.e_layers }, (_, i) => {
      const path = `encoder/layers_${i}`;
      const self = attention(`${path}/self_attention`);
      const cross = attention(`${path}/cross_attention`);
      return createTimexerEncoderLayer(
        store,
        { self, cross },
        { path, hiddenSize: E, convHiddenSize: config.d_ff, dropout: config.dropout, activation: 'relu' },
      );
    }),
    norm: createLayerNorm(store, 'encoder/norm', E),
  });
};

/** NeuralForecast's `TimeXer`. */
export const timexer = {
  id: 'timexer',
  label: LABEL,
  description:
    'TimeXer: patch and global tokens per series, cross-attention to exogenous variate tokens (Wang et al., 2024).',
  family: 'transformer',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: timexerConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: timexerSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: LABEL, exogenous }, dims);
    checkConfig(config, dims.inputSize);
    const { h, inputSize: L, nOutputs: K, nSeries: N } = dims;
    const E = config.hidden_size;
    const P = Math.floor(L / config.patch_len);
    const store = createParamStore('timexer', seed);
    const enEmbedding = createPatchEmbedding(store, {
      path: 'en_embedding',
      nSeries: N,
      patchLen: config.patch_len,
      nPatches: P,
      hiddenSize: E,
      dropout: config.dropout,
    });
    const exEmbedding = createInvertedEmbedding(store, {
      path: 'ex_embedding',
      inputSize: L,
      hiddenSize: E,
      dropout: config.dropout,
    });
    const encoder = createEncoder(store, config);
    const head = createLinear(store, { path: 'head/linear', inFeatures: E * (P + 1), outFeatures: h * K });
    // Non-affine RevIN is the Non-stationary Transformer's normalisation TimeXer applies to the series
    // (not to the exogenous columns); it owns no variables.
    const norm = config.use_norm ? createRevin(store, { path: 'norm', numFeatures: N }) : undefined;
    return toMultivariateNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const normalized = norm?.normalize(batch.insampleY);
      const y = normalized?.normalized ?? batch.insampleY; // [B, L, N]
      const tokens = enEmbedding.apply(y, ctx); // [B·N, P+1, E]
      const variates = exEmbedding.apply(variateRows(batch, y, dims), ctx); // [B, T, E]
      const encoded = encoder.apply(tokens, variates, ctx); // [B·N, P+1, E]
      // The head reads each series' tokens channel-major, as NeuralForecast flattens [E, P+1].
      const flat = tf.reshape(tf.transpose(tf.reshape(encoded, [B, N, P + 1, E]), [0, 1, 3, 2]), [
        B,
        N,
        E * (P + 1),
      ]); // [B, N, P+1, E] -> [B, N, E, P+1] -> [B, N, E·(P+1)]
      const out = dropout(head.apply(flat), config.dropout, ctx); // [B, N, H*K]
      let forecast = tf.transpose(out, [0, 2, 1]) as tf.Tensor3D; // [B, H*K, N]
      if (norm && normalized) forecast = norm.denormalize(forecast, normalized.stats);
      return tf.transpose(tf.reshape(forecast, [B, h, K, N]), [0, 1, 3, 2]); // [B, H*K, N] -> [B, H, K, N] -> [B, H, N, K]
    });
  },
} as const satisfies MultivariateModelSpec<TimexerConfig>;
