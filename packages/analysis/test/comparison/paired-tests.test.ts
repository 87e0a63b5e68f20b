import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import signrankCdf from '@stdlib/stats-base-dists-signrank-cdf';
import { pairedTTest, wilcoxonSignedRank } from '@nflab/analysis';
import { lowerTail, signFlipDistribution, upperTail } from '../../src/comparison/signed-rank-null.js';
import { cases, expectRelative } from './reference.js';

describe('pairedTTest', () => {
  it('matches scipy.stats.ttest_rel (fixture ttest_rel)', () => {
    const { x, y, statistic, pvalue, df } = cases.ttest_rel;
    const result = pairedTTest(x, y);
    expectRelative(result.statistic, statistic);
    expectRelative(result.pValue, pvalue);
    expect(result).toMatchObject({ test: 'paired-t', df, n: 40, alternative: 'two-sided', reason: null });
  });

  it('computes t and p by hand', () => {
    // d = [1, 2, 3]: mean 2, sd 1, t = 2 / (1/√3) = 2√3; p = 1 - 2√3/√(2 + 12) (t with 2 df)
    const result = pairedTTest([2, 4, 6], [1, 2, 3]);
    expect(result.statistic).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(result.pValue).toBeCloseTo(1 - (2 * Math.sqrt(3)) / Math.sqrt(14), 12);
    expect(result.meanDifference).toBe(2);
    // One-sided: 'greater' halves the two-sided p for a positive t; 'less' is its complement.
    expect(pairedTTest([2, 4, 6], [1, 2, 3], { alternative: 'greater' }).pValue).toBeCloseTo(
      result.pValue! / 2,
      12,
    );
    expect(pairedTTest([2, 4, 6], [1, 2, 3], { alternative: 'less' }).pValue).toBeCloseTo(
      1 - result.pValue! / 2,
      12,
    );
  });

  it('returns null statistic and p with a reason when every difference is equal', () => {
    for (const [x, y] of [
      [
        [1, 2, 3],
        [1, 2, 3],
      ],
      [
        [2, 3, 4],
        [1, 2, 3],
      ],
    ] as const) {
      const result = pairedTTest(x, y);
      expect(result.statistic).toBeNull();
      expect(result.pValue).toBeNull();
      expect(result.reason).toMatch(/zero variance/);
    }
  });

  it('rejects too few pairs, unequal lengths and non-finite values', () => {
    expect(() => pairedTTest([1], [2])).toThrow('paired t-test needs at least 2 pairs, got 1');
    expect(() => pairedTTest([1, 2, 3], [1, 2])).toThrow(/same length, got 3 and 2; align both runs/);
    expect(() => pairedTTest([1, Number.NaN, 3], [1, 2, 3])).toThrow(/x\[1\] must be a finite number/);
    expect(() => pairedTTest([1, 2, 3], [1, 2, Infinity])).toThrow(ConfigError);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON input
    expect(() => pairedTTest([1, 2, 3], [2, 2, 2], { alternative: 'bigger' as any })).toThrow(
      /alternative must be one of/,
    );
  });
});

describe('wilcoxonSignedRank', () => {
  it('matches scipy.stats.wilcoxon exact (fixture wilcoxon_exact)', () => {
    const { x, y, statistic, pvalue } = cases.wilcoxon_exact;
    const result = wilcoxonSignedRank(x, y);
    expect(result.method).toBe('exact');
    expect(result.statistic).toBe(statistic); // min(W+, W-)
    expect(result.rankSumPositive + result.rankSumNegative).toBe((40 * 41) / 2);
    expectRelative(result.pValue, pvalue);
  });

  it('matches scipy.stats.wilcoxon normal approximation (fixture wilcoxon_normal_approx)', () => {
    const { x, y, statistic, pvalue, correction } = cases.wilcoxon_normal_approx;
    const result = wilcoxonSignedRank(x, y, { method: 'normal', correction });
    expect(result.method).toBe('normal');
    expect(result.statistic).toBe(statistic);
    expectRelative(result.pValue, pvalue);
    expect(result.z).toBeLessThan(0);
  });

  it('switches from exact to normal above 50 pairs, as scipy (values from scipy)', () => {
    // |d| = |k − 30.3| for distinct k: no ties, no zeros.
    const d = Array.from({ length: 51 }, (_, i) => ((i * 37) % 101) - 30.3);
    const zeros = d.map(() => 0);
    const fifty = wilcoxonSignedRank(d.slice(0, 50), zeros.slice(0, 50));
    expect(fifty).toMatchObject({ method: 'exact', statistic: 247 });
    expectRelative(fifty.pValue, 9.040639391599825e-5);
    expectRelative(
      wilcoxonSignedRank(d.slice(0, 50), zeros.slice(0, 50), { alternative: 'greater' }).pValue,
      4.5203196957999126e-5,
    );
    expectRelative(
      wilcoxonSignedRank(d.slice(0, 50), zeros.slice(0, 50), { alternative: 'less' }).pValue,
      0.9999568475751373,
    );
    const fiftyOne = wilcoxonSignedRank(d, zeros);
    expect(fiftyOne).toMatchObject({ method: 'normal', statistic: 261 });
    expectRelative(fiftyOne.pValue, 0.00016447262174207135);
  });

  it('computes the exact p-value by hand', () => {
    // d = [1, -2, 3, 4, 5]: W+ = 13, W- = 2; of the 32 sign patterns 3 have W+ <= 2 ({}, {1}, {2}),
    // and by symmetry 3 have W+ >= 13: p = 6/32.
    const result = wilcoxonSignedRank([1, -2, 3, 4, 5], [0, 0, 0, 0, 0]);
    expect(result).toMatchObject({ method: 'exact', statistic: 2, rankSumPositive: 13, rankSumNegative: 2 });
    expect(result.pValue).toBeCloseTo(6 / 32, 14);
    expect(wilcoxonSignedRank([1, -2, 3, 4, 5], [0, 0, 0, 0, 0], { alternative: 'greater' })).toMatchObject({
      statistic: 13,
      pValue: 3 / 32,
    });
    expect(wilcoxonSignedRank([1, -2, 3, 4, 5], [0, 0, 0, 0, 0], { alternative: 'less' }).pValue).toBeCloseTo(
      30 / 32,
      14,
    );
  });

  it('treats zero differences by zero method (scipy: all give p = 6/32 here)', () => {
    const d = [0, 1, -2, 3, 4, 5];
    const zeros = d.map(() => 0);
    // wilcox drops the zero: ranks 1..5 as above. The zero makes scipy enumerate sign flips.
    expect(wilcoxonSignedRank(d, zeros)).toMatchObject({ method: 'permutation', statistic: 2, nonZero: 5 });
    // pratt ranks the zero 1st, then 2..6: W+ = 2+4+5+6 = 17, W- = 3; 3 of 32 flips give W+ <= 3.
    const pratt = wilcoxonSignedRank(d, zeros, { zeroMethod: 'pratt' });
    expect(pratt).toMatchObject({ statistic: 3, rankSumPositive: 17, rankSumNegative: 3 });
    expect(pratt.pValue).toBeCloseTo(6 / 32, 14);
    // zsplit adds half the zero's rank to both sums.
    const zsplit = wilcoxonSignedRank(d, zeros, { zeroMethod: 'zsplit' });
    expect(zsplit).toMatchObject({ statistic: 3.5, rankSumPositive: 17.5, rankSumNegative: 3.5 });
    expect(zsplit.pValue).toBeCloseTo(6 / 32, 14);
  });

  it('uses the exact sign-flip distribution of tied ranks for small samples (scipy: 0.25)', () => {
    // |d| = [1, 1, 1, 2, 3] ranks [2, 2, 2, 4, 5]: W+ = 13, W- = 2. Doubled ranks [4, 4, 4, 8, 10]:
    // 4 of 32 flips give W+ <= 2 ({} and each single 2), so p = 2 · 4/32.
    const result = wilcoxonSignedRank([1, 1, -1, 2, 3], [0, 0, 0, 0, 0]);
    expect(result).toMatchObject({ method: 'permutation', statistic: 2 });
    expect(result.pValue).toBeCloseTo(0.25, 14);
    expect(
      wilcoxonSignedRank([1, 1, -1, 2, 3], [0, 0, 0, 0, 0], { alternative: 'greater' }).pValue,
    ).toBeCloseTo(4 / 32, 14);
    // Forced exact ignores the ties, as scipy does: the untied n = 5 distribution at W+ = 13.
    expect(wilcoxonSignedRank([1, 1, -1, 2, 3], [0, 0, 0, 0, 0], { method: 'exact' }).pValue).toBeCloseTo(
      6 / 32,
      14,
    );
  });

  it('corrects the normal variance for ties and applies the continuity correction', () => {
    // n = 5, mean 7.5, var = (5·6·11 − (3³ − 3)/2) / 24 = 13.25; z = (13 − 7.5)/√13.25.
    const d = [1, 1, -1, 2, 3];
    const zeros = [0, 0, 0, 0, 0];
    const plain = wilcoxonSignedRank(d, zeros, { method: 'normal' });
    expect(plain.z).toBeCloseTo(-5.5 / Math.sqrt(13.25), 12);
    expect(plain.pValue).toBeCloseTo(0.13079706180685857, 12); // scipy
    const corrected = wilcoxonSignedRank(d, zeros, { method: 'normal', correction: true });
    expect(corrected.z).toBeCloseTo(-5 / Math.sqrt(13.25), 12);
    expect(corrected.pValue).toBeCloseTo(0.1695641451905634, 12); // scipy
  });

  it('follows scipy for zeros under the normal approximation (n > 50 picks it)', () => {
    // Values from scipy.stats.wilcoxon on these 60 differences (3 zeros, ties in |d|).
    const d = Array.from({ length: 60 }, (_, i) => ((i * 7) % 11) - 4 + (i % 3 === 0 ? 0.5 : 0));
    const zeros = d.map(() => 0);
    const expected = {
      wilcox: 0.00961188442102976,
      pratt: 0.010996969086759158,
      zsplit: 0.011003490720448534,
    };
    for (const zeroMethod of ['wilcox', 'pratt', 'zsplit'] as const) {
      const result = wilcoxonSignedRank(d, zeros, { zeroMethod });
      expect(result.method).toBe('normal');
      expect(result.pValue).toBeCloseTo(expected[zeroMethod], 12);
    }
  });

  it('returns null with a reason when every difference is zero', () => {
    const result = wilcoxonSignedRank([1, 2, 3], [1, 2, 3]);
    expect(result).toMatchObject({ statistic: null, pValue: null, nonZero: 0 });
    expect(result.reason).toMatch(/every difference x − y is zero/);
  });

  it('rejects empty or unpaired input and bad options', () => {
    expect(() => wilcoxonSignedRank([], [])).toThrow(
      'Wilcoxon signed-rank test needs at least 1 pair, got 0',
    );
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(/same length, got 2 and 1/);
    expect(() => wilcoxonSignedRank([1, 2], [1, Number.NaN])).toThrow(/y\[1\]/);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON input
    expect(() => wilcoxonSignedRank([1, 2], [0, 0], { zeroMethod: 'drop' as any })).toThrow(
      /zeroMethod must be one of/,
    );
    const many = Array.from({ length: 501 }, (_, i) => i + 1);
    expect(() =>
      wilcoxonSignedRank(
        many,
        many.map(() => 0),
        { method: 'exact' },
      ),
    ).toThrow(/up to 500/);
  });
});

describe('signFlipDistribution', () => {
  it('is the signed-rank distribution for weights 1 … n (checked against @stdlib signrank-cdf)', () => {
    for (const n of [1, 2, 5, 13, 30, 50]) {
      const pmf = signFlipDistribution(Array.from({ length: n }, (_, i) => i + 1));
      const total = (n * (n + 1)) / 2;
      for (const t of [0, 1, Math.floor(total / 3), Math.floor(total / 2), total - 1]) {
        expectRelative(lowerTail(pmf, t), signrankCdf(t, n), 1e-12);
        // Symmetry: P(S ≥ t) = P(S ≤ total − t).
        expectRelative(upperTail(pmf, t), signrankCdf(total - t, n), 1e-12);
      }
    }
  });

  it('counts sign flips of tied weights by hand', () => {
    // Weights [1, 1, 2]: sums 0, 1, 1, 2, 2, 3, 3, 4 over 8 patterns.
    expect(Array.from(signFlipDistribution([1, 1, 2]))).toEqual([1 / 8, 2 / 8, 2 / 8, 2 / 8, 1 / 8]);
  });
});
