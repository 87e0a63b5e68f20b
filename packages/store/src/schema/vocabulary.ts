/** The closed vocabularies the schema's CHECK constraints allow, for code that writes those columns. */
import {
  AUDIT_OUTCOMES,
  BACKEND_IDS,
  EVENT_TYPES,
  IMPORTANCE_METHODS,
  MONITOR_RUN_STATUS_IDS,
  P_ADJUST_METHODS,
  REGISTRY_STAGE_IDS,
  RUN_OPERATION_KINDS,
  RUN_STATUS_IDS,
  USER_ROLES,
} from '@nflab/contracts';

/** `nf_model_runs.status` and `nf_sweeps.status` (the contracts' run statuses): queued → running → finished | failed | cancelled. */
export const RUN_STATUSES = RUN_STATUS_IDS;
/** One of {@link RUN_STATUSES}. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** `nf_trials.state`, Optuna's names. */
export const TRIAL_STATES = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'] as const;
/** One of {@link TRIAL_STATES}. */
export type TrialStateValue = (typeof TRIAL_STATES)[number];

/** `nf_model_registry.stage`: the contracts' registry stages. */
export const REGISTRY_STAGES = REGISTRY_STAGE_IDS;
/** One of {@link REGISTRY_STAGES}. */
export type RegistryStage = (typeof REGISTRY_STAGES)[number];

/** `nf_predictions.kind`: beyond the data, or fitted values over it. */
export const PREDICTION_KINDS = ['forecast', 'insample'] as const;
/** One of {@link PREDICTION_KINDS}. */
export type PredictionKind = (typeof PREDICTION_KINDS)[number];

/** `nf_studies.direction`. */
export const STUDY_DIRECTIONS = ['minimize', 'maximize'] as const;
/** One of {@link STUDY_DIRECTIONS}. */
export type StudyDirection = (typeof STUDY_DIRECTIONS)[number];

/** `nf_model_runs.backend`: the contracts' backend ids. */
export const RUN_BACKENDS = BACKEND_IDS;
/** One of {@link RUN_BACKENDS}. */
export type RunBackend = (typeof RUN_BACKENDS)[number];

/** `nf_model_runs.operation`: the contracts' run operation kinds (train, predict, refit, cv, importance). */
export const RUN_OPERATIONS = RUN_OPERATION_KINDS;
/** One of {@link RUN_OPERATIONS}. */
export type RunOperationKind = (typeof RUN_OPERATIONS)[number];

/** `nf_audit_log.outcome`: the contracts' audit outcomes. */
export const AUDIT_OUTCOME_VALUES = AUDIT_OUTCOMES;
/** One of {@link AUDIT_OUTCOME_VALUES}. */
export type AuditOutcomeValue = (typeof AUDIT_OUTCOME_VALUES)[number];

/** `nf_users.role`: the contracts' user roles, weakest first. */
export const USER_ROLE_VALUES = USER_ROLES;
/** One of {@link USER_ROLE_VALUES}. */
export type UserRoleValue = (typeof USER_ROLE_VALUES)[number];

/** `nf_feature_importance.method`: the contracts' importance methods. */
export const IMPORTANCE_METHOD_VALUES = IMPORTANCE_METHODS;
/** One of {@link IMPORTANCE_METHOD_VALUES}. */
export type ImportanceMethodValue = (typeof IMPORTANCE_METHOD_VALUES)[number];

/** `nf_monitor_runs.status`: running, then ok (no drift), alert (drift) or error. */
export const MONITOR_RUN_STATUSES = MONITOR_RUN_STATUS_IDS;
/** One of {@link MONITOR_RUN_STATUSES}. */
export type MonitorRunStatus = (typeof MONITOR_RUN_STATUSES)[number];

/** MLflow's run statuses (`nf_mlflow_runs.status`). */
export const MLFLOW_RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
/** One of {@link MLFLOW_RUN_STATUSES}. */
export type MlflowRunStatus = (typeof MLFLOW_RUN_STATUSES)[number];

/** MLflow's lifecycle stages of experiments and runs: deleted ones can be restored. */
export const MLFLOW_LIFECYCLE_STAGES = ['active', 'deleted'] as const;
/** One of {@link MLFLOW_LIFECYCLE_STAGES}. */
export type MlflowLifecycleStage = (typeof MLFLOW_LIFECYCLE_STAGES)[number];

/** `nf_mlflow_logged_models.status`: MLflow's LoggedModelStatus values. */
export const MLFLOW_LOGGED_MODEL_STATUSES = [
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;
/** One of {@link MLFLOW_LOGGED_MODEL_STATUSES}. */
export type MlflowLoggedModelStatus = (typeof MLFLOW_LOGGED_MODEL_STATUSES)[number];

/** `nf_run_exports.sink`: the external trackers a run is exported to after it ends. */
export const EXPORT_SINKS = ['mlflow', 'wandb'] as const;
/** One of {@link EXPORT_SINKS}. */
export type ExportSink = (typeof EXPORT_SINKS)[number];

/** `nf_run_exports.status`: waiting (first try or a retry), done, or given up after its attempts. */
export const RUN_EXPORT_STATUSES = ['pending', 'exported', 'failed'] as const;
/** One of {@link RUN_EXPORT_STATUSES}. */
export type RunExportStatus = (typeof RUN_EXPORT_STATUSES)[number];

/** Which column each vocabulary constrains; a test reads the CHECK constraints and compares. */
export const CHECKED_COLUMNS = [
  { table: 'nf_model_runs', column: 'status', values: RUN_STATUSES },
  { table: 'nf_sweeps', column: 'status', values: RUN_STATUSES },
  { table: 'nf_model_runs', column: 'backend', values: RUN_BACKENDS },
  { table: 'nf_model_runs', column: 'operation', values: RUN_OPERATIONS },
  { table: 'nf_trials', column: 'state', values: TRIAL_STATES },
  { table: 'nf_model_registry', column: 'stage', values: REGISTRY_STAGES },
  { table: 'nf_predictions', column: 'kind', values: PREDICTION_KINDS },
  { table: 'nf_studies', column: 'direction', values: STUDY_DIRECTIONS },
  { table: 'nf_audit_log', column: 'outcome', values: AUDIT_OUTCOME_VALUES },
  { table: 'nf_users', column: 'role', values: USER_ROLE_VALUES },
  { table: 'nf_feature_importance', column: 'method', values: IMPORTANCE_METHOD_VALUES },
  { table: 'nf_events', column: 'type', values: EVENT_TYPES },
  { table: 'nf_monitors', column: 'p_adjust', values: P_ADJUST_METHODS },
  { table: 'nf_monitor_runs', column: 'status', values: MONITOR_RUN_STATUSES },
  { table: 'nf_mlflow_experiments', column: 'lifecycle_stage', values: MLFLOW_LIFECYCLE_STAGES },
  { table: 'nf_mlflow_runs', column: 'status', values: MLFLOW_RUN_STATUSES },
  { table: 'nf_mlflow_runs', column: 'lifecycle_stage', values: MLFLOW_LIFECYCLE_STAGES },
  { table: 'nf_run_exports', column: 'sink', values: EXPORT_SINKS },
  { table: 'nf_mlflow_logged_models', column: 'status', values: MLFLOW_LOGGED_MODEL_STATUSES },
  { table: 'nf_mlflow_logged_models', column: 'lifecycle_stage', values: MLFLOW_LIFECYCLE_STAGES },
  { table: 'nf_run_exports', column: 'status', values: RUN_EXPORT_STATUSES },
] as const;
