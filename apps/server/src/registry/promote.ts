/** Registering a finished run's model in nf_model_registry at a stage, optionally under an alias. */
import { ConfigError, NotFoundError, type RegistryEntryDto } from '@nflab/contracts';
import type { Db } from '@nflab/store';

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
export const promoteRun = async (db: Db, promotion: Promotion): Promise<RegistryEntryDto> =>
  db.transaction(async (tx) => {
    const { rows: runs } = await tx.query<{ status: string; model_name: string | null }>(
      'SELECT status, model_name FROM nf_model_runs WHERE id = $1',
      [promotion.runId],
    );
    const run = runs[0];
    if (run === undefined) throw new NotFoundError(`run ${promotion.runId} does not exist`);
    if (run.status !== 'finished') {
      throw new ConfigError(`run ${promotion.runId} is ${run.status}; only a finished run can be registered`);
    }
    const name = promotion.name ?? run.model_name;
    if (name === null) throw new ConfigError('the run has no model_name; give body.name');
    // Versions of one name are numbered in order; the lock keeps two promotions from taking the same one.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`nf_model_registry:${name}`]);
    const { rows: existing } = await tx.query<{ id: number }>(
      'SELECT id FROM nf_model_registry WHERE name = $1 AND run_id = $2',
      [name, promotion.runId],
    );
    const { rows } =
      existing[0] === undefined
        ? await tx.query<{ id: number }>(
            `INSERT INTO nf_model_registry (name, version, run_id, stage)
             SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM nf_model_registry WHERE name = $1
             RETURNING id`,
            [name, promotion.runId, promotion.stage],
          )
        : await tx.query<{ id: number }>(
            'UPDATE nf_model_registry SET stage = $2 WHERE id = $1 RETURNING id',
            [existing[0].id, promotion.stage],
          );
    const id = (rows[0] as { id: number }).id;
    if (promotion.alias !== undefined) {
      await tx.query(
        `UPDATE nf_model_registry SET aliases = array_remove(aliases, $2)
          WHERE name = $1 AND id <> $3 AND $2 = ANY(aliases)`,
        [name, promotion.alias, id],
      );
      await tx.query(
        `UPDATE nf_model_registry SET aliases = aliases || $2::text WHERE id = $1 AND NOT ($2 = ANY(aliases))`,
        [id, promotion.alias],
      );
    }
    const { rows: entry } = await tx.query<RegistryEntryDto>(
      'SELECT * FROM nf_model_registry WHERE id = $1',
      [id],
    );
    return entry[0] as RegistryEntryDto;
  });
