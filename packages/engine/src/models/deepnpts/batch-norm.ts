/**
 * Batch normalisation over the feature axis of [B, D], as PyTorch's `nn.BatchNorm1d(D)` (eps 1e-5,
 * momentum 0.1, affine, running statistics). Training normalises with the batch's biased variance
 * and moves the running mean / unbiased variance; inference normalises with the running ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from '../../nn/forward-context.js';
import type { ParamStore } from '../../nn/params.js';

/** PyTorch's `nn.BatchNorm1d` defaults. */
const EPS = 1e-5;
const MOMENTUM = 0.1;

/** A batch norm layer `[B, D] -> [B, D]`. */
export interface BatchNorm {
  /** Running statistics, saved with the weights but never trained (PyTorch buffers). */
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  apply(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D;
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
    apply(x, ctx) {
      return tf.tidy(() => {
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (ctx.training) {
          const moments = tf.moments(x, 0); // [B, D] -> [D], biased variance
          mean = moments.mean;
          variance = moments.variance;
          const n = x.shape[0];
          // PyTorch moves running_var with the unbiased variance (n / (n - 1)); one row has none to correct.
          const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
          runningMean.assign(tf.add(tf.mul(runningMean, 1 - MOMENTUM), tf.mul(mean, MOMENTUM)));
          runningVar.assign(tf.add(tf.mul(runningVar, 1 - MOMENTUM), tf.mul(unbiased, MOMENTUM)));
        } else {
          mean = runningMean;
          variance = runningVar;
        }
        const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS))); // [B, D]
        return tf.add(tf.mul(normed, weight), bias) as tf.Tensor2D;
      });
    },
  };
}
