/**
 * The one place a run spec's snake_case fields become the engine's options: the config of a plain
 * model, and the options of an Auto model (its search included). Spec keys that NeuralForecast puts
 * on the model (h, loss, valid_loss, exogenous lists, max_steps, early_stop_patience_steps,
 * random_seed) are laid over `config` here, so every other module sees one resolved config.
 */
import { baseModelId, ConfigError, pickSearchConfig, resolveSize, type RunSpec } from '@nflab/contracts';
import {
  isMultivariateModel,
  MODELS,
  type AutoModelOptions,
  type ConfigValue,
  type ModelId,
} from '@nflab/engine';
import type { JsonValue } from '@nflab/tune';
import { llmKeys } from './llm-dir.js';
import type { ExogLists } from './run-data.js';

/** Rows per series the spec holds out for validation and testing. */
export interface RunSizes {
  readonly h: number;
  /** Validation rows given (0 = none for plain models; Auto models then validate on h). */
  readonly valSize: number;
  readonly testSize: number;
}

/** The spec's sizes with `'2h'`-style values resolved. */
export const runSizes = (spec: RunSpec): RunSizes => {
  const testSize = resolveSize(spec.test_size, spec.h);
  if (testSize > 0 && testSize < spec.h) {
    throw new ConfigError(
      `test_size: ${testSize} rows is shorter than h (${spec.h}); hold out at least h rows or use 0`,
    );
  }
  return { h: spec.h, valSize: resolveSize(spec.val_size, spec.h), testSize };
};

/**
 * Series a run's model fits at once: its unique_ids, plus a hierarchy's aggregates (HINT fits
 * those as series of the panel too). A multivariate model's n_series is this number.
 */
export const runSeriesCount = (spec: Pick<RunSpec, 'unique_ids' | 'hierarchy'>): number =>
  spec.unique_ids.length + (spec.hierarchy?.aggregates.length ?? 0);

/** The value a config entry fixes: a plain value as it is, a `{ kind: 'fixed' }` search entry's value. */
const fixedValue = (value: unknown): unknown => {
  const entry = value as { kind?: unknown; value?: unknown } | null | undefined;
  return typeof entry === 'object' && entry !== null && entry.kind === 'fixed' ? entry.value : value;
};

/**
 * Why a multivariate run's own `n_series` (in config or search_space) cannot stand, or undefined.
 * The runner sets n_series to the panel's width; a user-given value must equal it (NeuralForecast
 * builds the model for exactly that many series) and is never searched.
 */
export const nSeriesProblem = (spec: RunSpec): string | undefined => {
  const id = baseModelId(spec.model);
  if (!isMultivariateModel(id)) return undefined;
  const label = MODELS[id as ModelId].label;
  const count = runSeriesCount(spec);
  const series =
    `the run's ${count} series (${spec.unique_ids.join(', ')}` +
    `${spec.hierarchy === undefined ? '' : ` and ${spec.hierarchy.aggregates.length} hierarchy aggregate(s)`})`;
  if (spec.search_space !== undefined && 'n_series' in spec.search_space) {
    return `search_space.n_series: '${spec.model}' (${label}) is multivariate and takes ${series} together, so n_series is not searched; remove it (the runner sets n_series to ${count})`;
  }
  if (!('n_series' in spec.config)) return undefined;
  const given = fixedValue(spec.config.n_series);
  if (given === count) return undefined;
  const fix = `remove config.n_series (the runner sets it to ${count} from unique_ids)`;
  if (typeof given !== 'number')
    return `config.n_series: '${spec.model}' (${label}) is multivariate and takes ${series} together, so n_series is not a choice; ${fix}`;
  return (
    `config.n_series: ${given} disagrees with ${series}: '${spec.model}' (${label}) is multivariate and takes ` +
    `all of them together; ${fix}, or choose ${given} unique_ids`
  );
};

/** The n_series key a multivariate run's model config gets (nothing for a univariate model). */
const seriesKeys = (spec: RunSpec): { n_series?: number } => {
  if (!isMultivariateModel(baseModelId(spec.model))) return {};
  const problem = nSeriesProblem(spec);
  if (problem !== undefined) throw new ConfigError(problem);
  return { n_series: runSeriesCount(spec) };
};

const exogKeys = (exog: ExogLists): Record<string, JsonValue> => {
  const keys: Record<string, JsonValue> = {};
  if (exog.futr.length > 0) keys.futr_exog_list = [...exog.futr];
  if (exog.hist.length > 0) keys.hist_exog_list = [...exog.hist];
  if (exog.stat.length > 0) keys.stat_exog_list = [...exog.stat];
  return keys;
};

/** The full config of a plain model run (the spec's `config` plus the keys the spec owns). */
export const plainModelConfig = (spec: RunSpec, exog: ExogLists): Record<string, JsonValue> => {
  if (spec.early_stop && resolveSize(spec.val_size, spec.h) === 0) {
    throw new ConfigError('early_stop: needs validation rows; set val_size (e.g. "2h")');
  }
  return {
    ...(spec.config as Record<string, JsonValue>),
    ...seriesKeys(spec),
    ...llmKeys(spec),
    h: spec.h,
    loss: spec.loss as JsonValue,
    valid_loss: spec.valid_loss as JsonValue,
    random_seed: spec.random_seed,
    ...(spec.max_steps !== undefined ? { max_steps: spec.max_steps } : {}),
    ...(spec.early_stop && spec.early_stop_patience_steps !== undefined
      ? { early_stop_patience_steps: spec.early_stop_patience_steps }
      : {}),
    ...exogKeys(exog),
  };
};

/** The Auto model's options (search, space, fixed keys) for a spec; hooks and storage are added by the caller. */
export const autoModelOptions = (
  spec: RunSpec,
  exog: ExogLists,
  cpus: number,
): Omit<AutoModelOptions, 'signal' | 'storage' | 'studyName' | 'freq'> => {
  const overrides: Record<string, ConfigValue> = {
    ...(spec.config as Record<string, ConfigValue>),
    // A multivariate model's width is the panel's, fixed over every trial (NeuralForecast's n_series).
    ...seriesKeys(spec),
    // A language model's directory: a name under NFLAB_LLM_DIR, resolved here (never a caller's path).
    ...llmKeys(spec),
    ...(spec.max_steps !== undefined ? { max_steps: spec.max_steps } : {}),
  };
  // An explicit search space replaces the model's default one; config stays fixed values over it.
  const space = spec.search_space as Record<string, ConfigValue> | undefined;
  if (space !== undefined && !('input_size' in space) && !('input_size' in overrides)) {
    throw new ConfigError(
      'search_space: an explicit space replaces the default one and must include input_size (or set config.input_size)',
    );
  }
  return {
    model: baseModelId(spec.model) as ModelId,
    h: spec.h,
    loss: spec.loss as AutoModelOptions['loss'],
    validLoss: spec.valid_loss as AutoModelOptions['validLoss'],
    config: space === undefined ? overrides : { ...space, ...overrides },
    configMode: space === undefined ? spec.config_mode : 'replace',
    refitWithVal: spec.refit_with_val,
    ...(spec.early_stop ? { earlyStop: { patienceSteps: spec.early_stop_patience_steps ?? 3 } } : {}),
    ...(exog.futr.length > 0 ? { futrExogList: exog.futr } : {}),
    ...(exog.hist.length > 0 ? { histExogList: exog.hist } : {}),
    ...(exog.stat.length > 0 ? { statExogList: exog.stat } : {}),
    // The search keys travel to tune's createSearch as the spec writes them; the seed is random_seed.
    search: pickSearchConfig(spec),
    numSamples: spec.num_samples,
    ...(spec.time_budget !== undefined ? { timeBudgetSeconds: spec.time_budget } : {}),
    cpus,
    gpus: spec.gpus,
    seed: spec.random_seed,
    localScalerType: spec.local_scaler_type,
  } as Omit<AutoModelOptions, 'signal' | 'storage' | 'studyName' | 'freq'>;
};
