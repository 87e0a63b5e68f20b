import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  INTEGRATED_GRADIENTS_LIMITS,
  INTEGRATED_GRADIENTS_RULES,
  integratedGradients,
  integratedGradientsQuadrature,
} from '@nflab/analysis';

const w = [1.5, -2, 0.25, 3];
const x = [0.8, -1.1, 2.4, 0.3];
const b = [0.1, 0.5, -0.7, 1.2];
const at = (v: ArrayLike<number>, i: number): number => v[i] as number;

describe('integratedGradients', () => {
  it('is exact for a linear f under every rule: w_i (x_i − b_i)', async () => {
    const f = (v: Float64Array) => w.reduce((s, wi, i) => s + wi * at(v, i), 4);
    for (const rule of INTEGRATED_GRADIENTS_RULES) {
      const result = await integratedGradients(() => w, x, { baseline: b, rule, steps: 7, f });
      result.attributions.forEach((a, i) => expect(a).toBeCloseTo(at(w, i) * (at(x, i) - at(b, i)), 12));
      expect(Math.abs(result.completenessGap as number)).toBeLessThan(1e-12);
    }
  });

  it('gives w_i (x_i² − b_i²) for f = Σ w_i x_i²: exact with the trapezoid, O(1/n) with left sums', async () => {
    const gradient = (v: Float64Array) => Float64Array.from(w, (wi, i) => 2 * wi * at(v, i));
    const f = (v: Float64Array) => w.reduce((s, wi, i) => s + wi * at(v, i) ** 2, 0);
    const analytic = w.map((wi, i) => wi * (at(x, i) ** 2 - at(b, i) ** 2));
    const trapezoid = await integratedGradients(gradient, x, { baseline: b, f });
    expect(trapezoid.steps).toBe(50);
    expect(trapezoid.rule).toBe('riemann_trapezoid');
    trapezoid.attributions.forEach((a, i) => expect(a).toBeCloseTo(analytic[i] as number, 12));
    expect(Math.abs(trapezoid.completenessGap as number)).toBeLessThan(1e-12);
    // Left sums miss Σ w_i (x_i − b_i)² / n: the gradient is linear in α.
    const left = await integratedGradients(gradient, x, { baseline: b, rule: 'riemann_left', steps: 50, f });
    const bias = w.map((wi, i) => -(wi * (at(x, i) - at(b, i)) ** 2) / 50);
    left.attributions.forEach((a, i) =>
      expect(a - (analytic[i] as number)).toBeCloseTo(bias[i] as number, 12),
    );
  });

  it('converges at O(1/n²) with the trapezoid for a cubic f', async () => {
    const gradient = (v: Float64Array) => Float64Array.from(v, (vi) => 3 * vi * vi);
    const exact = x.map((xi, i) => xi ** 3 - at(b, i) ** 3);
    const error = async (steps: number) => {
      const r = await integratedGradients(gradient, x, { baseline: b, steps });
      return Math.max(...r.attributions.map((a, i) => Math.abs(a - (exact[i] as number))));
    };
    const coarse = await error(11);
    const fine = await error(21);
    expect(coarse / fine).toBeGreaterThan(3.9);
    expect(coarse / fine).toBeLessThan(4.1);
  });

  it('defaults to a zero baseline, accepts an async gradient and reports no gap without f', async () => {
    const result = await integratedGradients(
      async (v) => Promise.resolve(Float64Array.from(v, () => 2)),
      [1, 2],
    );
    expect(result.baseline).toEqual([0, 0]);
    expect(result.attributions[0]).toBeCloseTo(2, 12);
    expect(result.attributions[1]).toBeCloseTo(4, 12);
    expect(result.completenessGap).toBeNull();
    expect(result.fx).toBeNull();
  });

  it('uses quadrature weights that sum to 1', () => {
    for (const rule of INTEGRATED_GRADIENTS_RULES) {
      const { alphas, weights } = integratedGradientsQuadrature(rule, 9);
      expect(weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
      expect(alphas).toHaveLength(9);
    }
    expect(integratedGradientsQuadrature('riemann_trapezoid', 3)).toEqual({
      alphas: [0, 0.5, 1],
      weights: [0.25, 0.5, 0.25],
    });
  });

  it('rejects bad input with a ConfigError', async () => {
    const g = () => [1, 1];
    await expect(integratedGradients(g, [1, 2], { baseline: [0] })).rejects.toThrow(/baseline/);
    await expect(integratedGradients(g, [1, 2], { steps: 1 })).rejects.toThrow(/steps must be >= 2/);
    await expect(
      integratedGradients(g, [1, 2], { steps: INTEGRATED_GRADIENTS_LIMITS.maxSteps + 1 }),
    ).rejects.toThrow(/maxSteps/);
    await expect(integratedGradients(() => [1], [1, 2])).rejects.toThrow(/gradient returned 1 values/);
    await expect(integratedGradients(() => [1, Number.NaN], [1, 2])).rejects.toThrow(ConfigError);
    await expect(integratedGradients(g, [], {})).rejects.toThrow(/at least 1/);
  });
});
