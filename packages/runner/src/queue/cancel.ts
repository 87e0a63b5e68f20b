/** Cancelling: a queued run ends at once; a running one is flagged and its worker stops on its next heartbeat. */
import type { Queryable } from '@nflab/store';
import { refreshSweepStatuses } from './sweep-status.js';

/** What a cancel did. */
export interface CancelResult {
  /** Queued runs that are now cancelled. */
  readonly cancelled: number;
  /** Running runs whose workers were asked to stop. */
  readonly requested: number;
}

const cancelSql = `
UPDATE nf_model_runs SET
  status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
  end_time = CASE WHEN status = 'queued' THEN clock_timestamp() ELSE end_time END,
  error_message = CASE WHEN status = 'queued' THEN 'cancelled: before it started' ELSE error_message END,
  cancel_requested_at = CASE WHEN status = 'running' THEN COALESCE(cancel_requested_at, clock_timestamp())
                             ELSE cancel_requested_at END
WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running')
RETURNING status, sweep_id`;

/**
 * Cancels the unfinished runs matching `where` (SQL over nf_model_runs with `params`) inside `tx`.
 * The runs are locked in id order before any is changed: each change also locks the sweep row
 * (count trigger), and a worker finishing a run locks that run first, then the sweep — locking
 * every run first keeps the order the same and the two from deadlocking.
 */
export const cancelRunsWhere = async (
  tx: Queryable,
  where: string,
  params: readonly unknown[],
): Promise<CancelResult> => {
  const { rows: locked } = await tx.query<{ id: string }>(
    `SELECT id FROM nf_model_runs WHERE (${where}) AND status IN ('queued', 'running') ORDER BY id FOR UPDATE`,
    params,
  );
  if (locked.length === 0) return { cancelled: 0, requested: 0 };
  const { rows } = await tx.query<{ status: string; sweep_id: string | null }>(cancelSql, [
    locked.map((row) => row.id),
  ]);
  await refreshSweepStatuses(
    tx,
    rows.map((row) => row.sweep_id),
  );
  return {
    cancelled: rows.filter((row) => row.status === 'cancelled').length,
    requested: rows.filter((row) => row.status === 'running').length,
  };
};
