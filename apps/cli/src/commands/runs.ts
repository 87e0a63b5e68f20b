import type { Command } from 'commander';
import { NotFoundError } from '@nflab/contracts';
import { findRunByIdText, latestRunSummaries } from '@nflab/store';
import { contextFrom } from '../context.js';
import { renderRuns } from '../run-summary.js';

const integer = (value: string): number => Number.parseInt(value, 10);

/** `nflab runs ls|show`: what ran, with its numbers. */
export const runsCommand = (program: Command): void => {
  const runs = program.command('runs').description('recorded runs');
  runs
    .command('ls')
    .description('the latest runs with their metrics next to the historic-average baseline')
    .option('--status <status>', 'queued, running, finished, failed or cancelled')
    .option('--limit <n>', 'rows', integer, 20)
    .action(async (options: { status?: string; limit: number }, command: Command) => {
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const rows = await latestRunSummaries(db, {
          limit: options.limit,
          ...(options.status ? { status: options.status } : {}),
        });
        ctx.out.result(rows, () => renderRuns(rows));
      });
    });
  runs
    .command('show <id>')
    .description('every recorded column of one run')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const run = await findRunByIdText(db, id);
        if (run === undefined) throw new NotFoundError(`run ${id} does not exist`);
        ctx.out.result(run, () => JSON.stringify(run, null, 2));
      });
    });
};
