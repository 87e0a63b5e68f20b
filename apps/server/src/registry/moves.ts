/**
 * Moving registry versions, shared by the API and `nflab registry`: a version to a stage (with
 * MLflow's option to archive the others there), an alias to a version, and resolving a reference
 * `name@alias` or `name/version` to its version.
 */
import { ConfigError, NotFoundError, type RegistryEntryDto } from '@nflab/contracts';
import {
  archiveOtherVersions,
  findRegistryVersionByAlias,
  getRegisteredModelRow,
  getRegistryEntry,
  getRegistryVersion,
  lockRegistryName,
  moveRegistryAlias,
  setRegistryStage,
  touchRegisteredModel,
  type Db,
  type ModelRegistryRow,
  type Queryable,
} from '@nflab/store';

/** Version `version` of `name`; NotFoundError naming what is missing. */
export const requireRegistryVersion = async (
  db: Queryable,
  name: string,
  version: number,
): Promise<ModelRegistryRow> => {
  if ((await getRegisteredModelRow(db, name)) === undefined)
    throw new NotFoundError(`registered model ${JSON.stringify(name)} does not exist`);
  const row = await getRegistryVersion(db, name, version);
  if (row === undefined)
    throw new NotFoundError(`registered model ${JSON.stringify(name)} has no version ${version}`);
  return row;
};

/** The version `alias` of `name` points at; NotFoundError naming what is missing. */
export const requireRegistryAlias = async (
  db: Queryable,
  name: string,
  alias: string,
): Promise<ModelRegistryRow> => {
  if ((await getRegisteredModelRow(db, name)) === undefined)
    throw new NotFoundError(`registered model ${JSON.stringify(name)} does not exist`);
  const row = await findRegistryVersionByAlias(db, name, alias);
  if (row === undefined)
    throw new NotFoundError(`registered model ${JSON.stringify(name)} has no alias ${alias}`);
  return row;
};

/** A reference to a registered version: `name@alias` or `name/version`. */
export interface RegistryReference {
  readonly name: string;
  readonly alias?: string;
  readonly version?: number;
}

/** Parses `nhits-loto6@champion` or `nhits-loto6/3`; undefined for anything else (e.g. a run id). */
export const parseRegistryReference = (text: string): RegistryReference | undefined => {
  const byAlias = /^(.+)@([a-z][a-z0-9_-]{0,63})$/.exec(text);
  if (byAlias !== null) return { name: byAlias[1] as string, alias: byAlias[2] as string };
  const byVersion = /^(.+)\/([1-9]\d{0,8})$/.exec(text);
  if (byVersion !== null) return { name: byVersion[1] as string, version: Number(byVersion[2]) };
  return undefined;
};

/** The version a reference names. */
export const resolveRegistryReference = (
  db: Queryable,
  reference: RegistryReference,
): Promise<ModelRegistryRow> =>
  reference.alias === undefined
    ? requireRegistryVersion(db, reference.name, reference.version ?? 0)
    : requireRegistryAlias(db, reference.name, reference.alias);

/** The lab run a version serves, or a ConfigError for a version an MLflow client registered elsewhere. */
export const runOfVersion = (row: ModelRegistryRow): string => {
  if (row.run_id === null)
    throw new ConfigError(
      `${row.name} version ${row.version} was registered by an MLflow client from ${row.source ?? 'elsewhere'}; the lab predicts only with versions of lab runs`,
    );
  return row.run_id;
};

/** A stage move. */
export interface StageMove {
  readonly stage: RegistryEntryDto['stage'];
  /** Archive the other versions at `stage` (staging or prod only). @default false */
  readonly archiveOthers?: boolean;
}

/** Moves `row` to a stage in one transaction; returns the moved version. */
export const moveRegistryStage = async (
  db: Db,
  row: ModelRegistryRow,
  move: StageMove,
): Promise<ModelRegistryRow> => {
  if (move.archiveOthers === true && move.stage !== 'staging' && move.stage !== 'prod')
    throw new ConfigError(
      `archive_others: only a move to staging or prod archives the others, not ${move.stage}`,
    );
  return db.transaction(async (tx) => {
    await setRegistryStage(tx, row.id, move.stage);
    if (move.archiveOthers === true)
      await archiveOtherVersions(tx, { name: row.name, stage: move.stage, keep: row.id });
    await touchRegisteredModel(tx, row.name);
    return (await getRegistryEntry(tx, row.id)) as ModelRegistryRow;
  });
};

/** Points `alias` at `row`, taking it from any other version of the name; returns the version. */
export const pointRegistryAlias = (db: Db, row: ModelRegistryRow, alias: string): Promise<ModelRegistryRow> =>
  db.transaction(async (tx) => {
    await lockRegistryName(tx, row.name);
    await moveRegistryAlias(tx, { name: row.name, alias, id: row.id });
    return (await getRegistryEntry(tx, row.id)) as ModelRegistryRow;
  });
