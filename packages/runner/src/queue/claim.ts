/** Taking the next queued run: one transaction that locks it, marks it running and clears old output. */
import type { RunOperation, RunSpec } from '@nflab/contracts';
import type { Queryable } from '@nflab/store';
import { refreshSweepStatus } from './sweep-status.js';
import type { ClaimedRun } from './types.js';

/**
 * Tables where an attempt writes rows of its run. A retried or requeued attempt starts from
 * nothing: rows a crashed or failed earlier attempt left behind would mix with the new ones.
 * nf_studies goes first; its trials and claims follow it by ON DELETE CASCADE.
 */
export const ATTEMPT_OUTPUT_TABLES = [
  'nf_studies',
  'nf_trials',
  'nf_step_metrics',
  'nf_resource_samples',
  'nf_predictions',
  'nf_cv_results',
  'nf_artifacts',
] as const;

interface ClaimedRow {
  id: string;
  spec: RunSpec;
  spec_fingerprint: string;
  operation: RunOperation['kind'];
  operation_options: Record<string, unknown>;
  attempt: number;
  max_attempts: number;
  sweep_id: string | null;
  parent_run_id: string | null;
  start_time: Date;
}

// SKIP LOCKED: concurrent claimers each lock a different row instead of queueing behind one.
// The database clock decides not_before, so workers with skewed clocks agree.
const claimSql = (bySweep: boolean): string => `
WITH next AS (
  SELECT id, clock_timestamp() AS at FROM nf_model_runs
   WHERE status = 'queued' AND (not_before IS NULL OR not_before <= clock_timestamp())
     AND NOT (id = ANY($2::uuid[])) ${bySweep ? 'AND sweep_id = $3' : ''}
   ORDER BY priority DESC, queue_order
   LIMIT 1
   FOR UPDATE SKIP LOCKED)
UPDATE nf_model_runs AS r SET
  status = 'running', attempt = r.attempt + 1, worker_id = $1,
  start_time = next.at, heartbeat_at = next.at,
  end_time = NULL, duration_seconds = NULL, not_before = NULL,
  metrics = '{}', best_params = NULL, model_properties = NULL, resource_summary = NULL
FROM next WHERE r.id = next.id
RETURNING r.id, r.spec, r.spec_fingerprint, r.operation, r.operation_options, r.attempt, r.max_attempts,
          r.sweep_id, r.parent_run_id, r.start_time`;

/** Options of {@link claimNextRun}. */
export interface ClaimNextOptions {
  readonly workerId: string;
  /** Only this sweep's runs. */
  readonly sweepId?: string;
  /** Runs this worker still holds (a zombie attempt of its own) are not taken again. */
  readonly excludeIds: readonly string[];
}

/** Claims the next run inside `tx`; undefined when nothing is claimable now. */
export const claimNextRun = async (
  tx: Queryable,
  options: ClaimNextOptions,
): Promise<ClaimedRun | undefined> => {
  const params: unknown[] = [options.workerId, options.excludeIds];
  if (options.sweepId !== undefined) params.push(options.sweepId);
  const { rows } = await tx.query<ClaimedRow>(claimSql(options.sweepId !== undefined), params);
  const row = rows[0];
  if (row === undefined) return undefined;
  for (const table of ATTEMPT_OUTPUT_TABLES)
    await tx.query(`DELETE FROM ${table} WHERE run_id = $1`, [row.id]);
  if (row.sweep_id !== null) await refreshSweepStatus(tx, row.sweep_id);
  return {
    id: row.id,
    spec: row.spec,
    fingerprint: row.spec_fingerprint,
    operation: { ...row.operation_options, kind: row.operation } as RunOperation,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    sweepId: row.sweep_id,
    parentRunId: row.parent_run_id,
    workerId: options.workerId,
    startTime: row.start_time,
  };
};
