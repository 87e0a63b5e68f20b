/** One statement that inserts a batch of queued runs, in the order given. */
import { ConflictError, NotFoundError } from '@nflab/contracts';
import type { Queryable } from '@nflab/store';
import {
  errorCodes,
  FOREIGN_KEY_VIOLATION,
  INVALID_TEXT_REPRESENTATION,
  messageIncludes,
  UNIQUE_VIOLATION,
} from './driver-errors.js';
import { runInsertRow } from './seed-columns.js';
import type { EnqueueRun } from './types.js';

// Rows travel as one JSON array: one round trip for any batch size, no parameter-count limit.
const insertSql = (skipExisting: boolean): string => `
INSERT INTO nf_model_runs (table_name, loto, unique_ids, model_name, backend, horizon, loss, metric,
  optimization_config, search_space, spec, seed, spec_fingerprint, operation, operation_options,
  priority, max_attempts, retry_delay_seconds, parent_run_id, sweep_id)
SELECT r->>'table_name', r->>'loto', ARRAY(SELECT jsonb_array_elements_text(r->'unique_ids')),
  r->>'model_name', r->>'backend', (r->>'horizon')::integer, r->>'loss', r->>'metric',
  r->'optimization_config', NULLIF(r->'search_space', 'null'::jsonb), r->'spec', (r->>'seed')::bigint,
  r->>'spec_fingerprint', r->>'operation', r->'operation_options', (r->>'priority')::integer,
  (r->>'max_attempts')::integer, (r->>'retry_delay_seconds')::double precision,
  (r->>'parent_run_id')::uuid, $2::uuid
FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS batch(r, position)
ORDER BY position
${skipExisting ? 'ON CONFLICT (sweep_id, spec_fingerprint) WHERE sweep_id IS NOT NULL DO NOTHING' : ''}
RETURNING id, queue_order`;

/** Runs per INSERT: a 100,000-run sweep is sent in pieces, not as one huge JSON text. */
export const INSERT_BATCH_ROWS = 500;

/** Options of {@link insertRuns}. */
export interface InsertRunsOptions {
  readonly sweepId: string | null;
  /** Skip runs whose fingerprint the sweep already has (resume) instead of failing. */
  readonly skipExisting: boolean;
}

const translate = (error: unknown, sweepId: string | null): unknown => {
  const codes = errorCodes(error);
  if (codes.includes(UNIQUE_VIOLATION))
    return new ConflictError(
      `sweep ${sweepId} already has a run with one of these spec fingerprints; each run appears once in a sweep (use addMissingRuns to resume)`,
      { cause: error },
    );
  if (codes.includes(FOREIGN_KEY_VIOLATION) && messageIncludes(error, 'sweep_id'))
    return new NotFoundError(`sweep ${sweepId} does not exist`, { cause: error });
  if (codes.includes(FOREIGN_KEY_VIOLATION) && messageIncludes(error, 'parent_run_id'))
    return new NotFoundError('a parentRunId names no run in nf_model_runs', { cause: error });
  if (codes.includes(INVALID_TEXT_REPRESENTATION))
    return new NotFoundError(`sweepId or parentRunId is not a run/sweep id (a uuid)`, { cause: error });
  return error;
};

/** Inserts `runs` as queued, returning the new ids in input order (skipped runs left out). */
export const insertRuns = async (
  q: Queryable,
  runs: readonly EnqueueRun[],
  { sweepId, skipExisting }: InsertRunsOptions,
): Promise<string[]> => {
  const rows = runs.map(runInsertRow);
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + INSERT_BATCH_ROWS);
    try {
      const { rows: inserted } = await q.query<{ id: string; queue_order: number }>(insertSql(skipExisting), [
        JSON.stringify(batch),
        sweepId,
      ]);
      ids.push(...inserted.sort((a, b) => a.queue_order - b.queue_order).map((row) => row.id));
    } catch (error) {
      throw translate(error, sweepId);
    }
  }
  return ids;
};
