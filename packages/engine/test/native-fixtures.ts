/** Inputs and comparisons shared by the native matmul tests. */
import { expect } from 'vitest';

/** Deterministic values in [-1, 1), so reference and native runs see the same inputs. */
export function seededValues(shape: readonly number[], seed: number): Float32Array {
  let s = seed >>> 0;
  const size = shape.reduce((p, d) => p * d, 1);
  return Float32Array.from({ length: size }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Expects each array of `actual` within `tolerance`·(1 + |expected|) of `expected`'s, element by element. */
export function expectAllClose(actual: Float32Array[], expected: Float32Array[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((r, i) => {
    const a = actual[i]!;
    expect(a.length).toBe(r.length);
    for (let j = 0; j < r.length; j++)
      expect(Math.abs(a[j]! - r[j]!)).toBeLessThan(tolerance * (1 + Math.abs(r[j]!)));
  });
}

/** Every (transposeA, transposeB) pair, for `it.each`. */
export const TRANSPOSE_COMBOS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;
