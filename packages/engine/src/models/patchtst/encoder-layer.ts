/**
 * One layer of PatchTST's encoder (NeuralForecast's `TSTEncoderLayer`): multi-head self-attention
 * over the patches and a position-wise feed-forward, each added back through residual dropout and
 * batch-normalised over (sequence × patch) per channel — after the sublayer by default, before it
 * with `pre_norm` (PatchTST's `batch_normalization`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../nn/activations.js';
import { createBatchNorm } from '../../nn/batch-norm.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';
import { createResidualAttention } from './residual-attention.js';

/** Options of {@link createEncoderLayer}. */
export interface EncoderLayerOptions {
  /** Variable path prefix (`backbone/encoder/layers_0`). */
  readonly path: string;
  readonly hiddenSize: number;
  readonly nHeads: number;
  /** Width of the feed-forward's hidden layer (`linear_hidden_size`). */
  readonly linearHiddenSize: number;
  /** Residual, projection and feed-forward dropout (`dropout`). */
  readonly dropout: number;
  /** Dropout on the attention weights (`attn_dropout`). */
  readonly attnDropout: number;
  readonly activation: Activation;
  /** Normalise before each sublayer instead of after it. */
  readonly preNorm: boolean;
}

/** A TST encoder layer. */
export interface EncoderLayer {
  /**
   * x [N, P, hidden] -> [N, P, hidden], and the layer's pre-softmax scores [N, P, H, P]
   * (`previousScores` added in, for residual attention).
   */
  apply(
    x: tf.Tensor3D,
    previousScores: tf.Tensor4D | undefined,
    ctx: ForwardContext,
  ): { readonly output: tf.Tensor3D; readonly scores: tf.Tensor4D };
}

/** Creates the layer's modules in NeuralForecast's order: self_attn, norm_attn, ff, norm_ffn. */
export function createEncoderLayer(store: ParamStore, options: EncoderLayerOptions): EncoderLayer {
  const { path, hiddenSize: d, preNorm } = options;
  const attention = createResidualAttention(store, {
    path: `${path}/self_attn`,
    hiddenSize: d,
    nHeads: options.nHeads,
    attnDropout: options.attnDropout,
    projDropout: options.dropout,
  });
  // Transpose(1, 2) → BatchNorm1d(d) → Transpose(1, 2) is a batch norm over the last axis of [N, P, d].
  const normAttn = createBatchNorm(store, `${path}/norm_attn`, d);
  const ff1 = createLinear(store, {
    path: `${path}/ff_0`,
    inFeatures: d,
    outFeatures: options.linearHiddenSize,
  });
  const ff2 = createLinear(store, {
    path: `${path}/ff_3`,
    inFeatures: options.linearHiddenSize,
    outFeatures: d,
  });
  const normFfn = createBatchNorm(store, `${path}/norm_ffn`, d);
  const rate = options.dropout;
  return {
    apply(x, previousScores, ctx) {
      // Pre-norm adds each sublayer to the normalised input, as NeuralForecast's layer does.
      let src = preNorm ? normAttn.apply(x, ctx) : x;
      const attended = attention.apply(src, previousScores, ctx);
      src = tf.add(src, dropout(attended.output, rate, ctx));
      if (!preNorm) src = normAttn.apply(src, ctx);
      if (preNorm) src = normFfn.apply(src, ctx);
      const hidden = dropout(ff1.apply(src, options.activation), rate, ctx); // [N, P, linear_hidden]
      src = tf.add(src, dropout(ff2.apply(hidden), rate, ctx));
      if (!preNorm) src = normFfn.apply(src, ctx);
      return { output: src, scores: attended.scores };
    },
  };
}
