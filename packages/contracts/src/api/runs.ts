/** Schemas of the run routes (`/api/runs/...`): history list, detail, children and model operations. */
import { z } from 'zod';
import { BACKEND_IDS, type Backend } from '../backends.js';
import { IMPORTANCE_METHODS, importanceOptionsSchema } from '../specs/importance-operation.js';
import { crossValidationFieldSchema } from '../specs/run-fields.js';
import { RUN_TAG_LIMITS, isReservedTagKey, runTagsSchema } from '../specs/run-tags.js';
import {
  commaList,
  INT4_MAX,
  instantFilterSchema,
  isoDateTime,
  pageOf,
  pageQueryShape,
  runStatusSchema,
  uuidSchema,
  specObject,
} from './common.js';

/** Columns the run history can be sorted by; `metric` sorts by the `metric` query's value. */
export const RUN_SORT_KEYS = [
  'created_at',
  'start_time',
  'duration_seconds',
  'model_name',
  'status',
  'metric',
] as const;
/** One of {@link RUN_SORT_KEYS}. */
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];

/** A metric name as stored in `metrics.cv.overall` (`mae`, `smape`, `valid_loss`). */
export const metricNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, {
  message: 'use a metric name such as mae, mse, smape or valid_loss',
});

const listOf = <Item extends z.ZodType<unknown, string>>(item: Item) => commaList.pipe(z.array(item).min(1));
const finite = z.coerce.number().refine(Number.isFinite, { message: 'must be a finite number' });

/** `GET /api/runs` query: filters (comma lists match any), sort and page. */
export const listRunsQuerySchema = z
  .object({
    status: listOf(runStatusSchema).optional(),
    model: listOf(z.string().min(1).max(64)).optional(),
    backend: listOf(z.enum(BACKEND_IDS as [Backend, ...Backend[]])).optional(),
    loto: listOf(z.string().min(1).max(64)).optional(),
    /** Runs whose unique_ids contain this series. */
    unique_id: z.string().min(1).max(64).optional(),
    h: z.coerce.number().int().min(1).max(INT4_MAX).optional(),
    loss: z.string().min(1).max(64).optional(),
    sweep_id: uuidSchema.optional(),
    parent_run_id: uuidSchema.optional(),
    /** Runs created at or after this instant (ISO date or date-time). */
    from: instantFilterSchema.optional(),
    /** Runs created before this instant; a bare date includes that whole day. */
    to: instantFilterSchema.optional(),
    /** Which metric `metricValue`, `metric_min/max` and `sort=metric` use. @default 'mae' */
    metric: metricNameSchema.default('mae'),
    metric_min: finite.optional(),
    metric_max: finite.optional(),
    /** Runs carrying this tag: `key=value`, or `key` for any value. */
    tag: z
      .string()
      .min(1)
      .max(RUN_TAG_LIMITS.keyLength + 1 + RUN_TAG_LIMITS.valueLength)
      .regex(/^[^=]+(=[\s\S]*)?$/, { message: 'use key=value, or key for any value' })
      .optional(),
    /** @default 'created_at' */
    sort: z.enum(RUN_SORT_KEYS).default('created_at'),
    /** @default 'desc' */
    order: z.enum(['asc', 'desc']).default('desc'),
    ...pageQueryShape,
  })
  .strict();
/** Parsed `GET /api/runs` query. */
export type ListRunsQuery = z.output<typeof listRunsQuerySchema>;

/** One row of the run history. */
export const runListItemSchema = z.object({
  id: uuidSchema,
  status: runStatusSchema,
  table_name: z.string().nullable(),
  loto: z.string().nullable(),
  unique_ids: z.array(z.string()),
  model_name: z.string().nullable(),
  backend: z.string().nullable(),
  horizon: z.number().int().nullable(),
  loss: z.string().nullable(),
  metric: z.string().nullable(),
  /** `metrics.cv.overall[<metric query>]`, else `metrics.valid_loss`; null when the run has neither. */
  metricValue: z.number().nullable(),
  start_time: isoDateTime.nullable(),
  end_time: isoDateTime.nullable(),
  duration_seconds: z.number().nullable(),
  sweep_id: uuidSchema.nullable(),
  parent_run_id: uuidSchema.nullable(),
  /** train, predict, refit, cv or importance (null on databases from before run operations). */
  operation: z.string().nullable(),
  error_message: z.string().nullable(),
  created_at: isoDateTime,
});
/** One row of the run history. */
export type RunListItemDto = z.infer<typeof runListItemSchema>;
/** `GET /api/runs` response. */
export const listRunsResponseSchema = pageOf(runListItemSchema);

/** The dataset row a run links to: where its rows came from and the fingerprint of their values. */
export const datasetSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  table_name: z.string(),
  loto: z.string().nullable(),
  unique_ids: z.array(z.string()),
  ds_min: z.string().nullable(),
  ds_max: z.string().nullable(),
  row_count: z.number().int().nullable(),
  fingerprint: z.string().nullable(),
});
/** A run's dataset. */
export type DatasetSummaryDto = z.infer<typeof datasetSummarySchema>;

/** The feature-set row a run links to: its exogenous column lists by role and their fingerprint. */
export const featureSetSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  table_name: z.string(),
  columns: z.object({ hist: z.array(z.string()), stat: z.array(z.string()), futr: z.array(z.string()) }),
  fingerprint: z.string().nullable(),
});
/** A run's feature set. */
export type FeatureSetSummaryDto = z.infer<typeof featureSetSummarySchema>;

/** Selection weights of one group of a TFT's inputs, named by column. */
export const variableSelectionSchema = z.object({
  /** The group's inputs in the network's order (`observed_target`, `repeated_target` for the target's own inputs). */
  variables: z.array(z.string()),
  /** Mean weight of each variable over the windows and steps; sums to 1. */
  mean: z.array(z.number()),
  /** [steps][variables]: the mean weights at each input (past) or horizon (future) step. */
  over_time: z.array(z.array(z.number())).optional(),
});
/** One group's selection weights. */
export type VariableSelectionDto = z.infer<typeof variableSelectionSchema>;

/**
 * What a fitted TFT weighed (NeuralForecast's `feature_importances()` and `attention_weights()`),
 * averaged over the newest windows of the data it was fitted on; stored in nf_model_interpretation.
 */
export const modelInterpretationSchema = z.object({
  /** Registry id of the model ('tft'). */
  model: z.string(),
  /** How many windows the means are over. */
  windows: z.number().int(),
  /** L: steps of the input window. */
  input_size: z.number().int(),
  /** H: steps of the horizon. */
  h: z.number().int(),
  /** stat_* columns (null without any). */
  static: variableSelectionSchema.nullable(),
  /** Encoder inputs: hist_*, futr_* (or the repeated target), the target. */
  past: variableSelectionSchema,
  /** Decoder inputs: futr_* (null without any). */
  future: variableSelectionSchema.nullable(),
  /** [H][L+H]: mean attention (windows and heads) of each horizon step over the window's steps, causal. */
  attention: z.array(z.array(z.number())),
});
/** A run's model interpretation. */
export type ModelInterpretationDto = z.infer<typeof modelInterpretationSchema>;

/** `GET /api/runs/:id` response: every column of nf_model_runs (JSON columns as they are stored). */
export const runDetailSchema = runListItemSchema
  .omit({ metricValue: true })
  .extend({
    optimization_config: z.unknown(),
    search_space: z.unknown(),
    metrics: z.record(z.string(), z.unknown()),
    best_params: z.unknown(),
    model_properties: z.unknown(),
    resource_summary: z.unknown(),
    system_info: z.unknown(),
    traceback: z.string().nullable(),
    logs: z.string().nullable(),
    spec: z.unknown(),
    seed: z.number().nullable(),
    data_fingerprint: z.string().nullable(),
    engine_version: z.string().nullable(),
    mlflow_run_id: z.string().nullable(),
    mlflow_experiment: z.string().nullable(),
    priority: z.number().int(),
    attempt: z.number().int(),
    worker_id: z.string().nullable(),
    heartbeat_at: isoDateTime.nullable(),
    updated_at: isoDateTime,
    /**
     * W3C traceparent of the span that queued the run, when the server traced it (OpenTelemetry):
     * its second field is the trace id to look the run up by in the tracing backend.
     */
    trace_parent: z.string().nullable(),
    /** The Grafana training dashboard filtered to this run, when the server is told where Grafana is. */
    grafana_url: z.url().nullable(),
    /** Every tag of the run (user tags, and MLflow's when a client set them), key → value. */
    tags: z.record(z.string(), z.string()),
    /** The exact data the run read (null until a worker loaded it). */
    dataset: datasetSummarySchema.nullable(),
    /** The exogenous columns the run used, by role (null until a worker loaded them). */
    feature_set: featureSetSummarySchema.nullable(),
    /** What its fitted model weighed, when the model reports it (TFT); null otherwise. */
    interpretation: modelInterpretationSchema.nullable(),
  })
  .loose();
/** `GET /api/runs/:id` response. */
export type RunDetailDto = z.infer<typeof runDetailSchema>;

/** Path of the routes under one run. */
export const runParamsSchema = z.object({ id: uuidSchema });
/** Path of one artifact of a run. */
export const artifactParamsSchema = runParamsSchema.extend({ artifactId: z.coerce.number().int().min(1) });

/** One trial of a run's search, with its parameters and intermediate values. */
export const trialSchema = z.object({
  id: z.number().int(),
  number: z.number().int(),
  state: z.enum(['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING']),
  value: z.number().nullable(),
  params: z.record(z.string(), z.unknown()),
  intermediate: z.array(z.object({ step: z.number().int(), value: z.number() })),
  datetime_start: isoDateTime.nullable(),
  datetime_complete: isoDateTime.nullable(),
  duration_seconds: z.number().nullable(),
  error_message: z.string().nullable(),
});
/** One trial of a run's search. */
export type TrialDto = z.infer<typeof trialSchema>;
/** `GET /api/runs/:id/trials` response, by trial number. */
export const listTrialsResponseSchema = z.array(trialSchema);

/** `GET /api/runs/:id/step-metrics` query: one trial's steps, and only rows after a cursor (live updates). */
export const stepMetricsQuerySchema = z
  .object({
    trial_id: z.coerce.number().int().min(1).optional(),
    after_id: z.coerce.number().int().min(0).optional(),
    /** @default 10000 */
    limit: z.coerce.number().int().min(1).max(100000).default(10000),
  })
  .strict();
/** One training step's losses. */
export const stepMetricSchema = z.object({
  id: z.number().int(),
  trial_id: z.number().int().nullable(),
  step: z.number().int(),
  train_loss: z.number().nullable(),
  valid_loss: z.number().nullable(),
  learning_rate: z.number().nullable(),
  at: isoDateTime,
});
/** One training step's losses. */
export type StepMetricDto = z.infer<typeof stepMetricSchema>;
/** `GET /api/runs/:id/step-metrics` response, by id. */
export const listStepMetricsResponseSchema = z.array(stepMetricSchema);

/** `GET /api/runs/:id/resources` query. */
export const resourcesQuerySchema = z
  .object({
    after_id: z.coerce.number().int().min(0).optional(),
    /** @default 10000 */
    limit: z.coerce.number().int().min(1).max(100000).default(10000),
  })
  .strict();
/** One resource-monitor sample (CPU in percent of the machine, bytes as gauges or counters). */
export const resourceSampleSchema = z.object({
  id: z.number().int(),
  run_id: uuidSchema,
  at: isoDateTime,
  cpu_process: z.number().nullable(),
  cpu_system: z.number().nullable(),
  rss_bytes: z.number().nullable(),
  heap_bytes: z.number().nullable(),
  mem_used_bytes: z.number().nullable(),
  mem_total_bytes: z.number().nullable(),
  disk_read_bytes: z.number().nullable(),
  disk_write_bytes: z.number().nullable(),
  net_rx_bytes: z.number().nullable(),
  net_tx_bytes: z.number().nullable(),
  gpu_util: z.number().nullable(),
  vram_used_bytes: z.number().nullable(),
  vram_total_bytes: z.number().nullable(),
});
/** One resource-monitor sample. */
export type ResourceSampleDto = z.infer<typeof resourceSampleSchema>;
/** `GET /api/runs/:id/resources` response, by id. */
export const listResourcesResponseSchema = z.array(resourceSampleSchema);

/** `GET /api/runs/:id/predictions` query. */
export const predictionsQuerySchema = z
  .object({ kind: z.enum(['forecast', 'insample']).default('forecast') })
  .strict();
/** One predicted value: a day (`ds`) or a position (`step`), the model and its output suffix. */
export const predictionSchema = z.object({
  unique_id: z.string(),
  ds: z.string().nullable(),
  step: z.number().int().nullable(),
  model: z.string(),
  /** '' for the point forecast, '-median', '-lo-90', '-hi-90' … */
  suffix: z.string(),
  value: z.number(),
});
/** `GET /api/runs/:id/predictions` response, by unique_id, time, model, suffix. */
export const listPredictionsResponseSchema = z.array(predictionSchema);

/** One cross-validation value with its window's cutoff and the actual `y`. */
export const cvResultSchema = predictionSchema.extend({
  cutoff: z.string().nullable(),
  cutoff_step: z.number().int().nullable(),
  y: z.number().nullable(),
});
/** `GET /api/runs/:id/cv` response, by unique_id, cutoff, time, model, suffix. */
export const listCvResponseSchema = z.array(cvResultSchema);

/** A file a run wrote; download it from `…/artifacts/:artifactId/download`. */
export const artifactSchema = z.object({
  id: z.number().int(),
  run_id: uuidSchema,
  path: z.string(),
  kind: z.string(),
  sha256: z.string().nullable(),
  bytes: z.number().nullable(),
  created_at: isoDateTime,
});
/** `GET /api/runs/:id/artifacts` response. */
export const listArtifactsResponseSchema = z.array(artifactSchema);

/** `POST /api/runs` body: one run spec (validated with the run spec schema). */
export const startRunRequestSchema = z.object({ spec: specObject }).strict();
/**
 * `PATCH /api/runs/:id/tags` body: tags to add or overwrite, and keys to remove (user keys only;
 * the run may carry at most {@link RUN_TAG_LIMITS}.count user tags afterwards).
 */
export const updateRunTagsRequestSchema = z
  .object({
    set: runTagsSchema.default({}),
    // Any stored user key may be removed, also one an MLflow client set outside the lab's key rules.
    remove: z
      .array(
        z
          .string()
          .min(1)
          .max(250)
          .refine((key) => !isReservedTagKey(key), { message: 'reserved tag keys cannot be removed here' }),
      )
      .max(RUN_TAG_LIMITS.count)
      .default([]),
  })
  .strict()
  .refine((body) => Object.keys(body.set).length > 0 || body.remove.length > 0, {
    message: 'name tags to set or keys to remove',
    path: ['set'],
  })
  .refine((body) => !body.remove.some((key) => Object.hasOwn(body.set, key)), {
    message: 'a key cannot be both set and removed',
    path: ['remove'],
  });
/** `PATCH /api/runs/:id/tags` body. */
export type UpdateRunTagsRequest = z.output<typeof updateRunTagsRequestSchema>;
/** `PATCH /api/runs/:id/tags` response: every tag of the run afterwards. */
export const runTagsResponseSchema = z.object({ tags: z.record(z.string(), z.string()) });

/** `POST /api/runs` and model-operation responses: the new run. */
export const startRunResponseSchema = z.object({ runId: uuidSchema });

/** `POST /api/runs/:id/cancel` and `POST /api/sweeps/:id/cancel` response. */
export const cancelResponseSchema = z.object({
  /** Runs that were queued and are now cancelled. */
  cancelled: z.number().int(),
  /** Runs that were running and were asked to stop (their worker ends them). */
  requested: z.number().int(),
});

/** `POST /api/runs/:id/predict` body. */
export const predictRequestSchema = z
  .object({
    /** Forecast from the table's current rows (true) or from the data the parent was fitted on. @default true */
    latest_data: z.boolean().default(true),
  })
  .strict();
/** `POST /api/runs/:id/refit` body (nothing to choose). */
export const refitRequestSchema = z.object({}).strict();
/** `POST /api/runs/:id/cv` body. */
export const cvRequestSchema = z
  .object({
    n_windows: crossValidationFieldSchema.shape.n_windows,
    step_size: crossValidationFieldSchema.shape.step_size,
    refit: crossValidationFieldSchema.shape.refit,
  })
  .strict();
/** `POST /api/runs/:id/importance` body: the method and its options (see {@link importanceOptionsSchema}). */
export const importanceRequestSchema = importanceOptionsSchema;

/** Registry stages, from development to retirement. */
export const REGISTRY_STAGE_IDS = ['dev', 'staging', 'prod', 'archived'] as const;
/** `POST /api/runs/:id/promote` body; `prod` needs the admin role. */
export const promoteRequestSchema = z
  .object({
    stage: z.enum(REGISTRY_STAGE_IDS),
    /** A named pointer such as 'champion', moved to this version. */
    alias: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,63}$/)
      .optional(),
    /** Registered model name. @default the run's model_name */
    name: z.string().min(1).max(128).optional(),
  })
  .strict();
/** A row of the model registry. */
export const registryEntrySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  version: z.number().int(),
  /** Null for a version an MLflow client registered without a run. */
  run_id: uuidSchema.nullable(),
  stage: z.enum(REGISTRY_STAGE_IDS),
  aliases: z.array(z.string()),
  description: z.string().nullable(),
  tags: z.record(z.string(), z.unknown()),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
/** A row of the model registry. */
export type RegistryEntryDto = z.infer<typeof registryEntrySchema>;

/** One importance value of an importance run: a column over every series (`unique_id` null) or one series. */
export const featureImportanceSchema = z.object({
  feature: z.string(),
  unique_id: z.string().nullable(),
  method: z.enum(IMPORTANCE_METHODS),
  importance: z.number(),
  std: z.number().nullable(),
  ci_low: z.number().nullable(),
  ci_high: z.number().nullable(),
  rank: z.number().int(),
  /** kind, mean_value, windows; the all-series rows of SHAP and IG hold every window's value. */
  details: z.record(z.string(), z.unknown()),
});
/** One importance value. */
export type FeatureImportanceDto = z.infer<typeof featureImportanceSchema>;
/** `GET /api/runs/:id/importance` response: the all-series rows first, then each series', by rank. */
export const listImportanceResponseSchema = z.object({ items: z.array(featureImportanceSchema) });
