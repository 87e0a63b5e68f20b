import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { canonicalJson, ConfigError, type RunSpec } from '@nflab/contracts';
import type { SweepPlan } from '@nflab/runner';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';

/** Columns every plan table shows; fields that differ between runs are added after them. */
const KEY_COLUMNS = ['loto', 'unique_ids', 'model', 'backend'] as const;

const readSpecFile = async (file: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read spec file ${JSON.stringify(file)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(
      `spec file ${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
};

/**
 * The runner pulls in the engine (TensorFlow.js); loading it only when a sweep command runs keeps
 * every other command's start-up fast and independent of the compute stack.
 */
const loadRunner = () => import('@nflab/runner');

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

/** `nflab sweep …`: preview sweeps before they run. */
export const sweepCommand = (program: Command): void => {
  const sweep = program.command('sweep').description('sweeps of runs over models, data and settings');

  sweep
    .command('plan <spec>')
    .description(
      'expand a sweep (or run) spec JSON file: count, every combination, duplicates removed, invalid ones with reasons',
    )
    .option('--no-data', 'skip the checks against the database (tables, series, series lengths)')
    .action(async (file: string, options: { data: boolean }, command: Command) => {
      const { out, withDb } = contextFrom(command);
      const spec = await readSpecFile(file);
      const { planSweep } = await loadRunner();
      const plan = options.data
        ? await withDb((db) => planSweep(spec, { db }), { migrate: false })
        : await planSweep(spec);
      out.result(plan, () => renderPlan(file, plan));
    });
};
