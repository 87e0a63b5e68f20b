import { ConfigError } from '@nflab/contracts';

/** Throws a ConfigError naming `label[i]` when any value is NaN or infinite. */
export function requireFiniteNumbers(values: readonly number[], label: string): void {
  values.forEach((value, index) => {
    if (!Number.isFinite(value)) {
      throw new ConfigError(`${label}[${index}] must be a finite number, got ${String(value)}`);
    }
  });
}

/** Returns `value` when it is an integer >= 1; otherwise throws a ConfigError naming `label`. */
export function requirePositiveInteger(value: number, label: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${label} must be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

/** Arithmetic mean; null for an empty list, because a mean of nothing is undefined, not 0. */
export function meanOrNull(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
