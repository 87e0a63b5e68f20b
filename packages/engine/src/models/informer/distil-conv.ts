/**
 * Informer's self-attention distilling (NeuralForecast's `ConvLayer`) between encoder layers:
 * Conv1d(C, C, kernel 3, padding 2, circular) -> BatchNorm1d -> ELU -> MaxPool1d(3, stride 2,
 * padding 1), on the channels-last layout [B, L, C]. The padding of 2 lengthens the sequence to
 * L + 2 before the pool halves it: L -> ⌊(L + 1) / 2⌋ + 1 (24 -> 13 -> 8 …).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createBatchNorm, type BatchNorm } from '../../nn/batch-norm.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear, type Linear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';
import type { SequenceLayer } from '../../nn/transformer-layers.js';

/** Steps out of the distilling layer for `length` steps in. */
export function distilledLength(length: number): number {
  const convolved = length + 2; // kernel 3 with 2 steps of padding on each side
  return Math.floor((convolved + 2 * 1 - 3) / 2) + 1;
}

/**
 * Circular padding by `pad` steps on each side of [B, L, C]: the last `pad` steps before the window,
 * the first `pad` after it (PyTorch's `padding_mode='circular'`). Needs pad ≤ L.
 */
export function circularPad(x: tf.Tensor3D, pad: number): tf.Tensor3D {
  const [B, L, C] = x.shape;
  return tf.concat([tf.slice(x, [0, L - pad, 0], [B, pad, C]), x, tf.slice(x, [0, 0, 0], [B, pad, C])], 1);
}

/**
 * PyTorch's `MaxPool1d(kernel_size=3, stride=2, padding=1)` over the steps of [B, L, C], padding
 * with −∞: out[t] = max(x[2t−1], x[2t], x[2t+1]). Written with even/odd slices and elementwise
 * maxima, whose gradient goes to the first maximum of each window as PyTorch's does.
 */
export function maxPoolHalving(x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, L, C] = x.shape;
    const T = Math.floor((L - 1) / 2) + 1;
    // Padded steps 0..2T: one −∞ in front, the rest (one or two) behind; 2T + 2 steps pair up.
    const padded = tf.pad(
      x,
      [
        [0, 0],
        [1, 2 * T + 1 - L],
        [0, 0],
      ],
      -Infinity,
    );
    const pairs = tf.reshape(padded, [B, T + 1, 2, C]); // step 2i -> [i, 0], 2i+1 -> [i, 1]
    const even = tf.reshape(tf.slice(pairs, [0, 0, 0, 0], [B, T + 1, 1, C]), [B, T + 1, C]);
    const odd = tf.reshape(tf.slice(pairs, [0, 0, 1, 0], [B, T, 1, C]), [B, T, C]);
    const first = tf.slice(even, [0, 0, 0], [B, T, C]); // padded step 2t
    const last = tf.slice(even, [0, 1, 0], [B, T, C]); // padded step 2t + 2
    return tf.maximum(tf.maximum(first, odd), last);
  });
}

/** The distilling layer and its weights. */
export interface DistilConv extends SequenceLayer {
  /** [3·C, C]: row j·C + c is tap j (reads padded step t + j) of input channel c; bias [C]. */
  readonly downConv: Linear;
  readonly norm: BatchNorm;
}

/**
 * Creates the layer over `channels` channels. PyTorch initialises Conv1d as a dense layer of
 * fan_in = C·3 (bounds 1/√(3C) for weight and bias), so the unfolded kernel is a {@link Linear}.
 */
export function createDistilConv(store: ParamStore, path: string, channels: number): DistilConv {
  const C = channels;
  const downConv = createLinear(store, { path: `${path}/down_conv`, inFeatures: 3 * C, outFeatures: C });
  const norm = createBatchNorm(store, `${path}/norm`, C);
  return {
    downConv,
    norm,
    apply(x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D {
      return tf.tidy(() => {
        const [B, L] = x.shape;
        const padded = circularPad(x, 2); // [B, L+4, C]
        const taps = [0, 1, 2].map((j) => tf.slice(padded, [0, j, 0], [B, L + 2, C]));
        const convolved = downConv.apply(tf.concat(taps, 2) as tf.Tensor3D); // [B, L+2, 3C] -> [B, L+2, C]
        return maxPoolHalving(tf.elu(norm.apply(convolved, ctx)));
      });
    },
  };
}
