import { describe, expect, it } from 'vitest';
import {
  conoverFriedmanTest,
  criticalDifferenceDiagram,
  friedmanTest,
  kruskalWallis,
  nemenyiCriticalDifference,
  nemenyiTest,
  oneWayAnova,
} from '@nflab/analysis';
import { cases, expectRelative } from './reference.js';

// 3 blocks × 3 runs: ranks are the values; rank sums R = [3, 7, 8], mean ranks [1, 7/3, 8/3].
const untied = [
  [1, 2, 3],
  [1, 3, 2],
  [1, 2, 3],
];
// scikit-posthocs' test matrix (rows = 3 blocks, columns = 7 groups), with ties in every block;
// its expected p-values below come from scikit-posthocs' test suite (R's PMCMRplus).
const dfBn = [
  [4, 3, 4, 4, 5, 6, 3],
  [1, 2, 3, 5, 6, 7, 7],
  [1, 2, 6, 4, 1, 5, 1],
];

/** Expands a lower triangle (diagonal included) into the full symmetric matrix. */
function symmetric(lower: number[][]): number[][] {
  return lower.map((_, i) => lower.map((__, j) => (j <= i ? lower[i]![j]! : lower[j]![i]!)));
}

describe('friedmanTest', () => {
  it('matches scipy.stats.friedmanchisquare (fixture friedman)', () => {
    const { blocks_by_treatments: matrix, statistic, pvalue, mean_ranks, kendalls_w } = cases.friedman;
    const result = friedmanTest(matrix);
    expectRelative(result.statistic, statistic);
    expectRelative(result.pValue, pvalue);
    mean_ranks.forEach((rank: number, j: number) => expectRelative(result.meanRanks[j], rank));
    expectRelative(result.kendallsW, kendalls_w);
    expect(result).toMatchObject({ df: 4, blocks: 12, treatments: 5, reason: null });
  });

  it('computes χ², p and W by hand', () => {
    // 12/(3·3·4) · (9 + 49 + 64) − 3·3·4 = 14/3; χ² with 2 df has sf e^{−x/2}; W = χ²/(n(k−1)).
    const result = friedmanTest(untied);
    expect(result.statistic).toBeCloseTo(14 / 3, 12);
    expect(result.pValue).toBeCloseTo(Math.exp(-7 / 3), 12);
    expect(result.kendallsW).toBeCloseTo(7 / 9, 12);
    expect(result.meanRanks).toEqual([1, 7 / 3, 8 / 3]);
  });

  it('corrects for ties within blocks', () => {
    // Row 1 ties two runs: R = [3.5, 6.5, 8], raw χ² = 118.5/3 − 36 = 3.5; the tie group (t = 2)
    // gives C = 1 − 6/(3·3·8) = 11/12, so χ² = 42/11 (scipy agrees).
    const result = friedmanTest([
      [1, 1, 3],
      [1, 3, 2],
      [1, 2, 3],
    ]);
    expect(result.statistic).toBeCloseTo(42 / 11, 12);
    expect(result.pValue).toBeCloseTo(Math.exp(-21 / 11), 12);
    expect(friedmanTest(dfBn).statistic).toBeCloseTo(8.46835443037974, 12); // scipy
  });

  it('returns null with a reason when every block is all ties', () => {
    const result = friedmanTest([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(result).toMatchObject({ statistic: null, pValue: null, kendallsW: null, meanRanks: [2, 2, 2] });
    expect(result.reason).toMatch(/all ties/);
  });

  it('rejects too few runs or blocks, ragged rows and non-finite values', () => {
    expect(() =>
      friedmanTest([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow('Friedman test needs at least 3 runs (columns), got 2');
    expect(() => friedmanTest([[1, 2, 3]])).toThrow(
      'Friedman test needs at least 2 blocks (rows of aligned points), got 1',
    );
    expect(() =>
      friedmanTest([
        [1, 2, 3],
        [1, 2],
      ]),
    ).toThrow(/row 0 has 3 and row 1 has 2/);
    expect(() =>
      friedmanTest([
        [1, 2, 3],
        [1, Number.NaN, 3],
      ]),
    ).toThrow(/matrix\[1\]\[1\] must be a finite number/);
  });
});

describe('nemenyiTest', () => {
  it('matches the fixture q_α and critical difference', () => {
    const {
      blocks_by_treatments: matrix,
      nemenyi_q_alpha_0_05,
      nemenyi_critical_difference_0_05,
    } = cases.friedman;
    const result = nemenyiTest(matrix);
    expectRelative(result.qAlpha, nemenyi_q_alpha_0_05);
    expectRelative(result.criticalDifference, nemenyi_critical_difference_0_05);
  });

  it('computes CD by hand from the studentized range quantile', () => {
    // q(0.95; 3, ∞)/√2 = 2.343700586378409 (scipy); CD = q_α · √(3·4/(6·3)).
    const { qAlpha, criticalDifference } = nemenyiCriticalDifference(3, 3);
    expect(qAlpha).toBeCloseTo(2.343700586378409, 8);
    expect(criticalDifference).toBeCloseTo(2.343700586378409 * Math.sqrt(2 / 3), 8);
    // With k = 2 the studentized range of two normals is √2·|Z|: q_α = z_{0.975}. stdlib's
    // quantile is a root search good to about 5e-8 relative, inside the fixture's 1e-6.
    expectRelative(nemenyiCriticalDifference(2, 10).qAlpha, 1.959963984540054);
  });

  it('gives pairwise p-values from the studentized range (scipy studentized_range.sf)', () => {
    // |R̄_i − R̄_j| = 4/3, 5/3, 1/3; q = √2·diff/√(2/3).
    const { pValues } = nemenyiTest(untied);
    expect(pValues[0]![0]).toBe(1);
    expectRelative(pValues[0]![1], 0.23172497322995012);
    expectRelative(pValues[0]![2], 0.10248389034399985);
    expectRelative(pValues[1]![2], 0.9122366380510066);
    expect(pValues[2]![0]).toBe(pValues[0]![2]);
  });

  it('matches scikit-posthocs posthoc_nemenyi_friedman on its test matrix (7 digits given)', () => {
    const expected = symmetric([
      [1],
      [0.9999999, 1],
      [0.8414506, 0.8833015, 1],
      [0.9177741, 0.9449086, 0.9999962, 1],
      [0.9177741, 0.9449086, 0.9999962, 1.0, 1],
      [0.2147827, 0.2597539, 0.9449086, 0.8833015, 0.8833015, 1],
      [0.99769, 0.999177, 0.9888953, 0.99769, 0.99769, 0.5511935, 1],
    ]);
    const { pValues } = nemenyiTest(dfBn);
    expected.forEach((row, i) =>
      row.forEach((p, j) => expect(Math.abs(pValues[i]![j]! - p)).toBeLessThan(1e-6)),
    );
  });

  it('rejects a bad alpha', () => {
    expect(() => nemenyiTest(untied, { alpha: 0 })).toThrow('alpha must be in (0, 1), got 0');
  });
});

describe('conoverFriedmanTest', () => {
  it('computes t and p by hand', () => {
    // A1 = 3·(1 + 4 + 9) = 42, Σ R² = 122: SE = √(2(3·42 − 122)/((3−1)(3−1))) = √2 on 4 df.
    // p = 2·P(T₄ ≥ |R_i − R_j|/√2); for |ΔR| = 1 that is 14/27 exactly.
    const result = conoverFriedmanTest(untied);
    expect(result.df).toBe(4);
    expect(result.statistics![0]![1]).toBeCloseTo(4 / Math.SQRT2, 12);
    expect(result.pValues![1]![2]).toBeCloseTo(14 / 27, 12);
    expectRelative(result.pValues![0]![1], 0.04742065558431961); // scipy 2·t.sf(4/√2, 4)
    expectRelative(result.pValues![0]![2], 0.024110110551390906);
    expect(result.pValues![0]![0]).toBe(1);
  });

  const unadjusted = symmetric([
    [1],
    [0.9147508, 1],
    [0.151803, 0.18071036, 1],
    [0.2140927, 0.25232845, 0.8305955, 1],
    [0.2140927, 0.25232845, 0.8305955, 1, 1],
    [0.0181602, 0.02222747, 0.2523284, 0.1807104, 0.1807104, 1],
    [0.5242303, 0.59465124, 0.3989535, 0.5242303, 0.5242303, 0.05991984, 1],
  ]);

  it('matches scikit-posthocs posthoc_conover_friedman on its tied test matrix', () => {
    const { pValues } = conoverFriedmanTest(dfBn);
    unadjusted.forEach((row, i) =>
      row.forEach((p, j) => expect(Math.abs(pValues![i]![j]! - p)).toBeLessThan(1e-6)),
    );
  });

  it('adjusts the k(k − 1)/2 pairs as one family (scikit-posthocs p_adjust="bonferroni")', () => {
    const { pValues, adjust } = conoverFriedmanTest(dfBn, { adjust: 'bonferroni' });
    expect(adjust).toBe('bonferroni');
    unadjusted.forEach((row, i) =>
      row.forEach((p, j) =>
        expect(Math.abs(pValues![i]![j]! - Math.min(1, i === j ? 1 : 21 * p))).toBeLessThan(21e-6),
      ),
    );
  });

  it('returns null when every block ranks the runs the same way', () => {
    const result = conoverFriedmanTest([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(result).toMatchObject({ statistics: null, pValues: null });
    expect(result.reason).toMatch(/ranks the runs the same way/);
  });

  it('rejects an unknown adjustment', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON input
    expect(() => conoverFriedmanTest(untied, { adjust: 'fdr' as any })).toThrow(
      /adjust must be one of 'none', 'holm'/,
    );
  });
});

describe('criticalDifferenceDiagram', () => {
  it('sorts runs by mean rank and groups those closer than CD', () => {
    const { blocks_by_treatments: matrix, nemenyi_critical_difference_0_05: cd } = cases.friedman;
    const diagram = criticalDifferenceDiagram(matrix, { labels: ['a', 'b', 'c', 'd', 'e'] });
    expectRelative(diagram.criticalDifference, cd);
    // Mean ranks a 1.83, d 2.17, b 3.42, e 3.75, c 3.83; CD = 1.76.
    expect(diagram.models.map((m) => m.label)).toEqual(['a', 'd', 'b', 'e', 'c']);
    expect(diagram.models[0]).toMatchObject({ column: 0 });
    // From a: b is 1.58 away (< CD), e is 1.92 (≥ CD). From d: c is 1.67 away. So two bars.
    expect(diagram.cliques.map((c) => c.members)).toEqual([
      ['a', 'd', 'b'],
      ['d', 'b', 'e', 'c'],
    ]);
    expect(diagram.cliques[1]).toMatchObject({ from: 13 / 6, to: 46 / 12 });
    expectRelative(diagram.friedmanPValue!, cases.friedman.pvalue);
  });

  it('leaves out runs that differ from all others and keeps only maximal groups', () => {
    // Mean ranks 1, 2, 3 over 20 identical blocks: CD = 2.3437·√(12/120) = 0.741, so no bars.
    const blocks = Array.from({ length: 20 }, () => [1, 2, 3]);
    expect(criticalDifferenceDiagram(blocks).cliques).toEqual([]);
    expect(criticalDifferenceDiagram(blocks).models.map((m) => m.label)).toEqual(['run 1', 'run 2', 'run 3']);
    // Over 3 blocks CD = 1.91: all three runs within one bar (8/3 − 1 = 1.67 < 1.91).
    expect(criticalDifferenceDiagram(untied, { labels: ['x', 'y', 'z'] }).cliques).toEqual([
      { members: ['x', 'y', 'z'], from: 1, to: 8 / 3 },
    ]);
  });

  it('needs one label per run', () => {
    expect(() => criticalDifferenceDiagram(untied, { labels: ['x'] })).toThrow(
      'labels must name each of the 3 runs (columns), got 1 labels',
    );
  });
});

describe('oneWayAnova', () => {
  it('matches scipy.stats.f_oneway (fixture anova_oneway)', () => {
    const { groups, statistic, pvalue } = cases.anova_oneway;
    const result = oneWayAnova(groups);
    expectRelative(result.statistic, statistic);
    expectRelative(result.pValue, pvalue);
    expect(result).toMatchObject({ dfBetween: 2, dfWithin: groups.flat().length - 3 });
  });

  it('computes F by hand and keeps small p-values', () => {
    // Means 2 and 5, grand mean 26/7: SSB = 108/7, SSW = 2 + 20 = 22, F = (108/7) / (22/5) = 270/77.
    const result = oneWayAnova([
      [1, 2, 3],
      [2, 4, 6, 8],
    ]);
    expect(result.statistic).toBeCloseTo(270 / 77, 12);
    expect(result.pValue).toBeCloseTo(0.120017637741894, 12); // scipy
    expect(result.groupMeans).toEqual([2, 5]);
    const separated = oneWayAnova([
      [1, 1.1, 0.9, 1.05, 0.95, 1.02],
      [5, 5.1, 4.9, 5.05, 4.95, 5.01],
      [9, 9.1, 8.9, 9.05, 8.95, 9.03],
    ]);
    expectRelative(separated.pValue, 3.060758820740714e-26); // scipy; 1 − CDF would give 0
  });

  it('returns null when every group is constant', () => {
    const result = oneWayAnova([
      [1, 1],
      [2, 2],
    ]);
    expect(result).toMatchObject({ statistic: null, pValue: null });
    expect(result.reason).toMatch(/zero within-group variance/);
  });

  it('rejects too few groups or values, empty groups and NaN', () => {
    expect(() => oneWayAnova([[1, 2, 3]])).toThrow('one-way ANOVA needs at least 2 groups, got 1');
    expect(() => oneWayAnova([[1], [2]])).toThrow(
      /more values than groups \(N − k ≥ 1\), got 2 values in 2 groups/,
    );
    expect(() => oneWayAnova([[1, 2], []])).toThrow(/groups\[1\] is empty/);
    expect(() =>
      oneWayAnova([
        [1, 2],
        [3, Number.NaN],
      ]),
    ).toThrow(/groups\[1\]\[1\] must be a finite number/);
  });
});

describe('kruskalWallis', () => {
  it('matches scipy.stats.kruskal (fixture kruskal)', () => {
    const { groups, statistic, pvalue } = cases.kruskal;
    const result = kruskalWallis(groups);
    expectRelative(result.statistic, statistic);
    expectRelative(result.pValue, pvalue);
    expect(result.df).toBe(2);
  });

  it('computes H by hand and corrects for ties', () => {
    // Ranks 1, 2, 3 | 4, 5: H = 12/30 · (36/3 + 81/2) − 18 = 3; χ²₁ sf(3) = 2Φ(−√3).
    const result = kruskalWallis([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(result.statistic).toBeCloseTo(3, 12);
    expect(result.pValue).toBeCloseTo(0.08326451666355042, 12);
    const tied = kruskalWallis([
      [1, 2, 2, 3],
      [2, 3, 3, 4, 5],
      [5, 5, 6],
    ]);
    expect(tied.statistic).toBeCloseTo(7.578223844282238, 12); // scipy
    expect(tied.pValue).toBeCloseTo(0.02261567741784765, 12);
  });

  it('returns null when every value is equal', () => {
    expect(kruskalWallis([[3, 3], [3]])).toMatchObject({
      statistic: null,
      pValue: null,
      reason: 'every value is equal, so there is nothing to rank',
    });
  });

  it('rejects too few or empty groups', () => {
    expect(() => kruskalWallis([[1, 2]])).toThrow('Kruskal–Wallis test needs at least 2 groups, got 1');
    expect(() => kruskalWallis([[1, 2], []])).toThrow(/groups\[1\] is empty/);
  });
});
