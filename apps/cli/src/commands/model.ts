import type { Command } from 'commander';
import { TrainingError, type RunOperationInput } from '@nflab/contracts';
import { runSummariesById } from '@nflab/store';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { renderRuns } from '../run-summary.js';
import { loadRunner, workQueue } from '../work.js';

const integer = (value: string): number => Number.parseInt(value, 10);

const refitOption = (value: string): boolean | number =>
  value === 'true' ? true : value === 'false' ? false : Number.parseInt(value, 10);

/** Queues one model operation on a finished run and, unless detached, works the queue until it is done. */
const operate = async (
  command: Command,
  parentRunId: string,
  operation: RunOperationInput,
  detach: boolean,
) => {
  const ctx = contextFrom(command);
  await ctx.withDb(async (db) => {
    const runner = await loadRunner();
    const { runId } = await runner.submitModelOperation(db, new runner.RunQueue(db), parentRunId, operation);
    await auditCli(ctx, db, {
      // train is refused by submitModelOperation above, so these are the three left.
      action:
        operation.kind === 'predict' ? 'run.predict' : operation.kind === 'refit' ? 'run.refit' : 'run.cv',
      entity: 'run',
      entityId: parentRunId,
      details: { child_run_id: runId },
    });
    ctx.out.info(`queued ${operation.kind} run ${runId} (parent ${parentRunId})`);
    if (!detach) await workQueue(ctx, db, { parallel: 1, exitWhenIdle: true });
    const runs = await runSummariesById(db, [runId]);
    ctx.out.result(runs[0], () => renderRuns(runs));
    if (!detach && runs[0]?.status !== 'finished')
      throw new TrainingError(
        `run ${runId} ${runs[0]?.status ?? 'is missing'}: ${runs[0]?.error_message ?? ''}`,
      );
  });
};

/** `nflab model predict|refit|cv RUN`: model operations, each recorded as a run linked to its parent. */
export const modelCommand = (program: Command): void => {
  const model = program.command('model').description('use the saved model of a finished run');
  model
    .command('predict <run>')
    .description("forecast h steps with the run's saved model")
    .option(
      '--parent-data',
      "forecast from the data the run was fitted on (default: the table's current rows)",
    )
    .option('--detach', 'only queue it')
    .action(async (run: string, options: { parentData?: boolean; detach?: boolean }, command: Command) =>
      operate(
        command,
        run,
        { kind: 'predict', latest_data: options.parentData !== true },
        options.detach === true,
      ),
    );
  model
    .command('refit <run>')
    .description("refit the run's configuration on the table's current rows, then forecast")
    .option('--detach', 'only queue it')
    .action(async (run: string, options: { detach?: boolean }, command: Command) =>
      operate(command, run, { kind: 'refit' }, options.detach === true),
    );
  model
    .command('cv <run>')
    .description("cross-validate the run's configuration on the table's current rows")
    .option('--n-windows <n>', 'forecast windows', integer, 1)
    .option('--step-size <n>', 'rows between window cutoffs', integer, 1)
    .option('--refit <when>', 'false (fit once), true (every window) or every n windows', refitOption, false)
    .option('--detach', 'only queue it')
    .action(
      async (
        run: string,
        options: { nWindows: number; stepSize: number; refit: boolean | number; detach?: boolean },
        command: Command,
      ) =>
        operate(
          command,
          run,
          { kind: 'cv', n_windows: options.nWindows, step_size: options.stepSize, refit: options.refit },
          options.detach === true,
        ),
    );
};
