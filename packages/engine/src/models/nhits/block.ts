/** One NHITS block: pool the inputs, run the MLP trunk, split theta into a backcast and interpolated knots. */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDims } from '../../model/types.js';
import type { ActivationName } from '../../nn/activations.js';
import type { ParamStore } from '../../nn/params.js';
import { createBlockMlp } from '../block-mlp.js';
import { requireInput } from '../network.js';
import type { ResidualBlock } from '../residual-stack.js';
import { interpolationMatrix, type InterpolationMode } from './interpolation.js';
import { pool1d, pooledLength, type PoolingMode } from './pooling.js';

/** Options of {@link createNhitsBlock}. */
export interface NhitsBlockOptions {
  readonly path: string;
  readonly dims: ModelDims;
  /** Pooling kernel (= stride) of this block's stack. */
  readonly kernel: number;
  /** Forecast knots of this block's stack, max(h // n_freq_downsample, 1). */
  readonly knots: number;
  readonly mlpUnits: readonly (readonly [number, number])[];
  readonly poolingMode: PoolingMode;
  readonly interpolationMode: InterpolationMode;
  readonly activation: ActivationName;
  readonly dropout: number;
}

/** Creates an NHITS block (its variables under `<path>/…`). */
export function createNhitsBlock(store: ParamStore, options: NhitsBlockOptions): ResidualBlock {
  const { kernel, knots, poolingMode: mode } = options;
  const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S, nOutputs: K } = options.dims;
  const pooledHist = pooledLength(L, kernel);
  const basis = interpolationMatrix(options.interpolationMode, knots, h); // [n, H]
  const trunk = createBlockMlp(store, {
    path: options.path,
    inFeatures: pooledHist + X * pooledHist + F * pooledLength(L + h, kernel) + S,
    mlpUnits: options.mlpUnits,
    nTheta: L + K * knots,
    activation: options.activation,
    dropout: options.dropout,
  });
  return (residuals, batch, ctx) => {
    const B = residuals.shape[0];
    const pooled = pool1d(tf.reshape(residuals, [B, 1, L]), kernel, mode); // [B, L] -> [B, 1, L] -> [B, 1, P]
    const parts: tf.Tensor2D[] = [tf.reshape(pooled, [B, pooledHist])]; // -> [B, P]
    if (X > 0) parts.push(poolExog(requireInput(batch.histExog, 'histExog', 'NHITS'), kernel, mode));
    if (F > 0) parts.push(poolExog(requireInput(batch.futrExog, 'futrExog', 'NHITS'), kernel, mode));
    if (S > 0) parts.push(requireInput(batch.statExog, 'statExog', 'NHITS')); // [B, S]
    const x = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 1); // [B, in]
    const theta = trunk.apply(x, ctx); // [B, in] -> [B, L + K*n]
    const backcast = tf.slice(theta, [0, 0], [B, L]); // [B, L]
    // Knots are laid out output-major: [B, K*n] -> [B*K, n]; x [n, H] -> [B*K, H] -> [B, K, H] -> [B, H, K].
    const knotValues = tf.reshape(tf.slice(theta, [0, L], [B, K * knots]), [B * K, knots]);
    const interpolated = tf.matMul(knotValues, tf.tensor2d(basis, [knots, h]));
    const forecast = tf.transpose(tf.reshape(interpolated, [B, K, h]), [0, 2, 1]) as tf.Tensor3D;
    return [backcast, forecast] as const;
  };
}

/** Pools exogenous [B, T, C] along time and flattens it: [B, C, T] -> [B, C, P] -> [B, P, C] -> [B, P*C]. */
function poolExog(x: tf.Tensor3D, kernel: number, mode: PoolingMode): tf.Tensor2D {
  const [b, , c] = x.shape;
  const pooled = pool1d(tf.transpose(x, [0, 2, 1]), kernel, mode);
  return tf.reshape(tf.transpose(pooled, [0, 2, 1]), [b, pooled.shape[2] * c]) as tf.Tensor2D;
}
