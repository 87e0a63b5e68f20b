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
import { createLinear } from '../nn/linear.js';
import type { ParamStore } from '../nn/params.js';
import { createRevin } from '../nn/revin.js';
import type { TransEncoder } from '../nn/transformer-layers.js';
import { toMultivariateNetwork } from './multivariate.js';

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
  const embedding = createLinear(store, {
    path: 'enc_embedding/value_embedding',
    inFeatures: L,
    outFeatures: E,
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
    const tokens = dropout(embedding.apply(tf.transpose(x, [0, 2, 1]) as tf.Tensor3D), options.dropout, ctx); // [B, N, L] -> [B, N, E]
    const encoded = encoder.apply(tokens, ctx).output; // [B, N, E]
    let y = tf.transpose(projection.apply(encoded), [0, 2, 1]) as tf.Tensor3D; // [B, N, H*K] -> [B, H*K, N]
    if (norm && normalized) y = norm.denormalize(y, normalized.stats);
    return tf.transpose(tf.reshape(y, [B, h, K, N]), [0, 1, 3, 2]); // [B, H*K, N] -> [B, H, K, N] -> [B, H, N, K]
  });
}
