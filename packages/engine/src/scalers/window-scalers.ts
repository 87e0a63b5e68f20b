/**
 * Window scalers (`scaler_type`): NeuralForecast's TemporalNorm semantics. Statistics come from the
 * input window only (the caller passes the first L steps and their mask, so the horizon never
 * leaks in); `scale` and `inverse` then apply to any span of the same windows.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import type { WindowScale } from '../losses/types.js';
import { maskedMean, maskedMedian, maskedMinMax, maskedStd } from './masked-stats.js';
import type { WindowScalerType, WindowStats } from './types.js';

/** Every window scaler id, in NeuralForecast's order. */
export const WINDOW_SCALER_TYPES = [
  'identity',
  'standard',
  'robust',
  'minmax',
  'minmax1',
  'invariant',
  'revin',
] as const satisfies readonly WindowScalerType[];

/** NeuralForecast's TemporalNorm epsilon, added to every scale after the zero guard. */
export const WINDOW_SCALER_EPS = 1e-6;

/** MAD of a standard normal relative to its standard deviation (Phi^-1(0.75)). */
const MAD_PER_STD = 0.6744897501960817;

/** RevIN's learnable affine parameters, [1, 1, C] each; the core trains them with the model. */
export interface RevinParams {
  /** Multiplies the scale through relu(weight) + eps; starts at 1. */
  readonly weight: tf.Variable;
  /** Shifts the location; starts at 0. */
  readonly bias: tf.Variable;
}

/** Options of {@link windowScaler}. */
export interface WindowScalerOptions {
  /** Required for `revin`: the learnable parameters from {@link createRevinParams}. */
  readonly revin?: RevinParams;
  /** Added to every scale after the zero guard. @default 1e-6 */
  readonly eps?: number;
}

/** A window scaler: statistics from the input window, then scale / inverse with them. */
export interface WindowScaler {
  readonly type: WindowScalerType;
  /** Statistics of x [B, L, C] over observed steps (mask [B, L, 1] or [B, L, C]); [B, 1, C] each. */
  stats(x: tf.Tensor3D, mask: tf.Tensor3D): WindowStats;
  /** Scales x [B, T, C] with the statistics of its windows. */
  scale(x: tf.Tensor3D, stats: WindowStats): tf.Tensor3D;
  /** Maps scaled values [B, T, C] back to the original space. */
  inverse(z: tf.Tensor3D, stats: WindowStats): tf.Tensor3D;
}

/**
 * Creates RevIN's weight (ones) and bias (zeros) for `numFeatures` channels. tfjs variable names are
 * global, so they are `<namePrefix>_weight` / `_bias` only when a prefix is given (it must be unique);
 * without one tfjs assigns unique names.
 */
export function createRevinParams(numFeatures: number, namePrefix?: string): RevinParams {
  if (!Number.isInteger(numFeatures) || numFeatures < 1) {
    throw new ConfigError(`revin: numFeatures must be a positive integer, got ${numFeatures}`);
  }
  const ones = tf.ones([1, 1, numFeatures]);
  const zeros = tf.zeros([1, 1, numFeatures]);
  // A variable keeps its own copy, so the initial values are freed right away.
  const params = {
    weight: tf.variable(ones, true, namePrefix === undefined ? undefined : `${namePrefix}_weight`),
    bias: tf.variable(zeros, true, namePrefix === undefined ? undefined : `${namePrefix}_bias`),
  };
  tf.dispose([ones, zeros]);
  return params;
}

/** Replaces zero scales by 1, then adds eps (NeuralForecast's guard against division by zero). */
function guardScale(scale: tf.Tensor3D, eps: number): tf.Tensor3D {
  return tf.add(tf.where(tf.equal(scale, 0), tf.onesLike(scale), scale), eps) as tf.Tensor3D;
}

/** Median and MAD, the MAD falling back to 0.6745 * std when it is 0 (as NeuralForecast). */
function robustStats(x: tf.Tensor3D, mask: tf.Tensor3D, eps: number): WindowStats {
  const median = maskedMedian(x, mask); // [B, 1, C]
  const mad = maskedMedian(tf.abs(tf.sub(x, median)) as tf.Tensor3D, mask); // [B, 1, C]
  const fallback = tf.mul(maskedStd(x, mask), MAD_PER_STD) as tf.Tensor3D; // [B, 1, C]
  const withFallback = tf.where(tf.greater(mad, 0), mad, fallback) as tf.Tensor3D;
  return { loc: median, scale: guardScale(withFallback, eps) };
}

/** Minimum and range over observed values (range 0 becomes 1, then + eps). */
function minmaxStats(x: tf.Tensor3D, mask: tf.Tensor3D, eps: number): WindowStats {
  const { min, max } = maskedMinMax(x, mask);
  return { loc: min, scale: guardScale(tf.sub(max, min) as tf.Tensor3D, eps) };
}

/** Statistics without RevIN's adjustment, by scaler type. */
function plainStats(type: WindowScalerType, x: tf.Tensor3D, mask: tf.Tensor3D, eps: number): WindowStats {
  switch (type) {
    case 'identity': {
      const [b, , c] = x.shape;
      return { loc: tf.zeros([b, 1, c]), scale: tf.ones([b, 1, c]) };
    }
    case 'standard':
    case 'revin':
      return { loc: maskedMean(x, mask), scale: guardScale(maskedStd(x, mask), eps) };
    case 'robust':
    case 'invariant':
      return robustStats(x, mask, eps);
    case 'minmax':
    case 'minmax1':
      return minmaxStats(x, mask, eps);
  }
}

/**
 * Applies a scaler's forward map with explicit loc / scale (broadcast against x). Exported so
 * losses can share the exact maps: minmax1 and invariant are not affine in loc / scale.
 */
export function scaleWith(type: WindowScalerType, x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (type === 'identity') return tf.clone(x);
    const z = tf.div(tf.sub(x, loc), scale);
    if (type === 'minmax1') return tf.sub(tf.mul(z, 2), 1); // [0, 1] -> [-1, 1]
    if (type === 'invariant') return tf.asinh(z);
    return z;
  });
}

/** Inverse of {@link scaleWith}: scaled values back to the original space. */
export function inverseWith(
  type: WindowScalerType,
  z: tf.Tensor,
  loc: tf.Tensor,
  scale: tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    if (type === 'identity') return tf.clone(z);
    let unit = z;
    if (type === 'minmax1') unit = tf.div(tf.add(z, 1), 2); // [-1, 1] -> [0, 1]
    if (type === 'invariant') unit = tf.sinh(z);
    return tf.add(tf.mul(unit, scale), loc);
  });
}

/** Extra statistics of RevIN: the plain ones that normalise the inputs. */
interface RevinStats extends WindowStats {
  readonly inputLoc?: tf.Tensor3D;
  readonly inputScale?: tf.Tensor3D;
}

/**
 * Returns the window scaler for `type`. For `revin`, `stats` returns RevIN-adjusted loc / scale
 * (loc + bias, scale * (relu(weight) + eps)) used by `inverse` and by the losses' scale decoupling,
 * while `scale` normalises inputs with the plain standard statistics — NeuralForecast does the same,
 * so the affine parameters learn through the output path only.
 */
export function windowScaler(type: WindowScalerType, options: WindowScalerOptions = {}): WindowScaler {
  if (!(WINDOW_SCALER_TYPES as readonly string[]).includes(type)) {
    throw new ConfigError(
      `scaler_type '${String(type)}' is not supported; allowed: ${WINDOW_SCALER_TYPES.join(', ')}`,
    );
  }
  const eps = options.eps ?? WINDOW_SCALER_EPS;
  const revin = options.revin;
  if (type === 'revin' && revin === undefined) {
    throw new ConfigError(
      "scaler_type 'revin' needs its learnable parameters: pass options.revin from createRevinParams",
    );
  }
  return {
    type,
    stats(x, mask) {
      return tf.tidy(() => {
        const plain = plainStats(type, x, mask, eps);
        if (type !== 'revin' || revin === undefined) return { loc: plain.loc, scale: plain.scale };
        return {
          loc: tf.add(plain.loc, revin.bias) as tf.Tensor3D, // [B, 1, C] + [1, 1, C]
          scale: tf.mul(plain.scale, tf.add(tf.relu(revin.weight), eps)) as tf.Tensor3D,
          inputLoc: plain.loc,
          inputScale: plain.scale,
        };
      });
    },
    scale(x, stats) {
      const { inputLoc, inputScale } = stats as RevinStats;
      return scaleWith(type, x, inputLoc ?? stats.loc, inputScale ?? stats.scale) as tf.Tensor3D;
    },
    inverse(z, stats) {
      return inverseWith(type, z, stats.loc, stats.scale) as tf.Tensor3D;
    },
  };
}

/** Frees every tensor of a {@link WindowStats} (including RevIN's input statistics). */
export function disposeWindowStats(stats: WindowStats): void {
  const { inputLoc, inputScale } = stats as RevinStats;
  tf.dispose([stats.loc, stats.scale, ...(inputLoc ? [inputLoc] : []), ...(inputScale ? [inputScale] : [])]);
}

/** The target channel's statistics as the losses' {@link WindowScale}: [B, 1, C] -> [B, 1, 1]. */
export function toWindowScale(stats: WindowStats, type: WindowScalerType, channel = 0): WindowScale {
  const sliced = tf.tidy(() => ({
    loc: tf.slice(stats.loc, [0, 0, channel], [-1, -1, 1]) as tf.Tensor3D,
    scale: tf.slice(stats.scale, [0, 0, channel], [-1, -1, 1]) as tf.Tensor3D,
  }));
  return { ...sliced, type };
}
