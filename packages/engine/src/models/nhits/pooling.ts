/** NHITS input pooling: PyTorch's MaxPool1d / AvgPool1d with kernel = stride = k and `ceil_mode=True`. */
import * as tf from '@tensorflow/tfjs-core';

/** Pooling modes NHITS accepts, by PyTorch class name. */
export const POOLING_MODES = ['MaxPool1d', 'AvgPool1d'] as const;

/** One of {@link POOLING_MODES}. */
export type PoolingMode = (typeof POOLING_MODES)[number];

/** Length after pooling T steps with kernel k in ceil mode. */
export function pooledLength(length: number, kernel: number): number {
  return Math.ceil(length / kernel);
}

/**
 * Pools the last axis of [N, C, T] into [N, C, ceil(T/k)]. In ceil mode the last window may be
 * short: max pooling ignores the missing steps, and PyTorch's average divides by the steps that
 * exist (no padding was requested), so we pad and divide by the true counts.
 */
export function pool1d(x: tf.Tensor3D, kernel: number, mode: PoolingMode): tf.Tensor3D {
  if (kernel === 1) return x;
  return tf.tidy(() => {
    const [n, c, t] = x.shape;
    const windows = pooledLength(t, kernel);
    const pad = windows * kernel - t;
    let padded: tf.Tensor3D = x;
    if (pad > 0) {
      // Max: repeating the last step cannot change a maximum. Avg: zeros, then true counts below.
      const filler =
        mode === 'MaxPool1d'
          ? tf.tile(tf.slice(x, [0, 0, t - 1], [n, c, 1]), [1, 1, pad])
          : tf.zeros([n, c, pad]);
      padded = tf.concat([x, filler as tf.Tensor3D], 2); // [N, C, T] -> [N, C, windows*k]
    }
    const grouped = tf.reshape(padded, [n, c, windows, kernel]) as tf.Tensor4D; // -> [N, C, windows, k]
    if (mode === 'MaxPool1d') return maxOverLastAxis(grouped); // -> [N, C, windows]
    const counts = Array.from({ length: windows }, (_, i) => (i === windows - 1 ? kernel - pad : kernel));
    return tf.div(tf.sum(grouped, 3), tf.tensor1d(counts)) as tf.Tensor3D; // -> [N, C, windows]
  });
}

/**
 * Max over the last axis of [N, C, W, k] as a chain of pairwise maxima: the gradient goes to the
 * first maximum of each window, as PyTorch's MaxPool1d, with same-shape ops only (tf.max's gradient
 * compares against a broadcast max, which is slow on wasm and splits the gradient among ties).
 */
function maxOverLastAxis(grouped: tf.Tensor4D): tf.Tensor3D {
  const [n, c, w, k] = grouped.shape;
  // Steps first, so each step is one contiguous slice (wasm slices a last-axis column element by element).
  const byStep = tf.transpose(grouped, [3, 0, 1, 2]); // [N, C, W, k] -> [k, N, C, W]
  const step = (j: number): tf.Tensor3D =>
    tf.reshape(tf.slice(byStep, [j, 0, 0, 0], [1, n, c, w]), [n, c, w]);
  let max = step(0);
  // maximum(a, b) sends the gradient to a when a >= b, so an earlier step wins a tie.
  for (let j = 1; j < k; j++) max = tf.maximum(max, step(j));
  return max;
}
