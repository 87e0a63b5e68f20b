/**
 * MLflow 3's logged models (`/logged-models`): a model's record beside the run that logged it —
 * params, tags, status, its artifact location under the experiment (`<experiment>/models/<id>/
 * artifacts`, served by the lab's artifact proxy), the metric points logged with its id — and the
 * runs' model outputs (`runs/outputs`), which MLflow lists in the run's `outputs`.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db.js';
import { MlflowError, invalidParameter } from '../mlflow/errors.js';
import { matchesRegistryFilter, parseRegistryFilter } from '../mlflow/registry-filter.js';
import type { MlflowLoggedModelStatus } from '../schema/vocabulary.js';
import { MLFLOW_LOGGED_MODEL_STATUSES } from '../schema/vocabulary.js';
import type { MlflowLoggedModelRow } from '../schema/tables.js';
import { getMlflowExperiment, parseExperimentId } from './mlflow-experiments.js';
import type { MlflowKeyValue, MlflowMetric } from './mlflow-runs.js';
import { findMlflowRunRow, labRunUuid, mlflowRunId } from './mlflow-runs.js';
import type { MlflowPage } from './mlflow-registry.js';

/** A metric point of a logged model, as MLflow lists it. */
export interface MlflowModelMetric extends MlflowMetric {
  readonly model_id: string;
  readonly run_id?: string;
}

/** MLflow's LoggedModel message. */
export interface MlflowLoggedModel {
  readonly info: {
    readonly model_id: string;
    readonly experiment_id: string;
    readonly name: string;
    readonly creation_timestamp_ms: number;
    readonly last_updated_timestamp_ms: number;
    readonly artifact_uri: string;
    readonly status: MlflowLoggedModelStatus;
    readonly model_type: string;
    readonly source_run_id?: string;
    readonly tags?: MlflowKeyValue[];
  };
  readonly data: { readonly params?: MlflowKeyValue[]; readonly metrics?: MlflowModelMetric[] };
}

const byKey = (a: MlflowKeyValue, b: MlflowKeyValue): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const notFound = (id: string): MlflowError =>
  new MlflowError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${id}' not found.`);

/** Logged models with their tags and metrics, as MLflow's messages. */
const withData = async (
  db: Queryable,
  rows: readonly MlflowLoggedModelRow[],
): Promise<MlflowLoggedModel[]> => {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.model_id);
  // One after another: inside a transaction the queries share one connection.
  const { rows: tags } = await db.query<MlflowKeyValue & { model_id: string }>(
    'SELECT model_id, key, value FROM nf_mlflow_logged_model_tags WHERE model_id = ANY($1::text[]) ORDER BY key',
    [ids],
  );
  const { rows: metrics } = await db.query<{
    model_id: string;
    run_id: string | null;
    key: string;
    value: number;
    timestamp_ms: number;
    step: number;
  }>(
    `SELECT model_id, run_id, key, value, timestamp_ms, step FROM nf_mlflow_logged_model_metrics
      WHERE model_id = ANY($1::text[]) ORDER BY id`,
    [ids],
  );
  return rows.map((row) => {
    const own = tags.filter((tag) => tag.model_id === row.model_id).map(({ key, value }) => ({ key, value }));
    const params = Object.entries(row.params as Record<string, string>)
      .map(([key, value]) => ({ key, value }))
      .sort(byKey);
    const points = metrics
      .filter((metric) => metric.model_id === row.model_id)
      .map((metric) => ({
        key: metric.key,
        value: metric.value,
        timestamp: metric.timestamp_ms,
        step: metric.step,
        model_id: metric.model_id,
        ...(metric.run_id === null ? {} : { run_id: mlflowRunId(metric.run_id) }),
      }));
    return {
      info: {
        model_id: row.model_id,
        experiment_id: String(row.experiment_id),
        name: row.name,
        creation_timestamp_ms: row.creation_time,
        last_updated_timestamp_ms: row.last_update_time,
        artifact_uri: row.artifact_uri,
        status: row.status as MlflowLoggedModelStatus,
        model_type: row.model_type,
        ...(row.source_run_id === null ? {} : { source_run_id: mlflowRunId(row.source_run_id) }),
        ...(own.length > 0 ? { tags: own } : {}),
      },
      data: {
        ...(params.length > 0 ? { params } : {}),
        ...(points.length > 0 ? { metrics: points } : {}),
      },
    };
  });
};

const findRow = async (db: Queryable, id: string): Promise<MlflowLoggedModelRow> => {
  const { rows } = await db.query<MlflowLoggedModelRow>(
    `SELECT * FROM nf_mlflow_logged_models WHERE model_id = $1 AND lifecycle_stage = 'active'`,
    [id],
  );
  const row = rows[0];
  if (row === undefined) throw notFound(id);
  return row;
};

/** Logged model `id`; RESOURCE_DOES_NOT_EXIST when there is none. */
export const getMlflowLoggedModel = async (db: Queryable, id: string): Promise<MlflowLoggedModel> =>
  (await withData(db, [await findRow(db, id)]))[0] as MlflowLoggedModel;

/** What MLflow's create call sends. */
export interface NewMlflowLoggedModel {
  readonly experimentId: string;
  readonly name?: string;
  readonly sourceRunId?: string;
  readonly modelType?: string;
  readonly params: readonly MlflowKeyValue[];
  readonly tags: readonly MlflowKeyValue[];
}

/** Creates a pending logged model in an active experiment. Call inside a transaction. */
export const createMlflowLoggedModel = async (
  tx: Queryable,
  model: NewMlflowLoggedModel,
): Promise<MlflowLoggedModel> => {
  const experiment = await getMlflowExperiment(tx, model.experimentId);
  if (experiment.lifecycle_stage !== 'active')
    throw new MlflowError('INVALID_STATE', `Experiment ${model.experimentId} is deleted; restore it first`);
  const sourceRun =
    model.sourceRunId === undefined || model.sourceRunId === ''
      ? undefined
      : (await findMlflowRunRow(tx, model.sourceRunId)).run_id;
  const hex = randomUUID().replaceAll('-', '');
  const id = `m-${hex}`;
  const now = Date.now();
  await tx.query(
    `INSERT INTO nf_mlflow_logged_models
       (model_id, experiment_id, name, source_run_id, model_type, artifact_uri, params, creation_time, last_update_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8)`,
    [
      id,
      parseExperimentId(model.experimentId),
      model.name === undefined || model.name === '' ? id : model.name,
      sourceRun ?? null,
      model.modelType ?? '',
      `${experiment.artifact_location}/models/${id}/artifacts`,
      JSON.stringify(Object.fromEntries(model.params.map(({ key, value }) => [key, value]))),
      now,
    ],
  );
  await setMlflowLoggedModelTags(tx, id, model.tags);
  return getMlflowLoggedModel(tx, id);
};

/** Sets a logged model's status (MLflow's finalize). */
export const finalizeMlflowLoggedModel = async (
  db: Queryable,
  id: string,
  status: string,
): Promise<MlflowLoggedModel> => {
  if (!(MLFLOW_LOGGED_MODEL_STATUSES as readonly string[]).includes(status))
    throw invalidParameter(
      `Invalid value ${JSON.stringify(status)} for parameter 'status' supplied: expected one of ${MLFLOW_LOGGED_MODEL_STATUSES.join(', ')}.`,
    );
  await findRow(db, id);
  await db.query(
    'UPDATE nf_mlflow_logged_models SET status = $2, last_update_time = $3 WHERE model_id = $1',
    [id, status, Date.now()],
  );
  return getMlflowLoggedModel(db, id);
};

/** Sets tags of a logged model (a key set again takes the new value). */
export const setMlflowLoggedModelTags = async (
  db: Queryable,
  id: string,
  tags: readonly MlflowKeyValue[],
): Promise<void> => {
  await findRow(db, id);
  for (const { key, value } of tags)
    await db.query(
      `INSERT INTO nf_mlflow_logged_model_tags (model_id, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value`,
      [id, key, value],
    );
};

/** Deletes one tag of a logged model. */
export const deleteMlflowLoggedModelTag = async (db: Queryable, id: string, key: string): Promise<void> => {
  await findRow(db, id);
  const { rowCount } = await db.query(
    'DELETE FROM nf_mlflow_logged_model_tags WHERE model_id = $1 AND key = $2',
    [id, key],
  );
  if ((rowCount ?? 0) === 0)
    throw new MlflowError(
      'RESOURCE_DOES_NOT_EXIST',
      `No tag with key '${key}' found for logged model '${id}'.`,
    );
};

/** Marks a logged model deleted (it no longer answers get or search). */
export const deleteMlflowLoggedModel = async (db: Queryable, id: string): Promise<void> => {
  await findRow(db, id);
  await db.query(`UPDATE nf_mlflow_logged_models SET lifecycle_stage = 'deleted' WHERE model_id = $1`, [id]);
};

/** `value` as Python's json.dumps writes it (`, ` and `: ` separators). */
const pythonJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${pythonJson(item)}`)
      .join(', ')}}`;
  return JSON.stringify(value) ?? 'null';
};

/** Appends the `mlflow.modelVersions` entry MLflow's server writes when a version registers the model. */
export const noteModelVersionOnLoggedModel = async (
  db: Queryable,
  id: string,
  version: { readonly name: string; readonly version: number },
): Promise<void> => {
  const { rows } = await db.query<{ value: string }>(
    `SELECT value FROM nf_mlflow_logged_model_tags WHERE model_id = $1 AND key = 'mlflow.modelVersions'`,
    [id],
  );
  let entries: unknown[] = [];
  try {
    const parsed: unknown = JSON.parse(rows[0]?.value ?? '[]');
    if (Array.isArray(parsed)) entries = parsed;
  } catch {
    // A client wrote something else there; the server's list starts over, as MLflow's does.
  }
  entries.push({ name: version.name, version: version.version });
  // Python's json.dumps spacing, which MLflow clients read back and extend.
  const value = pythonJson(entries);
  await setMlflowLoggedModelTags(db, id, [{ key: 'mlflow.modelVersions', value }]);
};

/** A logged-model search. */
export interface MlflowLoggedModelSearch {
  readonly experimentIds: readonly string[];
  readonly filter?: string;
  readonly maxResults: number;
  readonly offset: number;
}

/**
 * Logged models of the experiments matching the filter (`name`, `model_id`, `source_run_id`,
 * `status`, `model_type`, `tags.<key>`), newest first as MLflow orders them.
 */
export const searchMlflowLoggedModels = async (
  db: Queryable,
  search: MlflowLoggedModelSearch,
): Promise<MlflowPage<MlflowLoggedModel>> => {
  const clauses = parseRegistryFilter(search.filter, [
    'name',
    'model_id',
    'source_run_id',
    'status',
    'model_type',
  ]);
  const { rows } = await db.query<MlflowLoggedModelRow>(
    `SELECT * FROM nf_mlflow_logged_models
      WHERE experiment_id = ANY($1::bigint[]) AND lifecycle_stage = 'active'
      ORDER BY creation_time DESC, model_id`,
    [search.experimentIds.map(parseExperimentId)],
  );
  const models = await withData(db, rows);
  const matching = models.filter((model) =>
    matchesRegistryFilter(clauses, {
      attributes: {
        name: model.info.name,
        model_id: model.info.model_id,
        source_run_id: model.info.source_run_id,
        status: model.info.status,
        model_type: model.info.model_type,
      },
      tags: Object.fromEntries((model.info.tags ?? []).map(({ key, value }) => [key, value])),
    }),
  );
  const items = matching.slice(search.offset, search.offset + search.maxResults);
  return {
    items,
    ...(search.offset + search.maxResults < matching.length
      ? { nextOffset: search.offset + search.maxResults }
      : {}),
  };
};

/** Records metric points a client logged with a model id (log-batch, log-metric). */
export const logMlflowModelMetrics = async (
  db: Queryable,
  runId: string,
  points: readonly (MlflowMetric & { readonly modelId: string })[],
): Promise<void> => {
  const runUuid = labRunUuid(runId) ?? null;
  for (const point of points) {
    await findRow(db, point.modelId);
    await db.query(
      `INSERT INTO nf_mlflow_logged_model_metrics (model_id, run_id, key, value, timestamp_ms, step)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [point.modelId, runUuid, point.key, point.value, point.timestamp, point.step],
    );
  }
};

/** Records a run's model outputs (runs/outputs). */
export const logMlflowRunOutputs = async (
  db: Queryable,
  runId: string,
  models: readonly { readonly modelId: string; readonly step: number }[],
): Promise<void> => {
  const run = await findMlflowRunRow(db, runId);
  for (const model of models) {
    await findRow(db, model.modelId);
    await db.query(
      `INSERT INTO nf_mlflow_run_outputs (run_id, model_id, step) VALUES ($1, $2, $3)
       ON CONFLICT (run_id, model_id) DO UPDATE SET step = excluded.step`,
      [run.run_id, model.modelId, model.step],
    );
  }
};

/** MLflow's RunOutputs of each run (32-hex ids): `{}` for a run without model outputs. */
export const mlflowRunOutputs = async (
  db: Queryable,
  runIds: readonly string[],
): Promise<Map<string, { model_outputs?: { model_id: string; step: number }[] }>> => {
  const uuids = runIds.map(labRunUuid).filter((id): id is string => id !== undefined);
  const { rows } = await db.query<{ run_id: string; model_id: string; step: number }>(
    'SELECT run_id, model_id, step FROM nf_mlflow_run_outputs WHERE run_id = ANY($1::uuid[]) ORDER BY id',
    [uuids],
  );
  const outputs = new Map<string, { model_outputs?: { model_id: string; step: number }[] }>(
    runIds.map((id) => [id, {}]),
  );
  for (const row of rows) {
    const entry = outputs.get(mlflowRunId(row.run_id));
    if (entry === undefined) continue;
    entry.model_outputs = [...(entry.model_outputs ?? []), { model_id: row.model_id, step: row.step }];
  }
  return outputs;
};
