/** Public shapes of the NeuralForecast-style core: model entries, options and output rows. */
import type { LocalScalerType } from '../scalers/types.js';
import type { Freq } from '../data/freq.js';
import type { DsValue, MissingPolicy, PanelColumns, PanelRow, StaticRow } from '../data/panel.js';
import type { TrainingEvent } from '../training/train.js';

/** One model of a NeuralForecast object: a registry id, its flat config (model + common keys) and an optional column name. */
export interface ModelEntry {
  /** Registry id (`'nhits'`). */
  readonly id: string;
  /** Model-specific and common keys together, snake_case as NeuralForecast (`h`, `input_size`, `max_steps`, `mlp_units` …). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Forecast column name; defaults to the model's label (`'NHITS'`, then `'NHITS1'` … for repeats). */
  readonly alias?: string;
}

/** Options of the NeuralForecast constructor. */
export interface NeuralForecastOptions {
  readonly models: readonly ModelEntry[];
  readonly freq: Freq;
  /** Per-series scaler applied before fit and inverted on every output; null = none. @default null */
  readonly localScalerType?: LocalScalerType | null;
  /** Gaps in a regular frequency. @default 'reject' */
  readonly missing?: MissingPolicy;
  /** For `freq: 'irregular'`: the future draw dates (else the observed weekday pattern is used). */
  readonly calendar?: readonly DsValue[];
}

/** A data frame as the core accepts it: long rows or columns. */
export type FrameInput = readonly PanelRow[] | PanelColumns;

/** Options of `fit`. */
export interface FitOptions {
  readonly df: FrameInput;
  readonly staticDf?: readonly StaticRow[];
  /** Points at the end of each series used for validation. @default 0 */
  readonly valSize?: number;
  /** Start from freshly initialised weights even when already fitted. @default false */
  readonly useInitModels?: boolean;
  /** Every step's train loss and every validation loss, per model. */
  readonly onProgress?: (event: TrainingEvent & { readonly model: string }) => void;
  readonly signal?: AbortSignal;
}

/** Options of `predict`. */
export interface PredictOptions {
  /** New history to forecast from; the fitted data when absent. */
  readonly df?: FrameInput;
  readonly staticDf?: readonly StaticRow[];
  /** Future exogenous values over the horizon; required when a model has futr_exog_list. */
  readonly futrDf?: FrameInput;
  /** Prediction-interval levels to keep; the models' losses must produce them. */
  readonly level?: readonly number[];
  /**
   * Report this many draws per step (columns `<model>-sample-0` …) instead of the loss's mean and
   * quantiles; distribution losses only, not with `level`.
   */
  readonly samples?: number;
}

/** Options of `crossValidation`. */
export interface CrossValidationOptions {
  readonly df: FrameInput;
  readonly staticDf?: readonly StaticRow[];
  /** Number of forecast windows. @default 1 */
  readonly nWindows?: number;
  /** Length of the test part; replaces nWindows ((testSize - h) / stepSize + 1 windows). */
  readonly testSize?: number;
  /** Distance between consecutive cutoffs. @default 1 */
  readonly stepSize?: number;
  /** @default 0 */
  readonly valSize?: number;
  /** false = fit once; true = refit at every window; n = refit every n windows. @default false */
  readonly refit?: boolean | number;
  readonly level?: readonly number[];
  /** As {@link PredictOptions.samples}. */
  readonly samples?: number;
  readonly onProgress?: FitOptions['onProgress'];
  readonly signal?: AbortSignal;
}

/** Options of `predictInsample`. */
export interface PredictInsampleOptions {
  /** Distance between consecutive cutoffs. @default 1 */
  readonly stepSize?: number;
}

/** A forecast row: `unique_id`, `ds` and one column per model output (`NHITS`, `NHITS-lo-90` …). */
export interface ForecastRow {
  readonly unique_id: string;
  readonly ds: string | number;
  readonly [column: string]: string | number | null;
}

/** A cross-validation / insample row: adds `cutoff` (last ds seen) and the actual `y` (null when missing). */
export interface CrossValidationRow extends ForecastRow {
  readonly cutoff: string | number;
  readonly y: number | null;
}
