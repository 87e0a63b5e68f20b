import type { Command } from 'commander';
import { canonicalJson, resolveMaxCombinations, TrainingError, type RunSpec } from '@nflab/contracts';
import type { SweepPlan } from '@nflab/runner';
import { sweepRunSummaries, type Db } from '@nflab/store';
import { printLeaderboard } from './analyze.js';
import { auditCli } from '../audit.js';
import type { CommandContext } from '../context.js';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';
import { readSpecFile } from '../spec-file.js';
import { renderRuns } from '../run-summary.js';
import { loadRunner, parseParallel, workQueue } from '../work.js';

/** Columns every plan table shows; fields that differ between runs are added after them. */
const KEY_COLUMNS = ['loto', 'unique_ids', 'model', 'backend'] as const;

const cellOf = (value: unknown): string =>
  value === undefined
    ? ''
    : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? value.join(',')
        : canonicalJson(value);

/** Sampler/searcher and pruner/scheduler read as one setting: `tpe+median`, `hyperopt+asha`. */
const SEARCH_FIELDS = ['search_alg', 'pruner', 'scheduler'];

/** A row's values, with the derived `search` column. */
const rowValues = (spec: Readonly<Record<string, unknown>>): Record<string, unknown> => ({
  ...spec,
  search: `${cellOf(spec.search_alg)}+${cellOf(spec.pruner ?? spec.scheduler)}`,
});

/**
 * Fields whose value is not the same in every spec, in spec field order; `valid_loss` only where it
 * differs from `loss` somewhere, the search settings as one `search` column.
 */
const varyingFields = (specs: readonly Record<string, unknown>[]): string[] => {
  const fields = new Set(specs.flatMap((spec) => Object.keys(spec)));
  const varies = (field: string): boolean =>
    new Set(specs.map((spec) => canonicalJson(spec[field]))).size > 1;
  const columns = [...fields].filter(
    (field) =>
      !(KEY_COLUMNS as readonly string[]).includes(field) && !SEARCH_FIELDS.includes(field) && varies(field),
  );
  const validLossDiffers = specs.some((spec) => canonicalJson(spec.valid_loss) !== canonicalJson(spec.loss));
  const shown = columns.filter((field) => field !== 'valid_loss' || validLossDiffers);
  return SEARCH_FIELDS.some(varies) ? ['search', ...shown] : shown;
};

const renderPlan = (file: string, plan: SweepPlan): string => {
  const specs = [...plan.runs.map((run) => run.spec), ...plan.invalid.map((i) => i.spec)] as Record<
    string,
    unknown
  >[];
  const columns = [...KEY_COLUMNS, ...varyingFields(specs)];
  const row = (spec: RunSpec | Record<string, unknown>): Record<string, string> => {
    const values = rowValues(spec as Record<string, unknown>);
    return Object.fromEntries(columns.map((column) => [column, cellOf(values[column])]));
  };
  const lines = [
    `${file}: ${plan.count} run(s) from ${plan.combinations} combination(s); ` +
      `${plan.duplicatesRemoved} duplicate(s) removed, ${plan.invalid.length} invalid`,
  ];
  if (plan.runs.length > 0) {
    lines.push(
      '',
      formatTable(
        plan.runs.map((run) => ({
          '#': run.index,
          ...row(run.spec),
          fingerprint: run.fingerprint.slice(0, 12),
        })),
        ['#', ...columns, 'fingerprint'],
      ),
    );
  }
  if (plan.invalid.length > 0) {
    lines.push('', 'invalid combinations:');
    for (const { spec, reasons } of plan.invalid) {
      const summary = Object.entries(row(spec))
        .map(([column, value]) => `${column}=${value}`)
        .join(' ');
      lines.push(`- ${summary}`, ...reasons.map((reason) => `    ${reason}`));
    }
  }
  return lines.join('\n');
};

const MAX_COMBINATIONS_HELP =
  'most combinations the sweep may form (default: $NFLAB_MAX_COMBINATIONS, else 10000)';

/** The `--max-combinations` limit of a command, as every lab process resolves it. */
const limitOf = (options: { maxCombinations?: string }): { maxCombinations: number } => ({
  maxCombinations: resolveMaxCombinations(options.maxCombinations, process.env),
});

/** `nflab sweep …`: preview sweeps before they run. */
export const sweepCommand = (program: Command): void => {
  const sweep = program.command('sweep').description('sweeps of runs over models, data and settings');

  sweep
    .command('plan <spec>')
    .description(
      'expand a sweep (or run) spec JSON file: count, every combination, duplicates removed, invalid ones with reasons',
    )
    .option('--no-data', 'skip the checks against the database (tables, series, series lengths)')
    .option('--max-combinations <n>', MAX_COMBINATIONS_HELP)
    // Unlike the API's paged preview, this prints every combination: it runs on the user's own
    // machine, within the same combination limit, and its output is meant to be read or piped whole.
    .action(async (file: string, options: { data: boolean; maxCombinations?: string }, command: Command) => {
      const { out, withDb } = contextFrom(command);
      const limit = limitOf(options);
      const spec = await readSpecFile(file);
      const { planSweep } = await loadRunner();
      const plan = options.data
        ? await withDb((db) => planSweep(spec, { db, ...limit }), { migrate: false })
        : await planSweep(spec, limit);
      out.result(plan, () => renderPlan(file, plan));
    });

  sweep
    .command('run <spec>')
    .description(
      'plan a sweep spec JSON file, queue its valid runs and work them here (--parallel N at once)',
    )
    .option('--parallel <n>', 'runs at once in this process', parseParallel, 1)
    .option('--name <name>', 'a name for the sweep')
    .option('--retries <n>', 'extra attempts per run after a failure', (v) => Number.parseInt(v, 10), 0)
    .option('--detach', 'only queue the runs; `nflab worker` processes execute them')
    .option('--max-combinations <n>', MAX_COMBINATIONS_HELP)
    .action(
      async (
        file: string,
        options: {
          parallel: number;
          name?: string;
          retries: number;
          detach?: boolean;
          maxCombinations?: string;
        },
        command: Command,
      ) => {
        const ctx = contextFrom(command);
        const limit = limitOf(options);
        const spec = await readSpecFile(file);
        await ctx.withDb(async (db) => {
          const runner = await loadRunner();
          const { sweepId, plan } = await runner.submitSweep(db, new runner.RunQueue(db), spec, {
            ...limit,
            retries: options.retries,
            ...(options.name !== undefined ? { name: options.name } : {}),
          });
          await auditCli(ctx, db, {
            action: 'sweep.start',
            entity: 'sweep',
            entityId: sweepId,
            details: { runs: plan.count },
          });
          ctx.out.info(
            `sweep ${sweepId}: ${plan.count} run(s) queued` +
              (plan.invalid.length > 0 ? `, ${plan.invalid.length} invalid combination(s) left out` : ''),
          );
          await finishSweep(ctx, db, sweepId, options);
        });
      },
    );

  sweep
    .command('resume <sweep>')
    .description(
      'after a crash: queue what never started, requeue runs lost with their worker, and work them',
    )
    .option('--parallel <n>', 'runs at once in this process', parseParallel, 1)
    .option('--retry-failed', 'requeue every failed run too')
    .option('--detach', 'only requeue; `nflab worker` processes execute them')
    .option('--max-combinations <n>', MAX_COMBINATIONS_HELP)
    .action(
      async (
        sweepId: string,
        options: { parallel: number; retryFailed?: boolean; detach?: boolean; maxCombinations?: string },
        command: Command,
      ) => {
        const ctx = contextFrom(command);
        const limit = limitOf(options);
        await ctx.withDb(async (db) => {
          const runner = await loadRunner();
          const queue = new runner.RunQueue(db);
          const { added, requeued } = await runner.resumeSweep(db, queue, sweepId, {
            ...limit,
            retryFailed: options.retryFailed === true,
          });
          await auditCli(ctx, db, {
            action: 'sweep.resume',
            entity: 'sweep',
            entityId: sweepId,
            details: { added, requeued },
          });
          ctx.out.info(`sweep ${sweepId}: ${added} run(s) added, ${requeued} requeued`);
          await finishSweep(ctx, db, sweepId, options);
        });
      },
    );

  sweep
    .command('leaderboard <sweep>')
    .description(
      "the sweep's runs ranked with the naive baselines, corrected for the number of configurations",
    )
    .option('--metric <id>', 'mae, mse, rmse, mape, smape or mase', 'mae')
    .option('--correction <method>', 'holm, bonferroni, bh or by', 'holm')
    .option('--alpha <level>', 'significance level', Number, 0.05)
    .action(async (sweepId: string, options: Record<string, unknown>, command: Command) =>
      printLeaderboard(command, sweepId, options),
    );

  sweep
    .command('status <sweep>')
    .description("a sweep's progress and its runs")
    .action(async (sweepId: string, _options: unknown, command: Command) => {
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const runner = await loadRunner();
        const progress = await new runner.RunQueue(db).sweepProgress(sweepId);
        const runs = await sweepRunSummaries(db, sweepId);
        ctx.out.result({ progress, runs }, () => `${progressLine(progress)}\n\n${renderRuns(runs)}`);
      });
    });
};

interface ProgressCounts {
  readonly sweepId: string;
  readonly status: string;
  readonly total: number;
  readonly finished: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly running: number;
  readonly queued: number;
}

const progressLine = (p: ProgressCounts): string =>
  `sweep ${p.sweepId} ${p.status}: ${p.finished} finished, ${p.failed} failed, ${p.cancelled} cancelled, ` +
  `${p.running} running, ${p.queued} queued of ${p.total}`;

/** Works a sweep here unless detached, then prints its runs; exit status 1 when any run failed. */
const finishSweep = async (
  ctx: CommandContext,
  db: Db,
  sweepId: string,
  options: { parallel: number; detach?: boolean },
): Promise<void> => {
  if (!options.detach) await workQueue(ctx, db, { parallel: options.parallel, sweepId, exitWhenIdle: true });
  const runner = await loadRunner();
  const progress = await new runner.RunQueue(db).sweepProgress(sweepId);
  const runs = await sweepRunSummaries(db, sweepId);
  ctx.out.result({ sweepId, progress, runs }, () => `${progressLine(progress)}\n\n${renderRuns(runs)}`);
  if (!options.detach && progress.failed > 0)
    throw new TrainingError(
      `sweep ${sweepId}: ${progress.failed} run(s) failed; \`nflab runs show ID\` has their stack`,
    );
};
