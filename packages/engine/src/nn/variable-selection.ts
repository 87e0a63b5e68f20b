/**
 * TFT's variable selection network (Lim et al. 2021, eqs. 6–8), as NeuralForecast's
 * `VariableSelectionNetwork`: a joint GRN over all n embedded variables (with an optional context)
 * gives softmax weights v [.., n]; each variable's embedding passes its own GRN; the output is their
 * v-weighted sum. The n per-variable GRNs run as one stacked GRN (grn.ts), one batched product per
 * layer over all variables. Embedded scalars (TFT's inputs) pass the first layers without being
 * embedded first (scalar-embedding.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';
import { createGrn, createStackedGrn, type GrnActivationName, type GrnInput } from './grn.js';
import type { ParamStore } from './params.js';
import {
  byVariableEmbeddedInput,
  embedScalars,
  embeddingFolding,
  flatEmbeddedInput,
  type EmbeddedScalars,
} from './scalar-embedding.js';

/** Options of {@link createVariableSelection}. */
export interface VariableSelectionOptions {
  /** Variable path; the GRNs are `joint_grn` and `var_grns`. */
  readonly path: string;
  /** Embedding width d (also the context width). */
  readonly hiddenSize: number;
  /** Number of variables n. */
  readonly numInputs: number;
  /** Dropout of the per-variable GRNs (the joint GRN has none, as in NeuralForecast). */
  readonly dropout: number;
  readonly activation: GrnActivationName;
}

/** Selected features and the selection weights. */
export interface VariableSelectionOutput {
  /** [B, d] or [B, T, d] */
  readonly features: tf.Tensor;
  /** [B, n] or [B, T, n], summing to 1 over n. */
  readonly weights: tf.Tensor;
}

/** A variable selection network over n embedded variables. */
export interface VariableSelection {
  /** x [B, n, d] (static) or [B, T, n, d] (temporal), or scalars [B, n] or [B, T, n] and their embedding; context [B, d]. */
  apply(x: tf.Tensor | EmbeddedScalars, ctx: ForwardContext, context?: tf.Tensor2D): VariableSelectionOutput;
}

let singleVariableShortcut = true;

/** Whether a selection over one variable skips its joint GRN (A/B switch for benches). @default true */
export const setSingleVariableShortcut = (on: boolean): void => {
  singleVariableShortcut = on;
};

/** Creates a variable selection network (joint GRN first, then the per-variable GRNs, as NeuralForecast). */
export function createVariableSelection(
  store: ParamStore,
  options: VariableSelectionOptions,
): VariableSelection {
  const { path, hiddenSize: d, numInputs: n } = options;
  const joint = createGrn(store, {
    path: `${path}/joint_grn`,
    inputSize: d * n,
    hiddenSize: d,
    outputSize: n,
    contextSize: d,
    activation: options.activation,
  });
  const perVariable = createStackedGrn(store, {
    path: `${path}/var_grns`,
    count: n,
    hiddenSize: d,
    dropout: options.dropout,
    activation: options.activation,
  });
  /** The inputs of the joint GRN ([.., n·d]) and of the per-variable GRNs ([n, N, d]). */
  const grnInputs = (x: tf.Tensor | EmbeddedScalars): [tf.Tensor | GrnInput, tf.Tensor3D | GrnInput] => {
    if (!(x instanceof tf.Tensor) && embeddingFolding())
      return [flatEmbeddedInput(x), byVariableEmbeddedInput(x)];
    const embedded = x instanceof tf.Tensor ? x : embedScalars(x); // [.., n, d]
    const rows = embedded.size / (n * d);
    return [
      tf.reshape(embedded, [...embedded.shape.slice(0, -2), n * d]), // [.., n, d] -> [.., n·d]
      // [.., n, d] -> [N, n, d] -> [n, N, d]: variable i's rows for GRN i.
      tf.transpose(tf.reshape(embedded, [rows, n, d]), [1, 0, 2]) as tf.Tensor3D,
    ];
  };
  return {
    apply: (x, ctx, context) => {
      const lead = x instanceof tf.Tensor ? x.shape.slice(0, -2) : x.x.shape.slice(0, -1); // [B] or [B, T]
      const rows = lead.reduce((a, b) => a * b, 1);
      return tf.tidy(() => {
        const [jointInput, byVariable] = grnInputs(x);
        if (n === 1 && singleVariableShortcut) {
          // A softmax over one variable is exactly 1 and passes no gradient back: the joint GRN
          // decides nothing (NeuralForecast runs it and its weights get zero gradients, which
          // move Adam exactly as none do).
          const features = tf.reshape(perVariable.apply(byVariable, ctx), [...lead, d]);
          return { features, weights: tf.ones([...lead, 1]) };
        }
        const weights = tf.softmax(joint.apply(jointInput, ctx, context)); // [.., n]
        const transformed = perVariable.apply(byVariable, ctx); // [n, N, d]
        // Σ_i v_i · GRN_i(x_i): [n, N, 1] weights over [n, N, d], summed over n.
        const v = tf.reshape(tf.transpose(tf.reshape(weights, [rows, n])), [n, rows, 1]);
        const features = tf.reshape(tf.sum(tf.mul(transformed, v), 0), [...lead, d]);
        return { features, weights };
      });
    },
  };
}
