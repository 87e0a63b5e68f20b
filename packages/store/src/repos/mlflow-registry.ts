/**
 * MLflow's model registry over the lab's own registry tables (nf_registered_models and the versions
 * in nf_model_registry), so a version promoted in the lab is a model version to MLflow clients and
 * a version an MLflow client registers is one the lab lists, moves and predicts with. Stages map
 * one to one: dev = None, staging = Staging, prod = Production, archived = Archived. Answers are
 * MLflow's RegisteredModel / ModelVersion messages; refusals are MLflow's error codes.
 */
import type { Queryable } from '../db.js';
import { MlflowError, invalidParameter } from '../mlflow/errors.js';
import { matchesRegistryFilter, parseRegistryFilter } from '../mlflow/registry-filter.js';
import type { RegistryStage } from '../schema/vocabulary.js';
import type { ModelRegistryRow, RegisteredModelRow } from '../schema/tables.js';
import type { MlflowKeyValue } from './mlflow-runs.js';
import { labRunUuid, mlflowRunId } from './mlflow-runs.js';
import {
  archiveOtherVersions,
  deleteRegistryAlias,
  findRegistryVersionByAlias,
  getRegisteredModelRow,
  getRegistryVersion,
  listRegisteredModelRows,
  listRegistryVersions,
  lockRegistryName,
  moveRegistryAlias,
  touchRegisteredModel,
} from './registry.js';

/** The lab's stage of each MLflow stage name. */
export const MLFLOW_STAGE_OF: Readonly<Record<RegistryStage, string>> = {
  dev: 'None',
  staging: 'Staging',
  prod: 'Production',
  archived: 'Archived',
};

/** The lab stage of an MLflow stage name (any case, as MLflow accepts). */
export const labStageOf = (stage: string): RegistryStage => {
  const found = Object.entries(MLFLOW_STAGE_OF).find(
    ([, name]) => name.toLowerCase() === stage.toLowerCase(),
  );
  if (found === undefined)
    throw invalidParameter(
      `Invalid Model Version stage: ${stage}. Value must be one of ${Object.values(MLFLOW_STAGE_OF).join(', ')}.`,
    );
  return found[0] as RegistryStage;
};

/** MLflow's ModelVersion message. */
export interface MlflowModelVersion {
  readonly name: string;
  readonly version: string;
  readonly creation_timestamp: number;
  readonly last_updated_timestamp: number;
  readonly current_stage: string;
  readonly description: string;
  readonly source: string;
  readonly run_id?: string;
  readonly status: 'READY';
  readonly tags?: MlflowKeyValue[];
  readonly run_link: string;
  readonly aliases?: string[];
}

/** MLflow's RegisteredModel message. */
export interface MlflowRegisteredModel {
  readonly name: string;
  readonly creation_timestamp: number;
  readonly last_updated_timestamp: number;
  readonly description?: string;
  readonly latest_versions?: MlflowModelVersion[];
  readonly tags?: MlflowKeyValue[];
  readonly aliases?: { alias: string; version: string }[];
}

const millis = (at: Date): number => at.getTime();

/** `{ key: value }` tags as MLflow's list, by key. */
const tagList = (tags: unknown): MlflowKeyValue[] =>
  Object.entries((tags ?? {}) as Record<string, unknown>)
    .map(([key, value]) => ({ key, value: String(value) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

const tagsField = (tags: unknown): { tags?: MlflowKeyValue[] } => {
  const list = tagList(tags);
  return list.length > 0 ? { tags: list } : {};
};

/**
 * A version as MLflow's ModelVersion. MLflow lists aliases on a version it answers alone (get,
 * get-by-alias, transition-stage) but not in searches or a model's latest versions.
 */
export const toMlflowModelVersion = (row: ModelRegistryRow, withAliases: boolean): MlflowModelVersion => ({
  name: row.name,
  version: String(row.version),
  creation_timestamp: millis(row.created_at),
  last_updated_timestamp: millis(row.updated_at),
  current_stage: MLFLOW_STAGE_OF[row.stage],
  description: row.description ?? '',
  // A version the lab promoted serves its run's saved model.
  source: row.source ?? (row.run_id === null ? '' : `runs:/${mlflowRunId(row.run_id)}/model`),
  ...(row.run_id === null ? {} : { run_id: mlflowRunId(row.run_id) }),
  status: 'READY',
  ...tagsField(row.tags),
  run_link: row.run_link,
  ...(withAliases && row.aliases.length > 0 ? { aliases: [...row.aliases] } : {}),
});

/** The newest version at each stage, by version, as MLflow's latest_versions. */
const latestPerStage = (versions: readonly ModelRegistryRow[]): ModelRegistryRow[] => {
  const latest = new Map<string, ModelRegistryRow>();
  for (const version of versions) {
    const held = latest.get(version.stage);
    if (held === undefined || held.version < version.version) latest.set(version.stage, version);
  }
  return [...latest.values()].sort((a, b) => a.version - b.version);
};

const toRegisteredModel = (
  model: RegisteredModelRow,
  versions: readonly ModelRegistryRow[],
): MlflowRegisteredModel => {
  const latest = latestPerStage(versions);
  const aliases = versions
    .flatMap((version) => version.aliases.map((alias) => ({ alias, version: String(version.version) })))
    .sort((a, b) => (a.alias < b.alias ? -1 : 1));
  return {
    name: model.name,
    creation_timestamp: millis(model.created_at),
    last_updated_timestamp: millis(model.updated_at),
    ...(model.description === null ? {} : { description: model.description }),
    ...(latest.length > 0 ? { latest_versions: latest.map((row) => toMlflowModelVersion(row, false)) } : {}),
    ...tagsField(model.tags),
    ...(aliases.length > 0 ? { aliases } : {}),
  };
};

const modelNotFound = (name: string): MlflowError =>
  new MlflowError('RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`);

/** Registered model `name`; RESOURCE_DOES_NOT_EXIST when there is none. */
export const requireRegisteredModel = async (db: Queryable, name: string): Promise<RegisteredModelRow> => {
  const row = await getRegisteredModelRow(db, name);
  if (row === undefined) throw modelNotFound(name);
  return row;
};

/** A version number as MLflow sends it (a decimal string); anything else is refused. */
export const parseModelVersion = (version: string): number => {
  if (!/^\d{1,9}$/.test(version) || Number(version) < 1)
    throw invalidParameter(`Parameter 'version' must be an integer, got '${version}'.`);
  return Number(version);
};

/** Version `version` of `name`; RESOURCE_DOES_NOT_EXIST when there is none. */
export const requireModelVersion = async (
  db: Queryable,
  name: string,
  version: string,
): Promise<ModelRegistryRow> => {
  const row = await getRegistryVersion(db, name, parseModelVersion(version));
  if (row === undefined)
    throw new MlflowError(
      'RESOURCE_DOES_NOT_EXIST',
      `Model Version (name=${name}, version=${version}) not found`,
    );
  return row;
};

/** Registered model `name` as MLflow's RegisteredModel. */
export const getMlflowRegisteredModel = async (
  db: Queryable,
  name: string,
): Promise<MlflowRegisteredModel> => {
  const model = await requireRegisteredModel(db, name);
  return toRegisteredModel(model, await listRegistryVersions(db, [name]));
};

/** A registered model MLflow's create call makes. */
export interface NewMlflowRegisteredModel {
  readonly name: string;
  readonly description?: string;
  readonly tags: readonly MlflowKeyValue[];
}

const tagObject = (tags: readonly MlflowKeyValue[]): Record<string, string> =>
  Object.fromEntries(tags.map(({ key, value }) => [key, value]));

/** Creates a registered model; RESOURCE_ALREADY_EXISTS when the name is taken. */
export const createMlflowRegisteredModel = async (
  db: Queryable,
  model: NewMlflowRegisteredModel,
): Promise<MlflowRegisteredModel> => {
  const { rows } = await db.query<RegisteredModelRow>(
    `INSERT INTO nf_registered_models (name, description, tags) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (name) DO NOTHING RETURNING *`,
    [model.name, model.description ?? null, JSON.stringify(tagObject(model.tags))],
  );
  const row = rows[0];
  if (row === undefined)
    throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${model.name}) already exists.`);
  return toRegisteredModel(row, []);
};

/** Sets a registered model's description. */
export const updateMlflowRegisteredModel = async (
  db: Queryable,
  name: string,
  description: string,
): Promise<MlflowRegisteredModel> => {
  const { rowCount } = await db.query('UPDATE nf_registered_models SET description = $2 WHERE name = $1', [
    name,
    description,
  ]);
  if ((rowCount ?? 0) === 0) throw modelNotFound(name);
  return getMlflowRegisteredModel(db, name);
};

/** Renames a registered model; its versions follow (ON UPDATE CASCADE). */
export const renameMlflowRegisteredModel = async (
  db: Queryable,
  name: string,
  newName: string,
): Promise<MlflowRegisteredModel> => {
  await requireRegisteredModel(db, name);
  if ((await getRegisteredModelRow(db, newName)) !== undefined)
    throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${newName}) already exists.`);
  await db.query('UPDATE nf_registered_models SET name = $2 WHERE name = $1', [name, newName]);
  return getMlflowRegisteredModel(db, newName);
};

/** Deletes a registered model and its versions. */
export const deleteMlflowRegisteredModel = async (db: Queryable, name: string): Promise<void> => {
  const { rowCount } = await db.query('DELETE FROM nf_registered_models WHERE name = $1', [name]);
  if ((rowCount ?? 0) === 0) throw modelNotFound(name);
};

/** Sets (`value` a string) or deletes (`value` undefined) a registered model's tag. */
export const setMlflowRegisteredModelTag = async (
  db: Queryable,
  name: string,
  key: string,
  value: string | undefined,
): Promise<void> => {
  const { rowCount } = await db.query(
    value === undefined
      ? 'UPDATE nf_registered_models SET tags = tags - $2 WHERE name = $1'
      : 'UPDATE nf_registered_models SET tags = tags || jsonb_build_object($2::text, $3::text) WHERE name = $1',
    value === undefined ? [name, key] : [name, key, value],
  );
  if ((rowCount ?? 0) === 0) throw modelNotFound(name);
};

/** Sets (`value` a string) or deletes (`value` undefined) a version's tag. */
export const setMlflowModelVersionTag = async (
  db: Queryable,
  { name, version, key }: { readonly name: string; readonly version: string; readonly key: string },
  value: string | undefined,
): Promise<void> => {
  const row = await requireModelVersion(db, name, version);
  await db.query(
    value === undefined
      ? 'UPDATE nf_model_registry SET tags = tags - $2 WHERE id = $1'
      : 'UPDATE nf_model_registry SET tags = tags || jsonb_build_object($2::text, $3::text) WHERE id = $1',
    value === undefined ? [row.id, key] : [row.id, key, value],
  );
};

/** A page of a search: the items and where the next page starts. */
export interface MlflowPage<T> {
  readonly items: T[];
  readonly nextOffset?: number;
}

const page = <T>(items: readonly T[], offset: number, maxResults: number): MlflowPage<T> => ({
  items: items.slice(offset, offset + maxResults),
  ...(offset + maxResults < items.length ? { nextOffset: offset + maxResults } : {}),
});

/** A registry search request. */
export interface MlflowRegistrySearch {
  readonly filter?: string;
  readonly maxResults: number;
  readonly offset: number;
}

/** Registered models matching MLflow's filter (`name`, `tags.<key>`), by name. */
export const searchMlflowRegisteredModels = async (
  db: Queryable,
  search: MlflowRegistrySearch,
): Promise<MlflowPage<MlflowRegisteredModel>> => {
  const clauses = parseRegistryFilter(search.filter, ['name']);
  const models = (await listRegisteredModelRows(db)).filter((model) =>
    matchesRegistryFilter(clauses, {
      attributes: { name: model.name },
      tags: tagObject(tagList(model.tags)),
    }),
  );
  const found = page(models, search.offset, search.maxResults);
  const versions = await listRegistryVersions(
    db,
    found.items.map((model) => model.name),
  );
  return {
    ...found,
    items: found.items.map((model) =>
      toRegisteredModel(
        model,
        versions.filter((version) => version.name === model.name),
      ),
    ),
  };
};

/** Versions matching MLflow's filter (`name`, `run_id`, `source_path`, `version_number`, `tags.<key>`). */
export const searchMlflowModelVersions = async (
  db: Queryable,
  search: MlflowRegistrySearch,
): Promise<MlflowPage<MlflowModelVersion>> => {
  const clauses = parseRegistryFilter(
    search.filter,
    ['name', 'run_id', 'source_path', 'version_number'],
    ['version_number'],
  );
  const versions = (await listRegistryVersions(db)).map((row) => toMlflowModelVersion(row, false));
  const matching = versions
    .filter((version) =>
      matchesRegistryFilter(clauses, {
        attributes: {
          name: version.name,
          run_id: version.run_id,
          source_path: version.source,
          version_number: Number(version.version),
        },
        tags: tagObject(version.tags ?? []),
      }),
    )
    // MLflow's default order: name ascending, newest version first.
    .sort((a, b) => (a.name === b.name ? Number(b.version) - Number(a.version) : a.name < b.name ? -1 : 1));
  return page(matching, search.offset, search.maxResults);
};

/** The newest version at each of `stages` (every stage when empty), as get-latest-versions answers. */
export const getLatestMlflowVersions = async (
  db: Queryable,
  name: string,
  stages: readonly string[],
): Promise<MlflowModelVersion[]> => {
  await requireRegisteredModel(db, name);
  const wanted = new Set(stages.map(labStageOf));
  const versions = (await listRegistryVersions(db, [name])).filter(
    (row) => wanted.size === 0 || wanted.has(row.stage),
  );
  return latestPerStage(versions).map((row) => toMlflowModelVersion(row, false));
};

/** A version MLflow's create call registers. */
export interface NewMlflowModelVersion {
  readonly name: string;
  readonly source: string;
  /** MLflow's 32-hex run id. */
  readonly runId?: string;
  readonly modelId?: string;
  readonly description?: string;
  readonly runLink?: string;
  readonly tags: readonly MlflowKeyValue[];
}

/** Registers the next version of `name` (which must exist). Call inside a transaction. */
export const createMlflowModelVersion = async (
  tx: Queryable,
  version: NewMlflowModelVersion,
): Promise<ModelRegistryRow> => {
  await requireRegisteredModel(tx, version.name);
  let runUuid: string | null = null;
  if (version.runId !== undefined && version.runId !== '') {
    runUuid = labRunUuid(version.runId) ?? null;
    const { rows } =
      runUuid === null
        ? { rows: [] }
        : await tx.query('SELECT 1 FROM nf_model_runs WHERE id = $1', [runUuid]);
    if (rows.length === 0)
      throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run with id=${version.runId} not found`);
  }
  await lockRegistryName(tx, version.name);
  const { rows } = await tx.query<ModelRegistryRow>(
    `INSERT INTO nf_model_registry (name, version, run_id, stage, source, model_id, description, tags, run_link)
       SELECT $1, coalesce(max(version), 0) + 1, $2, 'dev', $3, $4, $5, $6::jsonb, $7
         FROM nf_model_registry WHERE name = $1
     RETURNING *`,
    [
      version.name,
      runUuid,
      version.source,
      version.modelId ?? null,
      version.description ?? null,
      JSON.stringify(tagObject(version.tags)),
      version.runLink ?? '',
    ],
  );
  await touchRegisteredModel(tx, version.name);
  return rows[0] as ModelRegistryRow;
};

/** Sets a version's description. */
export const updateMlflowModelVersion = async (
  db: Queryable,
  { name, version }: { readonly name: string; readonly version: string },
  description: string,
): Promise<MlflowModelVersion> => {
  const row = await requireModelVersion(db, name, version);
  const { rows } = await db.query<ModelRegistryRow>(
    'UPDATE nf_model_registry SET description = $2 WHERE id = $1 RETURNING *',
    [row.id, description],
  );
  return toMlflowModelVersion(rows[0] as ModelRegistryRow, true);
};

/** Deletes one version (its aliases go with it). */
export const deleteMlflowModelVersion = async (db: Queryable, row: ModelRegistryRow): Promise<void> => {
  await db.query('DELETE FROM nf_model_registry WHERE id = $1', [row.id]);
};

/**
 * Moves a version to `stage`; with `archiveExisting`, the other versions at that stage are
 * archived (MLflow's archive_existing_versions, allowed for Staging and Production only).
 */
export const transitionMlflowModelVersion = async (
  tx: Queryable,
  row: ModelRegistryRow,
  { stage, archiveExisting }: { readonly stage: RegistryStage; readonly archiveExisting: boolean },
): Promise<MlflowModelVersion> => {
  if (archiveExisting && stage !== 'staging' && stage !== 'prod')
    throw invalidParameter(
      `Model version transition cannot archive existing model versions because '${MLFLOW_STAGE_OF[stage]}' is not an Active stage. Valid stages are Staging, Production.`,
    );
  const { rows } = await tx.query<ModelRegistryRow>(
    'UPDATE nf_model_registry SET stage = $2 WHERE id = $1 RETURNING *',
    [row.id, stage],
  );
  if (archiveExisting) await archiveOtherVersions(tx, { name: row.name, stage, keep: row.id });
  await touchRegisteredModel(tx, row.name);
  return toMlflowModelVersion(rows[0] as ModelRegistryRow, true);
};

/** MLflow's rule for alias names: not a version spelling (`v3`, `latest`), at most 255 characters. */
export const checkAliasName = (alias: string): void => {
  if (alias === '' || alias.length > 255 || /^v\d+$/i.test(alias) || alias.toLowerCase() === 'latest')
    throw invalidParameter(
      `Invalid alias name: '${alias}'. Aliases cannot be empty, 'latest', or of the form v<number>, and have at most 255 characters.`,
    );
};

/** Points `alias` at version `row`, taking it from any other version of the name. Call inside a transaction. */
export const setMlflowAlias = async (tx: Queryable, row: ModelRegistryRow, alias: string): Promise<void> => {
  checkAliasName(alias);
  await lockRegistryName(tx, row.name);
  await moveRegistryAlias(tx, { name: row.name, alias, id: row.id });
};

/** Removes `alias` from registered model `name` (MLflow answers success when no version held it). */
export const deleteMlflowAlias = async (db: Queryable, name: string, alias: string): Promise<void> => {
  await requireRegisteredModel(db, name);
  await deleteRegistryAlias(db, name, alias);
};

/** The version `alias` points at; RESOURCE_DOES_NOT_EXIST when none does. */
export const requireVersionByAlias = async (
  db: Queryable,
  name: string,
  alias: string,
): Promise<ModelRegistryRow> => {
  await requireRegisteredModel(db, name);
  const row = await findRegistryVersionByAlias(db, name, alias);
  if (row === undefined)
    throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Registered model alias ${alias} not found.`);
  return row;
};
