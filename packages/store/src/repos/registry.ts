/** The model registry in nf_model_registry: versions of a name, their stage and aliases. */
import type { Queryable } from '../db.js';
import type { AuditLogRow, ModelRegistryRow, ModelRunRow, RegisteredModelRow } from '../schema/tables.js';

/** What registering needs to know about a run. */
export type RunToRegisterRow = Pick<ModelRunRow, 'status' | 'model_name'>;

/** The status and model name of run `runId`, or undefined when it does not exist. */
export const findRunToRegister = async (
  db: Queryable,
  runId: string,
): Promise<RunToRegisterRow | undefined> => {
  const { rows } = await db.query<RunToRegisterRow>(
    'SELECT status, model_name FROM nf_model_runs WHERE id = $1',
    [runId],
  );
  return rows[0];
};

/**
 * Takes the transaction-scoped lock on the versions of `name`, so two registrations cannot take
 * the same version number. Call inside a transaction.
 */
export const lockRegistryName = async (tx: Queryable, name: string): Promise<void> => {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`nf_model_registry:${name}`]);
};

/** The id of the entry registering run `runId` under `name`, or undefined. */
export const findRegistryEntryId = async (
  db: Queryable,
  name: string,
  runId: string,
): Promise<number | undefined> => {
  const { rows } = await db.query<Pick<ModelRegistryRow, 'id'>>(
    'SELECT id FROM nf_model_registry WHERE name = $1 AND run_id = $2',
    [name, runId],
  );
  return rows[0]?.id;
};

/** A new registry entry. */
export interface NewRegistryVersion {
  readonly name: string;
  readonly runId: string;
  readonly stage: ModelRegistryRow['stage'];
}

/** Registers the run as the next version of `name`; returns the entry's id. Lock the name first. */
export const insertRegistryVersion = async (db: Queryable, entry: NewRegistryVersion): Promise<number> => {
  const { rows } = await db.query<Pick<ModelRegistryRow, 'id'>>(
    `INSERT INTO nf_model_registry (name, version, run_id, stage)
             SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM nf_model_registry WHERE name = $1
             RETURNING id`,
    [entry.name, entry.runId, entry.stage],
  );
  return (rows[0] as Pick<ModelRegistryRow, 'id'>).id;
};

/** Moves entry `id` to `stage`; returns its id. */
export const setRegistryStage = async (
  db: Queryable,
  id: number,
  stage: ModelRegistryRow['stage'],
): Promise<number> => {
  const { rows } = await db.query<Pick<ModelRegistryRow, 'id'>>(
    'UPDATE nf_model_registry SET stage = $2 WHERE id = $1 RETURNING id',
    [id, stage],
  );
  return (rows[0] as Pick<ModelRegistryRow, 'id'>).id;
};

/**
 * Points `alias` at entry `id`, taking it from any other version of `name`. Call inside a
 * transaction so the alias names exactly one version.
 */
export const moveRegistryAlias = async (
  tx: Queryable,
  { name, alias, id }: { readonly name: string; readonly alias: string; readonly id: number },
): Promise<void> => {
  await tx.query(
    `UPDATE nf_model_registry SET aliases = array_remove(aliases, $2)
          WHERE name = $1 AND id <> $3 AND $2 = ANY(aliases)`,
    [name, alias, id],
  );
  await tx.query(
    `UPDATE nf_model_registry SET aliases = aliases || $2::text WHERE id = $1 AND NOT ($2 = ANY(aliases))`,
    [id, alias],
  );
};

/** Registry entry `id`, or undefined. */
export const getRegistryEntry = async (db: Queryable, id: number): Promise<ModelRegistryRow | undefined> => {
  const { rows } = await db.query<ModelRegistryRow>('SELECT * FROM nf_model_registry WHERE id = $1', [id]);
  return rows[0];
};

/** Makes `name` a registered model if it is not one yet (a first promotion creates it). */
export const ensureRegisteredModel = async (db: Queryable, name: string): Promise<void> => {
  await db.query('INSERT INTO nf_registered_models (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
};

/** Registered model `name`, or undefined. */
export const getRegisteredModelRow = async (
  db: Queryable,
  name: string,
): Promise<RegisteredModelRow | undefined> => {
  const { rows } = await db.query<RegisteredModelRow>('SELECT * FROM nf_registered_models WHERE name = $1', [
    name,
  ]);
  return rows[0];
};

/** Every registered model, by name. */
export const listRegisteredModelRows = async (db: Queryable): Promise<RegisteredModelRow[]> => {
  const { rows } = await db.query<RegisteredModelRow>('SELECT * FROM nf_registered_models ORDER BY name');
  return rows;
};

/** The versions of the given names (every name when `names` is undefined), by name then version. */
export const listRegistryVersions = async (
  db: Queryable,
  names?: readonly string[],
): Promise<ModelRegistryRow[]> => {
  const { rows } = await db.query<ModelRegistryRow>(
    `SELECT * FROM nf_model_registry ${names === undefined ? '' : 'WHERE name = ANY($1::text[])'}
      ORDER BY name, version`,
    names === undefined ? [] : [names],
  );
  return rows;
};

/** Version `version` of `name`, or undefined. */
export const getRegistryVersion = async (
  db: Queryable,
  name: string,
  version: number,
): Promise<ModelRegistryRow | undefined> => {
  const { rows } = await db.query<ModelRegistryRow>(
    'SELECT * FROM nf_model_registry WHERE name = $1 AND version = $2',
    [name, version],
  );
  return rows[0];
};

/** The version of `name` that `alias` points at, or undefined. */
export const findRegistryVersionByAlias = async (
  db: Queryable,
  name: string,
  alias: string,
): Promise<ModelRegistryRow | undefined> => {
  const { rows } = await db.query<ModelRegistryRow>(
    'SELECT * FROM nf_model_registry WHERE name = $1 AND $2 = ANY(aliases)',
    [name, alias],
  );
  return rows[0];
};

/** Removes `alias` from whichever version of `name` holds it; whether one did. */
export const deleteRegistryAlias = async (db: Queryable, name: string, alias: string): Promise<boolean> => {
  const { rowCount } = await db.query(
    `UPDATE nf_model_registry SET aliases = array_remove(aliases, $2) WHERE name = $1 AND $2 = ANY(aliases)`,
    [name, alias],
  );
  return (rowCount ?? 0) > 0;
};

/** Marks registered model `name` as changed now (a version was added or moved stage). */
export const touchRegisteredModel = async (db: Queryable, name: string): Promise<void> => {
  await db.query('UPDATE nf_registered_models SET updated_at = now() WHERE name = $1', [name]);
};

/** Moves every other version of `name` that is at `stage` to archived (MLflow's archive_existing_versions). */
export const archiveOtherVersions = async (
  db: Queryable,
  {
    name,
    stage,
    keep,
  }: { readonly name: string; readonly stage: ModelRegistryRow['stage']; readonly keep: number },
): Promise<void> => {
  await db.query(
    `UPDATE nf_model_registry SET stage = 'archived' WHERE name = $1 AND stage = $2 AND id <> $3`,
    [name, stage, keep],
  );
};

/**
 * Who moved what when: the audit entries about registered model `name` — its own events and the
 * promotions of runs into it — newest first.
 */
export const registryHistory = async (db: Queryable, name: string, limit: number): Promise<AuditLogRow[]> => {
  const { rows } = await db.query<AuditLogRow>(
    `SELECT id, at, actor, action, entity, entity_id, details, client_address, outcome FROM nf_audit_log
      WHERE (entity = 'registered_model' AND entity_id = $1)
         OR (action = 'model.promote' AND details ->> 'name' = $1)
      ORDER BY at DESC, id DESC LIMIT $2`,
    [name, limit],
  );
  return rows;
};
