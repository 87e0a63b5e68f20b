/**
 * XLinear's `GatingBlock`: x ⊙ sigmoid(Linear(dropout(relu(Linear(x))))), an MLP that weighs each
 * feature of its own input.
 * @see Xinyang C. et al. (2026), "XLinear: A Lightweight and Accurate MLP-Based Model for Long-Term Time Series Forecasting with Exogenous Inputs". https://arxiv.org/abs/2601.09237
 */
import * as tf from '@tensorflow/tfjs-core';
import { relu } from '../../nn/activations.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';

/** Sizes of a gating block over [..., features]. */
export interface GatingOptions {
  /** Variable path (`temporal_gating`); `lin_1`, `lin_2` below it. */
  readonly path: string;
  /** Features gated (NeuralForecast's `d_model`). */
  readonly features: number;
  /** Hidden units of the gate's MLP (`hidden_ff`). */
  readonly hidden: number;
  readonly dropout: number;
}

/** A gating block; the output has the input's shape. */
export interface GatingBlock {
  apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T;
}

/** Creates a gating block (two PyTorch-initialised dense layers). */
export function createGatingBlock(store: ParamStore, options: GatingOptions): GatingBlock {
  const { path, features, hidden } = options;
  const lin1 = createLinear(store, { path: `${path}/lin_1`, inFeatures: features, outFeatures: hidden });
  const lin2 = createLinear(store, { path: `${path}/lin_2`, inFeatures: hidden, outFeatures: features });
  return {
    apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T {
      return tf.tidy(() => {
        const h = dropout(lin1.apply(x, relu), options.dropout, ctx); // [..., features] -> [..., hidden]
        return tf.mul(x, tf.sigmoid(lin2.apply(h))) as T; // [..., hidden] -> [..., features], gates in (0, 1)
      });
    },
  };
}
