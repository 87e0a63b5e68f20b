/** The model registry in nf_model_registry: versions of a name, their stage and aliases. */
import type { Queryable } from '../db.js';
import type { ModelRegistryRow, ModelRunRow } from '../schema/tables.js';

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
