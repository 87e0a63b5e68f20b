/**
 * The schema as TypeScript: every table's columns with their SQL types, so repositories get typed
 * rows. The SQL in migrations/ is the source; test/schema-types.test.ts fails when the two differ.
 */
import type { RowOf, TableColumns } from './column-types.js';
import type { PAdjustMethod } from '@nflab/contracts';
import type {
  AuditOutcomeValue,
  MlflowLifecycleStage,
  MlflowRunStatus,
  MonitorRunStatus,
  ExportSink,
  RunExportStatus,
  ImportanceMethodValue,
  PredictionKind,
  RegistryStage,
  RunBackend,
  RunOperationKind,
  RunStatus,
  StudyDirection,
  TrialStateValue,
  UserRoleValue,
} from './vocabulary.js';

/** Every table the migrations create, column by column in table order. */
export const TABLES = {
  /** Migrations applied to this database (written by `migrate`). */
  nflab_schema_version: {
    version: 'integer',
    name: 'text',
    checksum: 'text',
    applied_at: 'timestamptz',
  },
  /** A grid of runs; `runs_*` counts are kept by a trigger. */
  nf_sweeps: {
    id: 'uuid',
    name: 'text | null',
    spec: 'jsonb',
    mode: 'text',
    status: 'text',
    planned_runs: 'integer | null',
    runs_queued: 'integer',
    runs_running: 'integer',
    runs_finished: 'integer',
    runs_failed: 'integer',
    runs_cancelled: 'integer',
    start_time: 'timestamptz | null',
    end_time: 'timestamptz | null',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  /** One model fit: the seed design's columns plus reproduction, links and queue fields. */
  nf_model_runs: {
    id: 'uuid',
    table_name: 'text | null',
    loto: 'text | null',
    unique_ids: 'text[]',
    model_name: 'text | null',
    backend: 'text | null',
    horizon: 'integer | null',
    loss: 'text | null',
    metric: 'text | null',
    optimization_config: 'jsonb',
    search_space: 'jsonb | null',
    status: 'text',
    start_time: 'timestamptz | null',
    end_time: 'timestamptz | null',
    duration_seconds: 'double precision | null',
    metrics: 'jsonb',
    best_params: 'jsonb | null',
    model_properties: 'jsonb | null',
    resource_summary: 'jsonb | null',
    system_info: 'jsonb | null',
    error_message: 'text | null',
    traceback: 'text | null',
    logs: 'text | null',
    mlflow_run_id: 'text | null',
    mlflow_experiment: 'text | null',
    spec: 'jsonb | null',
    seed: 'bigint | null',
    data_fingerprint: 'text | null',
    engine_version: 'text | null',
    sweep_id: 'uuid | null',
    parent_run_id: 'uuid | null',
    priority: 'integer',
    attempt: 'integer',
    worker_id: 'text | null',
    heartbeat_at: 'timestamptz | null',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    spec_fingerprint: 'text | null',
    operation: 'text',
    operation_options: 'jsonb',
    max_attempts: 'integer',
    retry_delay_seconds: 'double precision',
    not_before: 'timestamptz | null',
    cancel_requested_at: 'timestamptz | null',
    queue_order: 'bigint',
    dataset_id: 'bigint | null',
    feature_set_id: 'bigint | null',
    trace_parent: 'text | null',
  },
  /** A hyperparameter search (tune's study), owned by at most one run. */
  nf_studies: {
    id: 'bigint',
    name: 'text',
    run_id: 'uuid | null',
    direction: 'text',
    space: 'json | null',
    user_attrs: 'jsonb',
    created_at: 'timestamptz',
  },
  /** One trial of a study/run; params, values and intermediate values are in their own tables. */
  nf_trials: {
    id: 'bigint',
    run_id: 'uuid | null',
    number: 'integer',
    state: 'text',
    value: 'double precision | null',
    datetime_start: 'timestamptz | null',
    datetime_complete: 'timestamptz | null',
    heartbeat_at: 'timestamptz | null',
    worker_id: 'text | null',
    user_attrs: 'jsonb',
    system_attrs: 'jsonb',
    error_message: 'text | null',
    traceback: 'text | null',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    study_id: 'bigint | null',
    cancelled: 'boolean',
  },
  /** A trial parameter as JSON, with the distribution it came from. */
  nf_trial_params: {
    id: 'bigint',
    trial_id: 'bigint',
    name: 'text',
    value: 'jsonb',
    distribution: 'jsonb | null',
  },
  /** Objective values of a trial, one per objective index. */
  nf_trial_values: {
    id: 'bigint',
    trial_id: 'bigint',
    objective: 'integer',
    value: 'double precision',
  },
  /** Values a trial reported per step (what pruners read). */
  nf_trial_intermediate_values: {
    id: 'bigint',
    trial_id: 'bigint',
    step: 'integer',
    value: 'double precision',
  },
  /** Keys (e.g. grid points) claimed by the first trial that takes them. */
  nf_study_claims: {
    study_id: 'bigint',
    key: 'text',
    trial_id: 'bigint',
    claimed_at: 'timestamptz',
  },
  /** Losses and learning rate of every training step. */
  nf_step_metrics: {
    id: 'bigint',
    run_id: 'uuid',
    trial_id: 'bigint | null',
    step: 'integer',
    train_loss: 'double precision | null',
    valid_loss: 'double precision | null',
    learning_rate: 'double precision | null',
    at: 'timestamptz',
  },
  /** Resource monitor samples of a run. */
  nf_resource_samples: {
    id: 'bigint',
    run_id: 'uuid',
    at: 'timestamptz',
    cpu_process: 'double precision | null',
    cpu_system: 'double precision | null',
    rss_bytes: 'bigint | null',
    heap_bytes: 'bigint | null',
    mem_used_bytes: 'bigint | null',
    mem_total_bytes: 'bigint | null',
    disk_read_bytes: 'bigint | null',
    disk_write_bytes: 'bigint | null',
    net_rx_bytes: 'bigint | null',
    net_tx_bytes: 'bigint | null',
    gpu_util: 'double precision | null',
    vram_used_bytes: 'bigint | null',
    vram_total_bytes: 'bigint | null',
  },
  /** Forecasts in long form: one value per series, time point, model and suffix. */
  nf_predictions: {
    id: 'bigint',
    run_id: 'uuid',
    kind: 'text',
    unique_id: 'text',
    ds: 'date | null',
    step: 'integer | null',
    model: 'text',
    suffix: 'text',
    value: 'double precision',
  },
  /** Cross-validation forecasts in long form, with the actual y and cutoff. */
  nf_cv_results: {
    id: 'bigint',
    run_id: 'uuid',
    unique_id: 'text',
    ds: 'date | null',
    step: 'integer | null',
    cutoff: 'date | null',
    cutoff_step: 'integer | null',
    y: 'double precision | null',
    model: 'text',
    suffix: 'text',
    value: 'double precision',
  },
  /** Files a run wrote. */
  nf_artifacts: {
    id: 'bigint',
    run_id: 'uuid',
    path: 'text',
    kind: 'text',
    sha256: 'text | null',
    bytes: 'bigint | null',
    created_at: 'timestamptz',
  },
  /** Residuals flagged as anomalous. */
  nf_residual_anomalies: {
    id: 'bigint',
    run_id: 'uuid',
    unique_id: 'text',
    ds: 'date',
    model: 'text | null',
    residual: 'double precision',
    score: 'double precision',
    method: 'text',
    threshold: 'double precision | null',
    created_at: 'timestamptz',
  },
  /** Registered model versions with stage and aliases. */
  nf_model_registry: {
    id: 'bigint',
    name: 'text',
    version: 'integer',
    run_id: 'uuid | null',
    stage: 'text',
    aliases: 'text[]',
    description: 'text | null',
    tags: 'jsonb',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    source: 'text | null',
    model_id: 'text | null',
    run_link: 'text',
  },
  /** Registered model names, with their description and tags; versions are nf_model_registry rows. */
  nf_registered_models: {
    name: 'text',
    description: 'text | null',
    tags: 'jsonb',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  /** Named, fingerprinted selections of a panel table. */
  nf_datasets: {
    id: 'bigint',
    name: 'text',
    table_name: 'text',
    loto: 'text | null',
    unique_ids: 'text[]',
    fingerprint: 'text | null',
    row_count: 'bigint | null',
    ds_min: 'date | null',
    ds_max: 'date | null',
    columns: 'jsonb',
    description: 'text | null',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  /** Reusable choices of exogenous columns. */
  nf_feature_sets: {
    id: 'bigint',
    name: 'text',
    table_name: 'text',
    columns: 'jsonb',
    definition: 'jsonb',
    description: 'text | null',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    fingerprint: 'text | null',
  },
  /** Run, sweep and comparison reports as archived files (HTML or PDF, with their SHA-256). */
  nf_reports: {
    id: 'bigint',
    run_id: 'uuid | null',
    sweep_id: 'uuid | null',
    run_ids: 'uuid[]',
    title: 'text',
    html: 'text | null',
    path: 'text | null',
    params: 'jsonb',
    created_at: 'timestamptz',
    kind: 'text',
    format: 'text',
    content: 'bytea | null',
    sha256: 'text | null',
    bytes: 'integer | null',
    analysis_id: 'bigint | null',
    created_by: 'text | null',
  },
  /** Drift statistics of a feature between a reference and a current window, for a run, a registered model or a data table. */
  nf_drift_metrics: {
    id: 'bigint',
    run_id: 'uuid | null',
    registry_id: 'bigint | null',
    unique_id: 'text | null',
    feature: 'text',
    metric: 'text',
    value: 'double precision',
    p_value: 'double precision | null',
    reference_start: 'date | null',
    reference_end: 'date | null',
    window_start: 'date | null',
    window_end: 'date | null',
    at: 'timestamptz',
    table_name: 'text | null',
    loto: 'text | null',
    check_id: 'uuid | null',
    threshold: 'double precision | null',
    drifted: 'boolean | null',
    details: 'jsonb',
  },
  /** Who did what (no foreign keys, so it outlives what it names). */
  nf_audit_log: {
    id: 'bigint',
    at: 'timestamptz',
    actor: 'text',
    action: 'text',
    entity: 'text',
    entity_id: 'text | null',
    details: 'jsonb',
    client_address: 'text | null',
    outcome: 'text',
  },
  /** A local account of the API server (password as an scrypt hash with its parameters). */
  nf_users: {
    id: 'uuid',
    username: 'text',
    password_hash: 'text',
    role: 'text',
    disabled: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  /** A browser session; `id` is the SHA-256 of the cookie's token. */
  nf_sessions: {
    id: 'text',
    user_id: 'uuid',
    created_at: 'timestamptz',
    expires_at: 'timestamptz',
    last_seen_at: 'timestamptz',
    ip: 'text | null',
    user_agent: 'text | null',
  },
  /** An API token (stored as its SHA-256) for scripts and other machines. */
  nf_api_tokens: {
    id: 'uuid',
    user_id: 'uuid',
    name: 'text',
    token_hash: 'text',
    created_at: 'timestamptz',
    last_used_at: 'timestamptz | null',
    expires_at: 'timestamptz | null',
    revoked: 'boolean',
  },
  /** Live events written by triggers, streamed by the server in id order. */
  nf_events: {
    id: 'bigint',
    at: 'timestamptz',
    type: 'text',
    run_id: 'uuid | null',
    sweep_id: 'uuid | null',
    payload: 'jsonb',
    tx: 'bigint',
  },
  /** Stored analysis results, keyed by kind and a fingerprint of their inputs. */
  nf_analyses: {
    id: 'bigint',
    kind: 'text',
    fingerprint: 'text',
    inputs: 'jsonb',
    result: 'jsonb',
    run_ids: 'uuid[]',
    created_by: 'text | null',
    created_at: 'timestamptz',
  },
  /** Exogenous-column importance computed by an `importance` run, per column and series. */
  nf_feature_importance: {
    id: 'bigint',
    run_id: 'uuid',
    method: 'text',
    feature: 'text',
    unique_id: 'text | null',
    importance: 'double precision',
    std: 'double precision | null',
    ci_low: 'double precision | null',
    ci_high: 'double precision | null',
    rank: 'integer',
    details: 'jsonb',
  },
  /** What a fitted model (TFT) weighed: selection and attention weights over windows of its data, one row per run. */
  nf_model_interpretation: {
    run_id: 'uuid',
    model: 'text',
    windows: 'integer',
    weights: 'jsonb',
    created_at: 'timestamptz',
  },
  /** The members of an `ensemble` run, with their weights and errors. */
  nf_ensemble_members: {
    run_id: 'uuid',
    member_run_id: 'uuid',
    position: 'integer',
    weight: 'double precision | null',
    error: 'double precision | null',
  },
  /** A scheduled drift check of a data table: windows in draws, thresholds, cron, retraining. */
  nf_monitors: {
    id: 'bigint',
    name: 'text',
    table_name: 'text',
    loto: 'text',
    unique_ids: 'text[] | null',
    columns: 'text[] | null',
    current_draws: 'integer',
    reference_draws: 'integer',
    p_value: 'double precision',
    psi: 'double precision | null',
    p_adjust: 'text',
    cron: 'text',
    retrain_run_id: 'uuid | null',
    webhook_url: 'text | null',
    enabled: 'boolean',
    created_by: 'text | null',
    created_at: 'timestamptz',
    last_run_at: 'timestamptz | null',
    next_run_at: 'timestamptz | null',
  },
  /** One execution of a monitor: outcome, drift check, drifted tests, queued refit. */
  nf_monitor_runs: {
    id: 'bigint',
    monitor_id: 'bigint',
    started_at: 'timestamptz',
    finished_at: 'timestamptz | null',
    status: 'text',
    check_id: 'uuid | null',
    drifted: 'jsonb',
    error: 'text | null',
    refit_run_id: 'uuid | null',
  },
  /** An MLflow experiment (0 is Default); lab runs are in experiment 0. */
  nf_mlflow_experiments: {
    id: 'bigint',
    name: 'text',
    artifact_location: 'text',
    lifecycle_stage: 'text',
    creation_time: 'bigint',
    last_update_time: 'bigint',
  },
  /** An MLflow experiment's tags. */
  nf_mlflow_experiment_tags: {
    experiment_id: 'bigint',
    key: 'text',
    value: 'text',
  },
  /** What only MLflow has of a run an MLflow client created (an external run). */
  nf_mlflow_runs: {
    run_id: 'uuid',
    experiment_id: 'bigint',
    run_name: 'text',
    user_id: 'text',
    status: 'text',
    start_time: 'bigint | null',
    end_time: 'bigint | null',
    lifecycle_stage: 'text',
    deleted_time: 'bigint | null',
    artifact_uri: 'text',
  },
  /** An external run's params, in logging order. */
  nf_mlflow_params: {
    id: 'bigint',
    run_id: 'uuid',
    key: 'text',
    value: 'text',
  },
  /** Any run's tags (the lab's and MLflow's set-tag), in the order they were set. */
  nf_run_tags: {
    id: 'bigint',
    run_id: 'uuid',
    key: 'text',
    value: 'text',
  },
  /** Every metric point of an external run. */
  nf_mlflow_metrics: {
    id: 'bigint',
    run_id: 'uuid',
    key: 'text',
    value: 'double precision',
    timestamp_ms: 'bigint',
    step: 'bigint',
  },
  /** Exports of terminal runs to external trackers (an outbox the run's status trigger fills). */
  nf_run_exports: {
    id: 'bigint',
    run_id: 'uuid',
    sink: 'text',
    options: 'jsonb',
    status: 'text',
    attempts: 'integer',
    next_attempt_at: 'timestamptz',
    last_error: 'text | null',
    external_id: 'text | null',
    external_url: 'text | null',
    created_at: 'timestamptz',
    exported_at: 'timestamptz | null',
  },
  /** MLflow 3 logged models (a model's params, status and artifact location). */
  nf_mlflow_logged_models: {
    model_id: 'text',
    experiment_id: 'bigint',
    name: 'text',
    source_run_id: 'uuid | null',
    status: 'text',
    model_type: 'text',
    artifact_uri: 'text',
    params: 'jsonb',
    lifecycle_stage: 'text',
    creation_time: 'bigint',
    last_update_time: 'bigint',
  },
  /** A logged model's tags. */
  nf_mlflow_logged_model_tags: {
    model_id: 'text',
    key: 'text',
    value: 'text',
  },
  /** Metric points logged with a model id. */
  nf_mlflow_logged_model_metrics: {
    id: 'bigint',
    model_id: 'text',
    run_id: 'uuid | null',
    key: 'text',
    value: 'double precision',
    timestamp_ms: 'bigint',
    step: 'bigint',
  },
  /** A run's model outputs, in logging order. */
  nf_mlflow_run_outputs: {
    id: 'bigint',
    run_id: 'uuid',
    model_id: 'text',
    step: 'bigint',
  },
  /** Datasets MLflow clients logged as their runs' inputs (runs/log-inputs). */
  nf_mlflow_run_inputs: {
    id: 'bigint',
    run_id: 'uuid',
    name: 'text',
    digest: 'text',
    source_type: 'text',
    source: 'text',
    schema: 'text | null',
    profile: 'text | null',
    tags: 'jsonb',
  },
} as const satisfies Record<string, TableColumns>;

/** A table of the lab schema. */
export type TableName = keyof typeof TABLES;

/** A row of `T` as the drivers return it (CHECK-constrained text columns as `string`). */
export type Row<T extends TableName> = RowOf<(typeof TABLES)[T]>;

// The CHECK constraints guarantee these columns hold one of their vocabulary, so rows say so.
type Narrow<R, N extends { [K in keyof N]: K extends keyof R ? unknown : never }> = Omit<R, keyof N> & N;

/** A row of `nflab_schema_version`. */
export type SchemaVersionRow = Row<'nflab_schema_version'>;
/** A row of `nf_sweeps`. */
export type SweepRow = Narrow<Row<'nf_sweeps'>, { status: RunStatus }>;
/** A row of `nf_model_runs`. */
export type ModelRunRow = Narrow<
  Row<'nf_model_runs'>,
  { status: RunStatus; backend: RunBackend | null; operation: RunOperationKind }
>;
/** A row of `nf_studies`. */
export type StudyRow = Narrow<Row<'nf_studies'>, { direction: StudyDirection }>;
/** A row of `nf_trials`. */
export type TrialRow = Narrow<Row<'nf_trials'>, { state: TrialStateValue }>;
/** A row of `nf_trial_params`. */
export type TrialParamRow = Row<'nf_trial_params'>;
/** A row of `nf_trial_values`. */
export type TrialValueRow = Row<'nf_trial_values'>;
/** A row of `nf_trial_intermediate_values`. */
export type TrialIntermediateValueRow = Row<'nf_trial_intermediate_values'>;
/** A row of `nf_study_claims`. */
export type StudyClaimRow = Row<'nf_study_claims'>;
/** A row of `nf_step_metrics`. */
export type StepMetricRow = Row<'nf_step_metrics'>;
/** A row of `nf_resource_samples`. */
export type ResourceSampleRow = Row<'nf_resource_samples'>;
/** A row of `nf_predictions`. */
export type PredictionRow = Narrow<Row<'nf_predictions'>, { kind: PredictionKind }>;
/** A row of `nf_cv_results`. */
export type CvResultRow = Row<'nf_cv_results'>;
/** A row of `nf_artifacts`. */
export type ArtifactRow = Row<'nf_artifacts'>;
/** A row of `nf_residual_anomalies`. */
export type ResidualAnomalyRow = Row<'nf_residual_anomalies'>;
/** A row of `nf_model_registry`. */
export type ModelRegistryRow = Narrow<Row<'nf_model_registry'>, { stage: RegistryStage }>;
/** A row of `nf_registered_models`. */
export type RegisteredModelRow = Row<'nf_registered_models'>;
/** A row of `nf_mlflow_logged_models`. */
export type MlflowLoggedModelRow = Row<'nf_mlflow_logged_models'>;
/** A row of `nf_datasets`. */
export type DatasetRow = Row<'nf_datasets'>;
/** A row of `nf_feature_sets`. */
export type FeatureSetRow = Row<'nf_feature_sets'>;
/** A row of `nf_reports`. */
export type ReportRow = Row<'nf_reports'>;
/** A row of `nf_drift_metrics`. */
export type DriftMetricRow = Row<'nf_drift_metrics'>;
/** A row of `nf_audit_log`. */
export type AuditLogRow = Narrow<Row<'nf_audit_log'>, { outcome: AuditOutcomeValue }>;
/** A row of `nf_users`. */
export type UserRow = Narrow<Row<'nf_users'>, { role: UserRoleValue }>;
/** A row of `nf_sessions`. */
export type SessionRow = Row<'nf_sessions'>;
/** A row of `nf_api_tokens`. */
export type ApiTokenRow = Row<'nf_api_tokens'>;
/** A row of `nf_events`. */
export type EventRow = Row<'nf_events'>;
/** A row of `nf_analyses`. */
export type AnalysisRow = Row<'nf_analyses'>;
/** A row of `nf_ensemble_members`. */
export type EnsembleMemberRow = Row<'nf_ensemble_members'>;
/** A row of `nf_feature_importance`. */
export type FeatureImportanceRow = Narrow<Row<'nf_feature_importance'>, { method: ImportanceMethodValue }>;
/** A row of `nf_model_interpretation`. */
export type ModelInterpretationRow = Narrow<
  Row<'nf_model_interpretation'>,
  { weights: Record<string, unknown> }
>;
/** A row of `nf_monitors`. */
export type MonitorRow = Narrow<Row<'nf_monitors'>, { p_adjust: PAdjustMethod }>;
/** A row of `nf_run_exports`. */
export type RunExportRow = Narrow<
  Row<'nf_run_exports'>,
  { sink: ExportSink; status: RunExportStatus; options: Record<string, unknown> }
>;
/** A row of `nf_monitor_runs`. */
export type MonitorRunRow = Narrow<
  Row<'nf_monitor_runs'>,
  { status: MonitorRunStatus; drifted: { unique_id: string | null; column: string }[] }
>;
/** A row of `nf_mlflow_experiments`. */
export type MlflowExperimentRow = Narrow<
  Row<'nf_mlflow_experiments'>,
  { lifecycle_stage: MlflowLifecycleStage }
>;
/** A row of `nf_mlflow_runs`. */
export type MlflowRunRow = Narrow<
  Row<'nf_mlflow_runs'>,
  { status: MlflowRunStatus; lifecycle_stage: MlflowLifecycleStage }
>;
