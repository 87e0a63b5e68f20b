/**
 * PatchTST's multi-head self-attention (NeuralForecast's `_MultiheadAttention` with
 * `_ScaledDotProductAttention`). With residual attention (RealFormer) each layer adds the previous
 * layer's pre-softmax scores to its own and hands its scores on; without, it is plain scaled
 * dot-product attention. The learnable-scale variant (`lsa`) is off in NeuralForecast's PatchTST,
 * so the scale is the constant 1/√head_dim.
 *
 * The three projections run as one product against their concatenated kernels, and every head of
 * every sequence is one batched product [N·H, P, E] × [N·H, E, P] — no per-head tensors.
 * @see He et al. (2020), "RealFormer: Transformer Likes Residual Attention", arXiv. https://arxiv.org/abs/2012.11747
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';

/** Options of {@link createResidualAttention}. */
export interface ResidualAttentionOptions {
  /** Variable path prefix (`encoder/layers_0/self_attn`). */
  readonly path: string;
  readonly hiddenSize: number;
  readonly nHeads: number;
  /** Dropout on the attention weights (`attn_dropout`). */
  readonly attnDropout: number;
  /** Dropout after the output projection (`proj_dropout`, PatchTST's `dropout`). */
  readonly projDropout: number;
}

/** Output of one attention: values [N, P, hidden] and the pre-softmax scores [N·H, P, P] for the next layer. */
export interface ResidualAttentionOutput {
  readonly output: tf.Tensor3D;
  readonly scores: tf.Tensor3D;
}

/** A multi-head self-attention whose scores may carry over from the previous layer. */
export interface ResidualAttention {
  /**
   * x [N, P, hidden] -> output [N, P, hidden] and this layer's scores [N·H, P, P]
   * (scale·QKᵀ + `previousScores`, before the softmax). Heads are laid out sequence-major (n·H + h).
   */
  apply(
    x: tf.Tensor3D,
    previousScores: tf.Tensor3D | undefined,
    ctx: ForwardContext,
  ): ResidualAttentionOutput;
}

/**
 * Creates the projections in NeuralForecast's order (W_Q, W_K, W_V, to_out) with PyTorch's Linear
 * initialisation; the per-head width is ⌊hidden / n_heads⌋ (the caller checks divisibility).
 */
export function createResidualAttention(
  store: ParamStore,
  options: ResidualAttentionOptions,
): ResidualAttention {
  const { path, hiddenSize: d, nHeads: H } = options;
  const E = Math.floor(d / H);
  const project = (name: string, inFeatures: number, outFeatures: number) =>
    createLinear(store, { path: `${path}/${name}`, inFeatures, outFeatures });
  const projections = [project('w_q', d, E * H), project('w_k', d, E * H), project('w_v', d, E * H)];
  const out = project('to_out', E * H, d);
  const scale = 1 / Math.sqrt(E);
  return {
    apply(x, previousScores, ctx) {
      const [N, P] = x.shape;
      // Both results leave the tidy as its return value, so the caller's scope owns (and frees) them.
      const [output, scores] = tf.tidy((): [tf.Tensor3D, tf.Tensor3D] => {
        // One product for Q, K and V: [N·P, d] × [d, 3·H·E].
        const kernel = tf.concat(
          projections.map((p) => p.kernel),
          1,
        );
        const bias = tf.concat(
          projections.map((p) => p.bias as tf.Variable),
          0,
        );
        const qkv = tf.fused.matMul({ a: tf.reshape(x, [N * P, d]), b: kernel, bias });
        // [N·P, H·E] -> [N, P, H, E] -> [N, H, P, E] -> [N·H, P, E]. Each of Q, K, V on its own: the
        // backends transpose rank 4 in one pass but rank 5 element by element (60× slower on wasm).
        const [q, k, v] = tf
          .split(qkv, 3, 1)
          .map((t) => tf.reshape(tf.transpose(tf.reshape(t, [N, P, H, E]), [0, 2, 1, 3]), [N * H, P, E])) as [
          tf.Tensor3D,
          tf.Tensor3D,
          tf.Tensor3D,
        ];
        let s = tf.matMul(tf.mul(q, scale), k, false, true) as tf.Tensor3D; // [N·H, P, P]
        if (previousScores) s = tf.add(s, previousScores);
        const weights = dropout(tf.softmax(s), options.attnDropout, ctx);
        const mixed = tf.matMul(weights, v); // [N·H, P, E]
        // [N·H, P, E] -> [N, H, P, E] -> [N, P, H, E] -> [N, P, H·E]
        const merged = tf.reshape(tf.transpose(tf.reshape(mixed, [N, H, P, E]), [0, 2, 1, 3]), [N, P, H * E]);
        return [dropout(out.apply(merged as tf.Tensor3D), options.projDropout, ctx), s];
      });
      return { output, scores };
    },
  };
}
