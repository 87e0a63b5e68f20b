/**
 * How many combinations a sweep forms, counted from the lengths of its lists — never by forming
 * them — and the lab's limit on it, so a request that would plan or queue too much work is refused
 * before any of it is done.
 */
import { ConfigError } from '../errors.js';
import { InputError } from '../validation.js';
import { RUN_FIELD_NAMES } from './run-fields.js';
import { isUniqueIdAlternatives, type SweepSpec } from './sweep-spec.js';

/**
 * Most combinations one plan or sweep may form unless the lab is configured otherwise
 * (`NFLAB_MAX_COMBINATIONS`, `--max-combinations`). Ten thousand runs is weeks of training on one
 * machine; planning them takes about a second.
 */
export const DEFAULT_MAX_COMBINATIONS = 10_000;

/** A sweep forms more combinations than the lab allows: a 400 naming the count and the limit. */
export class CombinationLimitError extends InputError {
  constructor(
    readonly count: number,
    readonly limit: number,
    detail: string,
    label = 'sweep',
  ) {
    super([
      {
        path: label,
        message:
          `forms ${count} combinations (${detail}); at most ${limit} are allowed per plan or sweep — ` +
          'list fewer alternatives or split the sweep (the limit is the lab setting NFLAB_MAX_COMBINATIONS)',
      },
    ]);
  }
}

/** Panels one `unique_ids` value stands for, as the expansion forms them. */
const panelCount = (sweep: SweepSpec, ids: unknown): number => {
  const alternatives = isUniqueIdAlternatives(ids as SweepSpec['unique_ids']);
  if (!sweep.each_unique_id) return alternatives ? (ids as unknown[]).length : 1;
  const panels = alternatives ? (ids as unknown[][]) : [ids];
  const single = new Set<string>();
  for (const panel of panels) if (Array.isArray(panel)) for (const id of panel) single.add(String(id));
  return single.size;
};

/** A sweep's size: the combinations it forms and how they multiply (for messages). */
export interface SweepSize {
  readonly combinations: number;
  /** `h 10 × random_seed 10000`, or `runs 3` in list mode. */
  readonly detail: string;
}

/** Counts the combinations of a parsed sweep from its list lengths, forming none of them. */
export const sweepSize = (sweep: SweepSpec): SweepSize => {
  const fields = sweep as Readonly<Record<string, unknown>>;
  if (sweep.mode === 'list') {
    const runs = sweep.runs ?? [];
    let combinations = 0;
    for (const run of runs) combinations += panelCount(sweep, run.unique_ids ?? sweep.unique_ids);
    const split = sweep.each_unique_id ? ', one per series' : '';
    return { combinations, detail: `runs ${runs.length}${split}` };
  }
  const sizes = RUN_FIELD_NAMES.map((field): [string, number] => {
    const value = fields[field];
    if (field === 'unique_ids') return [field, value === undefined ? 1 : panelCount(sweep, value)];
    return [field, field !== 'tracking' && Array.isArray(value) ? value.length : 1];
  });
  const combinations = sizes.reduce((count, [, size]) => count * size, 1);
  const varied = sizes.filter(([, size]) => size !== 1).map(([field, size]) => `${field} ${size}`);
  return { combinations, detail: varied.length > 0 ? varied.join(' × ') : 'one of each field' };
};

/** Throws a {@link CombinationLimitError} when `sweep` forms more than `limit` combinations. */
export const checkSweepSize = (sweep: SweepSpec, limit: number, label = 'sweep'): SweepSize => {
  const size = sweepSize(sweep);
  if (size.combinations > limit)
    throw new CombinationLimitError(size.combinations, limit, size.detail, label);
  return size;
};

/** The environment variable that sets the lab's combination limit. */
export const MAX_COMBINATIONS_ENV = 'NFLAB_MAX_COMBINATIONS';

/**
 * The lab's combination limit: `given` (a `--max-combinations` value or a server option), else
 * `$NFLAB_MAX_COMBINATIONS`, else {@link DEFAULT_MAX_COMBINATIONS}. A ConfigError names the
 * source when the value is not an integer ≥ 1.
 */
export const resolveMaxCombinations = (
  given: string | number | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number => {
  const fromEnv = env[MAX_COMBINATIONS_ENV];
  const [source, value] =
    given !== undefined
      ? ['--max-combinations', given]
      : fromEnv !== undefined && fromEnv !== ''
        ? [MAX_COMBINATIONS_ENV, fromEnv]
        : ['the default', DEFAULT_MAX_COMBINATIONS];
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ConfigError(
      `${source}: must be an integer ≥ 1 (combinations per plan or sweep), got ${String(value)}`,
    );
  return n;
};
