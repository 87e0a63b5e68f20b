/**
 * A trained network's forward on windows whose exogenous inputs are given from outside, already in
 * the network's scaled space: everything else a window needs (its scaled input y, mask and target
 * scale) is fixed per window. What explanations perturb and differentiate (see core/explain.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CommonConfig } from '../config/common.js';
import type { Loss, WindowScale } from '../losses/types.js';
import type { ModelNetwork, WindowBatch } from '../model/types.js';
import type { WindowShape } from '../windows/refs.js';
import { stepFeedback } from './recurrent.js';

/** Exogenous channel counts: futr (F), hist (X), stat (S). */
export interface ExogSizes {
  readonly f: number;
  readonly x: number;
  readonly s: number;
}

/** Length of one window's exogenous row: (L+H)·F futr values, L·X hist values, S stat values. */
export const exogRowLength = (shape: WindowShape, sizes: ExogSizes): number =>
  (shape.inputSize + shape.h) * sizes.f + shape.inputSize * sizes.x + sizes.s;

/** What each window's forecast reads besides its exogenous inputs, after window scaling. */
export interface FixedWindowParts {
  /** [W·L] scaled input y (zeros under exclude_insample_y, as the network sees it). */
  readonly insampleY: Float32Array;
  /** [W·L] */
  readonly insampleMask: Float32Array;
  /** [W] the target's window location and scale. */
  readonly loc: Float32Array;
  readonly scale: Float32Array;
}

/** The trained model parts the forward needs. */
export interface ExogForwardModel {
  readonly network: ModelNetwork;
  readonly loss: Loss;
  readonly config: CommonConfig;
  /** The predict window shape (recurrent networks read one more input step). */
  readonly shape: WindowShape;
  readonly sizes: ExogSizes;
  readonly fixed: FixedWindowParts;
}

/** Gathers `size` values per window for `windows` into one array. */
const gather = (values: Float32Array, windows: readonly number[], size: number): Float32Array => {
  const out = new Float32Array(windows.length * size);
  windows.forEach((w, i) => out.set(values.subarray(w * size, (w + 1) * size), i * size));
  return out;
};

/**
 * Point forecasts [B, H] in the window scaler's original space (before any local scaler is
 * inverted) of `windows[i]` with exogenous row `exog[i]` ([B, P], P = {@link exogRowLength}).
 * For a distribution loss it is the analytic mean (deterministic and differentiable; the point
 * column of predict is a sample mean). Call inside a tidy or a gradient function.
 */
export const exogPointForecast = (
  model: ExogForwardModel,
  windows: readonly number[],
  exog: tf.Tensor2D,
): tf.Tensor2D => {
  const { shape, sizes, fixed, loss } = model;
  const { inputSize: L, h: H } = shape;
  const b = windows.length;
  const futrWidth = (L + H) * sizes.f;
  const histWidth = L * sizes.x;
  const windowScale: WindowScale = {
    loc: tf.tensor3d(gather(fixed.loc, windows, 1), [b, 1, 1]),
    scale: tf.tensor3d(gather(fixed.scale, windows, 1), [b, 1, 1]),
    type: model.config.scaler_type,
  };
  const batch: WindowBatch = {
    insampleY: tf.tensor3d(gather(fixed.insampleY, windows, L), [b, L, 1]),
    insampleMask: tf.tensor3d(gather(fixed.insampleMask, windows, L), [b, L, 1]),
    // [B, P] -> [B, L+H, F], [B, L, X], [B, S]: the row layout of exogRowLength.
    ...(sizes.f > 0
      ? { futrExog: tf.reshape(tf.slice(exog, [0, 0], [b, futrWidth]), [b, L + H, sizes.f]) }
      : {}),
    ...(sizes.x > 0
      ? { histExog: tf.reshape(tf.slice(exog, [0, futrWidth], [b, histWidth]), [b, L, sizes.x]) }
      : {}),
    ...(sizes.s > 0 ? { statExog: tf.slice(exog, [0, futrWidth + histWidth], [b, sizes.s]) } : {}),
  } as WindowBatch;
  const output = model.network.forward(batch, {
    training: false,
    feedback: stepFeedback(loss, windowScale),
  }); // [B, H, K]
  const mapped = loss.domainMap(output);
  const point =
    loss.isDistribution && loss.mean
      ? loss.mean(mapped, windowScale) // [B, H, 1]
      : tf.slice(
          loss.forecast(mapped, windowScale, { seed: model.config.random_seed }),
          [0, 0, loss.pointIndex],
          [-1, -1, 1],
        ); // [B, H, N] -> [B, H, 1]
  return tf.reshape(point, [b, H]); // [B, H, 1] -> [B, H]
};

/** {@link exogPointForecast} on plain rows: [B·H] values, row-major, in the window scaler's original space. */
export const exogForecastValues = async (
  model: ExogForwardModel,
  windows: readonly number[],
  rows: readonly ArrayLike<number>[],
): Promise<Float32Array> => {
  const p = exogRowLength(model.shape, model.sizes);
  const values = tf.tidy(() =>
    exogPointForecast(model, windows, tf.tensor2d(flatRows(rows, p), [rows.length, p])),
  );
  const out = (await values.data()) as Float32Array;
  values.dispose();
  return out;
};

/**
 * Gradients [B·P] (row-major) of Σ_j weights[i·H + j] · forecast_ij with respect to each row's
 * exogenous inputs; rows do not interact, so row i's gradient is that of its own weighted sum.
 */
export const exogForecastGradients = async (
  model: ExogForwardModel,
  windows: readonly number[],
  rows: readonly ArrayLike<number>[],
  weights: Float32Array,
): Promise<Float32Array> => {
  const p = exogRowLength(model.shape, model.sizes);
  const b = rows.length;
  const gradient = tf.tidy(() => {
    const w = tf.tensor2d(weights, [b, model.shape.h]);
    // tf.grad types its function over any rank; the input here is always [B, P].
    const objective = (x: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(exogPointForecast(model, windows, x as tf.Tensor2D), w));
    return tf.grad(objective)(tf.tensor2d(flatRows(rows, p), [b, p])); // [B, P]
  });
  const out = (await gradient.data()) as Float32Array;
  gradient.dispose();
  return out;
};

/** Rows of length `p` as one float32 array, row-major. */
const flatRows = (rows: readonly ArrayLike<number>[], p: number): Float32Array => {
  const out = new Float32Array(rows.length * p);
  rows.forEach((row, i) => out.set(Array.from(row), i * p));
  return out;
};
