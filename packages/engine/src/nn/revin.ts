/**
 * Reversible instance normalisation (NeuralForecast's `RevIN` from common/_modules.py): each
 * window is centred by its own mean (or its last value) and scaled by its own standard deviation
 * before the network, optionally followed by a learnable per-channel affine map, and the network's
 * output is mapped back with the same statistics.
 * @see Kim et al. (2022), "Reversible Instance Normalization for Accurate Time-Series Forecasting against Distribution Shift", ICLR. https://openreview.net/forum?id=cGDAkQo1C0p
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './params.js';

/** RevIN's default epsilon, added to the variance (and, squared, to the affine weight on the way back). */
const EPS = 1e-5;

/** Options of {@link createRevin}. */
export interface RevinOptions {
  /** Variable path (`revin_layer`); `/weight` and `/bias` (NF's affine_weight, affine_bias) are appended when affine. */
  readonly path: string;
  /** Channels C of the [B, L, C] input. */
  readonly numFeatures: number;
  /** Learnable per-channel gain (init 1) and shift (init 0) after the normalisation. @default false */
  readonly affine?: boolean;
  /** Centre each window on its last value instead of its mean. @default false */
  readonly subtractLast?: boolean;
  /**
   * Undo the affine map by dividing by the gain itself, as NeuralForecast's `RevINMultivariate`
   * (TSMixer, TSMixerx, RMoK), instead of by gain + eps² as its `RevIN`. @default false
   */
  readonly exactAffineInverse?: boolean;
}

/** One window batch's statistics, [B, 1, C] each, to undo the normalisation with. */
export interface RevinStatistics {
  /** The mean over time, or the last value with `subtractLast`. */
  readonly center: tf.Tensor3D;
  /** √(biased variance over time + eps). */
  readonly stdev: tf.Tensor3D;
}

/** A RevIN layer. */
export interface Revin {
  /** [C] gain and shift; absent unless affine. */
  readonly weight: tf.Variable | undefined;
  readonly bias: tf.Variable | undefined;
  /** x [B, L, C] -> the normalised x [B, L, C] and the statistics that produced it. */
  normalize(x: tf.Tensor3D): { readonly normalized: tf.Tensor3D; readonly stats: RevinStatistics };
  /** y [B, T, C] in the normalised space -> y in the input's space, with `stats` of the same windows. */
  denormalize(y: tf.Tensor3D, stats: RevinStatistics): tf.Tensor3D;
}

/** The identity forward with a zero gradient: PyTorch's `.detach()`. */
const detach = tf.customGrad((x) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as <T extends tf.Tensor>(x: T) => T;

/** Creates a RevIN layer; with `affine`, its two [C] variables come from `store` (weight first). */
export function createRevin(store: ParamStore, options: RevinOptions): Revin {
  const C = options.numFeatures;
  const weight = options.affine ? store.constant(`${options.path}/weight`, [C], 1) : undefined;
  const bias = options.affine ? store.constant(`${options.path}/bias`, [C], 0) : undefined;
  return {
    weight,
    bias,
    normalize(x) {
      const [B, L] = x.shape;
      const moments = tf.moments(x, 1, true); // [B, 1, C], biased variance as NeuralForecast
      // NeuralForecast detaches the mean and the deviation; the last value is the input's own.
      const center = options.subtractLast
        ? (tf.slice(x, [0, L - 1, 0], [B, 1, C]) as tf.Tensor3D)
        : detach(moments.mean as tf.Tensor3D);
      const stdev = detach(tf.sqrt(tf.add(moments.variance, EPS)) as tf.Tensor3D);
      let normalized = tf.div(tf.sub(x, center), stdev) as tf.Tensor3D;
      if (weight && bias) normalized = tf.add(tf.mul(normalized, weight), bias) as tf.Tensor3D;
      return { normalized, stats: { center, stdev } };
    },
    denormalize(y, { center, stdev }) {
      let out = y;
      // NeuralForecast divides by weight + eps² so a gain driven to 0 cannot divide by zero.
      if (weight && bias) {
        const gain = options.exactAffineInverse ? weight : tf.add(weight, EPS * EPS);
        out = tf.div(tf.sub(out, bias), gain) as tf.Tensor3D;
      }
      return tf.add(tf.mul(out, stdev), center) as tf.Tensor3D;
    },
  };
}
