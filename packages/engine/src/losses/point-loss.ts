/** Shared shape of the point losses: one output per step, forecast = inverse-scaled output. */
import * as tf from '@tensorflow/tfjs-core';
import { inverseWith } from '../scalers/window-scalers.js';
import type { Loss, LossInputs, WindowScale } from './types.js';

/** Maps outputs of the scaled space [B, H, K] back to the original space with the window's scaler. */
export function invertOutputs(yHat: tf.Tensor3D, scale: WindowScale): tf.Tensor3D {
  // Without a scaler type the statistics are affine (z * scale + loc), which 'standard' applies.
  return inverseWith(scale.type ?? 'standard', yHat, scale.loc, scale.scale) as tf.Tensor3D;
}

/**
 * Targets with masked steps set to 0: they never count, and a finite value keeps NaN padding out
 * of the gradients (NaN * 0 is still NaN in a backward pass).
 */
export function observedTargets(y: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.where(tf.greater(mask, 0), y, tf.zerosLike(y)) as tf.Tensor3D);
}

/** What makes one point loss: its ids and its scalar over the batch. */
export interface PointLossDefinition {
  readonly id: string;
  readonly label: string;
  /** Forecast column suffixes. @default [''] */
  readonly outputNames?: readonly string[];
  /** The scalar loss; called inside tf.tidy. */
  compute(inputs: LossInputs): tf.Scalar;
  /**
   * The same loss as one op over the raw targets and mask (masking included), or null where it
   * does not apply; tried before `compute`.
   */
  fused?(inputs: LossInputs): tf.Scalar | null;
}

/** Builds a {@link Loss} with one raw output per step, the identity domain map and an inverse-scaled forecast. */
export function pointLoss(definition: PointLossDefinition): Loss {
  return {
    id: definition.id,
    label: definition.label,
    outputSize: 1,
    outputNames: definition.outputNames ?? [''],
    pointIndex: 0,
    isDistribution: false,
    domainMap: (raw) => tf.clone(raw),
    compute: (inputs) =>
      tf.tidy(
        () =>
          definition.fused?.(inputs) ??
          definition.compute({ ...inputs, y: observedTargets(inputs.y, inputs.mask) }),
      ),
    forecast: (yHat, scale) => invertOutputs(yHat, scale),
  };
}
