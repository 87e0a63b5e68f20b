import { readFileSync } from 'node:fs';
import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { KERNEL_SHAP_LIMITS, kernelShap, kernelShapMulti } from '@nflab/analysis';

interface KernelShapCase {
  background: number[][];
  queries: number[][];
  function: string;
  expected_value: number;
  shap_values: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/stats-reference.json', import.meta.url), 'utf8')) as {
  cases: Record<string, KernelShapCase>;
};

/** |actual − expected| ≤ 1e-6 · |expected| (values shap rounds to exactly 0 must be within 1e-12 of 0). */
function expectRelativelyClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => expect(Math.abs((actual[i] as number) - e)).toBeLessThanOrEqual(1e-6 * Math.abs(e) + 1e-12));
}

const rowwise = (f: (x: Float64Array) => number) => (rows: Float64Array[]) => rows.map(f);
const FUNCTIONS: Record<string, (x: Float64Array) => number> = {
  'x@[1.5,-2,0.5,0]+3': (x) => 1.5 * (x[0] as number) - 2 * (x[1] as number) + 0.5 * (x[2] as number) + 3,
  'tanh(x0)*x1 + x2^2': (x) => Math.tanh(x[0] as number) * (x[1] as number) + (x[2] as number) ** 2,
};

describe('kernelShap against shap 0.51', () => {
  for (const name of ['kernel_shap_linear', 'kernel_shap_nonlinear']) {
    it(`matches ${name} to 1e-6 relative (all 2^4 coalitions)`, async () => {
      const reference = fixture.cases[name] as KernelShapCase;
      const f = FUNCTIONS[reference.function] as (x: Float64Array) => number;
      for (const [q, query] of reference.queries.entries()) {
        const result = await kernelShap(rowwise(f), reference.background, query);
        expect(Math.abs(result.expectedValue - reference.expected_value)).toBeLessThanOrEqual(1e-6 * Math.abs(reference.expected_value));
        expectRelativelyClose(result.shapValues, reference.shap_values[q] as number[]);
        expect(result.exact).toBe(true);
        expect(result.coalitions).toBe(14);
      }
    });
  }
});
