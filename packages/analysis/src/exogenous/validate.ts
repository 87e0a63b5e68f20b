import { ConfigError } from '@nflab/contracts';
import { requireFiniteNumbers } from '../checks.js';

/** Minimum number of aligned points for the correlation tests (n − 2 degrees of freedom ≥ 1). */
export const MIN_CORRELATION_POINTS = 3;

/**
 * Checks that `y` and `x` are aligned series of finite numbers with at least `minimum` points;
 * throws a ConfigError naming the label, the index or the minimum otherwise.
 */
export function requireAlignedSeries(
  y: readonly number[],
  x: readonly number[],
  minimum: number,
  labels: { readonly y: string; readonly x: string; readonly what: string } = {
    y: 'y',
    x: 'x',
    what: 'this test',
  },
): void {
  if (y.length !== x.length) {
    throw new ConfigError(
      `${labels.y} and ${labels.x} must be aligned by time with equal lengths, got ${y.length} and ${x.length}`,
    );
  }
  requireFiniteNumbers(y, labels.y);
  requireFiniteNumbers(x, labels.x);
  if (y.length < minimum) {
    throw new ConfigError(`${labels.what} needs at least ${minimum} aligned points, got ${y.length}`);
  }
}

/** True when every value equals the first (a constant series has no variance to correlate). */
export function isConstant(values: readonly number[]): boolean {
  const first = values[0];
  return values.every((value) => value === first);
}

/** The reason a pairwise statistic is undefined because an input is constant, or null when neither is. */
export function constantReason(y: readonly number[], x: readonly number[]): string | null {
  const yConstant = isConstant(y);
  const xConstant = isConstant(x);
  if (yConstant && xConstant) return 'y and x are constant';
  if (yConstant) return 'y is constant';
  if (xConstant) return 'x is constant';
  return null;
}
