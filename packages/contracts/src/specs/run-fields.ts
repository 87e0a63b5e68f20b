/**
 * The fields of a run spec, each as its own zod schema without defaults, so the run spec (one value
 * each, defaults filled) and the sweep spec (a value or a list of alternatives) share them.
 * Keys are NeuralForecast's snake_case names.
 */
import { z } from 'zod';
import { BACKEND_IDS, BACKENDS } from '../backends.js';
import { METRIC_IDS } from '../metrics.js';
import { searchSpaceSpecSchema } from './search-space.js';

/** A lab model id: the engine registry's lowercase id, `auto_` first for the Auto model. */
const MODEL_ID = /^(auto_)?[a-z][a-z0-9_]*$/;
/** A NeuralForecast class name as its users write it: `'NHITS'`, `'AutoNHITS'`, `'DLinear'`, `'TiDE'`. */
const NF_CLASS_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/**
 * `Auto` followed by a capital, or by one lowercase letter and a capital (`AutoiTransformer`), starts
 * NeuralForecast's Auto class (`AutoNHITS`), unlike a model named `Autoformer`.
 */
const NF_AUTO_PREFIX = /^Auto(?=[a-z]?[A-Z])/;

/**
 * The lab id a model name stands for. Ids pass unchanged; NeuralForecast's class names are aliases,
 * since the lab's ids are those names in lower case: `'NHITS'` -> `'nhits'`, `'AutoNHITS'` ->
 * `'auto_nhits'`, `'NBEATSx'` -> `'nbeatsx'`. Anything else is returned as it is, for the schema to refuse.
 */
export const modelIdOf = (name: string): string => {
  if (MODEL_ID.test(name) || !NF_CLASS_NAME.test(name)) return name;
  return NF_AUTO_PREFIX.test(name) ? `auto_${name.slice('Auto'.length).toLowerCase()}` : name.toLowerCase();
};

/**
 * A model: `'auto_<id>'` runs the Auto model (hyperparameter search over `search_space`, or the
 * model's default space), `'<id>'` trains the plain model once with `config`. Ids are the engine
 * registry's lowercase ids (`'nhits'`, `'dlinear'` …); the runner checks they exist. NeuralForecast's
 * class names (`'NHITS'`, `'AutoNHITS'`) are read as the ids, so parsed and stored specs carry ids.
 */
export const modelFieldSchema = z
  .string()
  .regex(new RegExp(`${MODEL_ID.source}|${NF_CLASS_NAME.source}`), {
    message:
      "model must be a lowercase model id ('nhits'), an Auto model id ('auto_nhits') or a NeuralForecast class name ('NHITS', 'AutoNHITS')",
  })
  .transform(modelIdOf);

/** A loss as a spec names it: a registry id or `{ id, ...params }`; the engine checks the parameters. */
export const lossFieldSchema = z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })]);

/** A size counted in rows (`40`) or in multiples of the horizon (`'2h'` = 2 × h). */
export const sizeFieldSchema = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+(\.\d+)?h$/, { message: "must be an integer ≥ 0 or a multiple of h such as '2h'" }),
]);

/** NeuralForecast's local (per-series) scalers, applied before windowing. */
export const LOCAL_SCALER_IDS = ['standard', 'robust', 'robust-iqr', 'minmax', 'boxcox'] as const;

/** The exogenous roles a column can take. */
export const EXOG_KINDS = ['futr', 'hist', 'stat'] as const;
/** An exogenous role. */
export type ExogKind = (typeof EXOG_KINDS)[number];

const columnName = z.string().min(1).max(63);
const exogMap = z
  .record(columnName, z.enum(EXOG_KINDS))
  .describe('Other columns given an exogenous role, e.g. { "co": "hist", "n1pm": "hist" }.');

/**
 * Which exogenous columns a run uses. `none`: none. `auto`: every `futr_*`/`hist_*`/`stat_*` column of
 * the table whose kind the model accepts (kinds it does not accept are left out). `explicit`: the
 * lists as NeuralForecast's `futr_exog_list` / `hist_exog_list` / `stat_exog_list`. `map` (auto and
 * explicit) gives other columns, such as prize columns, a role.
 */
export const exogenousFieldSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z.object({ mode: z.literal('auto'), map: exogMap.optional() }).strict(),
  z
    .object({
      mode: z.literal('explicit'),
      futr_exog_list: z.array(columnName).optional(),
      hist_exog_list: z.array(columnName).optional(),
      stat_exog_list: z.array(columnName).optional(),
      map: exogMap.optional(),
    })
    .strict(),
]);

/** Cross-validation after fitting (NeuralForecast's `cross_validation` arguments). */
export const crossValidationFieldSchema = z
  .object({
    /** @default 1 */
    n_windows: z.number().int().min(1).default(1),
    /** Distance between window cutoffs. @default 1 */
    step_size: z.number().int().min(1).default(1),
    /** `false` fits once; `true` refits per window; an integer refits every that many windows. @default false */
    refit: z.union([z.boolean(), z.number().int().min(1)]).default(false),
  })
  .strict();

/** Where a run's parameters, metrics and artifacts are recorded besides the lab database. */
export const TRACKING_SINKS = ['postgres', 'prometheus', 'mlflow', 'wandb'] as const;

/** One tracking sink: its id alone, or an object with its options. */
export const trackingSinkSchema = z.union([
  z.enum(TRACKING_SINKS),
  z.discriminatedUnion('sink', [
    z.object({ sink: z.literal('postgres') }).strict(),
    z
      .object({
        sink: z.literal('prometheus'),
        push_gateway: z.url().optional(),
        job: z.string().min(1).optional(),
      })
      .strict(),
    z
      .object({
        sink: z.literal('mlflow'),
        tracking_uri: z.url().optional(),
        experiment_name: z.string().min(1).optional(),
      })
      .strict(),
    z
      .object({
        sink: z.literal('wandb'),
        project: z.string().min(1),
        entity: z.string().min(1).optional(),
        mode: z.enum(['online', 'offline']).optional(),
      })
      .strict(),
  ]),
]);

/** NeuralForecast's HINT reconciliation methods; `Identity` keeps the base forecasts. */
export const RECONCILIATION_METHODS = ['BottomUp', 'MinTraceOLS', 'MinTraceWLS', 'Identity'] as const;
/** A HINT reconciliation method. */
export type ReconciliationMethod = (typeof RECONCILIATION_METHODS)[number];

/** Most aggregate series one hierarchy may define (each is a series the model fits and forecasts). */
export const MAX_HIERARCHY_AGGREGATES = 16;

/**
 * HINT's hierarchy: aggregate series summed from the run's `unique_ids`, fitted and forecast with
 * them by one distribution-loss model whose draws are then reconciled.
 */
export const hierarchyFieldSchema = z
  .object({
    aggregates: z
      .array(
        z
          .object({
            id: z
              .string()
              .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'letters, digits, _ . - only (at most 64)' })
              .describe("Name of the aggregate series, e.g. 'total'."),
            members: z.array(z.string().min(1)).min(1).describe('unique_ids it sums.'),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_HIERARCHY_AGGREGATES),
    reconciliation: z.enum(RECONCILIATION_METHODS),
  })
  .strict();

/** Every run-spec field with its schema (no defaults); order is the sweep's expansion order. */
export const RUN_FIELDS = {
  table_name: z
    .string()
    .min(1)
    .max(63)
    .describe(
      "PostgreSQL table or view holding the long panel (loto, num, ds, unique_id, y, \u2026). Default 'nf_loto_final'.",
    ),
  loto: z.string().min(1).describe("The game: a value of the table's loto column, e.g. 'loto6'."),
  unique_ids: z
    .array(z.string().min(1))
    .min(1)
    .describe(
      "Series modelled together as one panel, e.g. ['N1', 'N2']. In a sweep, a list of lists gives alternatives.",
    ),
  model: modelFieldSchema.describe(
    "'auto_<id>' runs the Auto model with a hyperparameter search (e.g. 'auto_nhits'); '<id>' trains the plain model once with config (e.g. 'nhits'). NeuralForecast class names ('AutoNHITS', 'NHITS') are read as these ids.",
  ),
  backend: z
    .enum(BACKEND_IDS)
    .describe(
      "Search vocabulary: 'optuna' (search_alg + pruner) or 'ray' (search_alg + scheduler); both native to the lab. Default 'optuna'.",
    ),
  search_space: searchSpaceSpecSchema.describe(
    "Explicit search space of an Auto model: name -> { kind: float|int|categorical|fixed, \u2026 }. Default: the model's own space.",
  ),
  loss: lossFieldSchema.describe(
    "Training loss: a registry id ('mae', 'mse', 'huberloss', 'mqloss', \u2026) or { id, ...params }. Default 'mae'.",
  ),
  h: z.number().int().min(1).describe('Forecast horizon in rows (draws). Default 1.'),
  refit_with_val: z.boolean().describe('Refit the chosen model on train + validation rows. Default false.'),
  freq: z
    .union([z.string().min(1), z.number().int().min(1)])
    .describe('Series frequency: a pandas alias or an integer step. Default: inferred from ds.'),
  local_scaler_type: z
    .enum(LOCAL_SCALER_IDS)
    .nullable()
    .describe('Per-series scaler applied before windowing; null = none. Default null.'),
  val_size: sizeFieldSchema.describe(
    "Validation rows per series: an integer or a multiple of h such as '2h'. 0 = Auto models validate on h rows. Default 0.",
  ),
  use_init_models: z.boolean().describe('Start every fit from the initial weights. Default false.'),
  early_stop: z.boolean().describe('Stop training when the validation loss stops improving. Default false.'),
  valid_loss: lossFieldSchema.describe('Validation loss, same forms as loss. Default: the same as loss.'),
  search_alg: z
    .string()
    .min(1)
    .describe(
      `Optuna sampler (${BACKENDS.optuna.searchAlgs.join(', ')}) or Ray search algorithm (${BACKENDS.ray.searchAlgs.join(', ')}). Default tpe / basic_variant.`,
    ),
  pruner: z.string().min(1).describe('Optuna pruner (backend optuna only). Default none.'),
  scheduler: z
    .string()
    .min(1)
    .describe(`Ray scheduler: ${BACKENDS.ray.schedulers.join(', ')} (backend ray only). Default fifo.`),
  search_alg_options: z.record(z.string(), z.unknown()).describe('Options of the search algorithm.'),
  pruner_options: z.record(z.string(), z.unknown()).describe('Options of the pruner.'),
  scheduler_options: z.record(z.string(), z.unknown()).describe('Options of the scheduler.'),
  config: z
    .record(z.string(), z.unknown())
    .describe(
      'Config overrides: fixed values of a plain model, or fixed values laid over an Auto model space. Default {}.',
    ),
  config_mode: z
    .enum(['merge', 'replace'])
    .describe("'merge' lays config over the defaults/space; 'replace' uses config alone. Default 'merge'."),
  num_samples: z.number().int().min(1).describe('Trials of the search. Default 10.'),
  time_budget: z.number().positive().describe('Wall-clock limit of the search in seconds. Default: none.'),
  cpus: z.number().int().min(1).describe('CPU workers for trials. Default: all cores.'),
  gpus: z.number().int().min(0).describe('GPUs per trial. Default 0.'),
  metric: z
    .enum(METRIC_IDS)
    .describe(`Metric runs are compared by: ${METRIC_IDS.join(', ')}. Default 'mae'.`),
  test_size: sizeFieldSchema.describe(
    "Rows held out at the end of each series: an integer or a multiple of h such as '1h'. Default 0.",
  ),
  early_stop_patience_steps: z
    .number()
    .int()
    .min(1)
    .describe('Validation checks without improvement before stopping (with early_stop). Default 3.'),
  max_steps: z.number().int().min(1).describe('Overrides max_steps of every trial and of a plain model.'),
  random_seed: z.number().int().min(0).describe('Seed of weights, sampling and the search. Default 1.'),
  exogenous: exogenousFieldSchema.describe(
    "Exogenous columns: { mode: 'none' } (default), { mode: 'auto' } (futr_/hist_/stat_ prefixes the model accepts), { mode: 'explicit', futr_exog_list, hist_exog_list, stat_exog_list }; map gives other columns a role.",
  ),
  cross_validation: crossValidationFieldSchema
    .nullable()
    .describe('Cross-validation after fitting: { n_windows, step_size, refit }; null = none. Default null.'),
  hierarchy: hierarchyFieldSchema.describe(
    "HINT: { aggregates: [{ id: 'total', members: ['N1', …] }], reconciliation: 'BottomUp' | 'MinTraceOLS' | 'MinTraceWLS' | 'Identity' }; needs a plain model with loss distributionloss. Default: none.",
  ),
  tracking: z
    .array(trackingSinkSchema)
    .describe(
      "Tracking sinks: 'postgres', 'prometheus', 'mlflow', 'wandb', or { sink, ...options }. Default ['postgres'].",
    ),
} as const;

/** A run-spec field name. */
export type RunField = keyof typeof RUN_FIELDS;
/** Run-spec field names in expansion order. */
export const RUN_FIELD_NAMES = Object.keys(RUN_FIELDS) as RunField[];
