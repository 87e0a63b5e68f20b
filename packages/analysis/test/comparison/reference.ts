import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** The scipy / statsmodels reference cases (packages/analysis/test/fixtures/stats-reference.json). */
// The fixture is plain JSON written by Python; each test reads only the fields it names.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const cases: Record<string, any> = JSON.parse(
  readFileSync(new URL('../fixtures/stats-reference.json', import.meta.url), 'utf8'),
).cases;

/** Expects |actual − expected| ≤ tolerance·|expected| (1e-6 relative, the fixture's contract). */
export function expectRelative(actual: number | null | undefined, expected: number, tolerance = 1e-6): void {
  expect(actual).toBeTypeOf('number');
  const error = Math.abs((actual as number) - expected);
  expect(error).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}
