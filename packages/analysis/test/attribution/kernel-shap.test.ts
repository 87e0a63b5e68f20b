import { readFileSync } from 'node:fs';
import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { KERNEL_SHAP_LIMITS, kernelShap, kernelShapMulti } from '@nflab/analysis';
import type { KernelShapOptions } from '@nflab/analysis';

interface KernelShapCase {
  background: number[][];
  queries: number[][];
  function: string;
  expected_value: number;
  shap_values: number[][];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/stats-reference.json', import.meta.url), 'utf8'),
) as {
  cases: Record<string, KernelShapCase>;
};

/** |actual − expected| ≤ 1e-6 · |expected| (values shap rounds to exactly 0 must be within 1e-12 of 0). */
function expectRelativelyClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) =>
    expect(Math.abs((actual[i] as number) - e)).toBeLessThanOrEqual(1e-6 * Math.abs(e) + 1e-12),
  );
}

const rowwise = (f: (x: Float64Array) => number) => (rows: Float64Array[]) => rows.map(f);
const FUNCTIONS: Record<string, (x: Float64Array) => number> = {
  'x@[1.5,-2,0.5,0]+3': (x) => 1.5 * (x[0] as number) - 2 * (x[1] as number) + 0.5 * (x[2] as number) + 3,
  'tanh(x0)*x1 + x2^2': (x) => Math.tanh(x[0] as number) * (x[1] as number) + (x[2] as number) ** 2,
};

interface ExtraCase extends Omit<KernelShapCase, 'expected_value' | 'shap_values'> {
  options: KernelShapOptions;
  expected_value: number | number[];
  shap_values: number[][] | number[][][];
}
/** Cases beyond the shared fixture, from shap 0.51's own _kernel.py (see generate-kernel-shap-reference.py). */
const extra = JSON.parse(readFileSync(new URL('./kernel-shap-reference.json', import.meta.url), 'utf8')) as {
  cases: Record<string, ExtraCase>;
};
const A = [0.9, -1.3, 0.4, 0.0, 2.1, -0.7, 0.25, 1.1, -0.05, 0.6, -1.8, 0.02];
const at = (x: ArrayLike<number>, i: number): number => x[i] as number;
const EXTRA_FUNCTIONS: Record<string, (x: Float64Array) => number> = {
  f12: (x) =>
    A.reduce((sum, a, i) => sum + a * at(x, i), 0) +
    at(x, 0) * at(x, 1) +
    Math.sin(at(x, 2)) * at(x, 3) +
    0.3 * at(x, 4) ** 2 +
    Math.tanh(at(x, 5) + at(x, 6)),
  f6: (x) => at(x, 0) * at(x, 3) + Math.tanh(at(x, 1)) - 0.5 * at(x, 2) * at(x, 5) + at(x, 4),
};
const vectorOutput = (x: Float64Array): number[] => [
  at(x, 0) + at(x, 1) * at(x, 2),
  Math.sin(at(x, 3)) * at(x, 4),
  at(x, 0) ** 2 - at(x, 4),
];

describe('kernelShap against shap 0.51', () => {
  for (const name of ['kernel_shap_linear', 'kernel_shap_nonlinear']) {
    it(`matches ${name} to 1e-6 relative (all 2^4 coalitions)`, async () => {
      const reference = fixture.cases[name] as KernelShapCase;
      const f = FUNCTIONS[reference.function] as (x: Float64Array) => number;
      for (const [q, query] of reference.queries.entries()) {
        const result = await kernelShap(rowwise(f), reference.background, query);
        expect(Math.abs(result.expectedValue - reference.expected_value)).toBeLessThanOrEqual(
          1e-6 * Math.abs(reference.expected_value),
        );
        expectRelativelyClose(result.shapValues, reference.shap_values[q] as number[]);
        expect(result.exact).toBe(true);
        expect(result.coalitions).toBe(14);
      }
    });
  }
});

describe('kernelShap against shap 0.51 beyond the shared fixture', () => {
  for (const name of ['m12_default_l1', 'm12_no_l1', 'm12_l1_4', 'groups']) {
    it(`matches ${name} to 1e-6 relative`, async () => {
      const reference = extra.cases[name] as ExtraCase;
      const f = EXTRA_FUNCTIONS[reference.function] as (x: Float64Array) => number;
      for (const [q, query] of reference.queries.entries()) {
        const result = await kernelShap(rowwise(f), reference.background, query, reference.options);
        expectRelativelyClose([result.expectedValue], [reference.expected_value as number]);
        expectRelativelyClose(result.shapValues, reference.shap_values[q] as number[]);
      }
    });
  }

  it('matches vector_output, each output explained on its own', async () => {
    const reference = extra.cases['vector_output'] as ExtraCase;
    for (const [q, query] of reference.queries.entries()) {
      const result = await kernelShapMulti((rows) => rows.map(vectorOutput), reference.background, query);
      expectRelativelyClose(result.expectedValue, reference.expected_value as number[]);
      const expected = reference.shap_values[q] as number[][];
      expected.forEach((values, d) => expectRelativelyClose(result.shapValues[d] as number[], values));
    }
  });
});

describe('kernelShap properties', () => {
  const background = (fixture.cases['kernel_shap_nonlinear'] as KernelShapCase).background;
  const nonlinear = rowwise(FUNCTIONS['tanh(x0)*x1 + x2^2'] as (x: Float64Array) => number);
  const query = [0.7, -1.2, 1.9, 2.5];

  it('is efficient: the values sum to f(x) − E[f]', async () => {
    const result = await kernelShap(nonlinear, background, query);
    const sum = result.shapValues.reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(result.fx - result.expectedValue, 12);
    expect(result.predictRows).toBe(20 + 1 + 14 * 20);
  });

  it('gives a feature f does not read 0 (x3 here)', async () => {
    const result = await kernelShap(nonlinear, background, query, { l1Reg: false });
    expect(Math.abs(result.shapValues[3] as number)).toBeLessThan(1e-10);
    expect(Math.abs(result.shapValues[2] as number)).toBeGreaterThan(0.1);
  });

  it('gives 0 to a feature equal to the background in every row, without evaluating it', async () => {
    const constant = background.map((row) => [...row.slice(0, 3), 0.5]);
    const result = await kernelShap(
      (rows) => rows.map((x) => (x[3] as number) * 10 + (x[0] as number)),
      constant,
      [1, 2, 3, 0.5],
    );
    expect(result.varying).toEqual([0, 1, 2]);
    expect(result.shapValues[3]).toBe(0);
    expect(result.coalitions).toBe(6);
  });

  it('gives a single varying feature the whole difference, and nothing when none varies', async () => {
    const one = await kernelShap(nonlinear, [[0, 1, 2, 3]], [0, 1, 5, 3]);
    expect(one.shapValues).toEqual([0, 0, 25 - 4, 0]);
    expect(one.coalitions).toBe(0);
    const none = await kernelShap(nonlinear, [[0, 1, 2, 3]], [0, 1, 2, 3]);
    expect(none.shapValues).toEqual([0, 0, 0, 0]);
  });

  it('accepts an async predict, and gives the same values for any batch size', async () => {
    const reference = await kernelShap(nonlinear, background, query);
    const batches: number[] = [];
    const asyncPredict = async (rows: Float64Array[]): Promise<number[]> => {
      batches.push(rows.length);
      await Promise.resolve();
      return nonlinear(rows);
    };
    const batched = await kernelShap(asyncPredict, background, query, { batchSize: 7 });
    expect(batched.shapValues).toEqual(reference.shapValues);
    expect(Math.max(...batches)).toBe(7);
  });
});

describe('kernelShap with sampled coalitions (M = 15)', () => {
  const m = 15;
  const weights = Array.from({ length: m }, (_, j) => ((j % 5) - 2) * 0.7 + 0.1 * j);
  const linear = (rows: Float64Array[]) => rows.map((x) => weights.reduce((s, w, j) => s + w * at(x, j), 1));
  const background = Array.from({ length: 6 }, (_, i) =>
    Array.from({ length: m }, (_, j) => Math.sin(3 * i + 7 * j)),
  );
  const query = Array.from({ length: m }, (_, j) => Math.cos(j) * 2);
  const exact = weights.map(
    (w, j) => w * (at(query, j) - background.reduce((s, row) => s + at(row, j), 0) / background.length),
  );

  it('is deterministic for a seed and recovers w_j (x_j − mean_j) for a linear f', async () => {
    const options = { nsamples: 400, seed: 11, l1Reg: false } as const;
    const first = await kernelShap(linear, background, query, options);
    const again = await kernelShap(linear, background, query, options);
    expect(again).toEqual(first);
    expect(first.exact).toBe(false);
    expect(first.coalitions).toBe(400);
    expect(first.enumeratedCoalitions).toBe(30); // sizes 1 and 14 fit the budget; the rest is sampled
    first.shapValues.forEach((value, j) => expect(value).toBeCloseTo(exact[j] as number, 9));
  });

  it('draws other coalitions for another seed', async () => {
    const quadratic = (rows: Float64Array[]) =>
      linear(rows).map((y, i) => y + at(rows[i] as Float64Array, 0) * at(rows[i] as Float64Array, 1));
    const a = await kernelShap(quadratic, background, query, { nsamples: 400, seed: 1, l1Reg: false });
    const b = await kernelShap(quadratic, background, query, { nsamples: 400, seed: 2, l1Reg: false });
    expect(a.shapValues).not.toEqual(b.shapValues);
    for (const r of [a, b])
      expect(r.shapValues.reduce((s, v) => s + v, 0)).toBeCloseTo(r.fx - r.expectedValue, 10);
  });

  it("keeps at most 10 features under shap's default l1Reg, still summing to f(x) − E[f]", async () => {
    const result = await kernelShap(linear, background, query, { nsamples: 400 });
    expect(result.selected).toHaveLength(10);
    expect(result.shapValues.filter((v) => v !== 0)).toHaveLength(10);
    expect(result.shapValues.reduce((s, v) => s + v, 0)).toBeCloseTo(result.fx - result.expectedValue, 10);
  });
});

describe('kernelShap input checks', () => {
  const f = (rows: Float64Array[]) => rows.map((x) => at(x, 0));
  it('names the limit a request exceeds', async () => {
    const big = Array.from({ length: KERNEL_SHAP_LIMITS.maxBackgroundRows + 1 }, () => [0, 1]);
    await expect(kernelShap(f, big, [1, 1])).rejects.toThrow(/maxBackgroundRows/);
    await expect(
      kernelShap(f, [[0, 0]], [1, 1], { nsamples: KERNEL_SHAP_LIMITS.maxNsamples + 1 }),
    ).rejects.toThrow(/maxNsamples/);
    await expect(
      kernelShap(f, [[0, 0]], [1, 1], { batchSize: KERNEL_SHAP_LIMITS.maxBatchSize + 1 }),
    ).rejects.toThrow(/maxBatchSize/);
    const wide = Array.from({ length: KERNEL_SHAP_LIMITS.maxPlayers + 1 }, () => 0);
    await expect(kernelShap(f, [wide], wide)).rejects.toThrow(/maxPlayers/);
    const rows = Array.from({ length: 1000 }, (_, i) => Array.from({ length: 20 }, (_, j) => i + j));
    await expect(kernelShap(f, rows, rows[0] as number[], { nsamples: 6000 })).rejects.toThrow(
      /maxPredictRows/,
    );
  });

  it('rejects ragged, non-finite or mismatched input and bad options with a ConfigError', async () => {
    await expect(kernelShap(f, [], [1])).rejects.toThrow(ConfigError);
    await expect(kernelShap(f, [[0, 1], [0]], [1, 1])).rejects.toThrow(/background\[1\]/);
    await expect(kernelShap(f, [[0, Number.NaN]], [1, 1])).rejects.toThrow(/background\[0\]\[1\]/);
    await expect(kernelShap(f, [[0, 1]], [1, 1], { nsamples: 0 })).rejects.toThrow(/nsamples/);
    await expect(kernelShap(f, [[0, 1]], [1, 1], { l1Reg: { numFeatures: 0 } })).rejects.toThrow(
      /l1Reg.numFeatures/,
    );
    await expect(kernelShap(f, [[0, 1, 2]], [1, 1, 1], { groups: [[0], [0, 1, 2]] })).rejects.toThrow(
      /groups/,
    );
    await expect(kernelShap(f, [[0, 1, 2]], [1, 1, 1], { groups: [[0], [1]] })).rejects.toThrow(
      /column 2 is in no group/,
    );
    await expect(
      kernelShap(
        () => [1],
        [
          [0, 1],
          [1, 0],
        ],
        [1, 1],
      ),
    ).rejects.toThrow(/one number per row/);
    await expect(kernelShap((rows) => rows.map(() => Number.NaN), [[0, 1]], [1, 1])).rejects.toThrow(
      /finite/,
    );
  });
});
