/**
 * The per-channel arithmetic of a training-mode batch norm — the running-statistics update and the
 * folding of the batch moments into one scale and shift — as a JavaScript loop over [C] values in
 * the backend's memory. As tensor ops it was ~14 kernels per layer and step, each on a vector of
 * C (32 in DeepNPTS), whose fixed cost dwarfs the work. The loop performs the same float32
 * operations (every product and sum rounded to float32, 1/√ rounded as each backend's Rsqrt
 * rounds it), so results are those of the kernels. (A pass over the [M, C] rows as well, moments
 * and backward included, was slower in JavaScript than the BLAS products and SIMD kernels it
 * replaced: 0.9 vs 0.6 ms per layer and step.)
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  allocFloat32Outputs,
  backendMemory,
  NATIVE_BACKENDS,
  type BackendMemory,
  type NativeBackendName,
} from '../native/backend-memory.js';

let enabled = true;

/** Off: the tensor-op form (for A/B measurements and equivalence tests). @default on */
export const setBatchNormPass = (on: boolean): void => {
  enabled = on;
};

/** The backend's memory when the loops apply (a native backend, every tensor float32), else null. */
export const batchNormPassMemory = (tensors: readonly tf.Tensor[]): BackendMemory | null => {
  const name = tf.getBackend() as NativeBackendName;
  if (!enabled || !(NATIVE_BACKENDS as readonly string[]).includes(name)) return null;
  if (tensors.some((t) => t.dtype !== 'float32')) return null;
  return backendMemory(name, tf.backend());
};

/** A tensor of each output, tuple for tuple. */
const tensors = <T extends readonly tf.TensorInfo[]>(infos: T) =>
  infos.map((info) => tf.engine().makeTensorFromTensorInfo(info)) as { [K in keyof T]: tf.Tensor };

/** Options of {@link runningStatsPass}. */
export interface RunningStatsUpdate {
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  /** [C] the batch's mean and biased variance. */
  readonly mean: tf.Tensor;
  readonly variance: tf.Tensor;
  /** Rows the moments are over (n / (n − 1) corrects the variance). */
  readonly rows: number;
  readonly momentum: number;
}

/**
 * Moves the running statistics as PyTorch does (running_var with the unbiased variance), the same
 * float32 operations as the tensor form's seven kernels; false (nothing changed) where the pass
 * does not apply. New buffers are assigned, as other tensors may share the variables' storage.
 */
export const runningStatsPass = (u: RunningStatsUpdate): boolean => {
  const memory = batchNormPassMemory([u.runningMean, u.runningVar, u.mean, u.variance]);
  const C = u.mean.size;
  if (!memory) return false;
  const got = allocFloat32Outputs(memory, [u.runningMean, u.runningVar, u.mean, u.variance], [[C], [C]]);
  if (!got) return false;
  const [rm, rv, mean, variance, nextMean, nextVar] = got.views;
  const f = Math.fround;
  const [keep, take] = [f(1 - u.momentum), f(u.momentum)];
  const correction = f(u.rows / (u.rows - 1));
  for (let c = 0; c < C; c++) {
    const unbiased = u.rows > 1 ? f(variance[c]! * correction) : variance[c]!;
    nextMean[c] = f(rm[c]! * keep) + f(mean[c]! * take);
    nextVar[c] = f(rv[c]! * keep) + f(unbiased * take);
  }
  const [m, v] = tensors(got.outputs);
  u.runningMean.assign(m);
  u.runningVar.assign(v);
  tf.dispose([m, v]);
  return true;
};

/** Options of {@link foldMomentsPass}. */
export interface FoldMoments {
  /** [C] the batch's mean and biased variance. */
  readonly mean: tf.Tensor;
  readonly variance: tf.Tensor;
  /** [C] γ and β. */
  readonly gamma: tf.Tensor;
  readonly beta: tf.Tensor;
  readonly eps: number;
}

/**
 * 1/σ = 1/√(variance + eps), scale = γ/σ and shift = β − μ·scale ([C] each), or null where the
 * loop does not apply; the tensors belong to the caller's scope.
 */
export const foldMomentsPass = (
  u: FoldMoments,
): { inverse: tf.Tensor1D; scale: tf.Tensor1D; shift: tf.Tensor1D } | null => {
  const memory = batchNormPassMemory([u.mean, u.variance, u.gamma, u.beta]);
  const C = u.mean.size;
  if (!memory) return null;
  const got = allocFloat32Outputs(memory, [u.mean, u.variance, u.gamma, u.beta], [[C], [C], [C]]);
  if (!got) return null;
  const [mean, variance, gamma, beta, inverse, scale, shift] = got.views;
  const f = Math.fround;
  const eps = f(u.eps);
  // Each backend's Rsqrt: wasm rounds the root to float32 before dividing, cpu divides in float64.
  const roundRoot = tf.getBackend() === 'wasm';
  for (let c = 0; c < C; c++) {
    const root = Math.sqrt(f(variance[c]! + eps));
    inverse[c] = 1 / (roundRoot ? f(root) : root);
    scale[c] = gamma[c]! * inverse[c]!;
    shift[c] = beta[c]! - f(mean[c]! * scale[c]!);
  }
  const [i, s, h] = tensors(got.outputs);
  return { inverse: i as tf.Tensor1D, scale: s as tf.Tensor1D, shift: h as tf.Tensor1D };
};
