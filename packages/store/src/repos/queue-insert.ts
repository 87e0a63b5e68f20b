/** One statement per batch that inserts queued runs, in the order given. */
import type { Queryable } from '../db.js';
import type { ModelRunRow } from '../schema/index.js';

type InsertedColumn =
  | 'table_name'
  | 'loto'
  | 'unique_ids'
  | 'model_name'
  | 'backend'
  | 'horizon'
  | 'loss'
  | 'metric'
  | 'optimization_config'
  | 'search_space'
  | 'spec'
  | 'seed'
  | 'spec_fingerprint'
  | 'operation'
  | 'operation_options'
  | 'priority'
  | 'max_attempts'
  | 'retry_delay_seconds'
  | 'parent_run_id'
  | 'trace_parent';

/** One queued run as the insert statement reads it (a JSON object per row). */
export type RunInsertRow = {
  readonly [K in InsertedColumn]: K extends 'unique_ids' ? readonly string[] : ModelRunRow[K];
};

// Rows travel as one JSON array: one round trip for any batch size, no parameter-count limit.
const insertSql = (skipExisting: boolean): string => `
INSERT INTO nf_model_runs (table_name, loto, unique_ids, model_name, backend, horizon, loss, metric,
  optimization_config, search_space, spec, seed, spec_fingerprint, operation, operation_options,
  priority, max_attempts, retry_delay_seconds, parent_run_id, trace_parent, sweep_id)
SELECT r->>'table_name', r->>'loto', ARRAY(SELECT jsonb_array_elements_text(r->'unique_ids')),
  r->>'model_name', r->>'backend', (r->>'horizon')::integer, r->>'loss', r->>'metric',
  r->'optimization_config', NULLIF(r->'search_space', 'null'::jsonb), r->'spec', (r->>'seed')::bigint,
  r->>'spec_fingerprint', r->>'operation', r->'operation_options', (r->>'priority')::integer,
  (r->>'max_attempts')::integer, (r->>'retry_delay_seconds')::double precision,
  (r->>'parent_run_id')::uuid, r->>'trace_parent', $2::uuid
FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS batch(r, position)
ORDER BY position
${skipExisting ? 'ON CONFLICT (sweep_id, spec_fingerprint) WHERE sweep_id IS NOT NULL DO NOTHING' : ''}
RETURNING id, queue_order`;

/** Runs per INSERT: a 100,000-run sweep is sent in pieces, not as one huge JSON text. */
export const INSERT_BATCH_ROWS = 500;

/** Options of {@link insertQueuedRuns}. */
export interface InsertQueuedRunsOptions {
  readonly sweepId: string | null;
  /** Skip runs whose fingerprint the sweep already has (resume) instead of failing. */
  readonly skipExisting: boolean;
}

/**
 * Inserts `rows` as queued runs (of the sweep, if any) in batches of {@link INSERT_BATCH_ROWS},
 * returning the new ids in input order (skipped runs left out). Driver errors (unique or foreign
 * key violations) propagate as they are.
 */
export const insertQueuedRuns = async (
  q: Queryable,
  rows: readonly RunInsertRow[],
  { sweepId, skipExisting }: InsertQueuedRunsOptions,
): Promise<string[]> => {
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + INSERT_BATCH_ROWS);
    const { rows: inserted } = await q.query<Pick<ModelRunRow, 'id' | 'queue_order'>>(
      insertSql(skipExisting),
      [JSON.stringify(batch), sweepId],
    );
    ids.push(...inserted.sort((a, b) => a.queue_order - b.queue_order).map((row) => row.id));
  }
  return ids;
};
