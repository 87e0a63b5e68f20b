import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  countDiscordantPairs,
  kendallExactPValue,
  kendallTauB,
  pearsonCorrelation,
  spearmanCorrelation,
} from '@nflab/analysis';
import { expectRelative, fixture } from './helpers.js';

// Small hand cases; expected values from scipy 1.17.1 (pearsonr, spearmanr, kendalltau defaults).
const tiesA = [1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8];
const tiesB = [2, 1, 3, 3, 5, 4, 4, 6, 6, 8, 7, 7];
const smallA = [3.1, 1.2, 5.5, 4.4, 2.2, 6.1, 0.5, 7.7, 8.8, 9.0];
const smallB = [2.0, 1.0, 4.0, 6.0, 3.0, 5.0, 0.1, 9.0, 7.0, 8.0];

describe('correlations against the scipy fixture', () => {
  it('pearson: r and p to 1e-6', () => {
    const { x, y, r, pvalue } = fixture.pearson;
    const result = pearsonCorrelation(y, x);
    expectRelative(result.coefficient, r);
    expectRelative(result.pValue, pvalue);
    expect(result).toMatchObject({ method: 'pearson', n: 60, pValueMethod: 't', reason: null });
  });

  it('spearman: rho and p to 1e-6', () => {
    const { x, y, rho, pvalue } = fixture.spearman;
    const result = spearmanCorrelation(y, x);
    expectRelative(result.coefficient, rho);
    expectRelative(result.pValue, pvalue);
  });

  it('kendall_tau_b: tau and the normal-approximation p (n = 60 > 33, no ties) to 1e-6', () => {
    const { x, y, tau, pvalue } = fixture.kendall_tau_b;
    const result = kendallTauB(y, x);
    expectRelative(result.coefficient, tau);
    expectRelative(result.pValue, pvalue);
    expect(result.pValueMethod).toBe('normal');
  });
});

describe('correlations, hand-checked cases', () => {
  it('handles ties: average ranks, tie-corrected tau-b and its variance', () => {
    expect(averageRanks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
    expectRelative(pearsonCorrelation(tiesA, tiesB).coefficient, 0.8947375155753516, 1e-12);
    expectRelative(pearsonCorrelation(tiesA, tiesB).pValue, 8.508702358905858e-5, 1e-9);
    expectRelative(spearmanCorrelation(tiesA, tiesB).coefficient, 0.9306108750764398, 1e-12);
    expectRelative(spearmanCorrelation(tiesA, tiesB).pValue, 1.126699174287587e-5, 1e-9);
    const kendall = kendallTauB(tiesA, tiesB);
    expectRelative(kendall.coefficient, 0.8130350006092966, 1e-12);
    expectRelative(kendall.pValue, 0.00045370770702583395, 1e-9);
    expect(kendall.pValueMethod).toBe('normal');
  });

  it("uses Kendall's exact distribution for n <= 33 without ties, and for min(con, dis) <= 1", () => {
    const small = kendallTauB(smallA, smallB);
    expectRelative(small.coefficient, 0.7777777777777777, 1e-12);
    expectRelative(small.pValue, 0.0009463183421516755, 1e-9);
    expect(small.pValueMethod).toBe('exact');
    const reversed = kendallTauB(
      Array.from({ length: 20 }, (_, i) => i),
      Array.from({ length: 20 }, (_, i) => 19 - i),
    );
    expect(reversed.coefficient).toBe(-1);
    expectRelative(reversed.pValue, 8.22063524662433e-19, 1e-9);
    // n = 40 with one swapped pair: one discordant pair, so exact although n > 33.
    const nearlySorted = Array.from({ length: 40 }, (_, i) => i);
    [nearlySorted[0], nearlySorted[1]] = [1, 0];
    const swapped = kendallTauB(
      Array.from({ length: 40 }, (_, i) => i),
      nearlySorted,
    );
    expectRelative(swapped.pValue, 9.804939513027087e-47, 1e-9);
    expect(swapped.pValueMethod).toBe('exact');
    expect(kendallExactPValue(4, 3)).toBe(1); // c = n(n−1)/4: the middle of the distribution
  });

  it('counts discordant pairs like the O(n²) definition, with ties', () => {
    const y = [3, 1, 2, 2, 5, 1, 4, 4, 0];
    const x = [1, 1, 2, 3, 3, 0, 2, 5, 4];
    let expected = 0;
    for (let i = 0; i < y.length; i++) {
      for (let j = i + 1; j < y.length; j++)
        if (((y[i] ?? 0) - (y[j] ?? 0)) * ((x[i] ?? 0) - (x[j] ?? 0)) < 0) expected++;
    }
    expect(countDiscordantPairs(y, x)).toBe(expected);
  });

  it('gives r = ±1 and p ≈ 0 for an exact linear relation', () => {
    const x = [1, 2, 3, 4, 5];
    expect(
      pearsonCorrelation(
        x.map((v) => 2 * v + 1),
        x,
      ),
    ).toMatchObject({ coefficient: 1, pValue: 0 });
    const spearman = spearmanCorrelation(
      x.map((v) => -v),
      x,
    );
    expect(spearman.coefficient).toBeCloseTo(-1, 15);
    expect(spearman.pValue).toBeLessThan(1e-20);
  });

  it('returns null with a reason for a constant series, not NaN', () => {
    for (const test of [pearsonCorrelation, spearmanCorrelation, kendallTauB]) {
      expect(test([1, 2, 3, 4], [7, 7, 7, 7])).toMatchObject({
        coefficient: null,
        pValue: null,
        reason: 'x is constant',
      });
      expect(test([5, 5, 5], [1, 2, 3])).toMatchObject({
        coefficient: null,
        pValue: null,
        reason: 'y is constant',
      });
    }
  });

  it('rejects too few points (naming the minimum), NaN (naming the index) and a length mismatch', () => {
    for (const test of [pearsonCorrelation, spearmanCorrelation, kendallTauB]) {
      expect(() => test([1, 2], [2, 1])).toThrow(ConfigError);
      expect(() => test([1, 2], [2, 1])).toThrow(/at least 3/);
      expect(() => test([1, 2, 3], [2, Number.NaN, 1])).toThrow(/x\[1\]/);
      expect(() => test([1, 2, 3, 4], [2, 1, 3])).toThrow(/equal lengths, got 4 and 3/);
    }
  });
});
