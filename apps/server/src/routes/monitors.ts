import type { FastifyPluginAsync } from 'fastify';
import {
  ConflictError,
  InputError,
  MONITOR_LIMITS,
  MONITOR_ROUTES as ROUTE,
  NotFoundError,
  type MonitorDto,
  type MonitorRunDto,
} from '@nflab/contracts';
import {
  defineMonitor,
  nextCronRun,
  runMonitor,
  sendAlertWebhook,
  shortestCronGapSeconds,
} from '@nflab/runner';
import {
  countMonitors,
  deleteMonitor,
  findMonitorByName,
  listMonitorRuns,
  listMonitors,
  type MonitorRow,
  type MonitorRunRow,
  type Queryable,
} from '@nflab/store';
import { audit } from '../audit/record.js';
import { reportMonitorExecution } from '../monitors.js';
import { attach } from './attach.js';

/** Recent executions and alerts a monitor's page shows. */
const RECENT = 20;

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

const runDto = (run: MonitorRunRow): MonitorRunDto => ({
  id: Number(run.id),
  started_at: run.started_at.toISOString(),
  finished_at: iso(run.finished_at),
  status: run.status,
  check_id: run.check_id,
  drifted: run.drifted,
  error: run.error,
  refit_run_id: run.refit_run_id,
});

const monitorDto = (row: MonitorRow, last: MonitorRunRow | undefined): MonitorDto => ({
  id: Number(row.id),
  name: row.name,
  table: row.table_name,
  loto: row.loto,
  unique_ids: row.unique_ids,
  columns: row.columns,
  cron: row.cron,
  current_draws: row.current_draws,
  reference_draws: row.reference_draws,
  thresholds: { p_value: row.p_value, psi: row.psi, p_adjust: row.p_adjust },
  retrain_run_id: row.retrain_run_id,
  webhook_host: row.webhook_url === null ? null : new URL(row.webhook_url).host,
  enabled: row.enabled,
  created_by: row.created_by,
  created_at: row.created_at.toISOString(),
  last_run_at: iso(row.last_run_at),
  next_run_at: iso(row.next_run_at),
  last_run: last === undefined ? null : runDto(last),
});

const requireMonitor = async (db: Queryable, name: string): Promise<MonitorRow> => {
  const row = await findMonitorByName(db, name);
  if (row === undefined) throw new NotFoundError(`monitor ${JSON.stringify(name)} does not exist`);
  return row;
};

/**
 * The cron text must read and must not fire more often than MONITOR_LIMITS.minIntervalSeconds:
 * every firing is a drift check in the server. Both problems are the body's `cron` field.
 */
const checkSchedule = (cron: string, now: Date): void => {
  let gap: number;
  try {
    nextCronRun(cron, now);
    gap = shortestCronGapSeconds(cron, now);
  } catch (error) {
    throw new InputError([{ path: 'body.cron', message: (error as Error).message }]);
  }
  if (gap < MONITOR_LIMITS.minIntervalSeconds)
    throw new InputError([
      {
        path: 'body.cron',
        message: `"${cron}" fires every ${gap} s; a monitor runs at most once every ${MONITOR_LIMITS.minIntervalSeconds} s (MONITOR_LIMITS.minIntervalSeconds) — use a five-field schedule such as "0 * * * *"`,
      },
    ]);
};

/**
 * Scheduled monitors over the API, as `nflab monitor add|ls|run|rm` (the same defineMonitor checks
 * the table and game through the data connection and scope, the run to retrain and the webhook).
 * Creating, running now and removing are audited (`monitor.create`, `monitor.run`,
 * `monitor.delete`); a run now that alerts is also reported like a scheduled alert, its webhook
 * included (whether it was delivered is in the `monitor.run` entry). A monitor runs now once at a
 * time in this server (a second request while it runs is 409), and at most
 * MONITOR_LIMITS.maxMonitors exist.
 */
export const monitorRoutes: FastifyPluginAsync = async (app) => {
  const runningNow = new Set<string>();

  attach(app, ROUTE.listMonitors, async () => {
    const rows = await listMonitors(app.db);
    const items = await Promise.all(
      rows.map(async (row) => monitorDto(row, (await listMonitorRuns(app.db, row.id, { limit: 1 }))[0])),
    );
    return { items };
  });

  attach(app, ROUTE.createMonitor, async ({ body }, request, reply) => {
    const now = new Date();
    checkSchedule(body.cron, now);
    if ((await countMonitors(app.db)) >= MONITOR_LIMITS.maxMonitors)
      throw new ConflictError(
        `the lab already has ${MONITOR_LIMITS.maxMonitors} monitors (MONITOR_LIMITS.maxMonitors); remove one first`,
      );
    const { thresholds } = body;
    const row = await defineMonitor(
      {
        name: body.name,
        table: body.table,
        cron: body.cron,
        currentDraws: body.current_draws,
        referenceDraws: body.reference_draws,
        createdBy: request.user?.username ?? 'anonymous',
        ...(body.loto === undefined ? {} : { loto: body.loto }),
        ...(body.unique_ids === undefined ? {} : { uniqueIds: body.unique_ids }),
        ...(body.columns === undefined ? {} : { columns: body.columns }),
        ...(thresholds?.p_value === undefined ? {} : { pValue: thresholds.p_value }),
        ...(thresholds?.psi === undefined ? {} : { psi: thresholds.psi }),
        ...(thresholds?.p_adjust === undefined ? {} : { pAdjust: thresholds.p_adjust }),
        ...(body.retrain_run_id === undefined ? {} : { retrainRunId: body.retrain_run_id }),
        ...(body.webhook_url === undefined ? {} : { webhookUrl: body.webhook_url }),
      },
      { db: app.db, data: app.dataDb, scope: app.lab.dataScope, now },
    );
    await audit(request, {
      action: 'monitor.create',
      entity: 'monitor',
      entityId: row.name,
      details: {
        table_name: row.table_name,
        loto: row.loto,
        cron: row.cron,
        retrain_run_id: row.retrain_run_id,
      },
    });
    return reply.status(201).send(monitorDto(row, undefined));
  });

  attach(app, ROUTE.getMonitor, async ({ params }) => {
    const row = await requireMonitor(app.db, params.name);
    const [runs, alerts] = await Promise.all([
      listMonitorRuns(app.db, row.id, { limit: RECENT }),
      listMonitorRuns(app.db, row.id, { limit: RECENT, status: 'alert' }),
    ]);
    return { monitor: monitorDto(row, runs[0]), runs: runs.map(runDto), alerts: alerts.map(runDto) };
  });

  attach(app, ROUTE.listMonitorRuns, async ({ params, query }) => {
    const row = await requireMonitor(app.db, params.name);
    const runs = await listMonitorRuns(app.db, row.id, {
      limit: query.limit,
      ...(query.status === undefined ? {} : { status: query.status }),
    });
    return { items: runs.map(runDto) };
  });

  attach(app, ROUTE.runMonitorNow, async ({ params }, request) => {
    const row = await requireMonitor(app.db, params.name);
    if (runningNow.has(row.name))
      throw new ConflictError(`monitor ${row.name} is being checked now; wait for that check`);
    runningNow.add(row.name);
    try {
      const execution = await runMonitor({
        db: app.db,
        monitor: row,
        now: new Date(),
        data: app.dataDb,
        scope: app.lab.dataScope,
      });
      const { run, summary } = execution;
      const actor = request.user?.username ?? 'anonymous';
      reportMonitorExecution(
        { audit: app.audit, log: request.log, countAlert: app.scrape?.metrics.countMonitorAlert },
        row,
        run,
        actor,
      );
      // The same delivery as a scheduled alert's: awaited, so the answer comes after the attempt.
      const delivery = await sendAlertWebhook(row, execution);
      if (delivery?.ok === false)
        request.log.warn({ monitor: row.name, error: delivery.error }, 'monitor webhook not delivered');
      await audit(request, {
        action: 'monitor.run',
        entity: 'monitor',
        entityId: row.name,
        details: {
          monitor_run_id: Number(run.id),
          status: run.status,
          check_id: run.check_id,
          drifted: run.drifted.length,
          ...(delivery === undefined ? {} : { webhook: delivery.ok ? 'delivered' : 'failed' }),
        },
      });
      return { run: runDto(run), check: summary };
    } finally {
      runningNow.delete(row.name);
    }
  });

  attach(app, ROUTE.deleteMonitor, async ({ params }, request, reply) => {
    if (!(await deleteMonitor(app.db, params.name)))
      throw new NotFoundError(`monitor ${JSON.stringify(params.name)} does not exist`);
    await audit(request, { action: 'monitor.delete', entity: 'monitor', entityId: params.name });
    return reply.status(204).send();
  });
};
