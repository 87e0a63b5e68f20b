/**
 * Exogenous-column importance of a saved model (nf_feature_importance), written by an
 * `importance` run inside the transaction that finishes it and read back ranked.
 */
import type { Queryable } from '../db.js';
import type { FeatureImportanceRow } from '../schema/tables.js';

/** One importance value to store: a column over every series (`unique_id` null) or over one series. */
export type NewFeatureImportance = Omit<FeatureImportanceRow, 'id' | 'run_id'>;

const COLUMNS = 'id, run_id, method, feature, unique_id, importance, std, ci_low, ci_high, rank, details';

/**
 * Inserts a run's importance rows in one statement; nothing is sent for an empty list. Rows travel
 * as one JSON array (one round trip, no parameter-count limit); values must be finite, as JSON
 * holds no NaN or Infinity.
 */
export const insertFeatureImportanceRows = async (
  tx: Queryable,
  runId: string,
  rows: readonly NewFeatureImportance[],
): Promise<void> => {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO nf_feature_importance
       (run_id, method, feature, unique_id, importance, std, ci_low, ci_high, rank, details)
     SELECT $1, r->>'method', r->>'feature', r->>'unique_id', (r->>'importance')::float8,
            (r->>'std')::float8, (r->>'ci_low')::float8, (r->>'ci_high')::float8,
            (r->>'rank')::integer, COALESCE(r->'details', '{}'::jsonb)
       FROM jsonb_array_elements($2::jsonb) AS batch(r)`,
    [runId, JSON.stringify(rows)],
  );
};

/** Which rows of a run to list: every row, the all-series rows only, or one series' rows. */
export type FeatureImportanceScope = 'all' | 'overall' | { readonly uniqueId: string };

/**
 * A run's importance rows, ranked: the all-series rows first, then each series' rows by id; within
 * each, by rank (1 = most important).
 */
export const listFeatureImportance = async (
  db: Queryable,
  runId: string,
  scope: FeatureImportanceScope = 'all',
): Promise<FeatureImportanceRow[]> => {
  const filter = scope === 'all' ? '' : scope === 'overall' ? 'AND unique_id IS NULL' : 'AND unique_id = $2';
  const params = typeof scope === 'object' ? [runId, scope.uniqueId] : [runId];
  const { rows } = await db.query<FeatureImportanceRow>(
    `SELECT ${COLUMNS} FROM nf_feature_importance WHERE run_id = $1 ${filter}
      ORDER BY unique_id NULLS FIRST, rank, feature`,
    params,
  );
  return rows;
};
