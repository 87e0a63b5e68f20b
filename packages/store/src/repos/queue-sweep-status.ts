/** A sweep's status follows from its runs' counts (kept by the nf_model_runs_sweep_counts trigger). */
import type { Queryable } from '../db.js';
import type { SweepRow } from '../schema/index.js';

// Running while any run runs or a started sweep has queued ones; queued before its first claim;
// once nothing is left, failed if any run failed, else cancelled if any was, else finished.
const NEXT_STATUS = `(CASE
  WHEN runs_running > 0 THEN 'running'
  WHEN runs_queued > 0 AND start_time IS NOT NULL THEN 'running'
  WHEN runs_queued > 0 THEN 'queued'
  WHEN runs_failed > 0 THEN 'failed'
  WHEN runs_cancelled > 0 THEN 'cancelled'
  ELSE 'finished' END)`;

/**
 * Sets the sweep's status from its counts. The status is computed from the row the UPDATE locks
 * (not from a subquery's snapshot), so when two workers end the last runs at once the second one
 * sees the first one's counts. Unchanged sweeps are not written (no empty progress events).
 */
export const refreshSweepStatus = async (q: Queryable, sweepId: string): Promise<void> => {
  await q.query(
    `UPDATE nf_sweeps SET
       status = ${NEXT_STATUS},
       start_time = CASE WHEN ${NEXT_STATUS} = 'running' THEN COALESCE(start_time, clock_timestamp()) ELSE start_time END,
       end_time = CASE WHEN ${NEXT_STATUS} IN ('finished', 'failed', 'cancelled') THEN COALESCE(end_time, clock_timestamp()) END
     WHERE id = $1 AND (status <> ${NEXT_STATUS} OR (${NEXT_STATUS} = 'running' AND start_time IS NULL))`,
    [sweepId],
  );
};

/** Refreshes each distinct sweep of `sweepIds` (nulls skipped). */
export const refreshSweepStatuses = async (
  q: Queryable,
  sweepIds: readonly (string | null)[],
): Promise<void> => {
  for (const sweepId of new Set(sweepIds)) if (sweepId !== null) await refreshSweepStatus(q, sweepId);
};

/** A sweep's status and the run counts its trigger keeps. */
export type SweepCountsRow = Pick<
  SweepRow,
  | 'id'
  | 'status'
  | 'planned_runs'
  | 'runs_queued'
  | 'runs_running'
  | 'runs_finished'
  | 'runs_failed'
  | 'runs_cancelled'
  | 'start_time'
  | 'end_time'
>;

/** The sweep's status and counts; undefined when there is no such sweep. */
export const findSweepCounts = async (q: Queryable, sweepId: string): Promise<SweepCountsRow | undefined> => {
  const { rows } = await q.query<SweepCountsRow>(
    `SELECT id, status, planned_runs, runs_queued, runs_running, runs_finished, runs_failed, runs_cancelled,
            start_time, end_time
       FROM nf_sweeps WHERE id = $1`,
    [sweepId],
  );
  return rows[0];
};
