import type { Command } from 'commander';
import { contextFrom } from '../context.js';
import { parseParallel, workQueue } from '../work.js';

/** `nflab worker`: execute queued runs until stopped; any number of workers may share one database. */
export const workerCommand = (program: Command): void => {
  program
    .command('worker')
    .description(
      'execute queued runs until Ctrl+C (processes on any machine reaching the database share the queue)',
    )
    .option('--parallel <n>', 'runs at once in this process', parseParallel, 1)
    .option('--sweep <id>', "only this sweep's runs")
    .option('--exit-when-idle', 'stop when nothing is queued or running')
    .action(
      async (options: { parallel: number; sweep?: string; exitWhenIdle?: boolean }, command: Command) => {
        const ctx = contextFrom(command);
        await ctx.withDb(async (db) => {
          ctx.out.info(`worker started (${options.parallel} at once, database ${db.kind}); Ctrl+C stops it`);
          const executed = await workQueue(ctx, db, {
            parallel: options.parallel,
            ...(options.sweep !== undefined ? { sweepId: options.sweep } : {}),
            exitWhenIdle: options.exitWhenIdle === true,
          });
          ctx.out.result({ executed }, () => `worker stopped after ${executed} run attempt(s)`);
        });
      },
    );
};
