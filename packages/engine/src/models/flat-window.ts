/**
 * The flattened window NeuralForecast's MLP-style models (MLP, KAN) read:
 * [ y_{t-L..t} | hist (L·X) | futr ((L+H)·F) | stat S ], concatenated in that order.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDims, WindowBatch } from '../model/types.js';
import { requireInput } from './network.js';

/** Width of the flattened window: L + X·L + F·(L+H) + S. */
export const flatWindowSize = (dims: ModelDims): number => {
  const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S } = dims;
  return L + X * L + F * (L + h) + S;
};

/**
 * [B, L+X·L+F·(L+H)+S]: the window's inputs side by side; `label` names the model in errors.
 * `series` [B, L] replaces the input window y (NBEATSx's blocks read their residuals there).
 */
export function flattenWindow(
  batch: WindowBatch,
  dims: ModelDims,
  label: string,
  series?: tf.Tensor2D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S } = dims;
    const B = batch.insampleY.shape[0];
    const parts: tf.Tensor2D[] = [series ?? tf.reshape(batch.insampleY, [B, L])]; // [B, L, 1] -> [B, L]
    if (X > 0) parts.push(tf.reshape(requireInput(batch.histExog, 'histExog', label), [B, L * X])); // [B, L, X] -> [B, L*X]
    if (F > 0) parts.push(tf.reshape(requireInput(batch.futrExog, 'futrExog', label), [B, (L + h) * F])); // [B, L+H, F] -> [B, (L+H)*F]
    if (S > 0) parts.push(requireInput(batch.statExog, 'statExog', label)); // [B, S]
    return parts.length === 1 ? (parts[0] as tf.Tensor2D) : (tf.concat(parts, 1) as tf.Tensor2D); // [B, in]
  });
}
