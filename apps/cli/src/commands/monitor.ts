/**
 * `nflab monitor add|ls|run|rm`: scheduled drift checks of a data table. The server runs them on
 * their cron schedules (UTC); `run` checks one now, in this process, and records it the same way
 * (an alert goes to the monitor's webhook too).
 */
import type { Command } from 'commander';
import { ConfigError, NotFoundError, P_ADJUST_METHODS, type PAdjustMethod } from '@nflab/contracts';
import {
  dataScopeFromEnv,
  deleteMonitor,
  findMonitorByName,
  listMonitorRuns,
  listMonitors,
  openDataReader,
} from '@nflab/store';
import { auditCli, osUser } from '../audit.js';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';
import { loadRunner } from '../work.js';
import { correction, list, positive, probability } from './drift-flags.js';

const count =
  (flag: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!(Number.isInteger(n) && n >= 2))
      throw new ConfigError(`${flag} must be a whole number ≥ 2, got ${JSON.stringify(value)}`);
    return n;
  };

const when = (date: Date | null): string => (date === null ? '-' : date.toISOString().replace('.000Z', 'Z'));

/** Registers `nflab monitor`. */
export const monitorCommand = (program: Command): void => {
  const monitor = program
    .command('monitor')
    .description('scheduled drift checks of data tables (run by `nflab serve` on their cron schedules, UTC)');

  monitor
    .command('add <name>')
    .description('define a monitor: the last M draws against the N before them, on a cron schedule')
    .requiredOption('--table <table>', 'the data table to check')
    .requiredOption('--cron <schedule>', 'when, in UTC: "minute hour day month weekday", e.g. "0 6 * * 1"')
    .option('--loto <game>', "the game (default: the table's only game)")
    .option('--series <ids>', 'comma list of series (default: all of the game)', list)
    .option('--columns <names>', 'comma list of columns (default: y and every hist_/futr_ column)', list)
    .option(
      '--current-draws <m>',
      'the current window: the last M draws at check time',
      count('--current-draws'),
      50,
    )
    .option(
      '--reference-draws <n>',
      'the reference window: the N draws before the current one',
      count('--reference-draws'),
      200,
    )
    .option('--p-value <p>', 'a test drifts below this corrected p-value', probability, 0.01)
    .option('--psi <x>', 'and only when its PSI is at least this', positive)
    .option('--correction <method>', `p-value correction: ${P_ADJUST_METHODS.join(', ')}`, correction, 'holm')
    .option('--retrain <run-id>', 'on drift, queue a refit of this finished run')
    .option('--webhook <url>', 'on drift, POST the alert as JSON to this URL')
    .action(async (name: string, options: Record<string, unknown>, command: Command) => {
      const ctx = contextFrom(command);
      const runner = await loadRunner();
      // Checked first, so a bad schedule names its flag before anything is read.
      runner.nextCronRun(String(options.cron), new Date(), '--cron');
      const created = await ctx.withDb(async (db) => {
        const reader = await openDataReader();
        try {
          const row = await runner.defineMonitor(
            {
              name,
              table: String(options.table),
              cron: String(options.cron),
              currentDraws: options.currentDraws as number,
              referenceDraws: options.referenceDraws as number,
              pValue: options.pValue as number,
              pAdjust: options.correction as PAdjustMethod,
              createdBy: `cli:${osUser()}`,
              ...(options.loto === undefined ? {} : { loto: options.loto as string }),
              ...(options.series === undefined ? {} : { uniqueIds: options.series as string[] }),
              ...(options.columns === undefined ? {} : { columns: options.columns as string[] }),
              ...(options.psi === undefined ? {} : { psi: options.psi as number }),
              ...(options.retrain === undefined ? {} : { retrainRunId: options.retrain as string }),
              ...(options.webhook === undefined ? {} : { webhookUrl: options.webhook as string }),
            },
            { db, ...(reader === undefined ? {} : { data: reader }), scope: dataScopeFromEnv() },
          );
          await auditCli(ctx, db, {
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
          return row;
        } finally {
          await reader?.close();
        }
      });
      ctx.out.result(
        created,
        () =>
          `monitor ${created.name}: ${created.table_name} ${created.loto}, last ${created.current_draws} draws vs the ${created.reference_draws} before, ` +
          `"${created.cron}" (UTC); next ${when(created.next_run_at)}`,
      );
    });

  monitor
    .command('ls')
    .description('monitors with their schedule and last outcome')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextFrom(command);
      const rows = await ctx.withDb(async (db) =>
        Promise.all(
          (await listMonitors(db)).map(async (m) => ({
            ...m,
            last: (await listMonitorRuns(db, m.id, { limit: 1 }))[0] ?? null,
          })),
        ),
      );
      ctx.out.result(rows, () =>
        rows.length === 0
          ? 'no monitors'
          : formatTable(
              rows.map((m) => ({
                name: m.name,
                table: m.table_name,
                loto: m.loto,
                windows: `${m.current_draws} vs ${m.reference_draws}`,
                cron: m.cron,
                next: when(m.next_run_at),
                last: m.last === null ? '-' : `${m.last.status} ${when(m.last.started_at)}`,
                retrain: m.retrain_run_id ?? '-',
              })),
            ),
      );
    });

  monitor
    .command('run <name>')
    .description('check a monitor now (recorded like a scheduled check; its schedule is unchanged)')
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = contextFrom(command);
      const runner = await loadRunner();
      const { row, execution } = await ctx.withDb(async (db) => {
        const found = await findMonitorByName(db, name);
        if (found === undefined)
          throw new NotFoundError(`monitor ${JSON.stringify(name)} does not exist (see nflab monitor ls)`);
        const reader = await openDataReader();
        try {
          const ran = await runner.runMonitor({
            db,
            monitor: found,
            now: new Date(),
            scope: dataScopeFromEnv(),
            ...(reader === undefined ? {} : { data: reader }),
          });
          return { row: found, execution: ran };
        } finally {
          await reader?.close();
        }
      });
      const { run } = execution;
      // An alert reaches the monitor's webhook as a scheduled one does; a failed delivery warns.
      const delivery = await runner.sendAlertWebhook(row, execution);
      if (delivery?.ok === false) process.stderr.write(`warning: monitor ${name}: ${delivery.error}\n`);
      ctx.out.result(run, () => {
        const drifted = run.drifted.map(
          (d) => `${d.unique_id ?? ''}${d.unique_id === null ? '' : ':'}${d.column}`,
        );
        return [
          `monitor ${name}: ${run.status}${run.check_id === null ? '' : ` (check ${run.check_id})`}`,
          ...(drifted.length > 0 ? [`drifted: ${drifted.join(', ')}`] : []),
          ...(run.refit_run_id === null ? [] : [`refit queued: run ${run.refit_run_id}`]),
          ...(delivery?.ok === true ? [`webhook: delivered (HTTP ${delivery.status})`] : []),
          ...(run.error === null ? [] : [`error: ${run.error}`]),
        ].join('\n');
      });
      if (run.status === 'error') process.exitCode = 1;
    });

  monitor
    .command('rm <name>')
    .description('remove a monitor and its recorded checks (drift rows stay)')
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        if (!(await deleteMonitor(db, name)))
          throw new NotFoundError(`monitor ${JSON.stringify(name)} does not exist (see nflab monitor ls)`);
        await auditCli(ctx, db, { action: 'monitor.delete', entity: 'monitor', entityId: name });
      });
      ctx.out.result({ removed: name }, () => `removed monitor ${name}`);
    });
};
