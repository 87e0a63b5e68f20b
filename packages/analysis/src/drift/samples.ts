import { ConfigError } from '@nflab/contracts';
import { requireFiniteNumbers } from '../checks.js';

/** Checks a reference and a current sample: non-empty, finite (errors name the sample and index). */
export function requireSamples(reference: readonly number[], current: readonly number[]): void {
  if (reference.length === 0 || current.length === 0) {
    throw new ConfigError(
      `drift statistics need at least 1 reference and 1 current value, got ${reference.length} and ${current.length}`,
    );
  }
  requireFiniteNumbers(reference, 'reference');
  requireFiniteNumbers(current, 'current');
}

/** Ascending copy. */
export function sorted(values: readonly number[]): number[] {
  return values.slice().sort((a, b) => a - b);
}

/** Number of values ≤ `value` in an ascending array (numpy.searchsorted(side='right')). */
export function countAtMost(ascending: readonly number[], value: number): number {
  let low = 0;
  let high = ascending.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((ascending[mid] ?? 0) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
