/**
 * The fields of a run spec, each as its own zod schema without defaults, so the run spec (one value
 * each, defaults filled) and the sweep spec (a value or a list of alternatives) share them.
 * Keys are NeuralForecast's snake_case names.
 */
import { z } from 'zod';
import { BACKEND_IDS } from '../backends.js';
import { searchSpaceSpecSchema } from './search-space.js';

/**
 * A model: `'auto_<id>'` runs the Auto model (hyperparameter search over `search_space`, or the
 * model's default space), `'<id>'` trains the plain model once with `config`. Ids are the engine
 * registry's lowercase ids (`'nhits'`, `'dlinear'` …); the runner checks they exist.
 */
export const modelFieldSchema = z.string().regex(/^(auto_)?[a-z][a-z0-9_]*$/, {
  message: "model must be a lowercase model id ('nhits') or an Auto model id ('auto_nhits')",
});

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

/** Every run-spec field with its schema (no defaults); order is the sweep's expansion order. */
export const RUN_FIELDS = {
  table_name: z.string().min(1).max(63),
  loto: z.string().min(1),
  unique_ids: z.array(z.string().min(1)).min(1),
  model: modelFieldSchema,
  backend: z.enum(BACKEND_IDS as ['optuna', 'ray']),
  search_space: searchSpaceSpecSchema,
  loss: lossFieldSchema,
  h: z.number().int().min(1),
  refit_with_val: z.boolean(),
  freq: z.union([z.string().min(1), z.number().int().min(1)]),
  local_scaler_type: z.enum(LOCAL_SCALER_IDS).nullable(),
  val_size: sizeFieldSchema,
  use_init_models: z.boolean(),
  early_stop: z.boolean(),
  valid_loss: lossFieldSchema,
  search_alg: z.string().min(1),
  pruner: z.string().min(1),
  scheduler: z.string().min(1),
  search_alg_options: z.record(z.string(), z.unknown()),
  pruner_options: z.record(z.string(), z.unknown()),
  scheduler_options: z.record(z.string(), z.unknown()),
  config: z.record(z.string(), z.unknown()),
  config_mode: z.enum(['merge', 'replace']),
  num_samples: z.number().int().min(1),
  time_budget: z.number().positive(),
  cpus: z.number().int().min(1),
  gpus: z.number().int().min(0),
  metric: z.string().min(1),
  test_size: sizeFieldSchema,
  early_stop_patience_steps: z.number().int().min(1),
  max_steps: z.number().int().min(1),
  random_seed: z.number().int().min(0),
  exogenous: exogenousFieldSchema,
  cross_validation: crossValidationFieldSchema.nullable(),
  tracking: z.array(trackingSinkSchema),
} as const;

/** A run-spec field name. */
export type RunField = keyof typeof RUN_FIELDS;
/** Run-spec field names in expansion order. */
export const RUN_FIELD_NAMES = Object.keys(RUN_FIELDS) as RunField[];
