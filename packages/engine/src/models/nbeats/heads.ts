/**
 * Basis heads of N-BEATS / NBEATSx blocks: how a block's theta [B, n_theta] becomes a backcast
 * [B, L] and a forecast [B, H, K]. Layouts follow NeuralForecast so weights mean the same thing.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../../model/types.js';
import { projectOnBasis } from '../residual-stack.js';
import { seasonalityFrequencies, seasonalityTemplate } from './seasonality-basis.js';
import { trendBasis, type TrendBasisKind } from './trend-basis.js';

/** A block head: theta size and the split of theta into backcast and forecast. */
export interface BasisHead {
  readonly nTheta: number;
  apply(theta: tf.Tensor2D, batch: WindowBatch): readonly [tf.Tensor2D, tf.Tensor3D];
}

/** Sizes every head is built for. */
export interface HeadDims {
  readonly inputSize: number;
  readonly h: number;
  readonly nOutputs: number;
}

/** Generic head: theta = [backcast L | forecast H*K], the forecast laid out [H, K]. */
export function identityHead({ inputSize: L, h, nOutputs: K }: HeadDims): BasisHead {
  return {
    nTheta: L + K * h,
    apply(theta) {
      const B = theta.shape[0];
      const backcast = tf.slice(theta, [0, 0], [B, L]); // [B, L]
      const forecast = tf.reshape(tf.slice(theta, [0, L], [B, h * K]), [B, h, K]) as tf.Tensor3D; // [B, H*K] -> [B, H, K]
      return [backcast, forecast] as const;
    },
  };
}

/** Fixed-template head: theta = [P backcast coefficients | P*K forecast coefficients]. */
function templateHead(
  dims: HeadDims,
  backcastBasis: Float32Array,
  forecastBasis: Float32Array,
  P: number,
): BasisHead {
  const { inputSize: L, h, nOutputs: K } = dims;
  return {
    nTheta: (K + 1) * P,
    apply(theta) {
      const B = theta.shape[0];
      const backTheta = tf.slice(theta, [0, 0], [B, P]); // [B, P]
      const backcast = tf.matMul(backTheta, tf.tensor2d(backcastBasis, [P, L])) as tf.Tensor2D; // [B, P] x [P, L] -> [B, L]
      const forecast = projectOnBasis(
        tf.slice(theta, [0, P], [B, P * K]),
        tf.tensor2d(forecastBasis, [P, h]),
        K,
      ); // -> [B, H, K]
      return [backcast, forecast] as const;
    },
  };
}

/** Trend head: `n_basis + 1` functions of `kind` over the window and over the horizon. */
export function trendHead(dims: HeadDims, kind: TrendBasisKind, nBasis: number): BasisHead {
  const P = nBasis + 1;
  return templateHead(dims, trendBasis(kind, dims.inputSize, P), trendBasis(kind, dims.h, P), P);
}

/** Seasonality head: cos/sin templates at the frequencies `n_harmonics` implies for `h`. */
export function seasonalityHead(dims: HeadDims, nHarmonics: number): BasisHead {
  const frequencies = seasonalityFrequencies(nHarmonics, dims.h);
  const P = 2 * frequencies.length;
  const back = seasonalityTemplate({ frequencies, length: dims.inputSize, h: dims.h, sign: -1 });
  const fore = seasonalityTemplate({ frequencies, length: dims.h, h: dims.h, sign: 1 });
  return templateHead(dims, back, fore, P);
}
