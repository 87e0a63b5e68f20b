import { describe, expect, it } from 'vitest';
import {
  EFFECT_SIZE_THRESHOLDS,
  cliffsDelta,
  cohensD,
  cohensDz,
  effectMagnitude,
  effectSizes,
  hedgesG,
  kendallsW,
  rankBiserial,
} from '@nflab/analysis';
import { cases, expectRelative } from './reference.js';

describe('effect sizes', () => {
  it('match the fixture definitions (fixture effect_sizes)', () => {
    const { x, y, cohens_dz_paired, cohens_d_pooled, hedges_g, cliffs_delta, definitions } =
      cases.effect_sizes;
    expect(definitions).toContain('g = d*(1-3/(4(nx+ny)-9))');
    expectRelative(cohensDz(x, y), cohens_dz_paired);
    expectRelative(cohensD(x, y), cohens_d_pooled);
    expectRelative(hedgesG(x, y), hedges_g);
    expectRelative(cliffsDelta(x, y), cliffs_delta);
    const all = effectSizes(x, y);
    expectRelative(all.cohensDz.value, cohens_dz_paired);
    expect(all.cohensDz.magnitude).toBe('small'); // |−0.42| in [0.2, 0.5)
    expect(all.cohensD.magnitude).toBe('negligible');
    expect(all.cliffsDelta.magnitude).toBe('negligible'); // |−0.105| < 0.147
  });

  it('compute by hand', () => {
    // d = x − y = [1, 2, 3]: mean 2, sd 1.
    expect(cohensDz([2, 4, 6], [1, 2, 3])).toBeCloseTo(2, 12);
    // Means 2 and 4, both variances 1: d = −2; g = −2 · (1 − 3/(4·6 − 9)) = −1.6.
    expect(cohensD([1, 2, 3], [3, 4, 5])).toBeCloseTo(-2, 12);
    expect(hedgesG([1, 2, 3], [3, 4, 5])).toBeCloseTo(-1.6, 12);
    // A one-value sample adds nothing to the pooled variance: s_p² = 2·1/(3 + 1 − 2) = 1.
    expect(cohensD([1, 2, 3], [4])).toBeCloseTo(-2, 12);
    // Of the 9 pairs, 8 have x < y and one tie (3, 3) counts 0: δ = −8/9.
    expect(cliffsDelta([1, 2, 3], [3, 4, 5])).toBeCloseTo(-8 / 9, 12);
    expect(cliffsDelta([5, 6], [1, 2, 3])).toBe(1);
    expect(cliffsDelta([2, 2], [2])).toBe(0);
    // W+ = 13, W− = 2 for d = [1, −2, 3, 4, 5]: r = 11/15; a zero difference is dropped.
    expect(rankBiserial([1, -2, 3, 4, 5], [0, 0, 0, 0, 0])).toBeCloseTo(11 / 15, 12);
    expect(rankBiserial([0, 1, -2, 3, 4, 5], [0, 0, 0, 0, 0, 0])).toBeCloseTo(11 / 15, 12);
    // Friedman χ² = 14/3 over 3 blocks and 3 runs: W = 14/3 / (3·2).
    expect(
      kendallsW([
        [1, 2, 3],
        [1, 3, 2],
        [1, 2, 3],
      ]),
    ).toBeCloseTo(7 / 9, 12);
  });

  it('are null, not NaN, when the spread they divide by is zero', () => {
    expect(cohensDz([2, 3, 4], [1, 2, 3])).toBeNull(); // constant difference
    expect(cohensD([1, 1], [1, 1, 1])).toBeNull();
    expect(hedgesG([2, 2], [1, 1])).toBeNull();
    expect(rankBiserial([1, 2], [1, 2])).toBeNull();
    expect(
      kendallsW([
        [1, 1, 1],
        [2, 2, 2],
      ]),
    ).toBeNull();
    expect(effectSizes([1, 2], [1, 2])).toMatchObject({
      cohensDz: { value: null, magnitude: null },
      rankBiserial: { value: null, magnitude: null },
      cliffsDelta: { value: 0, magnitude: 'negligible' },
    });
  });

  it('reject too few values, unequal pairs and NaN', () => {
    expect(() => cohensDz([1], [2])).toThrow("Cohen's dz needs at least 2 pairs, got 1");
    expect(() => cohensD([1], [2])).toThrow("Cohen's d needs at least 3 values in x and y together, got 2");
    expect(() => cohensD([], [1, 2])).toThrow("Cohen's d needs at least 1 value in x, got 0");
    expect(() => cliffsDelta([1], [])).toThrow("Cliff's delta needs at least 1 value in y, got 0");
    expect(() => effectSizes([1, 2, 3], [1, 2])).toThrow(/same length, got 3 and 2/);
    expect(() => cliffsDelta([1, Number.NaN], [1])).toThrow(/x\[1\] must be a finite number/);
  });
});

describe('effectMagnitude', () => {
  it('labels by the documented thresholds, lower bounds inclusive', () => {
    expect(EFFECT_SIZE_THRESHOLDS['cohen-d']).toEqual([0.2, 0.5, 0.8]);
    expect(['negligible', 'small', 'medium', 'large']).toEqual(
      [0.19, 0.2, -0.5, 0.8].map((d) => effectMagnitude(d, 'cohen-d')),
    );
    expect([0.146, 0.147, 0.33, -0.474].map((d) => effectMagnitude(d, 'cliffs-delta'))).toEqual([
      'negligible',
      'small',
      'medium',
      'large',
    ]);
    expect([0.05, 0.1, 0.3, 0.5].map((r) => effectMagnitude(r, 'correlation'))).toEqual([
      'negligible',
      'small',
      'medium',
      'large',
    ]);
    expect(effectMagnitude(null, 'cohen-d')).toBeNull();
  });
});
