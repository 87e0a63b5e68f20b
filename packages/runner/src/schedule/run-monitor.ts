/**
 * One execution of a scheduled monitor (issue 16): the table's drift between its windows through
 * `checkTableDrift`, recorded in nf_monitor_runs; a drift raises a `monitor-alert` event and, when
 * the monitor names a run to retrain, queues a refit of that run. A failure is recorded as an
 * `error` execution with its message; only bugs (not lab errors) propagate after being recorded.
 */
import { LabError } from '@nflab/contracts';
import {
  finishMonitorRun,
  insertMonitorAlertEvent,
  startMonitorRun,
  type DataScope,
  type Db,
  type MonitorRow,
  type MonitorRunRow,
  type Queryable,
} from '@nflab/store';
import { checkTableDrift, type TableDriftSummary } from '../analyses/table-drift.js';
import { submitModelOperation } from '../lab/submit.js';
import { RunQueue } from '../queue/run-queue.js';
import { monitorWindows } from './monitor-windows.js';

/** What to run. */
export interface RunMonitorOptions {
  readonly db: Db;
  readonly monitor: MonitorRow;
  /** The check time: the current window ends at the last draw on or before this day. */
  readonly now: Date;
  /** The queue a refit joins. @default a RunQueue on `db` */
  readonly queue?: RunQueue;
  /** Where data tables are read (a read-only connection). @default db */
  readonly data?: Queryable;
  /** Which relations are data tables. @default the store's DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
}

/** The recorded execution, the drift check when one ran, and the alert event when one was raised. */
export interface MonitorExecution {
  readonly run: MonitorRunRow;
  readonly summary: TableDriftSummary | null;
  readonly alertEventId: number | null;
  /** Why a wanted refit was not queued (the alert stands; the execution's `error` says the same). */
  readonly refitError: string | null;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Queues the refit a drift asks for; a refused refit is reported, not thrown, so the alert stands. */
const queueRefit = async (
  options: RunMonitorOptions,
): Promise<{ refitRunId: string | null; refitError: string | null }> => {
  const parent = options.monitor.retrain_run_id;
  if (parent === null) return { refitRunId: null, refitError: null };
  try {
    const queue = options.queue ?? new RunQueue(options.db);
    const { runId } = await submitModelOperation(options.db, queue, parent, { kind: 'refit' });
    return { refitRunId: runId, refitError: null };
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    return { refitRunId: null, refitError: `refit of run ${parent} not queued: ${error.message}` };
  }
};

/** Runs a monitor once at `now` and records the execution (see the module comment). */
export const runMonitor = async (options: RunMonitorOptions): Promise<MonitorExecution> => {
  const { db, monitor, now } = options;
  const runId = await startMonitorRun(db, monitor.id);
  let summary: TableDriftSummary;
  try {
    const data = options.data ?? db;
    const windows = await monitorWindows(data, monitor, now, options.scope);
    summary = await checkTableDrift({
      db: { lab: db, data, ...(options.scope === undefined ? {} : { scope: options.scope }) },
      table: monitor.table_name,
      loto: monitor.loto,
      ...(monitor.unique_ids === null ? {} : { uniqueIds: monitor.unique_ids }),
      ...(monitor.columns === null ? {} : { columns: monitor.columns }),
      ...windows,
      thresholds: {
        pValue: monitor.p_value,
        ...(monitor.psi === null ? {} : { psi: monitor.psi }),
        pAdjust: monitor.p_adjust,
      },
    });
  } catch (error) {
    const run = await finishMonitorRun(db, runId, { status: 'error', error: messageOf(error) });
    if (!(error instanceof LabError)) throw error;
    return { run, summary: null, alertEventId: null, refitError: null };
  }
  const drifted = summary.drifted.map((d) => ({ unique_id: d.uniqueId, column: d.column }));
  if (drifted.length === 0) {
    const run = await finishMonitorRun(db, runId, { status: 'ok', check_id: summary.checkId });
    return { run, summary, alertEventId: null, refitError: null };
  }
  const { refitRunId, refitError } = await queueRefit(options);
  const outcome = {
    status: 'alert',
    check_id: summary.checkId,
    drifted,
    error: refitError,
    refit_run_id: refitRunId,
  } as const;
  // The execution and its event land together, so the UI never sees an alert the table lacks.
  const { run, alertEventId } = await db.transaction(async (tx) => {
    const row = await finishMonitorRun(tx, runId, outcome);
    const eventId = await insertMonitorAlertEvent(tx, {
      monitor_id: monitor.id,
      monitor: monitor.name,
      monitor_run_id: runId,
      table_name: monitor.table_name,
      loto: monitor.loto,
      check_id: summary.checkId,
      drifted,
      refit_run_id: refitRunId,
    });
    return { run: row, alertEventId: eventId };
  });
  return { run, summary, alertEventId, refitError };
};
