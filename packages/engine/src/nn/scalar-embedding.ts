/**
 * TFT's embedding of continuous variables (NeuralForecast's `TFTEmbedding`): variable i's scalar
 * x_i becomes x_i·w_i + b_i [d]. The variable selection reads the embeddings only through dense
 * layers (the first layers of its joint and per-variable GRNs, and the joint GRN's skip) and as the
 * per-variable GRNs' skips. An embedding is affine in one scalar, so a dense layer folds into it:
 * (x_i·w_i + b_i)·W_i = x_i·(w_i·W_i) + b_i·W_i, a product over the n scalars of a row instead of
 * over its n·d embedded values — at TFT's yardstick [24576, 2]·[2, 128] instead of [24576, 256]·
 * [256, 128] — and [.., n, d] is formed only for the skips. The same model; the sums run in
 * another order (float rounding).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GrnInput } from './grn.js';
import { normalVariable } from './normal-init.js';
import type { ParamStore } from './params.js';

/** The embedding of n variables: weight and bias [n, d]. */
export interface ScalarEmbedding {
  readonly weight: tf.Tensor;
  readonly bias: tf.Tensor;
}

/** Scalars x [.., n] of the n variables `embedding` embeds. */
export interface EmbeddedScalars {
  readonly x: tf.Tensor;
  readonly embedding: ScalarEmbedding;
}

let folding = true;

/** Whether variable selections fold the embedding into their first dense layers (A/B switch for benches). @default true */
export const setEmbeddingFolding = (on: boolean): void => {
  folding = on;
};

/** Whether {@link setEmbeddingFolding} is on. */
export const embeddingFolding = (): boolean => folding;

let plainFirstProduct = true;

/** Whether a folded first layer runs as a product and an add instead of tf.fused.matMul (A/B switch for benches). @default true */
export const setPlainFirstProduct = (on: boolean): void => {
  plainFirstProduct = on;
};

/** Creates the embedding of `size` variables under `<path>/weight` and `<path>/bias`, initialised as NeuralForecast's. */
export function createScalarEmbedding(
  store: ParamStore,
  path: string,
  size: number,
  d: number,
): ScalarEmbedding {
  // xavier_normal_ on [size, d]: std = √(2 / (fan_in + fan_out)) = √(2 / (d + size)).
  const weight = normalVariable(store, `${path}/weight`, [size, d], Math.sqrt(2 / (size + d)));
  const bias = store.constant(`${path}/bias`, [size, d], 0);
  return { weight, bias };
}

/** The embeddings of several variable groups as one, their variables in the given order. */
export const concatEmbeddings = (parts: readonly ScalarEmbedding[]): ScalarEmbedding =>
  parts.length === 1
    ? parts[0]!
    : { weight: tf.concat(parts.map((p) => p.weight)), bias: tf.concat(parts.map((p) => p.bias)) };

/** x [.., n] -> x_i·w_i + b_i [.., n, d]. */
export const embedScalars = ({ x, embedding }: EmbeddedScalars): tf.Tensor =>
  tf.add(tf.mul(tf.expandDims(x, -1), embedding.weight), embedding.bias);

/**
 * The embeddings flattened, [.., n·d], as a GRN input: a layer W [n·d, out] passes as
 * x [N, n]·(w_i·W_i)_i [n, out] + (b·W + bias), W_i the d rows of variable i.
 */
export function flatEmbeddedInput(e: EmbeddedScalars): GrnInput {
  const lead = e.x.shape.slice(0, -1);
  const [n, d] = e.embedding.weight.shape as [number, number];
  const rows = tf.reshape(e.x, [-1, n]) as tf.Tensor2D; // [N, n]
  return {
    dense: ({ kernel, bias }) => {
      const out = kernel.shape[1]!;
      const perVariable = tf.reshape(kernel, [n, d, out]);
      // [n, 1, d]·[n, d, out] -> [n, out]: w_i·W_i
      const slopes = tf.reshape(tf.matMul(tf.reshape(e.embedding.weight, [n, 1, d]), perVariable), [n, out]);
      const shift = tf.reshape(tf.matMul(tf.reshape(e.embedding.bias, [1, n * d]), kernel as tf.Tensor2D), [
        out,
      ]);
      // A product and an add rather than tf.fused.matMul: its gradient (a customGrad) forms the
      // product's gradient for every input, also the data rows' [N, n] one nothing reads (at TFT's
      // yardstick a [24576, 128]·[128, 2] product, ~20 ms a step); the tape prunes a plain product's.
      // The add makes a fresh [out] tensor even without a bias: wasm's _FusedMatMul reads the bias'
      // rank from its storage, which a reshape shares (shift's is the product's [1, 1, out]).
      const offset = tf.add(shift, bias ?? 0);
      const y = plainFirstProduct
        ? tf.add(tf.matMul(rows, slopes as tf.Tensor2D), offset)
        : tf.fused.matMul({ a: rows, b: slopes as tf.Tensor2D, bias: offset });
      return tf.reshape(y, [...lead, out]);
    },
    value: () => tf.reshape(embedScalars(e), [...lead, n * d]),
  };
}

/**
 * The embeddings by variable, [n, N, d], as a stacked GRN's input (GRN i reads variable i): with
 * [x_i, 1] [n, N, 2], a layer W [n, d, out], bias [n, 1, out] passes as [x_i, 1]·[w_i·W_i; b_i·W_i + bias_i]
 * and the embeddings themselves as [x_i, 1]·[w_i; b_i] — one batched product each.
 */
export function byVariableEmbeddedInput(e: EmbeddedScalars): GrnInput {
  const [n, d] = e.embedding.weight.shape as [number, number];
  const x = tf.expandDims(tf.transpose(tf.reshape(e.x, [-1, n])), 2); // [n, N, 1]
  // A pad with ones, on wasm ~7× cheaper than stacking x with a ones tensor.
  const withOnes = tf.pad(
    x,
    [
      [0, 0],
      [0, 0],
      [0, 1],
    ],
    1,
  ) as tf.Tensor3D; // [n, N, 2]
  const w = tf.reshape(e.embedding.weight, [n, 1, d]);
  const b = tf.reshape(e.embedding.bias, [n, 1, d]);
  return {
    dense: ({ kernel, bias }) => {
      const k = kernel as tf.Tensor3D;
      const shift = tf.matMul(b as tf.Tensor3D, k);
      const coefficients = tf.concat([tf.matMul(w as tf.Tensor3D, k), bias ? tf.add(shift, bias) : shift], 1);
      return tf.matMul(withOnes, coefficients as tf.Tensor3D); // [n, N, out]
    },
    value: () => tf.matMul(withOnes, tf.concat([w, b], 1) as tf.Tensor3D), // [n, N, d]
  };
}
