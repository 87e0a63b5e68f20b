/**
 * Dilated 1-D convolution over time that keeps the length, written as im2col + one matMul. Two
 * modes, named as NeuralForecast's BiTCN `CustomConv1d` names them:
 * - `backward` (causal; TCN's `CausalConv1d`, BiTCN's past encoder): zero padding (K-1)·d on the
 *   left, so output[t] = act(b + Σ_k W_k · x[t - (K-1-k)·d]) reads only the past;
 * - `forward` (anti-causal; BiTCN's future-covariate encoder): the same padding on the right, so
 *   output[t] = act(b + Σ_k W_k · x[t + k·d]) reads only the future.
 * Both are the time-reversal of each other; padding on the other side gives the anti-causal conv
 * directly, without reversing the input and output around a causal one. TensorFlow.js's conv1d
 * has no gradient for dilation > 1, so the K shifted copies of the padded input are concatenated
 * on the channel axis and multiplied by a [K·C_in, C_out] kernel instead.
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
   * The kernel as a dense layer over the unfolded taps: rows `k·C_in … (k+1)·C_in - 1` hold tap k
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
  const pad = (K - 1) * d;
  // [before, after] zero steps on the time axis.
  const timePadding: [number, number] = (options.mode ?? 'backward') === 'backward' ? [pad, 0] : [0, pad];
  return {
    linear,
    apply(x) {
      return tf.tidy(() => {
        const [B, T] = x.shape;
        const padded = pad > 0 ? tf.pad(x, [[0, 0], timePadding, [0, 0]]) : x; // [B, T+pad, C_in]
        // Tap k of output t reads padded[t + k·d]: x[t - (K-1-k)·d] backward, x[t + k·d] forward.
        const taps = Array.from({ length: K }, (_, k) => tf.slice(padded, [0, k * d, 0], [B, T, inChannels]));
        const unfolded = K === 1 ? (taps[0] as tf.Tensor3D) : tf.concat(taps, 2); // [B, T, K·C_in]
        return linear.apply(unfolded, activation); // [B, T, C_out]
      });
    },
  };
}
