/**
 * Batch normalisation over the last (feature) axis, as PyTorch's `nn.BatchNorm1d(D)` (eps 1e-5,
 * momentum 0.1, affine, running statistics). On [B, D] it is DeepNPTS's per-feature norm; on
 * channels-last sequences [B, L, D] it is BatchNorm1d over [B, D, L] (Informer's distilling
 * ConvLayer), statistics pooled over every batch entry and step. Training normalises with the
 * batch's biased variance and moves the running mean / unbiased variance; inference normalises with
 * the running ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';
import type { ParamStore } from './params.js';

/** PyTorch's `nn.BatchNorm1d` defaults. */
const EPS = 1e-5;
const MOMENTUM = 0.1;

/** A batch norm layer `[..., D] -> [..., D]`. */
export interface BatchNorm {
  /** Running statistics, saved with the weights but never trained (PyTorch buffers). */
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T;
}

/**
 * Creates a batch norm over `dim` features: gain `<path>/weight` = 1, shift `<path>/bias` = 0, and
 * non-trainable `<path>/running_mean` = 0, `<path>/running_var` = 1 (so they persist by name).
 */
export function createBatchNorm(store: ParamStore, path: string, dim: number): BatchNorm {
  const weight = store.constant(`${path}/weight`, [dim], 1);
  const bias = store.constant(`${path}/bias`, [dim], 0);
  const runningMean = store.constant(`${path}/running_mean`, [dim], 0);
  const runningVar = store.constant(`${path}/running_var`, [dim], 1);
  // Buffers, not parameters: variableGrads skips them, so Adam sees zero gradients and leaves them.
  runningMean.trainable = false;
  runningVar.trainable = false;
  return {
    runningMean,
    runningVar,
    apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T {
      return tf.tidy(() => {
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (ctx.training) {
          const pooled = Array.from({ length: x.rank - 1 }, (_, axis) => axis); // every axis but D
          const moments = tf.moments(x, pooled); // [..., D] -> [D], biased variance
          mean = moments.mean;
          variance = moments.variance;
          const n = x.size / dim;
          // PyTorch moves running_var with the unbiased variance (n / (n - 1)); one value has none to correct.
          const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
          runningMean.assign(tf.add(tf.mul(runningMean, 1 - MOMENTUM), tf.mul(mean, MOMENTUM)));
          runningVar.assign(tf.add(tf.mul(runningVar, 1 - MOMENTUM), tf.mul(unbiased, MOMENTUM)));
        } else {
          mean = runningMean;
          variance = runningVar;
        }
        const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS))); // [..., D]
        return tf.add(tf.mul(normed, weight), bias) as T;
      });
    },
  };
}
