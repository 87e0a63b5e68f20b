/**
 * Scheduled monitors (nf_monitors), their executions (nf_monitor_runs) and the `monitor-alert`
 * event a drifted execution raises. The schedule lives in `next_run_at`: a process runs a due
 * monitor only after moving that value forward itself ({@link claimMonitor}), so processes sharing
 * the database never run one firing twice.
 */
import { ConflictError, type PAdjustMethod } from '@nflab/contracts';
import type { Queryable } from '../db.js';
import type { MonitorRow, MonitorRunRow } from '../schema/tables.js';
import type { MonitorRunStatus } from '../schema/vocabulary.js';

const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a driver error wrapped by the Db (StoreError keeps it as `cause`). */
const sqlState = (error: unknown): string | undefined => {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

const MONITOR_COLUMNS =
  'id, name, table_name, loto, unique_ids, columns, current_draws, reference_draws, p_value, psi, ' +
  'p_adjust, cron, retrain_run_id, webhook_url, enabled, created_by, created_at, last_run_at, next_run_at';

const RUN_COLUMNS = 'id, monitor_id, started_at, finished_at, status, check_id, drifted, error, refit_run_id';

/** What a new monitor says; the caller has checked the cron text and computed `next_run_at`. */
export interface NewMonitor {
  readonly name: string;
  readonly table_name: string;
  readonly loto: string;
  readonly unique_ids?: readonly string[] | null;
  readonly columns?: readonly string[] | null;
  readonly current_draws: number;
  readonly reference_draws: number;
  /** @default 0.01 */
  readonly p_value?: number;
  readonly psi?: number | null;
  /** @default 'holm' */
  readonly p_adjust?: PAdjustMethod;
  readonly cron: string;
  readonly retrain_run_id?: string | null;
  readonly webhook_url?: string | null;
  readonly created_by?: string | null;
  readonly next_run_at: Date | null;
}

/** Stores a monitor; a taken name is a ConflictError naming it. */
export const insertMonitor = async (db: Queryable, monitor: NewMonitor): Promise<MonitorRow> => {
  try {
    const { rows } = await db.query<MonitorRow>(
      `INSERT INTO nf_monitors (name, table_name, loto, unique_ids, columns, current_draws, reference_draws,
                                p_value, psi, p_adjust, cron, retrain_run_id, webhook_url, created_by, next_run_at)
       VALUES ($1, $2, $3, $4::text[], $5::text[], $6, $7, $8, $9, $10, $11, $12::uuid, $13, $14, $15)
       RETURNING ${MONITOR_COLUMNS}`,
      [
        monitor.name,
        monitor.table_name,
        monitor.loto,
        monitor.unique_ids ?? null,
        monitor.columns ?? null,
        monitor.current_draws,
        monitor.reference_draws,
        monitor.p_value ?? 0.01,
        monitor.psi ?? null,
        monitor.p_adjust ?? 'holm',
        monitor.cron,
        monitor.retrain_run_id ?? null,
        monitor.webhook_url ?? null,
        monitor.created_by ?? null,
        monitor.next_run_at,
      ],
    );
    return rows[0] as MonitorRow;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION)
      throw new ConflictError(
        `monitor "${monitor.name}" already exists; remove it first or pick another name`,
        {
          cause: error,
        },
      );
    throw error;
  }
};

/** Every monitor by name. */
export const listMonitors = async (db: Queryable): Promise<MonitorRow[]> =>
  (await db.query<MonitorRow>(`SELECT ${MONITOR_COLUMNS} FROM nf_monitors ORDER BY name`)).rows;

/** The monitor called `name`, if any. */
export const findMonitorByName = async (db: Queryable, name: string): Promise<MonitorRow | undefined> =>
  (await db.query<MonitorRow>(`SELECT ${MONITOR_COLUMNS} FROM nf_monitors WHERE name = $1`, [name])).rows[0];

/** Deletes the monitor called `name` (and its executions); false when there was none. */
export const deleteMonitor = async (db: Queryable, name: string): Promise<boolean> =>
  (await db.query('DELETE FROM nf_monitors WHERE name = $1', [name])).rowCount > 0;

/** Enabled monitors whose `next_run_at` is unset or not after `now`, soonest first. */
export const listDueMonitors = async (db: Queryable, now: Date): Promise<MonitorRow[]> =>
  (
    await db.query<MonitorRow>(
      `SELECT ${MONITOR_COLUMNS} FROM nf_monitors
        WHERE enabled AND (next_run_at IS NULL OR next_run_at <= $1)
        ORDER BY next_run_at NULLS FIRST, id`,
      [now],
    )
  ).rows;

/** Which firing a process claims: the `next_run_at` it saw, and the one after it. */
export interface MonitorClaim {
  readonly id: number;
  /** The value read by {@link listDueMonitors} (null: never scheduled). */
  readonly seen: Date | null;
  readonly next: Date | null;
  readonly now: Date;
}

/**
 * Moves a due monitor's `next_run_at` from `seen` to `next` in one conditional UPDATE; the row
 * comes back only to the process whose UPDATE matched, so of several processes that saw the same
 * firing exactly one runs it. A never-scheduled monitor (`seen` null) is only scheduled, not run.
 */
export const claimMonitor = async (db: Queryable, claim: MonitorClaim): Promise<MonitorRow | undefined> =>
  (
    await db.query<MonitorRow>(
      `UPDATE nf_monitors
          SET next_run_at = $2, last_run_at = CASE WHEN $3::timestamptz IS NULL THEN last_run_at ELSE $4 END
        WHERE id = $1 AND enabled AND next_run_at IS NOT DISTINCT FROM $3::timestamptz
          AND ($3::timestamptz IS NULL OR next_run_at <= $4)
        RETURNING ${MONITOR_COLUMNS}`,
      [claim.id, claim.next, claim.seen, claim.now],
    )
  ).rows[0];

/** Starts recording an execution of a monitor; returns its id. */
export const startMonitorRun = async (db: Queryable, monitorId: number): Promise<number> =>
  Number(
    (
      await db.query<{ id: number }>(
        `INSERT INTO nf_monitor_runs (monitor_id, status) VALUES ($1, 'running') RETURNING id`,
        [monitorId],
      )
    ).rows[0]?.id,
  );

/** How an execution ended. */
export interface MonitorRunOutcome {
  readonly status: Exclude<MonitorRunStatus, 'running'>;
  readonly check_id?: string | null;
  /** Series (null for the numbers' uniformity) and column of each drifted test. */
  readonly drifted?: readonly { readonly unique_id: string | null; readonly column: string }[];
  readonly error?: string | null;
  readonly refit_run_id?: string | null;
}

/** Records how an execution ended (and stamps its end time); returns the stored row. */
export const finishMonitorRun = async (
  db: Queryable,
  id: number,
  outcome: MonitorRunOutcome,
): Promise<MonitorRunRow> =>
  (
    await db.query<MonitorRunRow>(
      `UPDATE nf_monitor_runs
          SET finished_at = now(), status = $2, check_id = $3::uuid, drifted = $4::jsonb, error = $5,
              refit_run_id = $6::uuid
        WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
      [
        id,
        outcome.status,
        outcome.check_id ?? null,
        JSON.stringify(outcome.drifted ?? []),
        outcome.error ?? null,
        outcome.refit_run_id ?? null,
      ],
    )
  ).rows[0] as MonitorRunRow;

/** Which executions {@link listMonitorRuns} reads. */
export interface MonitorRunFilter {
  /** @default 50 */
  readonly limit?: number;
  /** Only executions that ended so (or are running). */
  readonly status?: MonitorRunStatus;
}

/** A monitor's executions, newest first. */
export const listMonitorRuns = async (
  db: Queryable,
  monitorId: number,
  filter: MonitorRunFilter = {},
): Promise<MonitorRunRow[]> =>
  (
    await db.query<MonitorRunRow>(
      `SELECT ${RUN_COLUMNS} FROM nf_monitor_runs
        WHERE monitor_id = $1 AND ($3::text IS NULL OR status = $3)
        ORDER BY id DESC LIMIT $2`,
      [monitorId, filter.limit ?? 50, filter.status ?? null],
    )
  ).rows;

/** How many monitors are defined. */
export const countMonitors = async (db: Queryable): Promise<number> =>
  Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM nf_monitors')).rows[0]?.n ?? 0);

/**
 * Appends a `monitor-alert` event (the payload as the contracts describe it) and wakes listening
 * servers, as the triggers do for runs; returns the event id.
 */
export const insertMonitorAlertEvent = async (
  db: Queryable,
  payload: Readonly<Record<string, unknown>>,
): Promise<number> => {
  const { rows } = await db.query<{ id: number }>(
    `WITH event AS (
       INSERT INTO nf_events (type, payload) VALUES ('monitor-alert', $1::jsonb) RETURNING id
     )
     SELECT id, nflab_notify_events(id) FROM event`,
    [JSON.stringify(payload)],
  );
  return Number(rows[0]?.id);
};
