/**
 * MLflow runs: reading any run (the lab's own through mlflow-views.ts, external ones from
 * nf_mlflow_*), and creating, updating, deleting and logging to external runs. An external run is
 * a row of nf_model_runs too (no spec, status following MLflow's), so run history lists it. The
 * lab's own runs are read-only here except for their tags: the lab records their data itself, and
 * tags live in nf_run_tags for every run, so MLflow's set-tag/delete-tag edit the lab's run tags.
 */
import type { Queryable } from '../db.js';
import { MlflowError, invalidParameter } from '../mlflow/errors.js';
import type { MlflowRunStatus } from '../schema/vocabulary.js';
import { getMlflowExperiment } from './mlflow-experiments.js';
import {
  MLFLOW_LATEST_METRICS,
  MLFLOW_METRIC_POINTS,
  MLFLOW_PARAMS,
  MLFLOW_RUNS,
  MLFLOW_TAGS,
} from './mlflow-views.js';

/** A key and its value (params, tags). */
export interface MlflowKeyValue {
  readonly key: string;
  readonly value: string;
}

/** One metric point. */
export interface MlflowMetric {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

/** MLflow's RunInfo message. */
export interface MlflowRunInfo {
  readonly run_uuid: string;
  readonly experiment_id: string;
  readonly run_name: string;
  readonly user_id: string;
  readonly status: MlflowRunStatus;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly artifact_uri: string;
  readonly lifecycle_stage: 'active' | 'deleted';
  readonly run_id: string;
}

/** MLflow's Run message (empty lists are left out, as MLflow's JSON does). */
export interface MlflowRun {
  readonly info: MlflowRunInfo;
  readonly data: {
    readonly metrics?: MlflowMetric[];
    readonly params?: MlflowKeyValue[];
    readonly tags?: MlflowKeyValue[];
  };
  readonly inputs: Record<string, never>;
}

/** A run as MLFLOW_RUNS selects it: RunInfo columns and whether it is external. */
export interface MlflowRunView {
  readonly run_id: string;
  readonly experiment_id: number;
  readonly run_name: string;
  readonly user_id: string;
  readonly status: MlflowRunStatus;
  readonly start_time: number | null;
  readonly end_time: number | null;
  readonly lifecycle_stage: 'active' | 'deleted';
  readonly artifact_uri: string;
  readonly external: boolean;
}

/** MLflow's 32-hex run id of a lab uuid. */
export const mlflowRunId = (uuid: string): string => uuid.replaceAll('-', '');

/** The lab uuid of an MLflow run id (32 hex digits, or a uuid); undefined for anything else. */
export const labRunUuid = (runId: string): string | undefined => {
  const hex = runId.replaceAll('-', '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const notFound = (runId: string): MlflowError =>
  new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);

/** The RunInfo of a run row. */
export const toRunInfo = (row: MlflowRunView): MlflowRunInfo => {
  const id = mlflowRunId(row.run_id);
  return {
    run_uuid: id,
    experiment_id: String(row.experiment_id),
    run_name: row.run_name,
    user_id: row.user_id,
    status: row.status,
    ...(row.start_time === null ? {} : { start_time: row.start_time }),
    ...(row.end_time === null ? {} : { end_time: row.end_time }),
    artifact_uri: row.artifact_uri,
    lifecycle_stage: row.lifecycle_stage,
    run_id: id,
  };
};

/** The run rows of these lab uuids, in no particular order. */
export const findMlflowRunRows = async (
  db: Queryable,
  uuids: readonly string[],
): Promise<MlflowRunView[]> => {
  const { rows } = await db.query<MlflowRunView>(
    `SELECT * FROM (${MLFLOW_RUNS}) runs WHERE run_id = ANY($1::uuid[])`,
    [uuids],
  );
  return rows;
};

/** The run `runId` names; RESOURCE_DOES_NOT_EXIST when none. */
export const findMlflowRunRow = async (db: Queryable, runId: string): Promise<MlflowRunView> => {
  const uuid = labRunUuid(runId);
  const [row] = uuid === undefined ? [] : await findMlflowRunRows(db, [uuid]);
  if (row === undefined) throw notFound(runId);
  return row;
};

/** Params, tags and latest metrics of several runs, to build their Run messages. */
export const mlflowRunsWithData = async (
  db: Queryable,
  rows: readonly MlflowRunView[],
): Promise<MlflowRun[]> => {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.run_id);
  // One after another: inside a transaction the queries share one connection.
  const params = await db.query<MlflowKeyValue & { run_id: string }>(
    `SELECT run_id, key, value FROM (${MLFLOW_PARAMS}) p WHERE run_id = ANY($1::uuid[]) ORDER BY ord`,
    [ids],
  );
  const tags = await db.query<MlflowKeyValue & { run_id: string }>(
    `SELECT run_id, key, value FROM (${MLFLOW_TAGS}) t WHERE run_id = ANY($1::uuid[]) ORDER BY ord`,
    [ids],
  );
  const metrics = await db.query<{
    run_id: string;
    key: string;
    value: number;
    timestamp_ms: number;
    step: number;
  }>(
    `SELECT run_id, key, value, timestamp_ms, step FROM (${MLFLOW_LATEST_METRICS}) m
      WHERE run_id = ANY($1::uuid[]) ORDER BY ord, key`,
    [ids],
  );
  return rows.map((row) => {
    const own = <T extends { run_id: string }>(list: readonly T[]): T[] =>
      list.filter((item) => item.run_id === row.run_id);
    const runMetrics = own(metrics.rows).map(({ key, value, timestamp_ms, step }) => ({
      key,
      value,
      timestamp: timestamp_ms,
      step,
    }));
    const runParams = own(params.rows).map(({ key, value }) => ({ key, value }));
    const runTags = own(tags.rows).map(({ key, value }) => ({ key, value }));
    return {
      info: toRunInfo(row),
      data: {
        ...(runMetrics.length > 0 ? { metrics: runMetrics } : {}),
        ...(runParams.length > 0 ? { params: runParams } : {}),
        ...(runTags.length > 0 ? { tags: runTags } : {}),
      },
      inputs: {},
    };
  });
};

/** The Run message of `runId`. */
export const getMlflowRun = async (db: Queryable, runId: string): Promise<MlflowRun> => {
  const [run] = await mlflowRunsWithData(db, [await findMlflowRunRow(db, runId)]);
  if (run === undefined) throw notFound(runId);
  return run;
};

/**
 * The external run `runId`, which must be active to be written (MLflow's INVALID_STATE otherwise);
 * a lab run is refused — its data is the lab's record — unless only its tags are written (`tags`).
 */
export const writableMlflowRun = async (
  db: Queryable,
  runId: string,
  { active = true, tags = false } = {},
): Promise<MlflowRunView> => {
  const row = await findMlflowRunRow(db, runId);
  if (!row.external && !tags)
    throw new MlflowError(
      'INVALID_STATE',
      `The run ${runId} is a lab run: MLflow clients may read it and set its tags, but only the lab records its data.`,
    );
  if (active && row.lifecycle_stage !== 'active')
    throw new MlflowError(
      'INVALID_STATE',
      `The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`,
    );
  return row;
};

/** nf_model_runs.status for an MLflow status (SCHEDULED stays out of the lab's queue). */
const LAB_STATUS: Record<MlflowRunStatus, string> = {
  RUNNING: 'running',
  SCHEDULED: 'running',
  FINISHED: 'finished',
  FAILED: 'failed',
  KILLED: 'cancelled',
};

const toTimestamp = (ms: number | null | undefined): Date | null =>
  ms === null || ms === undefined ? null : new Date(ms);

/** What creating a run takes. */
export interface NewMlflowRun {
  readonly experimentId: string;
  readonly userId?: string;
  readonly runName?: string;
  /** Milliseconds since the epoch. @default now */
  readonly startTime?: number;
  readonly tags?: readonly MlflowKeyValue[];
}

const RUN_NAME_TAG = 'mlflow.runName';

/** Creates an external run in an active experiment; returns its Run message. */
export const createMlflowRun = async (db: Queryable, run: NewMlflowRun): Promise<MlflowRun> => {
  const experiment = await getMlflowExperiment(db, run.experimentId);
  if (experiment.lifecycle_stage !== 'active')
    throw new MlflowError(
      'INVALID_STATE',
      `The experiment ${run.experimentId} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`,
    );
  const tags = [...(run.tags ?? [])];
  const nameTag = tags.find((tag) => tag.key === RUN_NAME_TAG)?.value;
  if (run.runName !== undefined && nameTag !== undefined && run.runName !== nameTag)
    throw invalidParameter(
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${run.runName}', mlflow.runName='${nameTag}').`,
    );
  const startTime = run.startTime ?? Date.now();
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (status, start_time) VALUES ('running', $1) RETURNING id`,
    [toTimestamp(startTime)],
  );
  const uuid = rows[0]?.id ?? '';
  const runName = run.runName ?? nameTag ?? `run-${mlflowRunId(uuid).slice(0, 8)}`;
  if (nameTag === undefined) tags.push({ key: RUN_NAME_TAG, value: runName });
  await db.query(
    `INSERT INTO nf_mlflow_runs (run_id, experiment_id, run_name, user_id, start_time, artifact_uri)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      uuid,
      Number(experiment.experiment_id),
      runName,
      run.userId ?? '',
      startTime,
      `${experiment.artifact_location}/${mlflowRunId(uuid)}/artifacts`,
    ],
  );
  await db.query('UPDATE nf_model_runs SET mlflow_run_id = $2, mlflow_experiment = $3 WHERE id = $1', [
    uuid,
    mlflowRunId(uuid),
    experiment.experiment_id,
  ]);
  await writeTags(db, uuid, tags);
  return getMlflowRun(db, uuid);
};

/** What updating a run may change. */
export interface MlflowRunUpdate {
  readonly status?: MlflowRunStatus;
  readonly endTime?: number;
  readonly runName?: string;
}

/** Updates an external run's status, end time or name; returns its RunInfo. */
export const updateMlflowRun = async (
  db: Queryable,
  runId: string,
  update: MlflowRunUpdate,
): Promise<MlflowRunInfo> => {
  const row = await writableMlflowRun(db, runId);
  await db.query(
    `UPDATE nf_mlflow_runs SET status = COALESCE($2, status), end_time = COALESCE($3, end_time),
            run_name = COALESCE($4, run_name) WHERE run_id = $1`,
    [row.run_id, update.status ?? null, update.endTime ?? null, update.runName ?? null],
  );
  if (update.runName !== undefined)
    await writeTags(db, row.run_id, [{ key: RUN_NAME_TAG, value: update.runName }]);
  // The lab's columns follow, so history shows the run's state; an end before the start (a client's
  // clock) is kept by MLflow but clamped here, where end_time >= start_time is a constraint.
  await db.query(
    `UPDATE nf_model_runs SET status = COALESCE($2, status),
            end_time = GREATEST(COALESCE($3, end_time), start_time),
            duration_seconds = CASE WHEN COALESCE($3, end_time) IS NULL THEN duration_seconds
                                    ELSE GREATEST(extract(epoch FROM COALESCE($3, end_time) - start_time), 0) END
      WHERE id = $1`,
    [row.run_id, update.status === undefined ? null : LAB_STATUS[update.status], toTimestamp(update.endTime)],
  );
  return toRunInfo((await findMlflowRunRows(db, [row.run_id]))[0] ?? row);
};

/** Marks an external run deleted (restorable) or active again. */
export const setMlflowRunStage = async (
  db: Queryable,
  runId: string,
  stage: 'active' | 'deleted',
): Promise<void> => {
  const row = await writableMlflowRun(db, runId, { active: false });
  await db.query('UPDATE nf_mlflow_runs SET lifecycle_stage = $2, deleted_time = $3 WHERE run_id = $1', [
    row.run_id,
    stage,
    stage === 'deleted' ? Date.now() : null,
  ]);
};

/** MLflow's log-batch limits: entries per kind and in all, and the longest key/value. */
export const MLFLOW_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  total: 1000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
} as const;

/** One log-batch request (also what log-metric, log-parameter and set-tag become). */
export interface MlflowBatch {
  readonly metrics?: readonly MlflowMetric[];
  readonly params?: readonly MlflowKeyValue[];
  readonly tags?: readonly MlflowKeyValue[];
}

const checkBatch = (batch: MlflowBatch): void => {
  const metrics = batch.metrics?.length ?? 0;
  const params = batch.params?.length ?? 0;
  const tags = batch.tags?.length ?? 0;
  const limit = (what: string, count: number, max: number): void => {
    if (count > max)
      throw invalidParameter(
        `A batch logging request can contain at most ${max} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`,
      );
  };
  limit('metrics', metrics, MLFLOW_LIMITS.metrics);
  limit('params', params, MLFLOW_LIMITS.params);
  limit('tags', tags, MLFLOW_LIMITS.tags);
  if (metrics + params + tags > MLFLOW_LIMITS.total)
    throw invalidParameter(
      `A batch logging request can contain at most ${MLFLOW_LIMITS.total} total metrics, params and tags. Got ${metrics + params + tags}.`,
    );
  const keys = [...(batch.metrics ?? []), ...(batch.params ?? []), ...(batch.tags ?? [])];
  for (const { key } of keys) {
    if (key === '' || key.length > MLFLOW_LIMITS.keyLength || key.includes('..') || key.startsWith('/'))
      throw invalidParameter(
        `Invalid key '${key.slice(0, 300)}': keys are 1 to ${MLFLOW_LIMITS.keyLength} characters, not absolute, without '..'.`,
      );
  }
  for (const { key, value } of batch.params ?? [])
    if (value.length > MLFLOW_LIMITS.paramValueLength)
      throw invalidParameter(
        `Param value for '${key}' exceeds the ${MLFLOW_LIMITS.paramValueLength} characters MLflow allows.`,
      );
  for (const { key, value } of batch.tags ?? [])
    if (value.length > MLFLOW_LIMITS.tagValueLength)
      throw invalidParameter(
        `Tag value for '${key}' exceeds the ${MLFLOW_LIMITS.tagValueLength} characters MLflow allows.`,
      );
  const seen = new Map<string, string>();
  for (const { key, value } of batch.params ?? []) {
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== value)
      throw invalidParameter(
        `Duplicate parameter keys have been submitted: '${key}' with values '${earlier}' and '${value}'.`,
      );
    seen.set(key, value);
  }
};

const writeTags = async (db: Queryable, uuid: string, tags: readonly MlflowKeyValue[]): Promise<void> => {
  for (const { key, value } of tags)
    await db.query(
      `INSERT INTO nf_run_tags (run_id, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value`,
      [uuid, key, value],
    );
};

/** Tags the MLflow view derives from a lab run's columns (see mlflow-views.ts): not stored, not settable. */
const isDerivedLabTag = (key: string): boolean =>
  key === RUN_NAME_TAG || key === 'mlflow.user' || key === 'mlflow.parentRunId' || key.startsWith('nflab.');

const refuseDerivedTags = (row: MlflowRunView, tags: readonly MlflowKeyValue[]): void => {
  if (row.external) return;
  const derived = tags.find((tag) => isDerivedLabTag(tag.key));
  if (derived !== undefined)
    throw invalidParameter(
      `The tag '${derived.key}' of lab run ${mlflowRunId(row.run_id)} is derived from the run's record and cannot be set.`,
    );
};

/**
 * Logs a batch to an active external run, checked whole first (limits, keys, values) so that a
 * refused batch writes nothing. A param is immutable: logging the same value again is allowed,
 * another value is INVALID_PARAMETER_VALUE, as in MLflow.
 */
export const logMlflowBatch = async (db: Queryable, runId: string, batch: MlflowBatch): Promise<void> => {
  checkBatch(batch);
  // A batch of tags alone (MLflow's set_tag/set_tags) may go to a lab run: its tags are the lab's too.
  const tagsOnly = (batch.params?.length ?? 0) === 0 && (batch.metrics?.length ?? 0) === 0;
  const row = await writableMlflowRun(db, runId, { tags: tagsOnly });
  refuseDerivedTags(row, batch.tags ?? []);
  const params = batch.params ?? [];
  if (params.length > 0) {
    const { rows } = await db.query<MlflowKeyValue>(
      'SELECT key, value FROM nf_mlflow_params WHERE run_id = $1 AND key = ANY($2::text[])',
      [row.run_id, params.map((param) => param.key)],
    );
    for (const existing of rows) {
      const attempted = params.find((param) => param.key === existing.key);
      if (attempted !== undefined && attempted.value !== existing.value)
        throw invalidParameter(
          `Changing param values is not allowed. Param with key='${existing.key}' was already logged with value='${existing.value}' for run ID='${mlflowRunId(row.run_id)}'. Attempted logging new value '${attempted.value}'.`,
        );
    }
    await db.query(
      `INSERT INTO nf_mlflow_params (run_id, key, value)
       SELECT $1, key, value FROM unnest($2::text[], $3::text[]) AS p (key, value)
       ON CONFLICT (run_id, key) DO NOTHING`,
      [row.run_id, params.map((param) => param.key), params.map((param) => param.value)],
    );
  }
  const metrics = batch.metrics ?? [];
  if (metrics.length > 0)
    await db.query(
      `INSERT INTO nf_mlflow_metrics (run_id, key, value, timestamp_ms, step)
       SELECT $1, key, value, ts, step
         FROM unnest($2::text[], $3::double precision[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS m (key, value, ts, step, n)
        ORDER BY n
       ON CONFLICT (run_id, key, step, timestamp_ms, value) DO NOTHING`,
      [
        row.run_id,
        metrics.map((metric) => metric.key),
        metrics.map((metric) => metric.value),
        metrics.map((metric) => metric.timestamp),
        metrics.map((metric) => metric.step),
      ],
    );
  await writeTags(db, row.run_id, batch.tags ?? []);
};

/**
 * Removes one stored tag of an active external run or of a lab run; RESOURCE_DOES_NOT_EXIST when it
 * has none by that key (a lab run's derived tags are not stored, so they are not found either).
 */
export const deleteMlflowRunTag = async (db: Queryable, runId: string, key: string): Promise<void> => {
  const row = await writableMlflowRun(db, runId, { tags: true });
  const { rowCount } = await db.query('DELETE FROM nf_run_tags WHERE run_id = $1 AND key = $2', [
    row.run_id,
    key,
  ]);
  if (rowCount === 0)
    throw new MlflowError(
      'RESOURCE_DOES_NOT_EXIST',
      `No tag with name: ${key} in run with id ${mlflowRunId(row.run_id)}`,
    );
};

/** Every point of one metric of a run, by step then time, one page at a time. */
export const mlflowMetricHistory = async (
  db: Queryable,
  options: {
    readonly runId: string;
    readonly key: string;
    readonly maxResults: number;
    readonly offset: number;
  },
): Promise<{ metrics: MlflowMetric[]; nextOffset: number | undefined }> => {
  const row = await findMlflowRunRow(db, options.runId);
  const { rows } = await db.query<{ key: string; value: number; timestamp_ms: number; step: number }>(
    `SELECT key, value, timestamp_ms, step FROM (${MLFLOW_METRIC_POINTS}) points
      WHERE run_id = $1 AND key = $2 ORDER BY step, timestamp_ms, ord LIMIT $3 OFFSET $4`,
    [row.run_id, options.key, options.maxResults + 1, options.offset],
  );
  const more = rows.length > options.maxResults;
  return {
    metrics: rows
      .slice(0, options.maxResults)
      .map(({ key, value, timestamp_ms, step }) => ({ key, value, timestamp: timestamp_ms, step })),
    nextOffset: more ? options.offset + options.maxResults : undefined,
  };
};

/**
 * Every metric point of run `uuid` (a lab uuid), by key in the order MLflow lists keys, then step
 * and time: what an exporter sends so another MLflow server answers the same metric histories.
 */
export const mlflowRunMetricPoints = async (db: Queryable, uuid: string): Promise<MlflowMetric[]> => {
  const { rows } = await db.query<{ key: string; value: number; timestamp_ms: string; step: string }>(
    `SELECT key, value, timestamp_ms, step FROM (${MLFLOW_METRIC_POINTS}) points
      WHERE run_id = $1
      ORDER BY min(ord) OVER (PARTITION BY key), key, step, timestamp_ms, ord`,
    [uuid],
  );
  return rows.map(({ key, value, timestamp_ms, step }) => ({
    key,
    value: Number(value),
    timestamp: Number(timestamp_ms),
    step: Number(step),
  }));
};
