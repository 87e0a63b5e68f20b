import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  binnedDrift,
  chiSquareContingency,
  kolmogorovSurvival,
  ksTwoSample,
  linearQuantile,
  wassersteinDistance,
} from '@nflab/analysis';
import { expectRelative, fixture } from '../exogenous/helpers.js';

describe('drift statistics against the scipy fixture', () => {
  it('ks_2samp: statistic and p to 1e-6 (scipy 1.17 auto = exact for max(n1, n2) <= 10000)', () => {
    // The fixture's note says 'asymp here', but its p-value is scipy's exact one (asymp gives 0.000579388…).
    const { reference, current, statistic, pvalue } = fixture.ks_2samp;
    const result = ksTwoSample(reference, current);
    expectRelative(result.statistic, statistic);
    expectRelative(result.pValue, pvalue);
    expect(result).toMatchObject({ method: 'exact', nReference: 500, nCurrent: 400 });
  });

  it('wasserstein: distance to 1e-6', () => {
    const { reference, current, distance } = fixture.wasserstein;
    expectRelative(wassersteinDistance(reference, current), distance);
  });

  it('psi_decile_bins: fractions, PSI, KL and JS distance to 1e-6', () => {
    const { reference, current } = fixture.psi_decile_bins;
    const expected = fixture.psi_decile_bins;
    const result = binnedDrift(reference, current);
    expect(result.edges).toHaveLength(9);
    result.referenceFractions.forEach((f, i) => expectRelative(f, expected.reference_fractions[i]));
    result.currentFractions.forEach((f, i) => expectRelative(f, expected.current_fractions[i]));
    expectRelative(result.psi, expected.psi);
    expectRelative(result.klCurrentVsReference, expected.kl_current_vs_reference_nats);
    expectRelative(result.jensenShannonDistance, expected.jensen_shannon_distance_base2);
  });

  it('chi2_contingency: statistic, p and dof to 1e-6 (2×3, no Yates correction)', () => {
    const { table, statistic, pvalue, dof } = fixture.chi2_contingency;
    const result = chiSquareContingency(table);
    expectRelative(result.statistic, statistic);
    expectRelative(result.pValue, pvalue);
    expect(result).toMatchObject({ dof, yatesCorrection: false });
  });
});

describe('drift statistics, hand-checked cases (references: scipy 1.17.1)', () => {
  it('KS with equal sizes (closed form) and with ties, including where D is and its sign', () => {
    const equal = ksTwoSample(
      [0.1, 0.5, 0.9, 1.3, 2.2, 2.8, 3.1, 4.0],
      [1.0, 1.9, 2.5, 3.3, 3.9, 4.4, 5.1, 6.0],
    );
    expect(equal).toMatchObject({ statistic: 0.5, location: 3.1, sign: 1, method: 'exact' });
    expectRelative(equal.pValue, 0.2826728826728826, 1e-12);
    const a = [1, 2, 2, 3, 3, 3, 4, 5, 7, 9, 10];
    const b = [2, 3, 4, 4, 5, 6, 6, 6, 8];
    const ties = ksTwoSample(a, b);
    expectRelative(ties.statistic, 0.32323232323232326, 1e-12);
    expectRelative(ties.pValue, 0.5865920457251728, 1e-12);
    expect(ties).toMatchObject({ location: 3, sign: 1 });
    expect(ksTwoSample(b, a)).toMatchObject({ location: 3, sign: -1 });
    expect(ksTwoSample([1, 2, 3], [1, 2, 3])).toMatchObject({ statistic: 0, pValue: 1 });
  });

  it('uses the limiting Kolmogorov distribution above 10000 values (scipy.stats.kstwobign.sf)', () => {
    const cases: [number, number][] = [
      [0.3, 0.9999906941986655],
      [0.8, 0.5441424115741981],
      [1.0, 0.26999967167735456],
      [1.36, 0.049485876755377876],
      [2.0, 0.0006709252557796953],
      [3.5, 4.579469691291106e-11],
    ];
    for (const [lambda, expected] of cases) expectRelative(kolmogorovSurvival(lambda), expected, 1e-9);
    const big = Array.from({ length: 10_001 }, (_, i) => i / 10_001);
    const shifted = Array.from({ length: 5000 }, (_, i) => 0.02 + i / 5000);
    const result = ksTwoSample(big, shifted);
    expect(result.method).toBe('asymptotic');
    expect(result.pValue).toBeCloseTo(
      kolmogorovSurvival(Math.sqrt((10_001 * 5000) / 15_001) * result.statistic),
      15,
    );
  });

  it('Wasserstein-1 by hand: a shift by 5 costs 5; and a case with ties', () => {
    expect(wassersteinDistance([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 14);
    expect(wassersteinDistance([3.5, 1, 2, 2], [0.5, 4, 4, 1, 1])).toBeCloseTo(0.875, 14);
    expect(wassersteinDistance([1, 2], [2, 1])).toBe(0);
  });

  it('PSI/KL/JS are 0 for identical samples; ties in the reference repeat edges and leave empty bins', () => {
    const same = binnedDrift([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(same).toMatchObject({ psi: 0, klCurrentVsReference: 0, jensenShannonDistance: 0 });
    const tied = binnedDrift([1, 1, 1, 1, 1, 1, 1, 1, 2, 3], [1, 2, 2, 3], { bins: 4 });
    // numpy.quantile([1×8, 2, 3], [.25, .5, .75]) = [1, 1, 1]: one bin below 1 and all of it at ≥ 1.
    expect(tied.edges).toEqual([1, 1, 1]);
    expect(tied.referenceFractions).toEqual([0, 0, 0, 1]);
    expect(tied.psi).toBe(0);
    expect(linearQuantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('chi-square: Yates correction for 2×2 only, capped at |O − E|; dof 0 gives p = 1', () => {
    const twoByTwo = chiSquareContingency([
      [12, 5],
      [7, 16],
    ]);
    expectRelative(twoByTwo.statistic, 4.812286470652336, 1e-12);
    expectRelative(twoByTwo.pValue, 0.02825752852636125, 1e-12);
    expect(twoByTwo.yatesCorrection).toBe(true);
    // |O − E| = 0.238 < 0.5: the correction stops at E, so the statistic is 0.
    expect(
      chiSquareContingency([
        [5, 5],
        [5, 6],
      ]).statistic,
    ).toBe(0);
    expect(chiSquareContingency([[3, 4, 5]])).toMatchObject({ statistic: 0, pValue: 1, dof: 0 });
  });

  it('rejects empty or non-finite samples and bad tables, naming the problem', () => {
    expect(() => ksTwoSample([], [1])).toThrow(ConfigError);
    expect(() => wassersteinDistance([1, Number.NaN], [1])).toThrow(/reference\[1\]/);
    expect(() => binnedDrift([1, 2], [3], { bins: 1 })).toThrow(/bins must be at least 2/);
    expect(() => chiSquareContingency([[1, 2], [3]])).toThrow(/rectangular/);
    expect(() =>
      chiSquareContingency([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(/table\[0\]\[1\]/);
    expect(() =>
      chiSquareContingency([
        [0, 0],
        [3, 4],
      ]),
    ).toThrow(/row 0 sums to 0/);
  });
});
