/** Registering a finished run's model in nf_model_registry at a stage, optionally under an alias. */
import { ConfigError, NotFoundError, type RegistryEntryDto } from '@nflab/contracts';
import {
  ensureRegisteredModel,
  findRegistryEntryId,
  findRunToRegister,
  getRegistryEntry,
  insertRegistryVersion,
  lockRegistryName,
  moveRegistryAlias,
  setRegistryStage,
  type Db,
  type ModelRegistryRow,
} from '@nflab/store';

/** What {@link promoteRun} registers. */
export interface Promotion {
  readonly runId: string;
  readonly stage: RegistryEntryDto['stage'];
  readonly alias?: string;
  /** Registered model name. @default the run's model_name */
  readonly name?: string;
}

/**
 * Registers the run as the next version of `name` — or moves its existing entry to the new stage —
 * and points `alias` at it (taking the alias from any other version of that name), in one
 * transaction so an alias names exactly one version.
 */
export const promoteRun = async (db: Db, promotion: Promotion): Promise<ModelRegistryRow> =>
  db.transaction(async (tx) => {
    const run = await findRunToRegister(tx, promotion.runId);
    if (run === undefined) throw new NotFoundError(`run ${promotion.runId} does not exist`);
    if (run.status !== 'finished') {
      throw new ConfigError(`run ${promotion.runId} is ${run.status}; only a finished run can be registered`);
    }
    const name = promotion.name ?? run.model_name;
    if (name === null) throw new ConfigError('the run has no model_name; give body.name');
    // Versions of one name are numbered in order; the lock keeps two promotions from taking the same one.
    await lockRegistryName(tx, name);
    await ensureRegisteredModel(tx, name);
    const existing = await findRegistryEntryId(tx, name, promotion.runId);
    const id =
      existing === undefined
        ? await insertRegistryVersion(tx, { name, runId: promotion.runId, stage: promotion.stage })
        : await setRegistryStage(tx, existing, promotion.stage);
    if (promotion.alias !== undefined) await moveRegistryAlias(tx, { name, alias: promotion.alias, id });
    return (await getRegistryEntry(tx, id)) as ModelRegistryRow;
  });

/** The version registering run `runId` under `name` (default: the run's model name), if there is one. */
export const registeredStageOfRun = async (
  db: Db,
  runId: string,
  name: string | undefined,
): Promise<ModelRegistryRow | undefined> => {
  const run = await findRunToRegister(db, runId);
  const registered = name ?? run?.model_name ?? undefined;
  if (registered === undefined || registered === null) return undefined;
  const id = await findRegistryEntryId(db, registered, runId);
  return id === undefined ? undefined : getRegistryEntry(db, id);
};
