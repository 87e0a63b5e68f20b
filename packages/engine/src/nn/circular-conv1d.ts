/**
 * A kernel-3, stride-1 Conv1d over time with circular padding and no bias (PyTorch's
 * `Conv1d(c_in, c_out, 3, padding=1, padding_mode='circular', bias=False)`), as Autoformer's and
 * FEDformer's decoder project their accumulated trend. Written as one matmul of the three shifted
 * copies of the sequence side by side.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './params.js';

/** Options of {@link createCircularConv1d}. */
export interface CircularConv1dOptions {
  /** Variable path; `/kernel` is appended. */
  readonly path: string;
  readonly inChannels: number;
  readonly outChannels: number;
}

/** The convolution [B, L, C_in] -> [B, L, C_out]. */
export interface CircularConv1d {
  /** [3·C_in, C_out]: row j·C_in + c holds tap j (reads x[t+j−1], circularly) of channel c. */
  readonly kernel: tf.Variable;
  apply(x: tf.Tensor3D): tf.Tensor3D;
}

/**
 * Creates the convolution with PyTorch's default Conv1d initialisation, `kaiming_uniform_(a=√5)`:
 * U(−1/√fan_in, 1/√fan_in) with fan_in = 3·C_in.
 */
export function createCircularConv1d(store: ParamStore, options: CircularConv1dOptions): CircularConv1d {
  const { inChannels: C, outChannels } = options;
  const bound = 1 / Math.sqrt(3 * C);
  const kernel = store.uniform(`${options.path}/kernel`, [3 * C, outChannels], { low: -bound, high: bound });
  return {
    kernel,
    apply(x) {
      return tf.tidy(() => {
        const [B, L] = x.shape;
        const wrapped = tf.concat(
          [tf.slice(x, [0, L - 1, 0], [B, 1, C]), x, tf.slice(x, [0, 0, 0], [B, 1, C])],
          1,
        ); // [B, L+2, C]
        const taps = [0, 1, 2].map((j) => tf.slice(wrapped, [0, j, 0], [B, L, C]));
        const unfolded = tf.reshape(tf.concat(taps, 2), [B * L, 3 * C]); // [B·L, 3C]
        return tf.reshape(tf.matMul(unfolded, kernel), [B, L, outChannels]) as tf.Tensor3D;
      });
    },
  };
}
