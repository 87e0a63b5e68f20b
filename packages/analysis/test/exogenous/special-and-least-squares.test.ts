import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, digamma, fSurvival, leastSquares } from '@nflab/analysis';
import { expectRelative } from './helpers.js';

describe('tail probabilities and digamma (references: scipy 1.17.1)', () => {
  it('chi-square upper tail, deep in the tail too', () => {
    expectRelative(chiSquareSurvival(70.5170445148722, 2), 4.868759736690382e-16, 1e-9);
    expectRelative(chiSquareSurvival(75.3747249006869, 4), 1.6601815097314806e-15, 1e-9);
    expectRelative(chiSquareSurvival(0.6951243540716736, 1), 0.4044268477600841, 1e-12);
    expectRelative(chiSquareSurvival(3.5, 7), 0.8352254826103422, 1e-12);
    expectRelative(chiSquareSurvival(200, 3), 4.218541107192018e-43, 1e-9);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });

  it('F upper tail', () => {
    expectRelative(fSurvival(2.5, 3, 40), 0.07325435201794983, 1e-12);
    expect(fSurvival(0, 3, 40)).toBe(1);
  });

  it('digamma against scipy.special.digamma and ψ(n) = −γ + H_{n−1}', () => {
    const cases: [number, number][] = [
      [0.1, -10.423754940411076],
      [0.5, -1.9635100260214235],
      [1, -0.5772156649015329],
      [2.5, 0.7031566406452432],
      [7.3, 1.917820335637986],
      [10, 2.251752589066721],
      [123.4, 4.8113737751162775],
      [1e5, 11.512920464961896],
    ];
    for (const [x, expected] of cases) expectRelative(digamma(x), expected, 1e-13);
    let harmonic = 0;
    for (let n = 1; n <= 30; n++) {
      expect(digamma(n)).toBeCloseTo(-0.5772156649015329 + harmonic, 13);
      harmonic += 1 / n;
    }
  });
});

describe('leastSquares (Householder QR)', () => {
  it('recovers an exact fit and gives its zero residual', () => {
    const x1 = [1, 2, 3, 4, 5, 6];
    const x2 = [2, -1, 0, 3, 1, 1];
    const y = x1.map((v, i) => 1.5 + 2 * v - 0.5 * (x2[i] ?? 0));
    const fit = leastSquares([x1, x2, x1.map(() => 1)], y);
    expect(fit.fullRank).toBe(true);
    fit.coefficients.forEach((c, i) => expect(c).toBeCloseTo([2, -0.5, 1.5][i] ?? 0, 12));
    expect(fit.ssr).toBeLessThan(1e-24);
  });

  it('solves a hand-computed simple regression: y on [1, t] with t = 0…3', () => {
    // y = [1, 3, 2, 5]: t̄ = 1.5, ȳ = 2.75, Σ(t − t̄)(y − ȳ) = 5.5, Σ(t − t̄)² = 5 → slope 1.1, intercept 1.1.
    const fit = leastSquares(
      [
        [1, 1, 1, 1],
        [0, 1, 2, 3],
      ],
      [1, 3, 2, 5],
    );
    expect(fit.coefficients[0]).toBeCloseTo(1.1, 12);
    expect(fit.coefficients[1]).toBeCloseTo(1.1, 12);
    // residuals: 1 − 1.1, 3 − 2.2, 2 − 3.3, 5 − 4.4 → −0.1, 0.8, −1.3, 0.6
    expect(fit.ssr).toBeCloseTo(0.01 + 0.64 + 1.69 + 0.36, 12);
  });

  it('is accurate on an ill-conditioned polynomial design where normal equations lose digits', () => {
    const t = Array.from({ length: 30 }, (_, i) => 1000 + i / 10);
    const columns = [t.map(() => 1), t, t.map((v) => v * v)];
    const y = t.map((v) => 3 - 0.002 * v + 1e-6 * v * v);
    const fit = leastSquares(columns, y);
    expect(fit.fullRank).toBe(true);
    const fitted = t.map(
      (v) => (fit.coefficients[0] ?? 0) + (fit.coefficients[1] ?? 0) * v + (fit.coefficients[2] ?? 0) * v * v,
    );
    fitted.forEach((value, i) => expect(value).toBeCloseTo(y[i] ?? 0, 8));
  });

  it('flags collinear columns as rank-deficient', () => {
    const a = [1, 2, 3, 4, 5];
    expect(leastSquares([a, a.map((v) => 2 * v), a.map(() => 1)], [1, 0, 2, 1, 3]).fullRank).toBe(false);
    expect(leastSquares([a.map(() => 0), a], [1, 0, 2, 1, 3]).fullRank).toBe(false);
  });

  it('rejects more columns than rows', () => {
    expect(() => leastSquares([[1], [2]], [1])).toThrow(ConfigError);
  });
});

describe('leastSquares nested models', () => {
  it('gives the SSR of every column prefix, equal to fitting that prefix alone', () => {
    const t = [0, 1, 2, 3, 4, 5, 6, 7];
    const columns = [t.map(() => 1), t, t.map((v) => Math.cos(v)), t.map((v) => v * v)];
    const y = [1.2, 0.7, 3.1, 2.2, 4.9, 4.1, 7.3, 6.0];
    const full = leastSquares(columns, y);
    expect(full.independentColumns).toBe(4);
    for (let k = 1; k <= 4; k++) {
      expect(full.ssrByColumns[k - 1]).toBeCloseTo(leastSquares(columns.slice(0, k), y).ssr, 12);
    }
    const collinear = leastSquares([t.map(() => 1), t, t.map((v) => 3 * v - 2), t.map((v) => v * v)], y);
    expect(collinear).toMatchObject({ fullRank: false, independentColumns: 2, coefficients: [] });
    expect(collinear.ssrByColumns).toHaveLength(2);
  });
});
