/**
 * Dilated 1-D convolution over time that keeps the length, as one matMul per tap. Two modes,
 * named as NeuralForecast's BiTCN `CustomConv1d` names them:
 * - `backward` (causal; TCN's `CausalConv1d`, BiTCN's past encoder): zero padding (K-1)·d on the
 *   left, so output[t] = act(b + Σ_k W_k · x[t - (K-1-k)·d]) reads only the past;
 * - `forward` (anti-causal; BiTCN's future-covariate encoder): the same padding on the right, so
 *   output[t] = act(b + Σ_k W_k · x[t + k·d]) reads only the future.
 * Both are the time-reversal of each other; shifting the other way gives the anti-causal conv
 * directly, without reversing the input and output around a causal one. TensorFlow.js's conv1d
 * has no gradient for dilation > 1, so each tap is a matMul of the whole sequence followed by a
 * shift in time, summed over the taps. The shift runs on the sequence flattened to [B, T·C]: one
 * slice and one pad of long rows. Unfolding the taps on the channel axis instead (im2col) costs a
 * concat forward and a split backward over rows of C values, which made a BiTCN training step
 * several times slower on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createActivation, type ActivationName } from './activations.js';
import { createLinear, type Linear } from './linear.js';
import type { ParamStore } from './params.js';

/** Which side of t the convolution reads: `backward` = past (causal), `forward` = future (anti-causal). */
export type ConvMode = 'backward' | 'forward';

/** Options of {@link createDilatedConv1d}. */
export interface DilatedConv1dOptions {
  /** Variable path prefix (`encoder/layer_0`); the kernel lives under `<path>/conv`. */
  readonly path: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly dilation: number;
  /** Side the taps read. @default 'backward' */
  readonly mode?: ConvMode;
  /** Activation after the convolution; omit for a plain (linear) convolution. */
  readonly activation?: ActivationName;
}

/** A dilated convolution over time, `[B, T, C_in] -> [B, T, C_out]`. */
export interface DilatedConv1d {
  /**
   * The kernel, stored as one [K·C_in, C_out] dense layer: rows `k·C_in … (k+1)·C_in - 1` hold tap k
   * (PyTorch's `weight[:, :, k]`, transposed), which reads `x[t - (K-1-k)·d]` in backward mode and
   * `x[t + k·d]` in forward mode.
   */
  readonly linear: Linear;
  apply(x: tf.Tensor3D): tf.Tensor3D;
}

/**
 * Creates a dilated convolution. PyTorch's `nn.Conv1d` (and BiTCN's `CustomConv1d`) draw weight
 * and bias from U(±1/√(C_in·K)), the same bound as a dense layer with fan-in C_in·K, so the
 * unfolded kernel is initialised by {@link createLinear}.
 */
export function createDilatedConv1d(store: ParamStore, options: DilatedConv1dOptions): DilatedConv1d {
  const { inChannels, outChannels, kernelSize: K, dilation: d } = options;
  const linear = createLinear(store, {
    path: `${options.path}/conv`,
    inFeatures: K * inChannels,
    outFeatures: outChannels,
  });
  const activation =
    options.activation === undefined
      ? undefined
      : createActivation(store, `${options.path}/activation`, options.activation);
  const backward = (options.mode ?? 'backward') === 'backward';
  // Tap k reads x[t - shift_k]: shift (K-1-k)·d backward, -k·d forward. Rows k·C_in… of the kernel.
  const taps = Array.from({ length: K }, (_, k) => ({ k, shift: backward ? (K - 1 - k) * d : -k * d }));
  return {
    linear,
    apply(x) {
      return tf.tidy(() => {
        const [B, T] = x.shape;
        const flat = tf.reshape(x, [B * T, inChannels]) as tf.Tensor2D; // [B·T, C_in]
        let sum: tf.Tensor2D | undefined;
        for (const { k, shift } of taps) {
          // A tap reaching past the whole window reads only zeros.
          if (Math.abs(shift) >= T) continue;
          const weight =
            K === 1 ? linear.kernel : tf.slice(linear.kernel, [k * inChannels, 0], [inChannels, outChannels]); // [C_in, C_out]
          const product: tf.Tensor2D =
            shift === 0 && linear.bias
              ? (tf.fused.matMul({ a: flat, b: weight as tf.Tensor2D, bias: linear.bias }) as tf.Tensor2D)
              : tf.matMul(flat, weight as tf.Tensor2D); // [B·T, C_out]
          const shifted =
            shift === 0 ? product : shiftTime(product, { batch: B, steps: T, channels: outChannels, shift }); // [B·T, C_out]
          sum = sum === undefined ? shifted : tf.add<tf.Tensor2D>(sum, shifted);
        }
        // The offset-0 tap is always in range, so sum is set; it carries the bias.
        const y = tf.reshape(sum as tf.Tensor2D, [B, T, outChannels]) as tf.Tensor3D; // [B, T, C_out]
        return activation ? activation(y) : y;
      });
    },
  };
}

/**
 * y[t] = x[t - shift] with zeros outside the sequence, for x viewed as [B·T, C]: flattened to
 * [B, T·C], a positive shift drops the last shift·C values of each row and pads as many zeros in
 * front; a negative one drops the first and pads at the end.
 */
function shiftTime(
  x: tf.Tensor2D,
  {
    batch: B,
    steps: T,
    channels: C,
    shift,
  }: { batch: number; steps: number; channels: number; shift: number },
): tf.Tensor2D {
  const rows = tf.reshape(x, [B, T * C]); // [B·T, C] -> [B, T·C]
  const kept = (T - Math.abs(shift)) * C;
  const pad = Math.abs(shift) * C;
  const moved =
    shift > 0
      ? tf.pad(tf.slice(rows, [0, 0], [B, kept]), [
          [0, 0],
          [pad, 0],
        ])
      : tf.pad(tf.slice(rows, [0, pad], [B, kept]), [
          [0, 0],
          [0, pad],
        ]); // [B, T·C]
  return tf.reshape(moved, [B * T, C]) as tf.Tensor2D;
}
