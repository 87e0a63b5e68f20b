import { ConfigError, Rng } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { digamma, mutualInformation } from '@nflab/analysis';
import { expectRelative } from './helpers.js';

/** KSG algorithm 1 straight from its definition, O(n²), on already scaled data (no noise). */
function bruteForceKsg(x: readonly number[], y: readonly number[], k: number): number {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] ?? 0;
    const yi = y[i] ?? 0;
    const distances = x
      .map((xj, j) => (j === i ? Infinity : Math.max(Math.abs(xj - xi), Math.abs((y[j] ?? 0) - yi))))
      .sort((a, b) => a - b);
    const epsilon = distances[k - 1] ?? 0;
    const inside = (d: number) => (epsilon > 0 ? d < epsilon : d === 0);
    const nx = x.filter((xj, j) => j !== i && inside(Math.abs(xj - xi))).length;
    const ny = y.filter((yj, j) => j !== i && inside(Math.abs(yj - yi))).length;
    sum += digamma(nx + 1) + digamma(ny + 1);
  }
  return Math.max(0, digamma(n) + digamma(k) - sum / n);
}

function populationSd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

// Dependent data without ties or lattice structure: square roots of two integer congruences
// (sqrt is correctly rounded in numpy and JavaScript alike), x = u, y = u + 0.3·v.
const u = Array.from({ length: 300 }, (_, i) => Math.sqrt(((i * 7919) % 1009) + 0.5));
const v = Array.from({ length: 300 }, (_, i) => Math.sqrt(((i * 104729 + 17) % 997) + 0.5));
const dependent = u.map((value, i) => value + 0.3 * (v[i] ?? 0));

describe('mutualInformation (KSG, sklearn semantics)', () => {
  it("matches scikit-learn 1.9.1's _compute_mi_cc on the same scaled data (no noise)", () => {
    // Reference: _compute_mi_cc(scale(x, with_mean=False), scale(y, with_mean=False), k).
    // mutual_info_regression(u, y) with its random noise gives the same 1.0494301076932202 for seeds 0, 1, 2.
    expectRelative(mutualInformation(dependent, u, { noiseSeed: null }).value, 1.0494301076932202, 1e-9);
    expectRelative(
      mutualInformation(dependent, u, { noiseSeed: null, neighbors: 5 }).value,
      1.2212399744518039,
      1e-9,
    );
    expect(mutualInformation(v, u, { noiseSeed: null }).value).toBe(0); // negative estimate, clipped like sklearn
  });

  it('treats ties as sklearn does (radius 0 counts exact ties): sklearn gives 0.27853487797620335', () => {
    // ±3 three times in eight, ±1 otherwise: mean 0 and sd exactly 2, so the scaled values are exact.
    const pattern = [3, -3, 3, -3, 3, -3, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1];
    const x = Array.from({ length: 32 }, (_, i) => pattern[i % 16] ?? 0);
    const y = Array.from({ length: 32 }, (_, i) => pattern[(i * 3 + 1 + Math.floor(i / 16)) % 16] ?? 0);
    expectRelative(mutualInformation(y, x, { noiseSeed: null }).value, 0.27853487797620335, 1e-9);
    expectRelative(
      mutualInformation(y, x, { noiseSeed: null }).value,
      bruteForceKsg(
        x.map((a) => a / 2),
        y.map((a) => a / 2),
        3,
      ),
      1e-12,
    );
  });

  it('agrees with the O(n²) definition on random data, with and without ties', () => {
    const rng = new Rng(7, 'mi-test');
    const a = Array.from({ length: 150 }, () => rng.normal());
    const b = a.map((value) => Math.round(2 * value + rng.normal()));
    const scaledA = a.map((value) => value / populationSd(a));
    const scaledB = b.map((value) => value / populationSd(b));
    expectRelative(
      mutualInformation(b, a, { noiseSeed: null }).value,
      bruteForceKsg(scaledA, scaledB, 3),
      1e-12,
    );
  });

  it('hand case: a strictly increasing relation with k = 1 gives ψ(n) − ψ(1) = H_{n−1}', () => {
    // Equally spaced points on the diagonal: ε is the spacing and no other point is strictly inside it.
    const x = [0, 1, 2, 3];
    expectRelative(
      mutualInformation(x, x, { neighbors: 1, noiseSeed: null }).value,
      1 + 1 / 2 + 1 / 3,
      1e-12,
    );
  });

  it('is near 0 for independent uniforms and near −½·ln(1 − ρ²) for a bivariate normal', () => {
    const rng = new Rng(11, 'mi-test');
    const a = Array.from({ length: 2000 }, () => rng.next());
    const b = Array.from({ length: 2000 }, () => rng.next());
    expect(mutualInformation(b, a).value).toBeLessThan(0.02);
    const rho = 0.8;
    const z1 = Array.from({ length: 2000 }, () => rng.normal());
    const z2 = z1.map((value) => rho * value + Math.sqrt(1 - rho * rho) * rng.normal());
    // −½·ln(0.36) = 0.5108; KSG is an estimator, so the tolerance is loose.
    expect(Math.abs(mutualInformation(z2, z1).value - -0.5 * Math.log(1 - rho * rho))).toBeLessThan(0.05);
  });

  it('seeded noise is reproducible and only moves the estimate slightly', () => {
    const first = mutualInformation(dependent, u, { noiseSeed: 3 });
    expect(mutualInformation(dependent, u, { noiseSeed: 3 })).toEqual(first);
    expectRelative(first.value, 1.0494301076932202, 1e-9);
  });

  it('gives 0 with a reason for a constant input, and validates', () => {
    expect(mutualInformation([1, 2, 3, 4], [5, 5, 5, 5])).toMatchObject({
      value: 0,
      reason: 'x is constant: it shares no information',
    });
    expect(() => mutualInformation([1, 2, 3], [3, 1, 2])).toThrow(ConfigError);
    expect(() => mutualInformation([1, 2, 3], [3, 1, 2])).toThrow(/at least 4/);
    expect(() => mutualInformation([1, 2, 3, 4], [3, 1, 2, 4], { neighbors: 0 })).toThrow(/neighbors/);
    expect(() => mutualInformation([1, 2, 3, 4], [3, 1, 2, Infinity])).toThrow(/x\[3\]/);
    expect(() => mutualInformation([1, 2, 3, 4], [3, 1, 2, 4], { noiseSeed: 0.5 })).toThrow(/noiseSeed/);
  });
});
