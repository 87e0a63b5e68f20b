/**
 * Informer's ProbSparse self-attention (NeuralForecast's `ProbAttention`, models/informer.py): only
 * the u = factor·⌈ln L_Q⌉ "active" queries attend; the others output a lazy context, the mean of the
 * values (or, causal, their running sum). A query's activity is measured on a random sample of
 * U = factor·⌈ln L_K⌉ keys: M = max_s(q·k_s) − Σ_s(q·k_s) / L_K.
 *
 * Written for speed at the lab's window lengths rather than as NeuralForecast's gathers: every
 * query's scores come out of one batched product over all heads, the sampled statistic M reads them
 * through a [L_Q, L_K] count matrix, and the selected queries are a 0/1 row mask blending the full
 * softmax attention with the lazy context. Rows that are not selected take exactly the lazy
 * context and rows that are take exactly softmax(scale·q·Kᵀ)·V, as NeuralForecast's scatter gives.
 * @see Zhou et al. (2021), "Informer: Beyond Efficient Transformer for Long Sequence Time-Series Forecasting", AAAI. https://arxiv.org/abs/2012.07436
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@nflab/contracts';
import { causalMaskBias, type InnerAttention } from './attention.js';

/** How many keys are sampled per query and how many queries attend. */
export interface ProbSparseSizes {
  /** U = min(factor·⌈ln L_K⌉, L_K): keys sampled (with replacement) per query. */
  readonly sampledKeys: number;
  /** u = min(factor·⌈ln L_Q⌉, L_Q): queries with full attention. */
  readonly activeQueries: number;
}

/** NeuralForecast's `U_part` and `u` for L_Q queries over L_K keys. */
export function probSparseSizes(factor: number, queries: number, keys: number): ProbSparseSizes {
  return {
    sampledKeys: Math.min(factor * Math.ceil(Math.log(keys)), keys),
    activeQueries: Math.min(factor * Math.ceil(Math.log(queries)), queries),
  };
}

/**
 * The [L_Q, L_K] count matrix of the key sample: entry (l, s) counts how often key s was drawn for
 * query l among `sampledKeys` uniform draws with replacement (`torch.randint(L_K, (L_Q, U))`, one
 * sample shared by every window and head), drawn from `seed`.
 */
export function sampleKeyCounts(options: {
  readonly queries: number;
  readonly keys: number;
  readonly sampledKeys: number;
  readonly seed: number;
}): Float32Array {
  const { queries, keys, sampledKeys } = options;
  const rng = new Rng(options.seed);
  const counts = new Float32Array(queries * keys);
  for (let l = 0; l < queries; l += 1) {
    for (let j = 0; j < sampledKeys; j += 1) {
      const cell = l * keys + rng.int(keys);
      counts[cell] = (counts[cell] ?? 0) + 1;
    }
  }
  return counts;
}

/** Added to the scores of keys outside the sample so that the max over a row sees sampled keys only. */
const UNSAMPLED = -1e9;

/**
 * Selects the active queries (exported for its tests): scores [N, L_Q, L_K] (unscaled q·kᵀ) and the sample's counts -> a
 * [N, L_Q, 1] mask, 1 on the `active` queries of largest M per row of N. The selection is an index
 * choice, not a function to differentiate (NeuralForecast's topk indices carry no gradient), so it
 * runs as one op whose gradient is zero: its topk then never enters the gradient tape.
 */
export const selectActiveQueries = (active: number) =>
  tf.customGrad((scores, counts) => {
    const s = scores as tf.Tensor3D;
    const c = counts as tf.Tensor2D;
    const [N, LQ, LK] = s.shape;
    const unsampled = tf.mul(tf.sub(1, tf.minimum(c, 1)), UNSAMPLED); // [L_Q, L_K]
    const sampledMax = tf.max(tf.add(s, unsampled), -1); // [N, L_Q]
    const sampledSum = tf.sum(tf.mul(s, c), -1); // [N, L_Q], repeated draws count repeatedly
    const measure = tf.sub(sampledMax, tf.div(sampledSum, LK)); // M, divided by L_K as NeuralForecast
    const { indices } = tf.topk(measure, active); // [N, u], distinct rows
    const rows = tf.reshape(tf.sum(tf.oneHot(indices, LQ), 1), [N, LQ, 1]); // [N, u, L_Q] -> [N, L_Q, 1]
    return {
      value: rows,
      gradFunc: () => [tf.zerosLike(s), tf.zerosLike(c)],
    };
  });

/**
 * Σ_{s ≤ l} v[s] along the steps of [N, L, D], as one product with an upper-triangular ones matrix:
 * tfjs's Cumsum gradient returns a transposed shape when the summed axis is not the last.
 */
function runningSum(v: tf.Tensor3D): tf.Tensor3D {
  const [N, L, D] = v.shape;
  const upper = new Float32Array(L * L);
  for (let s = 0; s < L; s += 1) for (let l = s; l < L; l += 1) upper[s * L + l] = 1;
  const stepsLast = tf.reshape(tf.transpose(v, [0, 2, 1]), [N * D, L]); // [N·D, L]
  const summed = tf.matMul(stepsLast, tf.tensor2d(upper, [L, L])); // column l sums steps 0..l
  return tf.transpose(tf.reshape(summed, [N, D, L]), [0, 2, 1]);
}

/** Options of {@link probAttention}. */
export interface ProbAttentionOptions {
  /**
   * NeuralForecast's `mask_flag`: causal self-attention (the decoder's). The active queries attend
   * to keys up to their own step (`ProbMask`) and the lazy context is the running sum of the
   * values (`V.cumsum`, a sum as NeuralForecast has it, not a mean); needs L_Q = L_K.
   */
  readonly causal: boolean;
  /** NeuralForecast's `factor` c of u = c·⌈ln L⌉. */
  readonly factor: number;
  /** Multiplies the scores before the softmax. @default 1/√E */
  readonly scale?: number;
}

/**
 * NeuralForecast's `ProbAttention` as an {@link InnerAttention}. Its key sample is drawn from the
 * forward context's seed stream, so training steps and predictions are reproducible. There is no
 * dropout on its weights: NeuralForecast builds an `attention_dropout` module but never applies it.
 */
export function probAttention(options: ProbAttentionOptions): InnerAttention {
  return (queries, keys, values, ctx) => {
    const [B, LQ, H, E] = queries.shape;
    const LK = keys.shape[1];
    const D = values.shape[3];
    if (options.causal && LQ !== LK) {
      throw new Error(`causal ProbSparse attention needs as many queries as keys (got ${LQ} and ${LK})`);
    }
    const { sampledKeys, activeQueries } = probSparseSizes(options.factor, LQ, LK);
    const counts = sampleKeyCounts({ queries: LQ, keys: LK, sampledKeys, seed: ctx.nextSeed() });
    const mixed = tf.tidy((): tf.Tensor4D => {
      // [B, L, H, E] -> [B·H, L, E]: heads become batch entries of one product.
      const headsFirst = (x: tf.Tensor4D, length: number, width: number): tf.Tensor3D =>
        tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * H, length, width]);
      const q = headsFirst(queries, LQ, E);
      const k = headsFirst(keys, LK, E);
      const v = headsFirst(values, LK, D);
      const scores = tf.matMul(q, k, false, true); // [B·H, L_Q, L_K]
      const active = selectActiveQueries(activeQueries)(scores, tf.tensor2d(counts, [LQ, LK])) as tf.Tensor3D;
      let scaled = tf.mul(scores, options.scale ?? 1 / Math.sqrt(E));
      if (options.causal) scaled = tf.add(scaled, causalMaskBias(LQ));
      const attended = tf.matMul(tf.softmax(scaled), v); // [B·H, L_Q, D]
      const lazy = options.causal ? runningSum(v) : tf.mean(v, 1, true); // [B·H, L_Q or 1, D]
      const context = tf.add(lazy, tf.mul(active, tf.sub(attended, lazy))); // [B·H, L_Q, D]
      return tf.transpose(tf.reshape(context, [B, H, LQ, D]), [0, 2, 1, 3]);
    });
    return { values: mixed };
  };
}
