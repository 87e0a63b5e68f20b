/**
 * The forecast NeuralForecast's inverted models share (iTransformer, SOFTS, SOFTSSharp): every
 * series' whole window is one token. The window is normalised per series (the Non-stationary
 * Transformer's mean/deviation, `use_norm`), each series' L steps are embedded by one dense layer
 * (`DataEmbedding_inverted`), an encoder mixes the N tokens, and a dense projector maps each token
 * to its h·K outputs, which are mapped back with the window's statistics.
 * @see Liu et al. (2024), "iTransformer: Inverted Transformers Are Effective for Time Series Forecasting", ICLR. https://arxiv.org/abs/2310.06625
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MultivariateDims, MultivariateNetwork } from '../model/types.js';
import { dropout } from '../nn/dropout.js';
import type { ForwardContext } from '../nn/forward-context.js';
import { createLinear, type Linear } from '../nn/linear.js';
import type { ParamStore } from '../nn/params.js';
import { createRevin } from '../nn/revin.js';
import type { TransEncoder } from '../nn/transformer-layers.js';
import { toMultivariateNetwork } from './multivariate.js';

/** NeuralForecast's `DataEmbedding_inverted`: each token's L steps embedded by one dense layer, then dropout. */
export interface InvertedEmbedding {
  readonly valueEmbedding: Linear;
  /** Tokens [B, T, L] (series or covariates, one row of L steps each) -> [B, T, E]. */
  apply(tokens: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/** Creates the inverted embedding: `<path>/value_embedding` = Linear(L, E), then `dropout`. */
export function createInvertedEmbedding(
  store: ParamStore,
  options: {
    readonly path: string;
    readonly inputSize: number;
    readonly hiddenSize: number;
    readonly dropout: number;
  },
): InvertedEmbedding {
  const valueEmbedding = createLinear(store, {
    path: `${options.path}/value_embedding`,
    inFeatures: options.inputSize,
    outFeatures: options.hiddenSize,
  });
  return {
    valueEmbedding,
    apply: (tokens, ctx) => dropout(valueEmbedding.apply(tokens), options.dropout, ctx),
  };
}

/** Options of {@link buildInvertedNetwork}. */
export interface InvertedNetworkOptions {
  readonly dims: MultivariateDims;
  /** Width E of every series token (`hidden_size`). */
  readonly hiddenSize: number;
  /** Dropout after the embedding. */
  readonly dropout: number;
  /** Normalise each window per series and map the outputs back (`use_norm`). */
  readonly useNorm: boolean;
  /** Variable path of the output layer: `projector` (iTransformer) or `projection` (SOFTS). */
  readonly projectionPath: string;
  /** Creates the encoder over [B, N, E] tokens; called after the embedding, before the projector (NeuralForecast's order). */
  readonly createEncoder: () => TransEncoder;
}

/** Builds the inverted network: [B, L, N] windows -> [B, H, N, K]. */
export function buildInvertedNetwork(
  store: ParamStore,
  options: InvertedNetworkOptions,
): MultivariateNetwork {
  const { h, inputSize: L, nOutputs: K, nSeries: N } = options.dims;
  const E = options.hiddenSize;
  const embedding = createInvertedEmbedding(store, {
    path: 'enc_embedding',
    inputSize: L,
    hiddenSize: E,
    dropout: options.dropout,
  });
  const encoder = options.createEncoder();
  const projection = createLinear(store, { path: options.projectionPath, inFeatures: E, outFeatures: h * K });
  // Non-affine RevIN is the Non-stationary Transformer's normalisation: mean and √(biased var + 1e-5)
  // over the window, undone on every one of the h·K outputs; it owns no variables.
  const norm = options.useNorm ? createRevin(store, { path: 'norm', numFeatures: N }) : undefined;
  return toMultivariateNetwork(store, (batch, ctx) => {
    const B = batch.insampleY.shape[0];
    const normalized = norm?.normalize(batch.insampleY);
    const x = normalized?.normalized ?? batch.insampleY; // [B, L, N]
    const tokens = embedding.apply(tf.transpose(x, [0, 2, 1]), ctx); // [B, N, L] -> [B, N, E]
    const encoded = encoder.apply(tokens, ctx).output; // [B, N, E]
    let y = tf.transpose(projection.apply(encoded), [0, 2, 1]) as tf.Tensor3D; // [B, N, H*K] -> [B, H*K, N]
    if (norm && normalized) y = norm.denormalize(y, normalized.stats);
    return tf.transpose(tf.reshape(y, [B, h, K, N]), [0, 1, 3, 2]); // [B, H*K, N] -> [B, H, K, N] -> [B, H, N, K]
  });
}
