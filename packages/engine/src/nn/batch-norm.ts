/**
 * Batch normalisation as PyTorch's `nn.BatchNorm1d(C)` / `BatchNorm2d(C)` (eps 1e-5, momentum 0.1,
 * affine, running statistics), over a tensor of any rank: every axis but the channel axis is
 * reduced. Training normalises with the batch's biased variance and moves the running mean /
 * unbiased variance; inference normalises with the running ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';
import type { ParamStore } from './params.js';

/** PyTorch's `nn.BatchNorm*` defaults. */
const EPS = 1e-5;
const MOMENTUM = 0.1;

/** A batch norm layer; the output has the input's shape. */
export interface BatchNorm {
  /** Running statistics [C], saved with the weights but never trained (PyTorch buffers). */
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T;
}

/** Options of {@link createBatchNorm}. */
export interface BatchNormOptions {
  /**
   * The channel axis (negative counts from the end). PyTorch's BatchNorm1d reads [B, C] or
   * [B, C, L] (axis 1); a model holding [B, L, C] (PatchTST's `Transpose → BatchNorm1d → Transpose`)
   * normalises over its last axis without the two transposes. @default -1
   */
  readonly channelAxis?: number;
  /** Added to the variance (PyTorch's `eps`). @default 1e-5 */
  readonly eps?: number;
  /** Weight of the batch statistics in the running ones (PyTorch's `momentum`). @default 0.1 */
  readonly momentum?: number;
}

/**
 * Creates a batch norm over `dim` channels: gain `<path>/weight` = 1, shift `<path>/bias` = 0, and
 * non-trainable `<path>/running_mean` = 0, `<path>/running_var` = 1 (so they persist by name).
 */
export function createBatchNorm(
  store: ParamStore,
  path: string,
  dim: number,
  options: BatchNormOptions = {},
): BatchNorm {
  const weight = store.constant(`${path}/weight`, [dim], 1);
  const bias = store.constant(`${path}/bias`, [dim], 0);
  const runningMean = store.constant(`${path}/running_mean`, [dim], 0);
  const runningVar = store.constant(`${path}/running_var`, [dim], 1);
  const eps = options.eps ?? EPS;
  const momentum = options.momentum ?? MOMENTUM;
  // Buffers, not parameters: variableGrads skips them, so Adam sees zero gradients and leaves them.
  runningMean.trainable = false;
  runningVar.trainable = false;
  return {
    runningMean,
    runningVar,
    apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T {
      const rank = x.rank;
      const requested = options.channelAxis ?? -1;
      const axis = requested < 0 ? rank + requested : requested;
      if (axis < 0 || axis >= rank || x.shape[axis] !== dim) {
        throw new Error(
          `batch norm over ${dim} channels got shape [${x.shape.join(', ')}] (channel axis ${axis})`,
        );
      }
      const reduced = x.shape.map((_, i) => i).filter((i) => i !== axis);
      // [C] -> [1, …, C, …, 1]: per-channel values broadcast along every reduced axis.
      const perChannel = x.shape.map((size, i) => (i === axis ? size : 1));
      const broadcast = (t: tf.Tensor): tf.Tensor => (axis === rank - 1 ? t : tf.reshape(t, perChannel));
      return tf.tidy(() => {
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (ctx.training) {
          const moments = batchMoments(x, axis, reduced); // -> [C], biased variance
          mean = moments.mean;
          variance = moments.variance;
          const n = x.size / dim;
          // PyTorch moves running_var with the unbiased variance (n / (n - 1)); one value has none to correct.
          const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
          runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(mean, momentum)));
          runningVar.assign(tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(unbiased, momentum)));
        } else {
          mean = runningMean;
          variance = runningVar;
        }
        // Folded into one scale and one shift per channel: x·(γ/σ) + (β − μ·γ/σ).
        const scale = tf.mul(weight, tf.rsqrt(tf.add(variance, eps)));
        const shift = tf.sub(bias, tf.mul(mean, scale));
        return tf.add(tf.mul(x, broadcast(scale)), broadcast(shift)) as T;
      });
    },
  };
}

/**
 * Mean and biased variance [C] over every axis but `axis`. With channels last they are two
 * products ones[1, M] · X[M, C] on the BLAS path: the backends reduce non-innermost axes by
 * transposing first, which made the reductions (and their gradients) a batch norm's main cost.
 */
function batchMoments(
  x: tf.Tensor,
  axis: number,
  reduced: number[],
): { mean: tf.Tensor; variance: tf.Tensor } {
  if (axis !== x.rank - 1) return tf.moments(x, reduced);
  const C = x.shape[axis] as number;
  const M = x.size / C;
  const rows = tf.reshape(x, [M, C]);
  const average = tf.fill([1, M], 1 / M);
  const mean = tf.matMul(average, rows); // [1, C]
  const variance = tf.matMul(average, tf.square(tf.sub(rows, mean))); // [1, C]
  return { mean: tf.reshape(mean, [C]), variance: tf.reshape(variance, [C]) };
}
