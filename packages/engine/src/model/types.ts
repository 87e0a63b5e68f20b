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

/**
 * Maps one step's raw outputs [B, 1, nOutputs] to the value [B, 1, 1] (scaled space) a recurrent
 * network feeds back as its next input: a distribution's mean, or the mean of a point loss's outputs
 * (NeuralForecast's `_predict_step_recurrent_single`). The engine builds it from the loss and the
 * window scale; only networks with {@link ModelNetwork.recurrent} read it.
 */
export type StepFeedback = (raw: tf.Tensor3D) => tf.Tensor3D;

/** Options of {@link ModelNetwork.forward}. */
export interface ForwardOptions {
  /** Switches dropout on. */
  readonly training: boolean;
  /** Makes dropout masks reproducible per step. */
  readonly seed?: number;
  /**
   * [B, H, 1] horizon targets in the scaled space, given while training to recurrent networks for
   * teacher forcing (step t reads the true y of step t-1); zeros under exclude_insample_y, as
   * NeuralForecast zeroes them with the window. Direct networks never receive it.
   */
  readonly target?: tf.Tensor3D;
  /** Given outside training to recurrent networks, which roll the horizon out one step at a time. */
  readonly feedback?: StepFeedback;
}

/**
 * What makes a network recurrent in NeuralForecast's sense (`RECURRENT = True`): its windows read one
 * extra input step (input_size + 1, the first forecast is conditioned on y shifted by one), training
 * windows have `trainH` horizon steps (NeuralForecast's `h_train`), and a distribution loss's
 * forecast columns come from `samples` draws per step with the analytic mean as point forecast.
 */
export interface RecurrentWindows {
  /** Input steps of training and validation windows: input_size + 1. */
  readonly inputSize: number;
  /** Input steps of predict windows: inference_input_size + 1 (NeuralForecast's default: input_size + 1). */
  readonly predictInputSize: number;
  /** Horizon steps of a training window (`h_train`); validation and predict use h. */
  readonly trainH: number;
  /** Draws per step for a distribution loss's quantiles (NeuralForecast's `n_samples`). */
  readonly samples: number;
}

/** A built network: its trainable weights and a pure forward function over them. */
export interface ModelNetwork {
  /** Every trainable variable, in a stable order (saved and loaded by name and order). */
  readonly variables: readonly tf.Variable[];
  /**
   * Maps a batch to raw outputs [B, H, nOutputs] in the scaled space; the loss maps them to its domain.
   * `training` switches dropout on; `seed` makes dropout masks reproducible per step. A recurrent
   * network trains on `target` (teacher forcing) and otherwise rolls out through `feedback`.
   */
  forward(batch: WindowBatch, options: ForwardOptions): tf.Tensor3D;
  /** Present on recurrent networks only; see {@link RecurrentWindows}. */
  readonly recurrent?: RecurrentWindows;
  /**
   * Present on networks that forecast all series at once (a wrapped {@link MultivariateNetwork}):
   * every batch holds `nSeries` consecutive rows per window, one per series — in panel order, or
   * while training in the step's shuffled order as NeuralForecast's loader gives them — so the
   * shared scalers and losses read it as nSeries univariate windows.
   */
  readonly nSeries?: number;
  /**
   * Present on networks that embed categorical exogenous columns: the channels of the futr and hist
   * streams that hold category codes, which the window scaler passes through unscaled.
   */
  readonly categoricalChannels?: CodeChannels;
  /**
   * Tensors the network owns besides its variables: a pretrained backbone it runs frozen (TimeLLM's
   * LLM), never trained nor saved, freed by {@link dispose}.
   */
  readonly frozen?: readonly tf.Tensor[];
  /** Frees every variable (and every frozen tensor). */
  dispose(): void;
}

/** Channels of the temporal exogenous streams that carry category codes. */
export interface CodeChannels {
  readonly futr: readonly number[];
  readonly hist: readonly number[];
}

/** Sizes a multivariate network is built for: the univariate ones plus the panel's width. */
export interface MultivariateDims extends ModelDims {
  /** Number of series N seen together (NeuralForecast's `n_series`). */
  readonly nSeries: number;
}

/**
 * One batch of windows as a multivariate model sees it (NeuralForecast's layouts), every series of
 * the panel at once. B = windows, L = input_size, H = h, N = n_series.
 */
export interface MultivariateBatch {
  /** [B, L, N] target values of the input window, each series scaled by its own window statistics. */
  readonly insampleY: tf.Tensor3D;
  /** [B, L, N] 1 where observed, 0 for padding (shorter series) or missing values. */
  readonly insampleMask: tf.Tensor3D;
  /** [B, F, L+H, N] future exogenous over the input window and the horizon. */
  readonly futrExog?: tf.Tensor4D;
  /** [B, X, L, N] historical exogenous over the input window. */
  readonly histExog?: tf.Tensor4D;
  /** [N, S] static exogenous, one row per series. */
  readonly statExog?: tf.Tensor2D;
}

/** A built multivariate network: its weights and a forward over all series at once. */
export interface MultivariateNetwork {
  /** Every trainable variable (and saved buffer), in a stable order. */
  readonly variables: readonly tf.Variable[];
  /** Maps a batch to raw outputs [B, H, N, nOutputs] in the scaled space. */
  forward(batch: MultivariateBatch, options: Pick<ForwardOptions, 'training' | 'seed'>): tf.Tensor4D;
  dispose(): void;
}

/** Model families, for grouping in the registry, the API and the UI. */
export type ModelFamily = 'mlp' | 'rnn' | 'transformer' | 'linear' | 'cnn' | 'other';

/**
 * What every model declares, whatever its kind. `Config` holds the model's own hyperparameters
 * (NeuralForecast's names, snake_case, with NeuralForecast's defaults); the training settings
 * shared by every model (learning_rate, max_steps, batch sizes, scaler_type …) live in the engine's
 * common config and are not repeated here.
 */
interface ModelSpecBase<Config extends Record<string, unknown>> {
  /** Persisted id, lowercase (`'nhits'`); equals its key in the registry. */
  readonly id: string;
  /** NeuralForecast class name, for display (`'NHITS'`). */
  readonly label: string;
  /** One-line description with the paper. */
  readonly description: string;
  readonly family: ModelFamily;
  readonly exogenous: ExogenousSupport;
  /** Set when the model cannot forecast without the insample y (NeuralForecast raises on `exclude_insample_y`). */
  readonly requiresInsampleY?: true;
  /**
   * Set when the model embeds categorical exogenous columns (`cat_exog_list`; NeuralForecast 3.2's
   * `EXOGENOUS_CAT`).
   */
  readonly categoricalExogenous?: true;
  /**
   * Set when the model emits one value per step and so trains only with a point loss (mae, mse, …):
   * no distribution or multi-quantile loss, hence no HINT (NeuralForecast's DeepNPTS raises too).
   */
  readonly pointLossOnly?: true;
  /** Zod schema of the model-specific config, with NeuralForecast's defaults applied by `.parse`. */
  readonly configSchema: z.ZodType<Config>;
  /** Overrides of the common training defaults this model has in NeuralForecast (e.g. NHITS `windows_batch_size`). */
  readonly commonDefaults: Readonly<Record<string, unknown>>;
  /**
   * NeuralForecast's `Auto<Model>.default_config` for horizon `h`, as a JSON-safe space over the
   * flat config keys (model and common); the Auto wrapper searches it.
   */
  defaultSearchSpace(h: number): SearchSpace;
}

/** A model that maps each series alone (NeuralForecast's `MULTIVARIATE = False`). */
export interface UnivariateModelSpec<
  Config extends Record<string, unknown> = Record<string, unknown>,
> extends ModelSpecBase<Config> {
  readonly kind: 'univariate';
  /** `direct` emits all H steps at once; `recurrent` rolls one step at a time. */
  readonly forecastType: 'direct' | 'recurrent';
  /** Builds fresh weights from `seed`; the same seed gives the same initial weights. */
  build(config: Config, dims: ModelDims, seed: number): ModelNetwork;
}

/**
 * A model that sees every series at once (NeuralForecast's `MULTIVARIATE = True`): its config has
 * `n_series`, it is built for that many series and trains and forecasts them together.
 */
export interface MultivariateModelSpec<
  Config extends MultivariateConfig = MultivariateConfig,
> extends ModelSpecBase<Config> {
  readonly kind: 'multivariate';
  /** Every NeuralForecast 3.2 multivariate model is direct. */
  readonly forecastType: 'direct';
  /** Builds fresh weights for `dims.nSeries` series from `seed`. */
  build(config: Config, dims: MultivariateDims, seed: number): MultivariateNetwork;
}

/** The part of every multivariate model's config the engine reads. */
export interface MultivariateConfig extends Record<string, unknown> {
  /** Number of series the model is built for (NeuralForecast's `n_series`, required). */
  readonly n_series: number;
}

/**
 * Everything the lab knows about one model; `kind` tells univariate from multivariate models (the
 * runner, the API and the UI read it), and narrows `build`.
 */
export type ModelSpec<Config extends Record<string, unknown> = Record<string, unknown>> =
  UnivariateModelSpec<Config> | MultivariateModelSpec<Config & MultivariateConfig>;
