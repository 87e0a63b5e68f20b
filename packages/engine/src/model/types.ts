/**
 * The contract between the engine's shared machinery (windows, scalers, losses, training loop,
 * core) and each model. A model is a folder under `src/models/` plus one line in
 * `src/models/registry.ts`; it never sees the database, the panel or the loss internals.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { SearchSpace } from '@nflab/tune';
import type { z } from 'zod';

/** Which exogenous kinds a model accepts, exactly as NeuralForecast's capability table. */
export interface ExogenousSupport {
  /** Future-known covariates (`futr_*`), given for the input window and the horizon. */
  readonly futr: boolean;
  /** Historical covariates (`hist_*`), known only up to the forecast cutoff. */
  readonly hist: boolean;
  /** Static covariates (`stat_*`), one row per series. */
  readonly stat: boolean;
}

/** Sizes the network is built for; fixed at build time. */
export interface ModelDims {
  /** Forecast horizon `h`. */
  readonly h: number;
  /** Input window length `input_size` (L). */
  readonly inputSize: number;
  /** Number of futr / hist / stat exogenous columns (0 when none or unsupported). */
  readonly futrExogSize: number;
  readonly histExogSize: number;
  readonly statExogSize: number;
  /** Outputs per horizon step, set by the loss (1 for point losses, Q for MQLoss, params for distributions). */
  readonly nOutputs: number;
}

/**
 * One batch of windows as a univariate model sees it (already scaled by the window scaler).
 * B = windows in the batch, L = input_size, H = h.
 */
export interface WindowBatch {
  /** [B, L, 1] target values of the input window. */
  readonly insampleY: tf.Tensor3D;
  /** [B, L, 1] 1 where the target was observed, 0 for padding or missing values. */
  readonly insampleMask: tf.Tensor3D;
  /** [B, L+H, F] future exogenous over the input window and the horizon, when the model takes them. */
  readonly futrExog?: tf.Tensor3D;
  /** [B, L, X] historical exogenous over the input window, when the model takes them. */
  readonly histExog?: tf.Tensor3D;
  /** [B, S] static exogenous of each window's series, when the model takes them. */
  readonly statExog?: tf.Tensor2D;
}

/** A built network: its trainable weights and a pure forward function over them. */
export interface ModelNetwork {
  /** Every trainable variable, in a stable order (saved and loaded by name and order). */
  readonly variables: readonly tf.Variable[];
  /**
   * Maps a batch to raw outputs [B, H, nOutputs] in the scaled space; the loss maps them to its domain.
   * `training` switches dropout on; `seed` makes dropout masks reproducible per step.
   */
  forward(batch: WindowBatch, options: { readonly training: boolean; readonly seed?: number }): tf.Tensor3D;
  /** Frees every variable. */
  dispose(): void;
}

/** Model families, for grouping in the registry, the API and the UI. */
export type ModelFamily = 'mlp' | 'rnn' | 'transformer' | 'linear' | 'cnn' | 'other';

/**
 * Everything the lab knows about one model. `Config` holds the model's own hyperparameters
 * (NeuralForecast's names, snake_case, with NeuralForecast's defaults); the training settings
 * shared by every model (learning_rate, max_steps, batch sizes, scaler_type …) live in the engine's
 * common config and are not repeated here.
 */
export interface ModelSpec<Config extends Record<string, unknown> = Record<string, unknown>> {
  /** Persisted id, lowercase (`'nhits'`); equals its key in the registry. */
  readonly id: string;
  /** NeuralForecast class name, for display (`'NHITS'`). */
  readonly label: string;
  /** One-line description with the paper. */
  readonly description: string;
  readonly family: ModelFamily;
  /** Univariate models map each series alone; multivariate ones see all series at once. */
  readonly kind: 'univariate' | 'multivariate';
  /** `direct` emits all H steps at once; `recurrent` rolls one step at a time. */
  readonly forecastType: 'direct' | 'recurrent';
  readonly exogenous: ExogenousSupport;
  /** Zod schema of the model-specific config, with NeuralForecast's defaults applied by `.parse`. */
  readonly configSchema: z.ZodType<Config>;
  /** Overrides of the common training defaults this model has in NeuralForecast (e.g. NHITS `windows_batch_size`). */
  readonly commonDefaults: Readonly<Record<string, unknown>>;
  /**
   * NeuralForecast's `Auto<Model>.default_config` for horizon `h`, as a JSON-safe space over the
   * flat config keys (model and common); the Auto wrapper searches it.
   */
  defaultSearchSpace(h: number): SearchSpace;
  /** Builds fresh weights from `seed`; the same seed gives the same initial weights. */
  build(config: Config, dims: ModelDims, seed: number): ModelNetwork;
}
