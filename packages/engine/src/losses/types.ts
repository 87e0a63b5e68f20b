/**
 * The contract between losses and the training loop / core. Shapes: B windows, H horizon,
 * K raw outputs per step (`outputSize`). Every loss lives in `src/losses/<id>.ts` plus one line in
 * `src/losses/registry.ts`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { WindowScalerType } from '../scalers/types.js';

/** Per-window location and scale of the window scaler (`scaler_type`); identity is loc 0, scale 1. */
export interface WindowScale {
  /** [B, 1, 1] */
  readonly loc: tf.Tensor3D;
  /** [B, 1, 1] */
  readonly scale: tf.Tensor3D;
  /**
   * The window scaler that produced loc / scale, so point forecasts are inverted with its exact map
   * (minmax1 and invariant are not `z * scale + loc`). Absent means affine (identity, standard, robust, minmax, revin).
   */
  readonly type?: WindowScalerType;
}

/** Arguments of {@link Loss.compute}. */
export interface LossInputs {
  /**
   * [B, H, 1] targets of the horizon. Point losses receive them scaled by the window scaler (as
   * the network output is); distribution losses receive them in the original space and use
   * `scale` to decouple their parameters (NeuralForecast's `scale_decouple`).
   */
  readonly y: tf.Tensor3D;
  /** [B, H, K] network output after {@link Loss.domainMap}. */
  readonly yHat: tf.Tensor3D;
  /** [B, H, 1] 1 where the target is observed and counts. */
  readonly mask: tf.Tensor3D;
  readonly scale: WindowScale;
  /** [B, L, 1] scaled input window, for losses that need it (MASE's seasonal-naive scale). */
  readonly yInsample: tf.Tensor3D;
  /** [B, L, 1] mask of the input window. */
  readonly insampleMask: tf.Tensor3D;
}

/** Options of {@link Loss.forecast}; point losses read none of them. */
export interface ForecastOptions {
  /** Seed of a distribution loss's draws. */
  readonly seed: number;
  /** Draws per step instead of the loss's `num_samples` (a recurrent model's `n_samples`). */
  readonly numSamples?: number;
  /**
   * Report the analytic mean instead of the sample mean in the point column, as NeuralForecast's
   * recurrent predict does. @default false
   */
  readonly analyticMean?: boolean;
}

/** A training / validation loss and the forecast it implies. */
export interface Loss {
  /** Persisted id (`'mae'`, `'mqloss'`, `'distributionloss'` …). */
  readonly id: string;
  /** NeuralForecast class name, for display (`'MAE'`). */
  readonly label: string;
  /** Raw network outputs per horizon step (K). */
  readonly outputSize: number;
  /**
   * Names of the forecast columns {@link Loss.forecast} returns, NeuralForecast-style suffixes
   * appended to the model name: `['']` for a point loss; `['', '-median', '-lo-90', '-hi-90']` etc.
   */
  readonly outputNames: readonly string[];
  /**
   * Index in {@link Loss.outputNames} of the column used as the point forecast: 0 for point losses,
   * MQLoss's `-median` (or the quantile nearest 0.5), a distribution's sample mean `''`.
   */
  readonly pointIndex: number;
  /** True for distribution losses (their `compute` takes `y` in the original space). */
  readonly isDistribution: boolean;
  /** Maps raw outputs [B, H, K] to the loss domain (e.g. softplus for a scale parameter). */
  domainMap(raw: tf.Tensor3D): tf.Tensor3D;
  /** Scalar loss, masked mean as NeuralForecast computes it. */
  compute(inputs: LossInputs): tf.Scalar;
  /**
   * Forecast columns [B, H, outputNames.length] in the original (unscaled) window space.
   * Distribution losses sample with `seed` and report mean, median and the quantiles of `level`.
   */
  forecast(yHat: tf.Tensor3D, scale: WindowScale, options: ForecastOptions): tf.Tensor3D;
  /**
   * Distribution losses only: the analytic mean [B, H, 1] in the original space, which NeuralForecast
   * feeds to a point `valid_loss` when training on a distribution.
   */
  mean?(yHat: tf.Tensor3D, scale: WindowScale): tf.Tensor3D;
  /** Distribution losses only: the quantile each column after the mean reports (`outputNames[1..]`). */
  readonly quantiles?: readonly number[];
  /** Distribution losses only: draws per step behind its summaries (`num_samples`). */
  readonly numSamples?: number;
  /**
   * Distribution losses only: `numSamples` draws per step, [B, H, numSamples] in the original window
   * space, from the distribution `forecast` summarises — what HINT reconciles before summarising.
   */
  sample?(yHat: tf.Tensor3D, scale: WindowScale, options: SampleDrawOptions): tf.Tensor3D;
}

/** Options of {@link Loss.sample}. */
export interface SampleDrawOptions {
  readonly seed: number;
  readonly numSamples: number;
}
