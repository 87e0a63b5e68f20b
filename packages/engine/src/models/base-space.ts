/**
 * The part of NeuralForecast's `Auto*.default_config` every model shares, as a function of h
 * (`get_default_config`: input_size = h × [1…5], step_size ∈ {1, h}). Ray's functions are converted
 * with @nflab/tune's `ray` helpers so the bounds mean what they meant in Ray (randint's high is
 * exclusive). `scaler_type: None` becomes `'identity'`, the engine's name for "no scaling".
 */
import { ConfigError } from '@nflab/contracts';
import { ray, type ParamSpec, type SearchSpace } from '@nflab/tune';

/** `input_size_multiplier` of every NeuralForecast Auto model. */
export const INPUT_SIZE_MULTIPLIERS = [1, 2, 3, 4, 5] as const;

/** Options of {@link baseSearchSpace}. */
export interface BaseSpaceOptions {
  /** The model's own parameters, sampled between input_size and the training keys (NeuralForecast's key order). */
  readonly model?: Readonly<Record<string, ParamSpec>>;
  /** `max_steps`: Ray `choice([500, 1000])` (MLP, NBEATS, NBEATSx) or `quniform(500, 1500, 100)` (the rest). */
  readonly maxSteps: 'choice' | 'quniform';
  /** `learning_rate` log-uniform bounds. @default [1e-4, 1e-1] */
  readonly learningRate?: readonly [number, number];
}

const checkH = (h: number): void => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
};

/** NeuralForecast's default space for a model with horizon `h`. */
export const baseSearchSpace = (h: number, options: BaseSpaceOptions): SearchSpace => {
  checkH(h);
  const [lrLow, lrHigh] = options.learningRate ?? [1e-4, 1e-1];
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    ...options.model,
    learning_rate: ray.loguniform(lrLow, lrHigh),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: options.maxSteps === 'choice' ? ray.choice([500, 1000]) : ray.quniform(500, 1500, 100),
    batch_size: ray.choice([32, 64, 128, 256]),
    windows_batch_size: ray.choice([128, 256, 512, 1024]),
    random_seed: ray.randint(1, 20),
    // A single choice when h = 1 ({1, 1} would weigh nothing differently but repeats a value).
    step_size: ray.choice(h === 1 ? [1] : [1, h]),
  };
};

/**
 * The default space of NeuralForecast's AutoAutoformer, AutoFEDformer and AutoTFT: the shared keys
 * around the model's own, `max_steps` ∈ {500, 1000, 2000} and no `step_size` at all.
 */
export const longTrainingSearchSpace = (
  h: number,
  model: Readonly<Record<string, ParamSpec>>,
): SearchSpace => {
  checkH(h);
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    ...model,
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    windows_batch_size: ray.choice([128, 256, 512, 1024]),
    random_seed: ray.randint(1, 20),
  };
};

/** Options of {@link multivariateSearchSpace}. */
export interface MultivariateSpaceOptions {
  /** The model's own parameters, sampled between input_size and the training keys. */
  readonly model: Readonly<Record<string, ParamSpec>>;
  /** `max_steps` choices. @default [500, 1000, 2000] */
  readonly maxSteps?: readonly number[];
  /** `input_size_multiplier`. @default [1, 2, 3, 4, 5] */
  readonly multipliers?: readonly number[];
}

/**
 * The default space of NeuralForecast's multivariate Auto models with a `step_size` (AutoiTransformer,
 * AutoSOFTS, AutoStemGNN, AutoMLPMultivariate …): the shared keys around the model's own and no
 * windows_batch_size (a multivariate batch is every series of its windows).
 */
export const multivariateSearchSpace = (h: number, options: MultivariateSpaceOptions): SearchSpace => {
  checkH(h);
  return {
    input_size: ray.choice((options.multipliers ?? INPUT_SIZE_MULTIPLIERS).map((m) => h * m)),
    ...options.model,
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([...(options.maxSteps ?? [500, 1000, 2000])]),
    batch_size: ray.choice([32, 64, 128, 256]),
    random_seed: ray.randint(1, 20),
    step_size: ray.choice(h === 1 ? [1] : [1, h]),
  };
};
