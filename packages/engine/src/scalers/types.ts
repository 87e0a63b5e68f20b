/**
 * Two kinds of scaling, as in NeuralForecast:
 * - window scalers (`scaler_type`) normalise each batch window on the fly from its input part;
 * - local scalers (`local_scaler_type`) normalise each whole series once before fit and are
 *   inverted on every output of the core.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** Window scaler ids (NeuralForecast's `scaler_type`). */
export type WindowScalerType =
  'identity' | 'standard' | 'robust' | 'minmax' | 'minmax1' | 'invariant' | 'revin';

/** Local (per-series) scaler ids (NeuralForecast's `local_scaler_type`). */
export type LocalScalerType = 'standard' | 'robust' | 'robust-iqr' | 'minmax' | 'boxcox';

/** Statistics of one batch of windows: [B, 1, C] each, C = channels scaled together. */
export interface WindowStats {
  readonly loc: tf.Tensor3D;
  readonly scale: tf.Tensor3D;
}

/** Fitted parameters of a local scaler for one series; JSON-safe so they save with the model. */
export interface LocalScalerParams {
  readonly type: LocalScalerType;
  /** Shift and scale (for boxcox also `lambda`), as plain numbers. */
  readonly values: Readonly<Record<string, number>>;
}
