/**
 * From network outputs to what callers need: the training loss, the validation loss in the
 * original space (as NeuralForecast's `_compute_valid_loss`), and forecast columns.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { invertOutputs } from '../losses/point-loss.js';
import type { Loss } from '../losses/types.js';
import type { RawWindows } from '../windows/assemble.js';
import type { PreparedBatch } from './prepare-batch.js';

/** The training loss of one batch (scalar); call inside a tidy / gradient scope. */
export const trainingLoss = (
  loss: Loss,
  raw: RawWindows,
  prepared: PreparedBatch,
  output: tf.Tensor3D,
): tf.Scalar =>
  loss.compute({
    // Distribution losses decouple the scale themselves, so they read original-space targets.
    y: loss.isDistribution ? raw.outsampleY : prepared.outsampleScaled,
    yHat: loss.domainMap(output),
    mask: raw.outsampleMask,
    scale: prepared.scale,
    yInsample: prepared.insampleScaled,
    insampleMask: raw.insampleMask,
  });

/** Rejects a valid_loss that cannot be evaluated on the training loss's outputs. */
export const checkValidLoss = (loss: Loss, validLoss: Loss): void => {
  if (validLoss.isDistribution && validLoss.id !== loss.id) {
    throw new ConfigError(
      `valid_loss '${validLoss.id}' is a distribution loss; it can only validate a model trained with the same loss (loss is '${loss.id}')`,
    );
  }
  if (loss.isDistribution && validLoss.id === 'mqloss') {
    // NeuralForecast scores MQLoss on the distribution's sampled quantiles (its own, in order).
    const sampled = loss.outputNames.slice(1);
    if (validLoss.outputNames.join() !== sampled.join()) {
      throw new ConfigError(
        `valid_loss 'mqloss' scores the quantiles sampled from loss '${loss.id}' (${sampled.join(', ')}); give both the same level or quantiles (valid_loss has ${validLoss.outputNames.join(', ')})`,
      );
    }
    return;
  }
  if (!validLoss.isDistribution && validLoss.outputSize > 1 && validLoss.outputSize !== loss.outputSize) {
    throw new ConfigError(
      `valid_loss '${validLoss.id}' needs ${validLoss.outputSize} outputs per step; loss '${loss.id}' produces ${loss.outputSize}`,
    );
  }
};

/** Options of {@link validationLoss}. */
export interface ValidationLossOptions {
  readonly loss: Loss;
  readonly validLoss: Loss;
  readonly raw: RawWindows;
  readonly prepared: PreparedBatch;
  readonly output: tf.Tensor3D;
  readonly seed: number;
}

/** The validation loss of one batch in the original space (scalar); call inside a tidy. */
export const validationLoss = (options: ValidationLossOptions): tf.Scalar => {
  const { loss, validLoss, raw, prepared, output } = options;
  const mapped = loss.domainMap(output); // [B, H, K]
  if (validLoss.isDistribution) {
    return validLoss.compute({
      y: raw.outsampleY,
      yHat: mapped,
      mask: raw.outsampleMask,
      scale: prepared.scale,
      yInsample: raw.insampleY,
      insampleMask: raw.insampleMask,
    });
  }
  let yHat: tf.Tensor3D;
  if (!loss.isDistribution && validLoss.outputSize === loss.outputSize) {
    yHat = invertOutputs(mapped, prepared.scale); // [B, H, K] scaled -> original
  } else if (loss.isDistribution && validLoss.id === 'mqloss') {
    // NeuralForecast's _compute_valid_loss: MQLoss over the quantiles sampled from the distribution.
    const columns = loss.forecast(mapped, prepared.scale, { seed: options.seed }); // [B, H, 1 + Q]
    yHat = tf.slice(columns, [0, 0, 1], [-1, -1, -1]); // [B, H, 1 + Q] -> [B, H, Q], original space
  } else if (loss.isDistribution && loss.mean) {
    // NeuralForecast validates a distribution with a point loss on its analytic mean.
    yHat = loss.mean(mapped, prepared.scale); // [B, H, 1] original space
  } else {
    // A point valid loss over a multi-output loss reads the loss's point forecast column.
    const columns = loss.forecast(mapped, prepared.scale, { seed: options.seed }); // [B, H, N]
    yHat = tf.slice(columns, [0, 0, loss.pointIndex], [-1, -1, 1]); // [B, H, N] -> [B, H, 1]
  }
  const [b] = raw.outsampleY.shape;
  const identity = { loc: tf.zeros([b, 1, 1]) as tf.Tensor3D, scale: tf.ones([b, 1, 1]) as tf.Tensor3D };
  return validLoss.compute({
    y: raw.outsampleY,
    yHat,
    mask: raw.outsampleMask,
    scale: identity,
    yInsample: raw.insampleY,
    insampleMask: raw.insampleMask,
  });
};
