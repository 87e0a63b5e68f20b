import type { Command } from 'commander';
import { operate } from '../model-operation.js';
import { anomaliesCommand } from './model-anomalies.js';
import { ensembleCommand } from './model-ensemble.js';
import { importanceCommand } from './model-importance.js';

const integer = (value: string): number => Number.parseInt(value, 10);

const refitOption = (value: string): boolean | number =>
  value === 'true' ? true : value === 'false' ? false : Number.parseInt(value, 10);

/**
 * `nflab model predict|refit|cv|importance RUN`: model operations, each recorded as a run linked to its
 * parent; `nflab model ensemble RUN RUN …`: a combination of finished runs, linked to each;
 * `nflab model anomalies RUN --method M`: a finished run's residual anomalies.
 */
export const modelCommand = (program: Command): void => {
  const model = program.command('model').description('use the saved model of a finished run');
  model
    .command('predict <run>')
    .description(
      "forecast h steps with the run's saved model; <run> may be a registered version: name@alias or name/version",
    )
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
        { detach: options.detach === true },
      ),
    );
  model
    .command('refit <run>')
    .description("refit the run's configuration on the table's current rows, then forecast")
    .option('--detach', 'only queue it')
    .action(async (run: string, options: { detach?: boolean }, command: Command) =>
      operate(command, run, { kind: 'refit' }, { detach: options.detach === true }),
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
          { detach: options.detach === true },
        ),
    );
  importanceCommand(model);
  ensembleCommand(model);
  anomaliesCommand(model);
};
