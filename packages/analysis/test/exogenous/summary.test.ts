import { ConfigError, Rng } from '@nflab/contracts';
import padjust from '@stdlib/stats-padjust';
import { describe, expect, it } from 'vitest';
import {
  EXOGENOUS_SUMMARY_LIMITS,
  grangerWork,
  crossCorrelation,
  grangerCausality,
  kendallTauB,
  mutualInformation,
  pearsonCorrelation,
  spearmanCorrelation,
  tableExogenousSummary,
  type ExogenousSeriesInput,
} from '@nflab/analysis';
import { expectRelative, fixture } from './helpers.js';

function table(): ExogenousSeriesInput[] {
  const rng = new Rng(21, 'summary-test');
  return ['a', 'b'].map((uniqueId) => {
    const driver = Array.from({ length: 80 }, () => rng.normal());
    // y follows hist_driver one step later; hist_noise is unrelated; stat_ball is constant per series.
    const y = driver.map((_, t) => (t === 0 ? 0 : 0.6 * (driver[t - 1] ?? 0)) + rng.normal());
    return {
      uniqueId,
      y,
      columns: {
        hist_driver: driver,
        hist_noise: driver.map(() => rng.normal()),
        stat_ball: driver.map(() => 7),
      },
    };
  });
}

describe('tableExogenousSummary', () => {
  it('runs every test per (series, column) pair with the same results as the single functions', () => {
    const input = table();
    const summary = tableExogenousSummary(input, { crossCorrelationMaxLag: 5, grangerMaxLag: 3 });
    expect(summary.pairs.map((pair) => `${pair.uniqueId}/${pair.column}`)).toEqual([
      'a/hist_driver',
      'a/hist_noise',
      'a/stat_ball',
      'b/hist_driver',
      'b/hist_noise',
      'b/stat_ball',
    ]);
    const first = summary.pairs[0];
    const { y, columns } = input[0] as ExogenousSeriesInput;
    const x = columns.hist_driver ?? [];
    expect(first?.pearson).toEqual(pearsonCorrelation(y, x));
    expect(first?.spearman).toEqual(spearmanCorrelation(y, x));
    expect(first?.kendall).toEqual(kendallTauB(y, x));
    expect(first?.crossCorrelation.lags).toEqual(crossCorrelation(y, x, { maxLag: 5 }).lags);
    expect(first?.crossCorrelation.best?.lag).toBe(1);
    expect(first?.mutualInformation).toEqual(mutualInformation(y, x));
    expect(first?.granger).toEqual(grangerCausality(y, x, { maxLag: 3 }));
    expect(first?.adjusted.granger.holm).toBeLessThan(0.05);
    const bestP = first?.crossCorrelation.best?.pValue ?? 1;
    expect(first?.crossCorrelation.bestPValueLagAdjusted).toBe(Math.min(1, bestP * 6));
  });

  it('adjusts each family across the pairs that have a p-value; constant columns stay null', () => {
    const summary = tableExogenousSummary(table(), { crossCorrelationMaxLag: 5, grangerMaxLag: 3 });
    expect(summary.testCounts).toEqual({
      pearson: 4,
      spearman: 4,
      kendall: 4,
      crossCorrelation: 4,
      granger: 4,
    });
    const stat = summary.pairs[2];
    expect(stat?.pearson.reason).toBe('x is constant');
    expect(stat?.mutualInformation.value).toBe(0);
    expect(stat?.adjusted.pearson).toEqual({ holm: null, bh: null });
    expect(stat?.granger.selected).toBeNull();
    // Holm by hand over the four Pearson p-values: sorted p_(i)·(4 − i + 1), running maximum, capped at 1.
    const defined = summary.pairs.filter((pair) => pair.pearson.pValue !== null);
    const sorted = defined.map((pair) => pair.pearson.pValue ?? 1).sort((a, b) => a - b);
    let running = 0;
    const holm = sorted.map((p, i) => (running = Math.min(1, Math.max(running, p * (4 - i)))));
    const ours = defined.map((pair) => pair.adjusted.pearson.holm ?? -1).sort((a, b) => a - b);
    ours.forEach((value, i) => expectRelative(value, holm[i] ?? 0, 1e-12));
  });

  it("uses a p-value adjustment that matches statsmodels' multipletests holm and fdr_bh", () => {
    const { pvalues, holm, fdr_bh: bh } = fixture.multipletests;
    padjust(pvalues, 'holm').forEach((value, i) => expectRelative(value, holm[i]));
    padjust(pvalues, 'bh').forEach((value, i) => expectRelative(value, bh[i]));
  });

  it('enforces the lag and pair limits, naming them', () => {
    expect(EXOGENOUS_SUMMARY_LIMITS).toEqual({ maxLag: 52, maxPairs: 200, maxGrangerWork: 4e9 });
    expect(() => tableExogenousSummary(table(), { grangerMaxLag: 53 })).toThrow(ConfigError);
    expect(() => tableExogenousSummary(table(), { grangerMaxLag: 53 })).toThrow(
      /grangerMaxLag must be an integer from 1 to 52/,
    );
    expect(() => tableExogenousSummary(table(), { crossCorrelationMaxLag: 60 })).toThrow(
      /crossCorrelationMaxLag .* 0 to 52/,
    );
    const columns = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [`hist_${i}`, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]]),
    );
    const wide = [
      { uniqueId: 'a', y: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7], columns },
      { uniqueId: 'b', y: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7], columns },
    ];
    expect(() => tableExogenousSummary(wide, { crossCorrelationMaxLag: 2 })).toThrow(
      /at most 200 \(series, column\) pairs .*got 202/,
    );
  });

  it('caps the Granger least-squares work, which grows with n·P³', () => {
    // P = 1 on n = 10: the lag-1 fit (9 rows × 3²) plus the common-sample fit (9 × 3²).
    expect(grangerWork(10, 1)).toBe(162);
    const y = Array.from({ length: 1000 }, (_, t) => Math.sin(t) + (t % 7));
    const columns = Object.fromEntries(
      Array.from({ length: 22 }, (_, i) => [`hist_${i}`, y.map((v, t) => v * ((t + i) % 5))]),
    );
    expect(22 * grangerWork(1000, 52)).toBeGreaterThan(4e9);
    expect(() => tableExogenousSummary([{ uniqueId: 'a', y, columns }], { grangerMaxLag: 52 })).toThrow(
      /above the limit 4e\+9 \(EXOGENOUS_SUMMARY_LIMITS.maxGrangerWork\); lower grangerMaxLag/,
    );
  });

  it('names the series and column of bad input and the minimum length', () => {
    const input = table();
    const short = [
      {
        ...input[0],
        uniqueId: 'short',
        y: (input[0]?.y ?? []).slice(0, 12),
        columns: { hist_driver: (input[0]?.y ?? []).slice(0, 12) },
      },
    ];
    expect(() => tableExogenousSummary(short)).toThrow(
      /series 'short' .* needs at least 14 aligned points, got 12/,
    );
    const bad = [
      {
        uniqueId: 'x1',
        y: input[0]?.y ?? [],
        columns: { hist_a: (input[0]?.y ?? []).map((v, i) => (i === 5 ? Number.NaN : v)) },
      },
    ];
    expect(() => tableExogenousSummary(bad)).toThrow(/series 'x1' column 'hist_a'\[5\]/);
    const mismatch = [{ uniqueId: 'm', y: input[0]?.y ?? [], columns: { hist_a: [1, 2, 3] } }];
    expect(() => tableExogenousSummary(mismatch)).toThrow(/equal lengths/);
  });
});
