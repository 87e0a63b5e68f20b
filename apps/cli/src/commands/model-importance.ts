/**
 * `nflab model importance RUN --method …` (also `nflab analyze importance|shap RUN`): exogenous-column
 * importance of a run's saved model, printed ranked.
 */
import type { Command } from 'commander';
import { IMPORTANCE_METHODS, type ImportanceMethod, type ImportanceOptionsInput } from '@nflab/contracts';
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

/** How a registration of the command gets the method: a required flag, a flag with a default, or fixed. */
type MethodChoice =
  | { readonly flag: 'required' }
  | { readonly flag: 'optional'; readonly default: ImportanceMethod }
  | { readonly fixed: ImportanceMethod };

/** One registration of the importance command: its name, description and method. */
interface ImportanceRegistration {
  readonly name: string;
  readonly description: string;
  readonly method: MethodChoice;
}

/** Whether an option of `method` applies: every one when the user picks the method. */
const offers = (choice: MethodChoice, method: ImportanceMethod): boolean =>
  !('fixed' in choice) || choice.fixed === method;

/**
 * Registers one importance command on `parent` — `model importance` and its `analyze importance`
 * and `analyze shap` forms are this one path: same options, request, queued run and report.
 */
const registerImportance = (parent: Command, registration: ImportanceRegistration): void => {
  const { method } = registration;
  const sub = parent.command(`${registration.name} <run>`).description(registration.description);
  if ('flag' in method) {
    const flags = ['--method <method>', IMPORTANCE_METHODS.join(' | ')] as const;
    if (method.flag === 'required') sub.requiredOption(...flags);
    else sub.option(...flags, method.default);
  }
  if (offers(method, 'permutation'))
    sub.option('--repeats <n>', 'permutation: shuffles per column (default 10, at most 100)', integer);
  if (offers(method, 'kernel_shap'))
    sub.option('--nsamples <n>', "kernel_shap: coalitions per window, or 'auto' (default)", nsamplesOption);
  if (offers(method, 'integrated_gradients'))
    sub.option(
      '--steps <n>',
      'integrated_gradients: gradient evaluations per window (default 50, at most 1000)',
      integer,
    );
  sub
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
        { kind: 'importance', ...requestOf('fixed' in method ? { ...flags, method: method.fixed } : flags) },
        { detach: flags.detach === true, report },
      ),
    );
};

/** Registers `model importance` (--method required). */
export const importanceCommand = (model: Command): void =>
  registerImportance(model, {
    name: 'importance',
    description: "rank the exogenous columns by how much the run's saved model uses them (a linked run)",
    method: { flag: 'required' },
  });

/** Registers `analyze importance` (permutation unless --method says otherwise) and `analyze shap` (KernelSHAP). */
export const analyzeImportanceCommands = (analyze: Command): void => {
  registerImportance(analyze, {
    name: 'importance',
    description:
      "rank a finished run's exogenous columns (permutation by default; as nflab model importance)",
    method: { flag: 'optional', default: 'permutation' },
  });
  registerImportance(analyze, {
    name: 'shap',
    description:
      "KernelSHAP of a finished run's exogenous columns (nflab model importance --method kernel_shap)",
    method: { fixed: 'kernel_shap' },
  });
};
