/**
 * The encoder inputs of NeuralForecast 3.x's recurrent form (`recurrent=True`) of RNN, GRU and LSTM:
 * y, then hist, stat (repeated per step) and futr, in that order. The exogenous rows are those of the
 * step each input predicts (window position t + 1 for the input reading y_t), and hist rows of the
 * horizon are zero — NeuralForecast zeroes them, as they are unknown at forecast time.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDims, WindowBatch } from '../../model/types.js';
import { requireInput } from '../network.js';

/** Rows [start, start + T) of the window's hist [B, L, X]; rows at or past L (the horizon) are zero. */
function histRows(hist: tf.Tensor3D, start: number, T: number): tf.Tensor3D {
  const [B, L, X] = hist.shape;
  const known = Math.max(0, Math.min(L, start + T) - start);
  const parts: tf.Tensor3D[] = [];
  if (known > 0) parts.push(tf.slice(hist, [0, start, 0], [B, known, X])); // [B, known, X]
  if (known < T) parts.push(tf.zeros([B, T - known, X])); // [B, T-known, X]
  return parts.length === 1 ? (parts[0] as tf.Tensor3D) : (tf.concat(parts, 1) as tf.Tensor3D); // [B, T, X]
}

/** [B, T, 1] values -> [B, T, 1+X+S+F] encoder inputs whose exogenous rows start at `exogStart`. */
export function recurrentStepInputs(
  y: tf.Tensor3D,
  batch: WindowBatch,
  options: { readonly dims: ModelDims; readonly exogStart: number; readonly label: string },
): tf.Tensor3D {
  const { dims, exogStart, label } = options;
  const [B, T] = y.shape;
  const parts: tf.Tensor3D[] = [y]; // [B, T, 1]
  if (dims.histExogSize > 0)
    parts.push(histRows(requireInput(batch.histExog, 'histExog', label), exogStart, T));
  if (dims.statExogSize > 0) {
    const stat = requireInput(batch.statExog, 'statExog', label); // [B, S]
    parts.push(tf.tile(tf.expandDims(stat, 1), [1, T, 1]) as tf.Tensor3D); // -> [B, T, S]
  }
  if (dims.futrExogSize > 0) {
    const futr = requireInput(batch.futrExog, 'futrExog', label); // [B, L+H, F]
    parts.push(tf.slice(futr, [0, exogStart, 0], [B, T, dims.futrExogSize])); // -> [B, T, F]
  }
  return parts.length === 1 ? y : (tf.concat(parts, 2) as tf.Tensor3D);
}

/** NeuralForecast's rule for `inference_input_size`: unset or below 1 means input_size. */
export const inferenceInputSize = (configured: number | null, inputSize: number): number =>
  configured === null || configured < 1 ? inputSize : configured;
