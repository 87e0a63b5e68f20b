/**
 * Every lab run as MLflow sees it, as SQL subqueries the MLflow repositories select from. A run with
 * an nf_mlflow_runs row is external (an MLflow client created it) and answers with what the client
 * logged; any other run is the lab's own and is derived from its columns, read-only:
 *
 * - experiment 0 (Default); a sweep is the tag `nflab.sweep_id`, not an experiment, so a run's
 *   MLflow identity never changes when sweeps are created, renamed or deleted;
 * - run id: the run's uuid as 32 hex digits (MLflow's format), so it is stable and reversible;
 * - status: queued/running/finished/failed/cancelled -> SCHEDULED/RUNNING/FINISHED/FAILED/KILLED;
 * - params: model, loto, table_name, h, loss, backend, unique_ids, operation, and `best.<name>` for
 *   each best hyperparameter;
 * - metrics: each number of the run's final metrics (step 0, at its end time), and the final fit's
 *   train_loss/valid_loss/learning_rate at every step (nf_step_metrics without a trial);
 * - tags: mlflow.runName, mlflow.user (`nflab`), mlflow.parentRunId, nflab.source (`lab`),
 *   nflab.sweep_id, nflab.data_fingerprint, nflab.engine_version — then the run's own tags
 *   (nf_run_tags), which the lab and MLflow's set-tag/delete-tag both write.
 *
 * Each subquery has an `ord` column: the order MLflow lists keys in (logging order for external
 * runs). They are subqueries, not views, so the planner pushes a caller's `run_id` condition in.
 */

/** 32 hex digits of a uuid column: MLflow's run id of a lab run. */
export const hexId = (column: string): string => `replace(${column}::text, '-', '')`;

/** Milliseconds since the epoch of a timestamptz expression. */
const epochMs = (expression: string): string => `(extract(epoch FROM ${expression}) * 1000)::bigint`;

const LAB_RUN_NAME = `COALESCE(r.model_name, r.operation) || '-' || left(${hexId('r.id')}, 8)`;

/** One row per run: its MLflow RunInfo columns, plus `external`. */
export const MLFLOW_RUNS = `
SELECT r.id AS run_id,
       COALESCE(m.experiment_id, 0) AS experiment_id,
       COALESCE(m.run_name, ${LAB_RUN_NAME}) AS run_name,
       COALESCE(m.user_id, 'nflab') AS user_id,
       COALESCE(m.status, CASE r.status WHEN 'queued' THEN 'SCHEDULED' WHEN 'running' THEN 'RUNNING'
                                        WHEN 'finished' THEN 'FINISHED' WHEN 'failed' THEN 'FAILED'
                                        ELSE 'KILLED' END) AS status,
       CASE WHEN m.run_id IS NULL THEN ${epochMs('COALESCE(r.start_time, r.created_at)')} ELSE m.start_time END AS start_time,
       CASE WHEN m.run_id IS NULL THEN ${epochMs('r.end_time')} ELSE m.end_time END AS end_time,
       COALESCE(m.lifecycle_stage, 'active') AS lifecycle_stage,
       COALESCE(m.artifact_uri, 'mlflow-artifacts:/0/' || ${hexId('r.id')} || '/artifacts') AS artifact_uri,
       m.run_id IS NOT NULL AS external
  FROM nf_model_runs r
  LEFT JOIN nf_mlflow_runs m ON m.run_id = r.id`;

const LAB_ONLY = 'NOT EXISTS (SELECT 1 FROM nf_mlflow_runs x WHERE x.run_id = r.id)';

/** One row per (run, param key): run_id, key, value, ord. */
export const MLFLOW_PARAMS = `
SELECT run_id, key, value, id AS ord FROM nf_mlflow_params
UNION ALL
SELECT r.id, p.key, p.value, p.ord
  FROM nf_model_runs r
 CROSS JOIN LATERAL (VALUES (1, 'model', r.model_name), (2, 'loto', r.loto), (3, 'table_name', r.table_name),
                            (4, 'h', r.horizon::text), (5, 'loss', r.loss), (6, 'backend', r.backend),
                            (7, 'unique_ids', NULLIF(array_to_string(r.unique_ids, ','), '')),
                            (8, 'operation', r.operation)) AS p (ord, key, value)
 WHERE p.value IS NOT NULL AND ${LAB_ONLY}
UNION ALL
SELECT r.id, 'best.' || b.key, b.value, 100 + b.ord
  FROM nf_model_runs r
 CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(r.best_params) = 'object' THEN r.best_params
                                         ELSE '{}'::jsonb END) WITH ORDINALITY AS b (key, value, ord)
 WHERE b.value IS NOT NULL AND ${LAB_ONLY}`;

/**
 * One row per (run, tag key): run_id, key, value, ord. Stored tags (nf_run_tags: an external run's,
 * and the tags users and MLflow clients set on lab runs) follow a lab run's derived tags (negative
 * ord); users cannot store the derived keys (mlflow./nflab. are reserved in the lab, and MLflow's
 * set-tag refuses them on lab runs), so no key is listed twice.
 */
export const MLFLOW_TAGS = `
SELECT run_id, key, value, id AS ord FROM nf_run_tags
UNION ALL
SELECT r.id, t.key, t.value, t.ord - 100
  FROM nf_model_runs r
 CROSS JOIN LATERAL (VALUES (1, 'mlflow.runName', ${LAB_RUN_NAME}), (2, 'mlflow.user', 'nflab'),
                            (3, 'mlflow.parentRunId', ${hexId('r.parent_run_id')}), (4, 'nflab.source', 'lab'),
                            (5, 'nflab.sweep_id', r.sweep_id::text), (6, 'nflab.data_fingerprint', r.data_fingerprint),
                            (7, 'nflab.engine_version', r.engine_version)) AS t (ord, key, value)
 WHERE t.value IS NOT NULL AND ${LAB_ONLY}`;

/** Every metric point: run_id, key, value, timestamp_ms, step, ord. */
export const MLFLOW_METRIC_POINTS = `
SELECT run_id, key, value, timestamp_ms, step, id AS ord FROM nf_mlflow_metrics
UNION ALL
SELECT r.id, f.key, (f.value #>> '{}')::double precision, ${epochMs('COALESCE(r.end_time, r.updated_at)')}, 0, 1
  FROM nf_model_runs r
 CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(r.metrics) = 'object' THEN r.metrics ELSE '{}'::jsonb END) AS f
 WHERE jsonb_typeof(f.value) = 'number' AND ${LAB_ONLY}
UNION ALL
SELECT s.run_id, l.key, l.value, ${epochMs('s.at')}, s.step, l.ord
  FROM nf_step_metrics s
 CROSS JOIN LATERAL (VALUES (2, 'train_loss', s.train_loss), (3, 'valid_loss', s.valid_loss),
                            (4, 'learning_rate', s.learning_rate)) AS l (ord, key, value)
 WHERE s.trial_id IS NULL AND l.value IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM nf_mlflow_runs x WHERE x.run_id = s.run_id)`;

/**
 * A run's value of each metric, as MLflow defines it: the point with the highest step, then the
 * latest timestamp, then the largest value; `ord` is where the key was first logged.
 */
export const MLFLOW_LATEST_METRICS = `
SELECT DISTINCT ON (run_id, key) run_id, key, value, timestamp_ms, step,
       min(ord) OVER (PARTITION BY run_id, key) AS ord
  FROM (${MLFLOW_METRIC_POINTS}) points
 ORDER BY run_id, key, step DESC, timestamp_ms DESC, value DESC`;
