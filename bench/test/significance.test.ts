import { describe, expect, it } from 'vitest';
import { adjustPValues, dieboldMariano } from '../../packages/analysis/src/index.js';
import { versusHistoricalMean, withHolm, type VersusHistoricalMean } from '../lib/significance.js';

describe('bench significance against the historical mean', () => {
  const meanErrors = [3, -4, 5, -3, 4, -5, 3, -4, 5, -3, 4, -5];
  const better = meanErrors.map((e, i) => e / 2 + (i % 3) * 0.1);

  it("is the lab's DM test on absolute errors: negative when the model's errors are smaller", () => {
    const test = versusHistoricalMean(better, meanErrors, 4);
    const reference = dieboldMariano(better, meanErrors, { h: 4, loss: 'absolute' });
    expect(test).toEqual({ dm_statistic: reference?.statistic, p_value: reference?.pValue });
    expect(test?.dm_statistic).toBeLessThan(0);
    // Identical errors carry no evidence either way: no statistic.
    expect(versusHistoricalMean(meanErrors, meanErrors, 4)).toBeNull();
  });

  it("adjusts by Holm over the run's tested models only, leaving failed and untested ones", () => {
    type Result = { id: string; error?: string; vs_historical_mean?: VersusHistoricalMean | null };
    const results: Result[] = [
      { id: 'a', vs_historical_mean: { dm_statistic: -3, p_value: 0.01 } },
      { id: 'failed', error: 'boom' },
      { id: 'b', vs_historical_mean: { dm_statistic: -1, p_value: 0.04 } },
      { id: 'c', vs_historical_mean: null },
      { id: 'd', vs_historical_mean: { dm_statistic: 1, p_value: 0.5 } },
    ];
    const holm = adjustPValues([0.01, 0.04, 0.5], 'holm');
    const adjusted = withHolm(results);
    expect(adjusted.map((r) => (r.error ? 'none' : r.vs_historical_mean?.p_holm))).toEqual([
      holm[0],
      'none',
      holm[1],
      undefined,
      holm[2],
    ]);
    // Holm for three tests: 0.01·3, max(0.03, 0.04·2), max(0.08, 0.5).
    expect(holm).toEqual([0.03, 0.08, 0.5]);
    expect(adjusted[1]).toBe(results[1]);
  });
});
