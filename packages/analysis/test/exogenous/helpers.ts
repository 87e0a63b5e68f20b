import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** The committed scipy/statsmodels reference cases (see RULES.md). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture JSON, shape checked by the tests that use it
export const fixture: Record<string, any> = JSON.parse(
  readFileSync(new URL('../fixtures/stats-reference.json', import.meta.url), 'utf8'),
).cases;

/** Asserts |actual − expected| ≤ tolerance·|expected| (relative; absolute when expected is 0). */
export function expectRelative(actual: number | null | undefined, expected: number, tolerance = 1e-6): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  const scale = expected === 0 ? 1 : Math.abs(expected);
  expect(Math.abs((actual as number) - expected) / scale).toBeLessThanOrEqual(tolerance);
}

/** Deterministic values in [0, 1) from an integer congruence, identical in numpy and JavaScript. */
export function congruence(n: number, multiplier: number, offset: number, modulus: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * multiplier + offset) % modulus) / modulus);
}
