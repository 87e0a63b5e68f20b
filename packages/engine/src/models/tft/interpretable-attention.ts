/**
 * TFT's interpretable multi-head attention (Lim et al. 2021, eqs. 13–16), as NeuralForecast's
 * `InterpretableMultiHeadAttention`: per-head queries and keys but one value projection shared by
 * all heads, a causal mask, and the heads' outputs averaged before one output projection — so the
 * head-averaged weights say which past steps the forecast read.
 *
 * Averaging the heads' outputs equals applying the head-averaged weights to the shared values
 * (both are linear), so the values are multiplied once, [B, Tq, T]·[B, T, d_head], not per head.
 * Only queries from `queryStart` on are computed: TFT keeps the decoder steps alone, and a causal
 * row depends on no other row.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';

/** Added to masked scores: exp underflows to exactly 0, as PyTorch's −∞ fill, without NaN risks. */
const MASKED_SCORE = -1e9;

/** Options of {@link createInterpretableAttention}. */
export interface InterpretableAttentionOptions {
  /** Variable path; layers `qkv_linears` and `out_proj`. */
  readonly path: string;
  readonly hiddenSize: number;
  readonly nHead: number;
  /** Dropout on the attention weights. */
  readonly attnDropout: number;
  /** Dropout on the output. */
  readonly dropout: number;
}

/** Attention output and weights. */
export interface InterpretableAttentionOutput {
  /** [B, Tq, d]: rows queryStart..T-1. */
  readonly output: tf.Tensor3D;
  /** [B, n_head, Tq, T]: softmax weights, before dropout. */
  readonly weights: tf.Tensor4D;
}

/** The attention layer. */
export interface InterpretableAttention {
  /** x [B, T, d] -> the causal self-attention of rows queryStart.. over all T steps. */
  apply(x: tf.Tensor3D, queryStart: number, ctx: ForwardContext): InterpretableAttentionOutput;
}

/** The additive causal bias of query rows queryStart..T-1 over T keys: row r sees keys 0..queryStart+r. */
export function causalRows(queryStart: number, T: number): tf.Tensor2D {
  const rows = T - queryStart;
  const values = new Float32Array(rows * T);
  for (let r = 0; r < rows; r++)
    for (let s = queryStart + r + 1; s < T; s++) values[r * T + s] = MASKED_SCORE;
  return tf.tensor2d(values, [rows, T]);
}

let separateKeyValueProducts = true;

/** Whether keys and values come from two products rather than one sliced apart (A/B switch for benches). @default true */
export const setSeparateKeyValueProducts = (on: boolean): void => {
  separateKeyValueProducts = on;
};

/** Creates the attention: one bias-free [d, (2·n_head + 1)·d_head] projection for q, k and the shared v. */
export function createInterpretableAttention(
  store: ParamStore,
  options: InterpretableAttentionOptions,
): InterpretableAttention {
  const { path, hiddenSize: d, nHead } = options;
  if (d % nHead !== 0)
    throw new ConfigError(`TFT: hidden_size (${d}) must be divisible by n_head (${nHead})`);
  const dHead = d / nHead;
  const qkv = createLinear(store, {
    path: `${path}/qkv_linears`,
    inFeatures: d,
    outFeatures: (2 * nHead + 1) * dHead,
    bias: false,
  });
  const outProj = createLinear(store, {
    path: `${path}/out_proj`,
    inFeatures: dHead,
    outFeatures: d,
    bias: false,
  });
  const scale = 1 / Math.sqrt(dHead);
  return {
    apply: (x, queryStart, ctx) =>
      tf.tidy(() => {
        const [B, T] = x.shape;
        const Tq = T - queryStart;
        const width = nHead * dHead;
        // The projection's q columns only over the query rows, k and the shared v over all T: no
        // product for queries that are dropped, and no gradient padded back to [B, T, (2n + 1)·d_head].
        const w = qkv.kernel as tf.Tensor2D; // [d, (2n + 1)·d_head]: q heads, k heads, v
        const queries = queryStart === 0 ? x : tf.slice(x, [0, queryStart, 0], [B, Tq, d]);
        const qFlat = tf.matMul(tf.reshape(queries, [B * Tq, d]), tf.slice(w, [0, 0], [d, width]));
        const q = tf.transpose(tf.reshape(qFlat, [B, Tq, nHead, dHead]), [0, 2, 1, 3]); // [B, n, Tq, d_head]
        const flat = tf.reshape(x, [B * T, d]);
        let k: tf.Tensor;
        let v: tf.Tensor;
        if (separateKeyValueProducts) {
          // k and v as two products over the weights' column blocks: slicing [B, T, n·d_head + d_head]
          // copied both, and the backward padded both gradients back and added them.
          k = tf.reshape(tf.matMul(flat, tf.slice(w, [0, width], [d, width])), [B, T, nHead, dHead]);
          v = tf.reshape(tf.matMul(flat, tf.slice(w, [0, 2 * width], [d, dHead])), [B, T, dHead]);
        } else {
          const kv = tf.reshape(tf.matMul(flat, tf.slice(w, [0, width], [d, width + dHead])), [
            B,
            T,
            width + dHead,
          ]); // [B, T, n·d_head + d_head]
          k = tf.reshape(tf.slice(kv, [0, 0, 0], [B, T, width]), [B, T, nHead, dHead]);
          v = tf.slice(kv, [0, 0, width], [B, T, dHead]);
        }
        k = tf.transpose(k, [0, 2, 1, 3]); // [B, n, T, d_head]
        const scores = tf.add(
          tf.mul(tf.matMul(q, k as tf.Tensor4D, false, true), scale),
          causalRows(queryStart, T),
        );
        const weights = tf.softmax(scores) as tf.Tensor4D; // [B, n, Tq, T]
        const mixed = tf.mean(dropout(weights, options.attnDropout, ctx), 1) as tf.Tensor3D; // [B, Tq, T]
        const output = dropout(outProj.apply(tf.matMul(mixed, v as tf.Tensor3D)), options.dropout, ctx); // [B, Tq, d]
        return { output, weights } as unknown as tf.TensorContainer;
      }) as unknown as InterpretableAttentionOutput,
  };
}
