/**
 * The server's monitor scheduler (issue 16): every server on a database ticks, and the database
 * decides which one runs each firing (see the runner's MonitorScheduler). An alert is counted in
 * `nflab_monitor_alerts_total`, written to the audit log as `monitor.alert` by `scheduler`, and
 * logged; the live event and the webhook come from the runner (the webhook also for a run now:
 * see the monitor routes).
 */
import { MonitorScheduler } from '@nflab/runner';
import type { DataScope, Db, MonitorRow, MonitorRunRow, Queryable } from '@nflab/store';
import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from './audit/audit-log.js';

/** What the scheduler reports to. */
export interface ServerMonitorOptions {
  readonly db: Db;
  /** Where data tables are read, and which relations are data (the data routes' settings). */
  readonly data: Queryable;
  readonly scope: DataScope;
  readonly intervalMs: number;
  readonly audit: AuditLog;
  readonly log: FastifyBaseLogger;
  /** Counts an alert (the metric), when metrics are on. */
  readonly countAlert?: (monitor: string) => void;
}

/** Who hears about an execution: the audit log, the server log, the alert counter. */
export type MonitorReporting = Pick<ServerMonitorOptions, 'audit' | 'log' | 'countAlert'>;

/**
 * Reports one execution, scheduled or run now: an error is logged; an alert is counted, logged and
 * audited as `monitor.alert` by `actor` (the scheduler, or the user who ran it now).
 */
export const reportMonitorExecution = (
  options: MonitorReporting,
  monitor: MonitorRow,
  run: MonitorRunRow,
  actor: string,
): void => {
  const { log } = options;
  if (run.status === 'error') log.warn({ monitor: monitor.name, error: run.error }, 'monitor check failed');
  if (run.status !== 'alert') return;
  options.countAlert?.(monitor.name);
  log.warn({ monitor: monitor.name, drifted: run.drifted, refitRunId: run.refit_run_id }, 'monitor alert');
  void options.audit.record({
    actor,
    action: 'monitor.alert',
    entity: 'monitor',
    entityId: monitor.name,
    details: {
      monitor_run_id: run.id,
      table_name: monitor.table_name,
      loto: monitor.loto,
      check_id: run.check_id,
      drifted: run.drifted,
      refit_run_id: run.refit_run_id,
      ...(run.error === null ? {} : { error: run.error }),
    },
  });
};

/** Starts ticking; the returned function stops and waits for the tick in progress. */
export const startServerMonitors = (options: ServerMonitorOptions): (() => Promise<void>) => {
  const { log } = options;
  const scheduler = new MonitorScheduler({
    db: options.db,
    data: options.data,
    scope: options.scope,
    intervalMs: options.intervalMs,
    onExecution: (monitor, { run }) => reportMonitorExecution(options, monitor, run, 'scheduler'),
    onWebhook: (monitor, result) => {
      if (!result.ok)
        log.warn({ monitor: monitor.name, error: result.error }, 'monitor webhook not delivered');
    },
    onError: (err, monitor) => log.error({ err, monitor: monitor?.name }, 'monitor scheduler'),
  });
  scheduler.start();
  return () => scheduler.close();
};
