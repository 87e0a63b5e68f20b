/**
 * The export outbox (nf_run_exports): rows the run-status trigger writes when a run ends with
 * external tracking sinks, claimed by whichever process exports next. A claim moves the row's
 * `next_attempt_at` past a lease in one UPDATE over `FOR UPDATE SKIP LOCKED` rows, so processes
 * sharing the database never export one run twice at once, and a process that dies mid-export
 * leaves the row due again when its lease runs out.
 */
import type { Queryable } from '../db.js';
import type { RunExportRow } from '../schema/tables.js';
import type { ExportSink } from '../schema/vocabulary.js';

const EXPORT_COLUMNS =
  'id, run_id, sink, options, status, attempts, next_attempt_at, last_error, external_id, external_url, ' +
  'created_at, exported_at';

/** Options of {@link claimDueExports}. */
export interface ExportClaim {
  /** At most this many rows. */
  readonly limit: number;
  /** How long a claimed row is hidden from other exporters. */
  readonly leaseSeconds: number;
  /** Only these sinks (the ones this process can export). */
  readonly sinks: readonly ExportSink[];
  /**
   * Only this run's exports (`nflab run` exporting what it just ran, `nflab export sync`). Sinks
   * in `mode: 'offline'` are claimed only this way, as `wandb sync` uploads an offline run.
   */
  readonly runId?: string;
}

/**
 * Claims pending exports that are due, oldest due first, counting the attempt; returns them with
 * `attempts` already incremented.
 */
export const claimDueExports = async (db: Queryable, claim: ExportClaim): Promise<RunExportRow[]> =>
  (
    await db.query<RunExportRow>(
      `UPDATE nf_run_exports
          SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM nf_run_exports
                      WHERE status = 'pending' AND next_attempt_at <= now() AND sink = ANY($3::text[])
                        AND ($4::uuid IS NULL AND options->>'mode' IS DISTINCT FROM 'offline'
                             OR run_id = $4::uuid)
                      ORDER BY next_attempt_at, id
                      LIMIT $1
                      FOR UPDATE SKIP LOCKED)
        RETURNING ${EXPORT_COLUMNS}`,
      [claim.limit, claim.leaseSeconds, [...claim.sinks], claim.runId ?? null],
    )
  ).rows.sort((a, b) => Number(a.id) - Number(b.id));

/** Where the run now lives in the tracker. */
export interface ExportDestination {
  readonly external_id: string;
  readonly external_url: string | null;
}

/** Marks a claimed export done. */
export const markExported = async (
  db: Queryable,
  id: number,
  destination: ExportDestination,
): Promise<void> => {
  await db.query(
    `UPDATE nf_run_exports
        SET status = 'exported', exported_at = now(), last_error = NULL, external_id = $2, external_url = $3
      WHERE id = $1`,
    [id, destination.external_id, destination.external_url],
  );
};

/**
 * Records a failed attempt: due again after `retryInSeconds`, or `failed` for good when that is
 * null (attempts used up, or an error no retry can fix).
 */
export const markExportAttemptFailed = async (
  db: Queryable,
  id: number,
  error: string,
  retryInSeconds: number | null,
): Promise<void> => {
  await db.query(
    `UPDATE nf_run_exports
        SET last_error = $2,
            status = CASE WHEN $3::double precision IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = CASE WHEN $3::double precision IS NULL THEN next_attempt_at
                                   ELSE now() + make_interval(secs => $3::double precision) END
      WHERE id = $1`,
    [id, error, retryInSeconds],
  );
};

/** Makes a run's failed or pending exports due now with fresh attempts (`nflab export retry`); returns how many. */
export const retryRunExports = async (db: Queryable, runId: string): Promise<number> =>
  (
    await db.query(
      `UPDATE nf_run_exports SET status = 'pending', attempts = 0, next_attempt_at = now()
        WHERE run_id = $1 AND status <> 'exported'`,
      [runId],
    )
  ).rowCount;

/** A run's exports, by sink. */
export const listRunExports = async (db: Queryable, runId: string): Promise<RunExportRow[]> =>
  (
    await db.query<RunExportRow>(
      `SELECT ${EXPORT_COLUMNS} FROM nf_run_exports WHERE run_id = $1 ORDER BY sink`,
      [runId],
    )
  ).rows;

/**
 * Records where run `runId` lives on the user's MLflow server (nf_model_runs.mlflow_run_id and
 * mlflow_experiment), as soon as the exporter has created it there, so a retry after a partial
 * export logs into that MLflow run instead of creating a second one.
 */
export const recordMlflowDestination = async (
  db: Queryable,
  runId: string,
  destination: { readonly mlflowRunId: string; readonly experimentId: string },
): Promise<void> => {
  await db.query('UPDATE nf_model_runs SET mlflow_run_id = $2, mlflow_experiment = $3 WHERE id = $1', [
    runId,
    destination.mlflowRunId,
    destination.experimentId,
  ]);
};
