/**
 * Run tags (nf_run_tags): one store for the lab's tags and MLflow's run tags, so `nflab runs tag`,
 * the API, the run page and MLflow's set-tag/delete-tag all read and write the same rows. A run
 * spec's `tags` become rows when the run is inserted (trigger of migration 0022).
 */
import { ConfigError, NotFoundError, RESERVED_TAG_PREFIXES, RUN_TAG_LIMITS } from '@nflab/contracts';
import type { Db, Queryable } from '../db.js';

/** SQL condition: the tag `column` is a user key (no reserved prefix). */
const USER_KEY = (column: string): string =>
  RESERVED_TAG_PREFIXES.map((prefix) => `left(${column}, ${prefix.length}) <> '${prefix}'`).join(' AND ');

/** Every tag of run `runId`, key → value, in the order they were first set. */
export const listRunTags = async (q: Queryable, runId: string): Promise<Record<string, string>> => {
  const { rows } = await q.query<{ key: string; value: string }>(
    'SELECT key, value FROM nf_run_tags WHERE run_id = $1 ORDER BY id',
    [runId],
  );
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
};

/** What {@link updateRunTags} changes: keys set (added or overwritten) and keys removed. */
export interface RunTagChanges {
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
}

/**
 * Sets and removes tags of run `runId` in one transaction and returns all its tags afterwards.
 * Keys are expected validated (contracts' runTagKeySchema); a run left with more user tags than
 * RUN_TAG_LIMITS.count is a ConfigError and nothing changes. Removing an absent key is not an error.
 */
export const updateRunTags = async (
  db: Db,
  runId: string,
  changes: RunTagChanges,
): Promise<Record<string, string>> =>
  db.transaction(async (tx) => {
    // FOR UPDATE: two concurrent edits of one run's tags count its tags one after the other.
    const { rows } = await tx.query('SELECT 1 FROM nf_model_runs WHERE id = $1 FOR UPDATE', [runId]);
    if (rows.length === 0) throw new NotFoundError(`run ${runId} does not exist`);
    const set = Object.entries(changes.set);
    if (set.length > 0)
      await tx.query(
        `INSERT INTO nf_run_tags (run_id, key, value)
         SELECT $1, key, value FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t (key, value, n) ORDER BY n
         ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value`,
        [runId, set.map(([key]) => key), set.map(([, value]) => value)],
      );
    if (changes.remove.length > 0)
      await tx.query('DELETE FROM nf_run_tags WHERE run_id = $1 AND key = ANY($2::text[])', [
        runId,
        changes.remove,
      ]);
    const { rows: counted } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM nf_run_tags WHERE run_id = $1 AND ${USER_KEY('key')}`,
      [runId],
    );
    const count = counted[0]?.n ?? 0;
    if (count > RUN_TAG_LIMITS.count)
      throw new ConfigError(
        `tags: a run carries at most ${RUN_TAG_LIMITS.count} tags; this change would leave ${count} — remove some first`,
      );
    return listRunTags(tx, runId);
  });
