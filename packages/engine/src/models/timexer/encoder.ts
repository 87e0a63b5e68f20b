/**
 * TimeXer's encoder (NeuralForecast's `EncoderLayer`, `Encoder` in models/timexer.py): each layer
 * lets a series' patches and its global token attend to each other, then lets the global tokens of
 * a window (one per series) attend to the window's variate tokens (the exogenous columns, and the
 * series themselves), and runs the position-wise feed-forward over every token. Post-norm, as the
 * shared transformer layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AttentionLayer } from '../../nn/attention.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLayerNorm, type LayerNorm } from '../../nn/layer-norm.js';
import type { ParamStore } from '../../nn/params.js';
import { createFeedForward, type TransformerLayerOptions } from '../../nn/transformer-layers.js';

/** One TimeXer encoder layer. */
export interface TimexerEncoderLayer {
  /**
   * x [B·N, P+1, E] (patches, then the global token, of series n of window b at row b·N + n) and
   * cross [B, T, E] (the T variate tokens of each window) -> [B·N, P+1, E].
   */
  apply(x: tf.Tensor3D, cross: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/**
 * Creates a layer around its two attentions (created before it, self then cross, as NeuralForecast's
 * constructor), then conv1, conv2, norm1, norm2, norm3.
 */
export function createTimexerEncoderLayer(
  store: ParamStore,
  attentions: { readonly self: AttentionLayer; readonly cross: AttentionLayer },
  options: TransformerLayerOptions,
): TimexerEncoderLayer {
  const feedForward = createFeedForward(store, options);
  const norms = [1, 2, 3].map((i) => createLayerNorm(store, `${options.path}/norm${i}`, options.hiddenSize));
  const [norm1, norm2, norm3] = norms as [LayerNorm, LayerNorm, LayerNorm];
  const rate = options.dropout;
  return {
    apply(input, cross, ctx) {
      return tf.tidy(() => {
        const [rows, tokens, E] = input.shape;
        const B = cross.shape[0];
        const N = rows / B;
        const P = tokens - 1;
        const attended = attentions.self.apply(input, input, input, ctx).output;
        const x = norm1.apply(tf.add<tf.Tensor3D>(input, dropout(attended, rate, ctx))); // [B·N, P+1, E]
        const glbOrigin = tf.slice(x, [0, P, 0], [rows, 1, E]); // [B·N, 1, E]
        const glb = tf.reshape(glbOrigin, [B, N, E]) as tf.Tensor3D; // a window's N global tokens query its variates together
        const glbAttn = dropout(attentions.cross.apply(glb, cross, cross, ctx).output, rate, ctx); // [B, N, E]
        const glbNew = norm2.apply(
          tf.add<tf.Tensor3D>(glbOrigin, tf.reshape(glbAttn, [rows, 1, E]) as tf.Tensor3D),
        );
        const merged = tf.concat([tf.slice(x, [0, 0, 0], [rows, P, E]), glbNew], 1) as tf.Tensor3D; // [B·N, P+1, E]
        return norm3.apply(tf.add<tf.Tensor3D>(merged, feedForward.apply(merged, ctx)));
      });
    },
  };
}

/** NeuralForecast's TimeXer `Encoder`: the layers, each reading the same variate tokens, then a final norm. */
export interface TimexerEncoder {
  /** x [B·N, P+1, E], cross [B, T, E] -> [B·N, P+1, E]. */
  apply(x: tf.Tensor3D, cross: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/** Stacks the layers with `norm` after the last one. */
export function createTimexerEncoder(options: {
  readonly layers: readonly TimexerEncoderLayer[];
  readonly norm: LayerNorm;
}): TimexerEncoder {
  return {
    apply(input, cross, ctx) {
      let x = input;
      for (const layer of options.layers) x = layer.apply(x, cross, ctx);
      return options.norm.apply(x);
    },
  };
}
