/**
 * PatchTST's multi-head self-attention (NeuralForecast's `_MultiheadAttention` with
 * `_ScaledDotProductAttention`). With residual attention (RealFormer) each layer adds the previous
 * layer's pre-softmax scores to its own and hands its scores on; without, it is plain scaled
 * dot-product attention. The learnable-scale variant (`lsa`) is off in NeuralForecast's PatchTST,
 * so the scale is the constant 1/√head_dim.
 *
 * The three projections run as one product against their concatenated kernels; no op works on
 * one head. Heads are batch entries of two batched products [N·H, P, E] × [N·H, E, P]. With few
 * patches (PatchTST's 3 at input_size 24) those are N·H products of 3×8×3: on wasm with OpenBLAS
 * one SIMD kernel call runs them all (native/small-gemm.ts), but elsewhere each is a call of its
 * own whose overhead made them a fifth of a training step, so there few patches are mixed
 * elementwise over [N, P, H, E] instead, one key patch at a time (which costs P times more per
 * patch, so many patches always take the products).
 * @see He et al. (2020), "RealFormer: Transformer Likes Residual Attention", arXiv. https://arxiv.org/abs/2012.11747
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchedSmallGemmActive } from '../../native/enable.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';
import { scaledSoftmax } from '../../nn/scaled-softmax.js';

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
  /**
   * Forces one way of mixing (tests compare them). @default elementwise when P ≤
   * {@link ELEMENTWISE_MAX_PATCHES} and the batched products would not run as one kernel call
   */
  readonly mixing?: 'elementwise' | 'batched';
}

/**
 * Patch counts up to which attention is computed elementwise (about 7 ops per key patch) rather
 * than by batched products of one sgemm call each.
 */
export const ELEMENTWISE_MAX_PATCHES = 8;

/** Output of one attention: values [N, P, hidden] and the pre-softmax scores [N, P, H, P] for the next layer. */
export interface ResidualAttentionOutput {
  readonly output: tf.Tensor3D;
  readonly scores: tf.Tensor4D;
}

/** A multi-head self-attention whose scores may carry over from the previous layer. */
export interface ResidualAttention {
  /**
   * x [N, P, hidden] -> output [N, P, hidden] and this layer's scores [N·H, P, P]
   * (scale·QKᵀ + `previousScores`, before the softmax). Heads are laid out sequence-major (n·H + h).
   */
  apply(
    x: tf.Tensor3D,
    previousScores: tf.Tensor4D | undefined,
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
      const elementwise = P <= ELEMENTWISE_MAX_PATCHES && !batchedSmallGemmActive(P, P, E);
      const mix =
        (options.mixing ?? (elementwise ? 'elementwise' : 'batched')) === 'elementwise'
          ? mixElementwise
          : mixBatched;
      // Both results leave the tidy as its return value, so the caller's scope owns (and frees) them.
      const [output, scores] = tf.tidy((): [tf.Tensor3D, tf.Tensor4D] => {
        // One product for Q, K and V: [N·P, d] × [d, 3·H·E] -> three [N, P, H, E].
        const kernel = tf.concat(
          projections.map((p) => p.kernel),
          1,
        );
        const bias = tf.concat(
          projections.map((p) => p.bias as tf.Variable),
          0,
        );
        const qkv = tf.fused.matMul({ a: tf.reshape(x, [N * P, d]), b: kernel, bias });
        const [q, k, v] = tf.split(qkv, 3, 1).map((t) => tf.reshape(t, [N, P, H, E])) as Heads;
        const scoresOf = (own: tf.Tensor4D): tf.Tensor4D =>
          previousScores ? tf.add(own, previousScores) : own;
        const softmax = (s: tf.Tensor4D): tf.Tensor4D => dropout(scaledSoftmax(s), options.attnDropout, ctx);
        const { mixed, scores: s } = mix([tf.mul(q, scale), k, v], scoresOf, softmax);
        const merged = tf.reshape(mixed, [N, P, H * E]) as tf.Tensor3D;
        return [dropout(out.apply(merged), options.projDropout, ctx), s];
      });
      return { output, scores };
    },
  };
}

/** Scaled queries, keys and values [N, P, H, E]. */
type Heads = [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];

/**
 * Mixes values by attention: scores [N, P, H, P] from the scaled queries and keys (passed through
 * `scoresOf`, which adds the previous layer's), weights by `softmax` over the key patches, values
 * mixed [N, P, H, E].
 */
type Mixing = (
  heads: Heads,
  scoresOf: (own: tf.Tensor4D) => tf.Tensor4D,
  softmax: (scores: tf.Tensor4D) => tf.Tensor4D,
) => { readonly mixed: tf.Tensor4D; readonly scores: tf.Tensor4D };

/** One key patch j at a time: scores[…, j] = Σ_e q·k_j, mixed = Σ_j w_j·v_j — no transposes, no tiny products. */
const mixElementwise: Mixing = ([q, k, v], scoresOf, softmax) => {
  const [N, P, H, E] = q.shape;
  const keyPatch = (t: tf.Tensor4D, j: number): tf.Tensor4D => tf.slice(t, [0, j, 0, 0], [N, 1, H, E]);
  const columns = Array.from({ length: P }, (_, j) => tf.sum(tf.mul(q, keyPatch(k, j)), 3, true)); // P × [N, P, H, 1]
  const scores = scoresOf(tf.concat(columns, 3) as tf.Tensor4D); // [N, P, H, P]
  const weights = softmax(scores);
  const weighted = (j: number): tf.Tensor4D =>
    tf.mul(tf.slice(weights, [0, 0, 0, j], [N, P, H, 1]), keyPatch(v, j));
  let mixed = weighted(0);
  for (let j = 1; j < P; j += 1) mixed = tf.add(mixed, weighted(j));
  return { mixed, scores };
};

/**
 * Heads as batch entries of two batched products; [N, P, H, E] -> [N, H, P, E] -> [N·H, P, E] by
 * rank-4 transposes (one pass on the backends, where rank 5 goes element by element).
 */
const mixBatched: Mixing = ([q, k, v], scoresOf, softmax) => {
  const [N, P, H, E] = q.shape;
  const headsFirst = (t: tf.Tensor4D): tf.Tensor3D =>
    tf.reshape(tf.transpose(t, [0, 2, 1, 3]), [N * H, P, E]);
  const own = tf.matMul(headsFirst(q), headsFirst(k), false, true); // [N·H, P, P]
  // [N·H, P, P] -> [N, H, P, P] -> [N, P, H, P], the layout the scores travel in.
  const scores = scoresOf(tf.transpose(tf.reshape(own, [N, H, P, P]), [0, 2, 1, 3]));
  const weights = tf.reshape(tf.transpose(softmax(scores), [0, 2, 1, 3]), [N * H, P, P]);
  const mixed = tf.matMul(weights, headsFirst(v)); // [N·H, P, E]
  return { mixed: tf.transpose(tf.reshape(mixed, [N, H, P, E]), [0, 2, 1, 3]), scores };
};
