/** NBEATSx's exogenous basis: the block's coefficients weight the covariates themselves. */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../../model/types.js';
import { requireInput } from '../network.js';
import type { BasisHead } from '../nbeats/heads.js';

/**
 * Head over C = F + S covariates (future exogenous plus static ones repeated over time):
 * theta = [C forecast coefficients | C backcast coefficients]; backcast[t] = Σ_c θ_c · x_c[t] over the
 * window and forecast[t] = Σ_c θ'_c · x_c[L+t] over the horizon. One output only: NeuralForecast's
 * exogenous forecast is [B, H, 1] and broadcasts over the loss outputs.
 */
export function exogenousHead(dims: {
  inputSize: number;
  h: number;
  futrExogSize: number;
  statExogSize: number;
}): BasisHead {
  const { inputSize: L, h, futrExogSize: F, statExogSize: S } = dims;
  const C = F + S;
  return {
    nTheta: 2 * C,
    apply(theta, batch: WindowBatch) {
      const B = theta.shape[0];
      const parts: tf.Tensor3D[] = [];
      if (F > 0) parts.push(requireInput(batch.futrExog, 'futrExog', 'NBEATSx')); // [B, L+H, F]
      if (S > 0) {
        const stat = requireInput(batch.statExog, 'statExog', 'NBEATSx');
        parts.push(tf.tile(tf.reshape(stat, [B, 1, S]), [1, L + h, 1])); // [B, S] -> [B, L+H, S]
      }
      const covariates = parts.length === 1 ? (parts[0] as tf.Tensor3D) : tf.concat(parts, 2); // [B, L+H, C]
      const past = tf.slice(covariates, [0, 0, 0], [B, L, C]); // [B, L, C]
      const future = tf.slice(covariates, [0, L, 0], [B, h, C]); // [B, H, C]
      const foreTheta = tf.reshape(tf.slice(theta, [0, 0], [B, C]), [B, C, 1]); // [B, C, 1]
      const backTheta = tf.reshape(tf.slice(theta, [0, C], [B, C]), [B, C, 1]); // [B, C, 1]
      const backcast = tf.reshape(tf.matMul(past, backTheta), [B, L]) as tf.Tensor2D; // [B, L, C] x [B, C, 1] -> [B, L]
      const forecast = tf.matMul(future, foreTheta) as tf.Tensor3D; // [B, H, C] x [B, C, 1] -> [B, H, 1]
      return [backcast, forecast] as const;
    },
  };
}
