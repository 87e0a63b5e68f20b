/**
 * Batch normalisation as PyTorch's `nn.BatchNorm1d(C)` / `BatchNorm2d(C)` (eps 1e-5, momentum 0.1,
 * affine, running statistics), over a tensor of any rank: every axis but the channel axis is
 * reduced. Training normalises with the batch's biased variance and moves the running mean /
 * unbiased variance; inference normalises with the running ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';
import { foldMomentsPass, runningStatsPass } from './batch-norm-pass.js';
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
  /** Moves the running statistics with a training batch's moments over M rows. */
  const updateRunning = (mean: tf.Tensor, variance: tf.Tensor, n: number): void => {
    // PyTorch moves running_var with the unbiased variance (n / (n - 1)); one value has none to correct.
    const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(mean, momentum)));
    runningVar.assign(tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(unbiased, momentum)));
  };
  /**
   * Training-mode normalisation of rows [M, C] as one op: the forward runs the same kernels in the
   * same order as the general path below (so the same values), and the backward is the closed form
   *   dx = γ/(σ·M) · (M·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ(dy·x̂),  dβ = Σdy   (sums over rows)
   * instead of differentiating about twenty ops, each of which also saved clones of its inputs
   * on the tape (~75 kernels per layer and step became ~25 in DeepNPTS).
   */
  const trainingNorm = tf.customGrad((x, gamma, beta, save) => {
    const rows = x as tf.Tensor2D;
    const [M] = rows.shape;
    const { mean, variance } = batchMoments(rows, 1, [0]); // [C] each, biased variance
    // The [C] arithmetic as one loop where it can (batch-norm-pass.ts), the same float32 operations.
    if (!runningStatsPass({ runningMean, runningVar, mean, variance, rows: M, momentum })) {
      updateRunning(mean, variance, M);
    }
    const folded = foldMomentsPass({
      mean,
      variance,
      gamma: gamma as tf.Tensor,
      beta: beta as tf.Tensor,
      eps,
    });
    const inverse = folded?.inverse ?? tf.rsqrt(tf.add(variance, eps)); // 1/σ [C]
    const scale = folded?.scale ?? tf.mul(gamma as tf.Tensor, inverse);
    const shift = folded?.shift ?? tf.sub(beta as tf.Tensor, tf.mul(mean, scale));
    (save as tf.GradSaveFunc)([rows, mean, inverse, scale]);
    return {
      value: tf.add(tf.mul(rows, scale), shift),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, inv, gammaOverSigma] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const normalised = tf.mul(tf.sub(xs, mu), inv); // x̂ [M, C]
        const sumDy = tf.sum(dy, 0); // [C]
        const sumDyNormalised = tf.sum(tf.mul(dy, normalised), 0); // [C]
        const centred = tf.sub(tf.sub(tf.mul(dy, M), sumDy), tf.mul(normalised, sumDyNormalised));
        return [tf.mul(centred, tf.div(gammaOverSigma, M)), sumDyNormalised, sumDy];
      },
    };
  });
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
      if (ctx.training && axis === rank - 1) {
        // [..., C] -> [M, C] -> [..., C]: one op with its own gradient (see trainingNorm).
        return tf.tidy(() => {
          const rows = rank === 2 ? (x as unknown as tf.Tensor2D) : tf.reshape(x, [-1, dim]);
          const y = trainingNorm(rows, weight, bias) as tf.Tensor2D;
          return (rank === 2 ? y : tf.reshape(y, x.shape)) as T;
        });
      }
      return tf.tidy(() => {
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (ctx.training) {
          const moments = batchMoments(x, axis, reduced); // -> [C], biased variance
          mean = moments.mean;
          variance = moments.variance;
          updateRunning(mean, variance, x.size / dim);
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
