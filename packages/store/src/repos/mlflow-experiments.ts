/**
 * MLflow experiments (nf_mlflow_experiments). Answers are MLflow's JSON shapes (the wire format of
 * the MLflow-compatible API), so the routes pass them through.
 */
import type { Queryable } from '../db.js';
import { MlflowError, invalidParameter } from '../mlflow/errors.js';
import type { MlflowExperimentRow } from '../schema/tables.js';

/** MLflow's Experiment message. */
export interface MlflowExperiment {
  readonly experiment_id: string;
  readonly name: string;
  readonly artifact_location: string;
  readonly lifecycle_stage: 'active' | 'deleted';
  readonly last_update_time: number;
  readonly creation_time: number;
  readonly tags?: readonly { key: string; value: string }[];
}

/** Which experiments or runs a search includes, in MLflow's words. */
export type MlflowViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** The lifecycle stages a view type includes. */
export const stagesOf = (view: MlflowViewType): string[] =>
  view === 'ALL' ? ['active', 'deleted'] : view === 'DELETED_ONLY' ? ['deleted'] : ['active'];

const COLUMNS = 'id, name, artifact_location, lifecycle_stage, creation_time, last_update_time';

const toExperiment = (
  row: MlflowExperimentRow,
  tags: readonly { key: string; value: string }[],
): MlflowExperiment => ({
  experiment_id: String(row.id),
  name: row.name,
  artifact_location: row.artifact_location,
  lifecycle_stage: row.lifecycle_stage,
  last_update_time: row.last_update_time,
  creation_time: row.creation_time,
  ...(tags.length > 0 ? { tags } : {}),
});

const withTags = async (db: Queryable, rows: MlflowExperimentRow[]): Promise<MlflowExperiment[]> => {
  if (rows.length === 0) return [];
  const { rows: tags } = await db.query<{ experiment_id: number; key: string; value: string }>(
    'SELECT experiment_id, key, value FROM nf_mlflow_experiment_tags WHERE experiment_id = ANY($1::bigint[]) ORDER BY key',
    [rows.map((row) => row.id)],
  );
  return rows.map((row) =>
    toExperiment(
      row,
      tags.filter((tag) => tag.experiment_id === row.id).map(({ key, value }) => ({ key, value })),
    ),
  );
};

/** MLflow's experiment ids are decimal strings; anything else names no experiment. */
export const parseExperimentId = (id: string): number => {
  if (!/^\d{1,15}$/.test(id))
    throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${id} exists`);
  return Number(id);
};

/** The experiment with `id`; RESOURCE_DOES_NOT_EXIST when there is none. */
export const getMlflowExperiment = async (db: Queryable, id: string): Promise<MlflowExperiment> => {
  const { rows } = await db.query<MlflowExperimentRow>(
    `SELECT ${COLUMNS} FROM nf_mlflow_experiments WHERE id = $1`,
    [parseExperimentId(id)],
  );
  const [experiment] = await withTags(db, rows);
  if (experiment === undefined)
    throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${id} exists`);
  return experiment;
};

/** The experiment named `name` (active or deleted); RESOURCE_DOES_NOT_EXIST when there is none. */
export const getMlflowExperimentByName = async (db: Queryable, name: string): Promise<MlflowExperiment> => {
  const { rows } = await db.query<MlflowExperimentRow>(
    `SELECT ${COLUMNS} FROM nf_mlflow_experiments WHERE name = $1`,
    [name],
  );
  const [experiment] = await withTags(db, rows);
  if (experiment === undefined)
    throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`);
  return experiment;
};

/** What creating an experiment takes. */
export interface NewMlflowExperiment {
  readonly name: string;
  /** @default `mlflow-artifacts:/<id>`, served by the lab's artifact proxy routes */
  readonly artifactLocation?: string;
  readonly tags?: readonly { key: string; value: string }[];
}

/** Creates an experiment and returns its id; a taken name is RESOURCE_ALREADY_EXISTS. */
export const createMlflowExperiment = async (
  db: Queryable,
  experiment: NewMlflowExperiment,
): Promise<string> => {
  if (experiment.name.trim() === '') throw invalidParameter("Invalid experiment name: ''");
  const taken = await db.query('SELECT 1 FROM nf_mlflow_experiments WHERE name = $1', [experiment.name]);
  if (taken.rows.length > 0)
    throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${experiment.name}) already exists.`);
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO nf_mlflow_experiments (name, artifact_location, creation_time, last_update_time)
     VALUES ($1, '', $2, $2) RETURNING id`,
    [experiment.name, Date.now()],
  );
  const id = rows[0]?.id ?? 0;
  await db.query('UPDATE nf_mlflow_experiments SET artifact_location = $2 WHERE id = $1', [
    id,
    experiment.artifactLocation ?? `mlflow-artifacts:/${id}`,
  ]);
  for (const tag of experiment.tags ?? []) await setMlflowExperimentTag(db, String(id), tag);
  return String(id);
};

/** Sets (or replaces) one tag of an experiment. */
export const setMlflowExperimentTag = async (
  db: Queryable,
  id: string,
  tag: { readonly key: string; readonly value: string },
): Promise<void> => {
  await getMlflowExperiment(db, id);
  await db.query(
    `INSERT INTO nf_mlflow_experiment_tags (experiment_id, key, value) VALUES ($1, $2, $3)
     ON CONFLICT (experiment_id, key) DO UPDATE SET value = EXCLUDED.value`,
    [Number(id), tag.key, tag.value],
  );
};

/** Marks an experiment deleted or active again (MLflow keeps deleted experiments, restorable). */
export const setMlflowExperimentStage = async (
  db: Queryable,
  id: string,
  stage: 'active' | 'deleted',
): Promise<void> => {
  const experiment = await getMlflowExperiment(db, id);
  if (experiment.experiment_id === '0' && stage === 'deleted')
    throw invalidParameter('Cannot delete the default experiment 0: the lab keeps its own runs there.');
  await db.query(
    'UPDATE nf_mlflow_experiments SET lifecycle_stage = $2, last_update_time = $3 WHERE id = $1',
    [Number(id), stage, Date.now()],
  );
};

/** Renames an experiment; a taken name is RESOURCE_ALREADY_EXISTS. */
export const renameMlflowExperiment = async (db: Queryable, id: string, name: string): Promise<void> => {
  await getMlflowExperiment(db, id);
  if (name.trim() === '') throw invalidParameter("Invalid experiment name: ''");
  const taken = await db.query('SELECT 1 FROM nf_mlflow_experiments WHERE name = $1 AND id <> $2', [
    name,
    Number(id),
  ]);
  if (taken.rows.length > 0)
    throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`);
  await db.query('UPDATE nf_mlflow_experiments SET name = $2, last_update_time = $3 WHERE id = $1', [
    Number(id),
    name,
    Date.now(),
  ]);
};

/** One page of experiments, newest first (MLflow's default order). */
export const searchMlflowExperiments = async (
  db: Queryable,
  options: { readonly view: MlflowViewType; readonly maxResults: number; readonly offset: number },
): Promise<{ experiments: MlflowExperiment[]; nextOffset: number | undefined }> => {
  const { rows } = await db.query<MlflowExperimentRow>(
    `SELECT ${COLUMNS} FROM nf_mlflow_experiments WHERE lifecycle_stage = ANY($1::text[])
      ORDER BY creation_time DESC, id DESC LIMIT $2 OFFSET $3`,
    [stagesOf(options.view), options.maxResults + 1, options.offset],
  );
  const more = rows.length > options.maxResults;
  return {
    experiments: await withTags(db, rows.slice(0, options.maxResults)),
    nextOffset: more ? options.offset + options.maxResults : undefined,
  };
};
