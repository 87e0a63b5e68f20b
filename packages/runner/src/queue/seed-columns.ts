/** The run-row columns a queued run gets from its spec, so listings and filters need no JSON digging. */
import { ConfigError, TRAIN_OPERATION, type RunSpec } from '@nflab/contracts';
import type { RunInsertRow } from '@nflab/store';
import type { EnqueueRun } from './types.js';

/** `model_name` of ensemble runs (their method is in `operation_options`). */
export const ENSEMBLE_MODEL_NAME = 'ensemble';

const lossId = (loss: RunSpec['loss']): string => (typeof loss === 'string' ? loss : loss.id);

/** How the search and the fit are set up: everything of the spec that is neither data nor model. */
const optimizationConfig = (spec: RunSpec): Record<string, unknown> => ({
  search_alg: spec.search_alg,
  search_alg_options: spec.search_alg_options,
  ...('pruner' in spec ? { pruner: spec.pruner, pruner_options: spec.pruner_options } : {}),
  ...('scheduler' in spec ? { scheduler: spec.scheduler, scheduler_options: spec.scheduler_options } : {}),
  num_samples: spec.num_samples,
  time_budget: spec.time_budget,
  cpus: spec.cpus,
  gpus: spec.gpus,
  val_size: spec.val_size,
  test_size: spec.test_size,
  refit_with_val: spec.refit_with_val,
  early_stop: spec.early_stop,
  early_stop_patience_steps: spec.early_stop_patience_steps,
  valid_loss: lossId(spec.valid_loss),
  max_steps: spec.max_steps,
  config_mode: spec.config_mode,
  local_scaler_type: spec.local_scaler_type,
  freq: spec.freq,
  use_init_models: spec.use_init_models,
});

const checkQueueSettings = (run: EnqueueRun, index: number): void => {
  const where = `run ${index} (${run.spec.model}, fingerprint ${run.fingerprint.slice(0, 12)})`;
  if (run.priority !== undefined && !Number.isSafeInteger(run.priority))
    throw new ConfigError(`${where}: priority must be an integer, got ${run.priority}`);
  if (run.maxAttempts !== undefined && !(Number.isSafeInteger(run.maxAttempts) && run.maxAttempts >= 1))
    throw new ConfigError(`${where}: maxAttempts must be an integer >= 1, got ${run.maxAttempts}`);
  if (
    run.retryDelaySeconds !== undefined &&
    !(Number.isFinite(run.retryDelaySeconds) && run.retryDelaySeconds >= 0)
  )
    throw new ConfigError(
      `${where}: retryDelaySeconds must be a finite number >= 0, got ${run.retryDelaySeconds}`,
    );
  if (run.fingerprint.length === 0) throw new ConfigError(`${where}: fingerprint must not be empty`);
};

/** The row of one run to enqueue; a ConfigError names the run and the bad queue setting. */
export const runInsertRow = (run: EnqueueRun, index: number): Omit<RunInsertRow, 'trace_parent'> => {
  checkQueueSettings(run, index);
  const { spec } = run;
  const { kind, ...operationOptions } = run.operation ?? TRAIN_OPERATION;
  return {
    table_name: spec.table_name,
    loto: spec.loto,
    unique_ids: spec.unique_ids,
    // An ensemble's spec is its first member's (the data it is scored on); its model is the combination.
    model_name: kind === 'ensemble' ? ENSEMBLE_MODEL_NAME : spec.model,
    backend: spec.backend,
    horizon: spec.h,
    loss: lossId(spec.loss),
    metric: spec.metric,
    // JSON drops the undefined entries, so only the settings the spec has are stored.
    optimization_config: optimizationConfig(spec),
    search_space: spec.search_space ?? null,
    spec,
    seed: spec.random_seed,
    spec_fingerprint: run.fingerprint,
    operation: kind,
    operation_options: operationOptions,
    priority: run.priority ?? 0,
    max_attempts: run.maxAttempts ?? 1,
    retry_delay_seconds: run.retryDelaySeconds ?? 0,
    parent_run_id: run.parentRunId ?? null,
  };
};
