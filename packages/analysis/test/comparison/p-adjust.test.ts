import { describe, expect, it } from 'vitest';
import { adjustPValues } from '@nflab/analysis';
import type { PAdjustMethod } from '@nflab/analysis';
import { cases, expectRelative } from './reference.js';

const STATSMODELS_NAMES = { holm: 'holm', bonferroni: 'bonferroni', bh: 'fdr_bh', by: 'fdr_by' } as const;

describe('adjustPValues', () => {
  it('matches statsmodels multipletests for all four methods (fixture multipletests)', () => {
    const { pvalues } = cases.multipletests;
    for (const [method, name] of Object.entries(STATSMODELS_NAMES)) {
      const adjusted = adjustPValues(pvalues, method as PAdjustMethod);
      cases.multipletests[name].forEach((p: number, i: number) => expectRelative(adjusted[i], p));
    }
  });

  it('keeps the input order and leaves the input untouched', () => {
    const { pvalues } = cases.multipletests;
    const order = [3, 0, 9, 5, 1, 8, 2, 7, 4, 6];
    for (const [method, name] of Object.entries(STATSMODELS_NAMES)) {
      const shuffled = order.map((i) => pvalues[i] as number);
      const copy = [...shuffled];
      const adjusted = adjustPValues(shuffled, method as PAdjustMethod);
      expect(shuffled).toEqual(copy); // stdlib's Bonferroni would write into its argument
      order.forEach((i, k) => expectRelative(adjusted[k], cases.multipletests[name][i]));
    }
  });

  it('computes each method by hand, capped at 1', () => {
    const p = [0.01, 0.04, 0.03, 0.005];
    // Sorted 0.005, 0.01, 0.03, 0.04.
    expect(adjustPValues(p, 'bonferroni')).toEqual([0.04, 0.16, 0.12, 0.02]);
    // Holm: 4·0.005, 3·0.01, 2·0.03, 1·0.04 → running max 0.02, 0.03, 0.06, 0.06.
    adjustPValues(p, 'holm').forEach((v, i) => expect(v).toBeCloseTo([0.03, 0.06, 0.06, 0.02][i]!, 15));
    // BH: 4/1·0.005, 4/2·0.01, 4/3·0.03, 4/4·0.04 → running min from the top 0.02, 0.02, 0.04, 0.04.
    const bh = [0.02, 0.04, 0.04, 0.02];
    adjustPValues(p, 'bh').forEach((v, i) => expect(v).toBeCloseTo(bh[i]!, 15));
    // BY = BH · (1 + 1/2 + 1/3 + 1/4) = BH · 25/12.
    adjustPValues(p, 'by').forEach((v, i) => expect(v).toBeCloseTo((bh[i]! * 25) / 12, 15));
    expect(adjustPValues([0.5, 0.6], 'bonferroni')).toEqual([1, 1]);
    // BY over two: c = 3/2; BH gives 0.6 for both, so 0.9 for both.
    adjustPValues([0.5, 0.6], 'by').forEach((v) => expect(v).toBeCloseTo(0.9, 15));
    expect(adjustPValues([0.6, 0.7], 'by')).toEqual([1, 1]);
  });

  it('returns an empty list for no p-values and rejects non-probabilities', () => {
    expect(adjustPValues([], 'holm')).toEqual([]);
    expect(() => adjustPValues([0.1, Number.NaN], 'holm')).toThrow(
      'pValues[1] must be a probability in [0, 1], got NaN',
    );
    expect(() => adjustPValues([1.2], 'bh')).toThrow(/pValues\[0\]/);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON input
    expect(() => adjustPValues([0.1], 'fdr_bh' as any)).toThrow(
      /method must be one of 'holm', 'bonferroni', 'bh', 'by'/,
    );
  });
});
