/**
 * Permutation importance (Breiman 2001; scikit-learn's `permutation_importance`): how much a
 * model's error grows when one input column is shuffled, breaking its link to the target while
 * keeping its distribution. Model-agnostic: the caller evaluates the model; this module decides
 * which column, how often and with which random stream, and summarises.
 * @see Breiman (2001), Random Forests, Machine Learning 45; Fisher, Rudin & Dominici (2019), JMLR 20.
 */
import { ConfigError, Rng } from '@nflab/contracts';
import type { Seed } from '@nflab/contracts';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { requirePositiveInteger } from '../checks.js';

/** Caps on one call, because requests choose them and each repeat is a full model evaluation. */
export const PERMUTATION_IMPORTANCE_LIMITS = {
  /** Most repeats per column. */
  maxRepeats: 1_000,
  /** Most columns per call. */
  maxColumns: 1_000,
} as const;

/** The model side: errors (lower is better) on the evaluation data, untouched and with one column permuted. */
export interface PermutationImportanceInput {
  /** Column names to assess, one at a time. */
  readonly columns: readonly string[];
  /** The model's error on the untouched evaluation data. Called once. */
  readonly baselineError: () => number | Promise<number>;
  /**
   * The model's error with `column` permuted using `rng` (e.g. {@link permuteWithinGroups} per
   * series over the evaluation windows); every other column untouched. Called `repeats` times per column.
   */
  readonly errorWithColumnPermuted: (column: string, rng: Rng) => number | Promise<number>;
}

/** Options of {@link permutationImportance}. */
export interface PermutationImportanceOptions {
  /** Permutations per column. @default 10 */
  readonly repeats?: number;
  /** Seed; repeat r of column c draws from `new Rng(seed, 'permutation-importance', c, r)`. @default 0 */
  readonly seed?: Seed;
  /** Coverage of the interval for the mean increase. @default 0.95 */
  readonly level?: number;
}

/** One column's importance. */
export interface ColumnImportance {
  readonly column: string;
  /** Mean over repeats of (permuted error − baseline error); > 0 means the model uses the column. */
  readonly meanIncrease: number;
  /** Standard deviation of the increases over repeats, divisor n (scikit-learn's `importances_std`). */
  readonly std: number;
  /** Every repeat's increase, in repeat order. */
  readonly increases: number[];
  /** Student-t interval for the mean increase (sample std, n − 1 df); null with a single repeat. */
  readonly interval: { readonly low: number; readonly high: number; readonly level: number } | null;
  /** Mean permuted error / baseline error; null when the baseline error is 0. */
  readonly ratio: number | null;
}

/** Result of {@link permutationImportance}: columns in input order. */
export interface PermutationImportanceResult {
  readonly baselineError: number;
  readonly repeats: number;
  readonly columns: ColumnImportance[];
}

function requireFiniteError(value: number, label: string): number {
  if (!Number.isFinite(value))
    throw new ConfigError(`${label} must return a finite error, got ${String(value)}`);
  return value;
}

function readOptions(input: PermutationImportanceInput, options: PermutationImportanceOptions) {
  const { columns } = input;
  if (columns.length === 0) throw new ConfigError('columns needs at least 1 column name');
  if (columns.length > PERMUTATION_IMPORTANCE_LIMITS.maxColumns) {
    throw new ConfigError(
      `${columns.length} columns; the limit is PERMUTATION_IMPORTANCE_LIMITS.maxColumns = ${PERMUTATION_IMPORTANCE_LIMITS.maxColumns}`,
    );
  }
  const duplicate = columns.find((column, i) => columns.indexOf(column) !== i);
  if (duplicate !== undefined) throw new ConfigError(`column '${duplicate}' is listed twice`);
  const repeats = requirePositiveInteger(options.repeats ?? 10, 'repeats');
  if (repeats > PERMUTATION_IMPORTANCE_LIMITS.maxRepeats) {
    throw new ConfigError(
      `repeats = ${repeats}; the limit is PERMUTATION_IMPORTANCE_LIMITS.maxRepeats = ${PERMUTATION_IMPORTANCE_LIMITS.maxRepeats}`,
    );
  }
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new ConfigError(`level must be in (0, 1), got ${level}`);
  return { repeats, level, seed: options.seed ?? 0 };
}

/** Mean, divisor-n std and the t interval of the mean for one column's increases. */
function summarise(column: string, increases: number[], baseline: number, level: number): ColumnImportance {
  const n = increases.length;
  const mean = increases.reduce((sum, v) => sum + v, 0) / n;
  const squares = increases.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  let interval: ColumnImportance['interval'] = null;
  if (n >= 2) {
    const halfWidth = tQuantile((1 + level) / 2, n - 1) * Math.sqrt(squares / (n - 1) / n);
    interval = { low: mean - halfWidth, high: mean + halfWidth, level };
  }
  return {
    column,
    meanIncrease: mean,
    std: Math.sqrt(squares / n),
    increases,
    interval,
    ratio: baseline === 0 ? null : (baseline + mean) / baseline,
  };
}

/**
 * Permutation importance of each column: increase = error with the column permuted − baseline
 * error, `repeats` times per column, evaluated one at a time (so the model side never runs two
 * evaluations at once). Each (column, repeat) has its own seeded stream, so a column's result does
 * not depend on which other columns are listed. The interval reflects permutation noise only, not
 * the sampling noise of the evaluation data.
 */
export async function permutationImportance(
  input: PermutationImportanceInput,
  options: PermutationImportanceOptions = {},
): Promise<PermutationImportanceResult> {
  const { repeats, level, seed } = readOptions(input, options);
  const baseline = requireFiniteError(await input.baselineError(), 'baselineError');
  const columns: ColumnImportance[] = [];
  for (const column of input.columns) {
    const increases: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const rng = new Rng(seed, 'permutation-importance', column, repeat);
      const error = requireFiniteError(
        await input.errorWithColumnPermuted(column, rng),
        'errorWithColumnPermuted',
      );
      increases.push(error - baseline);
    }
    columns.push(summarise(column, increases, baseline, level));
  }
  return { baselineError: baseline, repeats, columns };
}

/**
 * A copy of `values` shuffled within each group (e.g. one column's values within each series, so
 * no value moves to another series): Fisher–Yates over each group's positions with `rng`, groups
 * in order of first appearance.
 */
export function permuteWithinGroups<T>(
  values: readonly T[],
  groupIds: readonly (string | number)[],
  rng: Rng,
): T[] {
  if (values.length !== groupIds.length) {
    throw new ConfigError(
      `values and groupIds must pair up: got lengths ${values.length} and ${groupIds.length}`,
    );
  }
  const positions = new Map<string | number, number[]>();
  groupIds.forEach((id, i) => {
    const list = positions.get(id);
    if (list === undefined) positions.set(id, [i]);
    else list.push(i);
  });
  const out = values.slice();
  for (const group of positions.values()) {
    for (let i = group.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const a = group[i] as number;
      const b = group[j] as number;
      const held = out[a] as T;
      out[a] = out[b] as T;
      out[b] = held;
    }
  }
  return out;
}
