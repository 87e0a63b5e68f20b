/** Exports of ended runs to external trackers (W&B, the user's MLflow server), from the nf_run_exports outbox. */
export * from './export-runs.js';
export * from './mlflow/export-to-mlflow.js';
export * from './mlflow/mlflow-api.js';
export * from './mlflow/mlflow-record.js';
export * from './run-exporter.js';
export * from './run-record.js';
export * from './wandb/export-to-wandb.js';
export * from './wandb/wandb-api.js';
