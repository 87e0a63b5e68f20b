/** `nflab model importance RUN --method …`: exogenous-column importance of a run's saved model, printed ranked. */
import type { Command } from 'commander';
import { IMPORTANCE_METHODS, type ImportanceOptionsInput } from '@nflab/contracts';
import { listFeatureImportance, type FeatureImportanceRow, type Queryable } from '@nflab/store';
import { formatTable } from '../output.js';
import { operate, type OperationReport } from '../model-operation.js';

const integer = (value: string): number => Number(value);

/** `auto` or an integer (anything else is left for the operation schema to reject, naming the field). */
const nsamplesOption = (value: string): number | 'auto' => (value === 'auto' ? 'auto' : Number(value));

interface ImportanceFlags {
  readonly method: string;
  readonly repeats?: number;
  readonly nsamples?: number | 'auto';
  readonly steps?: number;
  readonly seed?: number;
  readonly maxWindows?: number;
  readonly detach?: boolean;
}

/** The request from the flags given: options the user left out take the operation's defaults. */
const requestOf = (flags: ImportanceFlags): ImportanceOptionsInput =>
  ({
    method: flags.method,
    ...(flags.repeats === undefined ? {} : { repeats: flags.repeats }),
    ...(flags.nsamples === undefined ? {} : { nsamples: flags.nsamples }),
    ...(flags.steps === undefined ? {} : { steps: flags.steps }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.maxWindows === undefined ? {} : { max_windows: flags.maxWindows }),
  }) as ImportanceOptionsInput;

const num = (value: number | null): string => (value === null ? '' : value.toPrecision(4));

/** The all-series ranking as a text table. */
export const renderImportance = (rows: readonly FeatureImportanceRow[]): string =>
  formatTable(
    rows
      .filter((row) => row.unique_id === null)
      .map((row) => ({
        rank: row.rank,
        feature: row.feature,
        importance: num(row.importance),
        std: num(row.std),
        interval:
          row.ci_low === null || row.ci_high === null ? '' : `[${num(row.ci_low)}, ${num(row.ci_high)}]`,
      })),
    ['rank', 'feature', 'importance', 'std', 'interval'],
  );

/** Adds the ranked columns (all series) to the printed run; `--json` gets every row, per series included. */
const report: OperationReport = async (db: Queryable, runId: string) => {
  const rows = await listFeatureImportance(db, runId);
  const method = rows[0]?.method ?? '';
  return {
    data: { importance: rows },
    text: `${method} importance (all series):\n${renderImportance(rows)}`,
  };
};

/** Registers `model importance`. */
export const importanceCommand = (model: Command): void => {
  model
    .command('importance <run>')
    .description("rank the exogenous columns by how much the run's saved model uses them (a linked run)")
    .requiredOption('--method <method>', IMPORTANCE_METHODS.join(' | '))
    .option('--repeats <n>', 'permutation: shuffles per column (default 10, at most 100)', integer)
    .option('--nsamples <n>', "kernel_shap: coalitions per window, or 'auto' (default)", nsamplesOption)
    .option(
      '--steps <n>',
      'integrated_gradients: gradient evaluations per window (default 50, at most 1000)',
      integer,
    )
    .option('--seed <n>', 'seed of the permutations and sampled coalitions (default 0)', integer)
    .option(
      '--max-windows <n>',
      'evaluation windows, newest first across series (default 50, at most 500)',
      integer,
    )
    .option('--detach', 'only queue it')
    .action(async (run: string, flags: ImportanceFlags, command: Command) =>
      operate(
        command,
        run,
        { kind: 'importance', ...requestOf(flags) },
        { detach: flags.detach === true, report },
      ),
    );
};
