/**
 * The training settings every model shares (NeuralForecast's BaseModel arguments), with
 * NeuralForecast's defaults. Keys are snake_case as in NeuralForecast so specs read the same; a
 * model's `commonDefaults` override these defaults before the user's values are applied.
 */
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import { catEmbDimSchema } from '../categorical/embedding-dims.js';
import { WINDOW_SCALER_TYPES } from '../scalers/window-scalers.js';

/** A loss as a config names it; the losses registry validates the id and parameters. */
const lossSpecSchema = z.union([z.string(), z.looseObject({ id: z.string() })]);

/** A loss id or `{ id, ...params }`. */
export type LossSpecInput = z.infer<typeof lossSpecSchema>;

/** Zod schema of the common training config; `.parse` fills NeuralForecast's defaults. */
export const commonConfigSchema = z
  .object({
    /** Forecast horizon. */
    h: z.number().int().positive(),
    /**
     * Input window length; NeuralForecast's own default is model-specific, so it is required here.
     * A value below 1 (NeuralForecast's recurrent models default to -1) means 3·h, as
     * NeuralForecast's BaseModel sets it; the parsed config holds the effective length.
     */
    input_size: z.number().int(),
    /** Loss: a registry id, or `{ id, ...params }` (e.g. `{ id: 'mqloss', level: [80, 90] }`). @default 'mae' */
    loss: lossSpecSchema.default('mae'),
    /** Validation loss, same forms; null means the same as `loss`. @default null */
    valid_loss: lossSpecSchema.nullable().default(null),
    /** @default 1e-3 */
    learning_rate: z.number().positive().default(1e-3),
    /** @default 1000 */
    max_steps: z.number().int().positive().default(1000),
    /** Number of StepLR halvings over training; -1 = constant rate. @default -1 */
    num_lr_decays: z.number().int().min(-1).default(-1),
    /** Validate every this many steps. @default 100 */
    val_check_steps: z.number().int().positive().default(100),
    /** Stop after this many validation checks without improvement; -1 = off. @default -1 */
    early_stop_patience_steps: z.number().int().min(-1).default(-1),
    /** Gradient norm clip; null = no clipping. @default null */
    gradient_clip_val: z.number().positive().nullable().default(null),
    /** Series per batch. @default 32 */
    batch_size: z.number().int().positive().default(32),
    /** Series per validation batch; null = `batch_size`. @default null */
    valid_batch_size: z.number().int().positive().nullable().default(null),
    /** Windows sampled per training step. @default 1024 */
    windows_batch_size: z.number().int().positive().default(1024),
    /** Windows per inference batch; -1 = all at once. @default -1 */
    inference_windows_batch_size: z.number().int().min(-1).default(-1),
    /** Distance between consecutive training windows. @default 1 */
    step_size: z.number().int().positive().default(1),
    /** Window scaler. @default 'identity' */
    scaler_type: z.enum(WINDOW_SCALER_TYPES).default('identity'),
    /** @default 1 */
    random_seed: z.number().int().default(1),
    /** Left-pad series with input_size - 1 zeros so early windows train. @default false */
    start_padding_enabled: z.boolean().default(false),
    /**
     * Minimum fraction of observed points in a training window's input part and horizon part; a
     * single number applies to both, a pair is [insample, outsample]. @default 0
     */
    training_data_availability_threshold: z
      .union([z.number().min(0).max(1), z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)])])
      .default(0),
    /** Zero the input window so only exogenous inputs inform the forecast. @default false */
    exclude_insample_y: z.boolean().default(false),
    /** Drop the last incomplete batch of series. @default false */
    drop_last_loader: z.boolean().default(false),
    /** Future exogenous column names. @default [] */
    futr_exog_list: z.array(z.string()).default([]),
    /** Historical exogenous column names. @default [] */
    hist_exog_list: z.array(z.string()).default([]),
    /** Static exogenous column names. @default [] */
    stat_exog_list: z.array(z.string()).default([]),
    /**
     * Exogenous columns (of the three lists above) to embed as categories instead of scaling them as
     * numbers; only models with NeuralForecast's EXOGENOUS_CAT take them. @default []
     */
    cat_exog_list: z.array(z.string()).default([]),
    /** Number of distinct values of each categorical column (a cap: the training data may hold fewer). @default {} */
    categorical_cardinalities: z.record(z.string(), z.number().int().positive()).default({}),
    /** Embedding width: an integer, or `fastai`, `sqrt` or `half` of each column's cardinality. @default 'fastai' */
    cat_emb_dim: catEmbDimSchema.default('fastai'),
  })
  .strip();

/** The parsed common training config (snake_case, defaults applied). */
export type CommonConfig = z.infer<typeof commonConfigSchema>;

/** Keys of the common config, used to split a model entry's config into common and model-specific parts. */
export const COMMON_KEYS: readonly string[] = Object.keys(commonConfigSchema.shape);

/** Options of {@link parseCommonConfig}. */
export interface ParseCommonOptions {
  /** The model-specific overrides of the defaults (its `commonDefaults`). */
  readonly modelDefaults?: Readonly<Record<string, unknown>>;
  /** Name used in error messages (model alias or id). */
  readonly modelName: string;
}

/** Parses the common part of `raw` over the model's defaults; a ConfigError names each bad key. */
export const parseCommonConfig = (
  raw: Readonly<Record<string, unknown>>,
  options: ParseCommonOptions,
): CommonConfig => {
  const merged: Record<string, unknown> = { ...options.modelDefaults };
  for (const key of COMMON_KEYS) if (raw[key] !== undefined) merged[key] = raw[key];
  const result = commonConfigSchema.safeParse(merged);
  if (!result.success) {
    const issues = result.error.issues
      .map(
        (issue) =>
          `${issue.path.join('.') || '(root)'}: ${issue.message} (got ${JSON.stringify(pick(merged, issue.path))})`,
      )
      .join('; ');
    throw new ConfigError(`model '${options.modelName}': invalid training config — ${issues}`);
  }
  const config = result.data;
  return config.input_size < 1
    ? { ...config, input_size: effectiveInputSize(config.input_size, config.h) }
    : config;
};

const pick = (value: unknown, keys: readonly PropertyKey[]): unknown => {
  let current = value;
  for (const key of keys) current = (current as Record<PropertyKey, unknown> | undefined)?.[key];
  return current;
};

/** Splits a flat model config into its common and model-specific keys. */
export const splitConfig = (
  raw: Readonly<Record<string, unknown>>,
): { common: Record<string, unknown>; model: Record<string, unknown> } => {
  const common: Record<string, unknown> = {};
  const model: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) (COMMON_KEYS.includes(key) ? common : model)[key] = value;
  return { common, model };
};

/** NeuralForecast's rule for a non-positive input_size: 3·h. */
export const effectiveInputSize = (inputSize: number, h: number): number =>
  inputSize < 1 ? 3 * h : inputSize;

/** The effective validation batch size: NeuralForecast falls back to `batch_size` when unset. */
export const validBatchSize = (config: CommonConfig): number => config.valid_batch_size ?? config.batch_size;

/** The validation loss spec: `valid_loss`, else `loss`. */
export const validLossSpec = (config: CommonConfig): LossSpecInput => config.valid_loss ?? config.loss;

/** Insample and outsample availability fractions from `training_data_availability_threshold`. */
export const availabilityFractions = (config: CommonConfig): readonly [number, number] => {
  const t = config.training_data_availability_threshold;
  return typeof t === 'number' ? [t, t] : t;
};
