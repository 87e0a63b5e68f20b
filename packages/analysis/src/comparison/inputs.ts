import { ConfigError } from '@nflab/contracts';
import { requireFiniteNumbers } from '../checks.js';

// Input checks shared by the comparison tests. Every message names the test, what it needs and
// how to fix the input, because these arrays come from a user's selection of runs.

/**
 * Throws unless x and y pair up point by point, are finite and hold at least `minimum` pairs;
 * `names` are the argument names the messages use.
 */
export function requirePairs(
  x: readonly number[],
  y: readonly number[],
  test: string,
  minimum: number,
  names: readonly [string, string] = ['x', 'y'],
): void {
  const [xName, yName] = names;
  if (x.length !== y.length) {
    throw new ConfigError(
      `${test} compares aligned points, so ${xName} and ${yName} must have the same length, got ${x.length} and ${y.length}; ` +
        'align both runs on (unique_id, ds, cutoff) first',
    );
  }
  requireFiniteNumbers(x, xName);
  requireFiniteNumbers(y, yName);
  if (x.length < minimum) {
    throw new ConfigError(
      `${test} needs at least ${minimum} pair${minimum === 1 ? '' : 's'}, got ${x.length}`,
    );
  }
}

/** Throws unless `values` is finite and holds at least `minimum` values. */
export function requireSample(values: readonly number[], label: string, test: string, minimum: number): void {
  requireFiniteNumbers(values, label);
  if (values.length < minimum) {
    throw new ConfigError(
      `${test} needs at least ${minimum} value${minimum === 1 ? '' : 's'} in ${label}, got ${values.length}`,
    );
  }
}

/** Shape of a blocks × treatments matrix: n blocks (rows) and k treatments (columns). */
export interface BlockShape {
  readonly blocks: number;
  readonly treatments: number;
}

/**
 * Throws unless `matrix` is a finite blocks × treatments table (rows = aligned points or series,
 * columns = runs) with at least `minBlocks` rows and `minTreatments` columns; returns its shape.
 */
export function requireBlockMatrix(
  matrix: readonly (readonly number[])[],
  test: string,
  minBlocks: number,
  minTreatments: number,
): BlockShape {
  const treatments = matrix[0]?.length ?? 0;
  matrix.forEach((row, i) => {
    if (row.length !== treatments) {
      throw new ConfigError(
        `${test} needs one value per run in every row, but row 0 has ${treatments} and row ${i} has ${row.length}; ` +
          'keep only points that every run forecast',
      );
    }
    row.forEach((value, j) => {
      if (!Number.isFinite(value)) {
        throw new ConfigError(`matrix[${i}][${j}] must be a finite number, got ${String(value)}`);
      }
    });
  });
  if (treatments < minTreatments) {
    throw new ConfigError(`${test} needs at least ${minTreatments} runs (columns), got ${treatments}`);
  }
  if (matrix.length < minBlocks) {
    throw new ConfigError(
      `${test} needs at least ${minBlocks} blocks (rows of aligned points), got ${matrix.length}`,
    );
  }
  return { blocks: matrix.length, treatments };
}

/** Throws unless there are at least `minGroups` groups, each finite and non-empty. */
export function requireGroups(groups: readonly (readonly number[])[], test: string, minGroups: number): void {
  if (groups.length < minGroups) {
    throw new ConfigError(`${test} needs at least ${minGroups} groups, got ${groups.length}`);
  }
  groups.forEach((group, g) => {
    if (group.length === 0)
      throw new ConfigError(`${test}: groups[${g}] is empty; every group needs a value`);
    requireFiniteNumbers(group, `groups[${g}]`);
  });
}

/** Returns `value` when it is in (0, 1); otherwise throws a ConfigError naming `label`. */
export function requireProbability(value: number, label: string): number {
  if (!(value > 0 && value < 1)) throw new ConfigError(`${label} must be in (0, 1), got ${String(value)}`);
  return value;
}

/** Returns `value` when it is one of `allowed`; otherwise throws a ConfigError listing them. */
export function requireOneOf<T extends string>(value: T, allowed: readonly T[], label: string): T {
  if (!allowed.includes(value)) {
    throw new ConfigError(
      `${label} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${String(value)}'`,
    );
  }
  return value;
}
