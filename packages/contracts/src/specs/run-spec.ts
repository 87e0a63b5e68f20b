/**
 * The run spec: everything one training run needs, in NeuralForecast's snake_case keys. Parsing
 * fills the documented defaults and normalises equivalent spellings (backend defaults, `valid_loss`,
 * sorted `unique_ids`, tracking sinks as objects), so two specs that mean the same run parse to
 * the same value — the sweep planner's fingerprint relies on that.
 */
import { z } from 'zod';
import { BACKEND_DEFAULTS, pickSearchConfig, searchConfigSchema } from '../backends.js';
import { RUN_FIELDS, type TRACKING_SINKS } from './run-fields.js';
import { runTagsSchema } from './run-tags.js';

const F = RUN_FIELDS;

/** Object shape of a run spec with its defaults; see each field's `@default`. */
export const runSpecShape = {
  /** Path or URL of this JSON Schema, for editors; not part of the run. */
  $schema: z.string().optional(),
  /** PostgreSQL table or view holding the long panel. @default 'nf_loto_final' */
  table_name: F.table_name.default('nf_loto_final'),
  /** The game (`loto` column value), e.g. 'loto6'. Required. */
  loto: F.loto,
  /** Series to model together (one panel); order does not matter. Required. */
  unique_ids: F.unique_ids,
  /** `'auto_<id>'` = Auto model with search; `'<id>'` = plain model with fixed `config`. Required. */
  model: F.model,
  /** Search backend vocabulary (native implementations of both). @default 'optuna' */
  backend: F.backend.default('optuna'),
  /** Optuna sampler or Ray search algorithm. @default 'tpe' (optuna) / 'basic_variant' (ray) */
  search_alg: F.search_alg.optional(),
  /** Optuna pruner (backend optuna only). @default 'none' */
  pruner: F.pruner.optional(),
  /** Ray scheduler (backend ray only). @default 'fifo' */
  scheduler: F.scheduler.optional(),
  search_alg_options: F.search_alg_options.optional(),
  pruner_options: F.pruner_options.optional(),
  scheduler_options: F.scheduler_options.optional(),
  /** Explicit search space (Auto models only); absent = the model's default space. */
  search_space: F.search_space.optional(),
  /** Config overrides: fixed values for a plain model, or fixed values over the Auto space. @default {} */
  config: F.config.default({}),
  /** `merge` lays `config` over the model's defaults/space; `replace` uses `config` alone. @default 'merge' */
  config_mode: F.config_mode.default('merge'),
  /** Trials of the search. @default 10 */
  num_samples: F.num_samples.default(10),
  /** Wall-clock limit of the search in seconds; absent = no limit. */
  time_budget: F.time_budget.optional(),
  /** CPU workers for trials; absent = all cores. */
  cpus: F.cpus.optional(),
  /** @default 0 */
  gpus: F.gpus.default(0),
  /** Forecast horizon in draws. @default 1 (the next draw) */
  h: F.h.default(1),
  /** Training loss: registry id or `{ id, ...params }`. @default 'mae' */
  loss: F.loss.default('mae'),
  /** Validation loss. @default the same as `loss` */
  valid_loss: F.valid_loss.optional(),
  /** Metric runs are compared by. @default 'mae' */
  metric: F.metric.default('mae'),
  /** Series frequency (pandas alias or integer step); absent = inferred from `ds`. */
  freq: F.freq.optional(),
  /** Per-series scaler before windowing; null = none. @default null */
  local_scaler_type: F.local_scaler_type.default(null),
  /** Validation rows per series, or a multiple of h ('2h'); 0 = Auto models use h. @default 0 */
  val_size: F.val_size.default(0),
  /** Rows held out at the end for testing, or a multiple of h. @default 0 */
  test_size: F.test_size.default(0),
  /** Refit the best model on train + validation. @default false */
  refit_with_val: F.refit_with_val.default(false),
  /** Start each fit from the initial weights. @default false */
  use_init_models: F.use_init_models.default(false),
  /** Stop when the validation loss stops improving. @default false */
  early_stop: F.early_stop.default(false),
  /** Validation checks without improvement before stopping (only with early_stop). @default 3 */
  early_stop_patience_steps: F.early_stop_patience_steps.optional(),
  /** Overrides `max_steps` of every trial and of the plain model's config. */
  max_steps: F.max_steps.optional(),
  /** @default 1 */
  random_seed: F.random_seed.default(1),
  /** Exogenous column selection. @default { mode: 'none' } */
  exogenous: F.exogenous.default({ mode: 'none' }),
  /** Cross-validation after fitting; null = none. @default null */
  cross_validation: F.cross_validation.default(null),
  /** HINT over aggregates of `unique_ids`; absent = no hierarchy. */
  hierarchy: F.hierarchy.optional(),
  /** Tracking sinks. @default ['postgres'] */
  tracking: F.tracking.default(['postgres']),
  /**
   * Labels recorded with the run (experiment type, phase, a note …), key → value; they do not change
   * what runs, and can be edited later (`nflab runs tag`, the run page, MLflow's set-tag).
   */
  tags: runTagsSchema
    .optional()
    .describe(
      'Labels recorded with the run, key → value (e.g. {"experiment": "baseline", "phase": "tuning"}); at most 32, keys of letters, digits and _ . : / -.',
    ),
} as const;

/** Default patience when `early_stop` is on and no patience is given. */
export const DEFAULT_EARLY_STOP_PATIENCE = 3;

const lossId = (loss: RunSpecLoss): string => (typeof loss === 'string' ? loss : loss.id).toLowerCase();

/** HINT's requirements: members among the run's series, new aggregate ids, a plain distribution model. */
const checkHierarchy = (
  spec: { unique_ids: readonly string[]; model: string; loss: RunSpecLoss; exogenous: { mode: string } },
  hierarchy: z.output<typeof F.hierarchy>,
  ctx: z.RefinementCtx,
): void => {
  const series = new Set(spec.unique_ids);
  const ids = new Set<string>();
  hierarchy.aggregates.forEach((aggregate, i) => {
    const path = ['hierarchy', 'aggregates', i];
    if (series.has(aggregate.id) || ids.has(aggregate.id))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'id'],
        message: `"${aggregate.id}" is already a series of the run; name each aggregate anew`,
      });
    ids.add(aggregate.id);
    aggregate.members.forEach((member, j) => {
      if (!series.has(member))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'members', j],
          message: `"${member}" is not among unique_ids (${spec.unique_ids.join(', ')}); aggregates sum the run's series`,
        });
    });
  });
  if (spec.model.startsWith('auto_'))
    ctx.addIssue({
      code: 'custom',
      path: ['model'],
      message: `HINT wraps a plain model with a fixed config; use '${spec.model.slice('auto_'.length)}' (as NeuralForecast, there is no Auto search over HINT)`,
    });
  if (lossId(spec.loss) !== 'distributionloss')
    ctx.addIssue({
      code: 'custom',
      path: ['loss'],
      message:
        "HINT reconciles forecast draws: use { id: 'distributionloss', distribution: 'Normal' } (or StudentT, Poisson, NegativeBinomial)",
    });
  if (spec.exogenous.mode !== 'none')
    ctx.addIssue({
      code: 'custom',
      path: ['exogenous'],
      message:
        "HINT runs take no exogenous columns yet: aggregate series have no values of their own; use { mode: 'none' }",
    });
};

type RunSpecLoss = string | { readonly id: string };

const naturalOrder = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** zod schema of a run spec: structural checks, backend combination check, defaults, normalisation. */
export const runSpecSchema = z
  .object(runSpecShape)
  .strict()
  .superRefine((spec, ctx) => {
    const search = searchConfigSchema.safeParse(pickSearchConfig(spec));
    if (!search.success) for (const issue of search.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
    const seen = new Set<string>();
    for (const [i, id] of spec.unique_ids.entries()) {
      if (seen.has(id))
        ctx.addIssue({ code: 'custom', path: ['unique_ids', i], message: `"${id}" is listed twice` });
      seen.add(id);
    }
    if (spec.hierarchy !== undefined) checkHierarchy(spec, spec.hierarchy, ctx);
    if (spec.search_space !== undefined && !spec.model.startsWith('auto_')) {
      ctx.addIssue({
        code: 'custom',
        path: ['search_space'],
        message: `a search space applies only to Auto models ('auto_${spec.model}'), not the plain model '${spec.model}'`,
      });
    }
  })
  .transform((spec) => {
    const defaults = BACKEND_DEFAULTS[spec.backend];
    const { early_stop_patience_steps: patience, $schema: _editorHint, ...rest } = spec;
    return {
      ...rest,
      unique_ids: [...spec.unique_ids].sort(naturalOrder),
      search_alg: spec.search_alg ?? defaults.search_alg,
      ...(spec.backend === 'optuna'
        ? { pruner: spec.pruner ?? BACKEND_DEFAULTS.optuna.pruner }
        : { scheduler: spec.scheduler ?? BACKEND_DEFAULTS.ray.scheduler }),
      valid_loss: spec.valid_loss ?? spec.loss,
      // Patience means nothing without early stopping; dropping it keeps equal runs equal.
      ...(spec.early_stop ? { early_stop_patience_steps: patience ?? DEFAULT_EARLY_STOP_PATIENCE } : {}),
      tracking: spec.tracking.map((sink) => (typeof sink === 'string' ? { sink } : sink)),
    };
  });

/** A run spec as written (defaults not yet filled). */
export type RunSpecInput = z.input<typeof runSpecSchema>;
/** A parsed run spec: defaults filled, equivalent spellings normalised. */
export type RunSpec = z.output<typeof runSpecSchema>;
/** The tracking sink ids. */
export type TrackingSinkId = (typeof TRACKING_SINKS)[number];

/** True when the run's model is an Auto model (searched). */
export const isAutoModel = (model: string): boolean => model.startsWith('auto_');

/** The registry id of a run's model (`'auto_nhits'` -> `'nhits'`). */
export const baseModelId = (model: string): string =>
  isAutoModel(model) ? model.slice('auto_'.length) : model;

/**
 * Rows a size means for horizon `h`: integers as they are, `'<k>h'` as k × h rounded up
 * (`'2h'` with h = 7 is 14).
 */
export const resolveSize = (size: number | string, h: number): number =>
  typeof size === 'number' ? size : Math.ceil(Number(size.slice(0, -1)) * h);
