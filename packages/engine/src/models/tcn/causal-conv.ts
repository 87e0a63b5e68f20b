/**
 * Dilated causal 1-D convolution, NeuralForecast's `CausalConv1d` (`nn.Conv1d` with left padding
 * (K-1)·d, the right overhang chomped, then the activation), written as im2col + one matMul:
 * output[t] = act(b + Σ_k W_k · x[t - (K-1-k)·d]), with x = 0 before the window. TensorFlow.js's
 * conv1d has no gradient for dilation > 1, so the K shifted copies of the zero-padded input are
 * concatenated on the channel axis and multiplied by a [K·C_in, C_out] kernel instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createActivation, type ActivationName } from '../../nn/activations.js';
import { createLinear, type Linear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';

/** Options of {@link createCausalConv1d}. */
export interface CausalConv1dOptions {
  /** Variable path prefix (`encoder/layer_0`). */
  readonly path: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly dilation: number;
  /** Activation after the convolution; omit for a plain (linear) convolution. */
  readonly activation?: ActivationName;
}

/** A dilated causal convolution over time, `[B, T, C_in] -> [B, T, C_out]`. */
export interface CausalConv1d {
  /**
   * The kernel as a dense layer over the unfolded taps: rows `k·C_in … (k+1)·C_in - 1` hold tap k,
   * which reads `x[t - (K-1-k)·d]` (PyTorch's `weight[:, :, k]`, transposed).
   */
  readonly linear: Linear;
  apply(x: tf.Tensor3D): tf.Tensor3D;
}

/**
 * Creates a causal convolution. PyTorch's `nn.Conv1d` draws weight and bias from
 * U(±1/√(C_in·K)), the same bound as a dense layer with fan-in C_in·K, so the unfolded kernel is
 * initialised by {@link createLinear}.
 */
export function createCausalConv1d(store: ParamStore, options: CausalConv1dOptions): CausalConv1d {
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
  return {
    linear,
    apply(x) {
      return tf.tidy(() => {
        const [B, T] = x.shape;
        const padded =
          pad > 0
            ? tf.pad(x, [
                [0, 0],
                [pad, 0],
                [0, 0],
              ])
            : x; // [B, pad+T, C_in]
        // Tap k of output t reads padded[t + k·d] = x[t - (K-1-k)·d].
        const taps = Array.from({ length: K }, (_, k) => tf.slice(padded, [0, k * d, 0], [B, T, inChannels]));
        const unfolded = K === 1 ? (taps[0] as tf.Tensor3D) : tf.concat(taps, 2); // [B, T, K·C_in]
        return linear.apply(unfolded, activation); // [B, T, C_out]
      });
    },
  };
}
