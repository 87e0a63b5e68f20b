/** Learning-rate schedule and gradient clipping, as NeuralForecast configures Lightning. */
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link stepLearningRate}. */
export interface StepLrOptions {
  readonly learningRate: number;
  readonly maxSteps: number;
  /** -1 (or 0) keeps the rate constant. */
  readonly numLrDecays: number;
  /** @default 0.5 */
  readonly gamma?: number;
}

/**
 * StepLR as NeuralForecast sets it up: the rate is multiplied by `gamma` every
 * max(max_steps // num_lr_decays, 1) steps; `step` is 0-based (the rate used for that step).
 */
export const stepLearningRate = (step: number, options: StepLrOptions): number => {
  if (options.numLrDecays <= 0) return options.learningRate;
  const every = Math.max(Math.floor(options.maxSteps / options.numLrDecays), 1);
  return options.learningRate * (options.gamma ?? 0.5) ** Math.floor(step / every);
};

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (PyTorch's clip_grad_norm_:
 * coefficient maxNorm / (norm + 1e-6), clamped to 1). Returns new tensors; the caller disposes them.
 */
export const clipByGlobalNorm = (grads: readonly tf.Tensor[], maxNorm: number): tf.Tensor[] =>
  tf.tidy(() => {
    const squares = grads.map((g) => tf.sum(tf.square(g))); // each -> scalar
    const norm = tf.sqrt(tf.addN(squares)); // scalar
    const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1); // scalar, no host sync
    return grads.map((g) => tf.mul(g, coef));
  });
