import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_MAX_RESAMPLES, pairedBootstrapDifference } from '@nflab/analysis';
import { expectRelative } from './reference.js';

const a = [0.9, 1.4, 0.2, 2.2, 0.5, 1.1, 3.0, 0.7, 1.9, 0.4, 1.2, 0.8];
const b = [1.0, 1.1, 0.6, 2.0, 0.9, 1.6, 2.1, 1.5, 2.4, 0.3, 1.7, 1.3];
const mean = (losses: readonly number[]) => losses.reduce((s, v) => s + v, 0) / losses.length;
const rootMean = (losses: readonly number[]) => Math.sqrt(mean(losses.map((v) => v * v)));

describe('pairedBootstrapDifference', () => {
  // Expected bounds: scipy.stats.bootstrap's BCa levels (_bca_interval, paired) and
  // scipy.stats.quantile applied to the same 2000 replicates, drawn by Rng(7, 'paired-bootstrap')
  // exactly as this function draws them. A change to Rng's stream changes these numbers.
  it('matches scipy BCa and percentile on the same replicates (mean metric)', () => {
    const bca = pairedBootstrapDifference(a, b, { seed: 7 });
    expect(bca).toMatchObject({
      method: 'bca',
      resamples: 2000,
      confidenceLevel: 0.95,
      n: 12,
      seed: 7,
      reason: null,
    });
    expect(bca.estimate).toBeCloseTo(mean(a) - mean(b), 14);
    expectRelative(bca.lower, -0.39166666666666666);
    expectRelative(bca.upper, 0.1416666666666667);
    expectRelative(bca.acceleration, 0.04517332525959696);
    expectRelative(bca.standardError, 0.13256974634735136);
    const percentile = pairedBootstrapDifference(a, b, { seed: 7, method: 'percentile' });
    expectRelative(percentile.lower, -0.41666666666666674);
    expectRelative(percentile.upper, 0.09166666666666667);
    expect(percentile).toMatchObject({ biasCorrection: null, acceleration: null });
  });

  it('matches scipy BCa for a metric given as a function (RMSE of the losses)', () => {
    const bca = pairedBootstrapDifference(a, b, { seed: 7, metric: rootMean });
    expect(bca.estimate).toBeCloseTo(rootMean(a) - rootMean(b), 14);
    expectRelative(bca.lower, -0.34399141422132784);
    expectRelative(bca.upper, 0.3721301971543954);
    expectRelative(bca.acceleration, 0.09150790621683194);
    const ninety = pairedBootstrapDifference(a, b, { seed: 7, metric: rootMean, confidenceLevel: 0.9 });
    expectRelative(ninety.lower, -0.3070593069259107);
    expectRelative(ninety.upper, 0.27435940787487423);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const first = pairedBootstrapDifference(a, b, { seed: 'run-42', resamples: 500 });
    expect(pairedBootstrapDifference(a, b, { seed: 'run-42', resamples: 500 })).toEqual(first);
    expect(pairedBootstrapDifference(a, b, { resamples: 500 })).toEqual(
      pairedBootstrapDifference(a, b, { resamples: 500, seed: 0 }),
    );
    expect(pairedBootstrapDifference(a, b, { seed: 'run-43', resamples: 500 }).standardError).not.toBe(
      first.standardError,
    );
  });

  it("takes the mean's jackknife in closed form, equal to leaving each point out", () => {
    const fast = pairedBootstrapDifference(a, b, { seed: 3, resamples: 200 });
    const slow = pairedBootstrapDifference(a, b, { seed: 3, resamples: 200, metric: mean });
    expect(fast.acceleration).toBeCloseTo(slow.acceleration!, 12);
    expect(fast.standardError).toBeCloseTo(slow.standardError, 12);
  });

  it('gives the constant difference itself when every replicate is equal', () => {
    // a − b = 0.5 at every point: every resample's mean difference is 0.5.
    for (const method of ['bca', 'percentile'] as const) {
      const result = pairedBootstrapDifference([1.5, 2.5, 3.5], [1, 2, 3], { method, resamples: 50 });
      expect(result.lower).toBeCloseTo(0.5, 14);
      expect(result.upper).toBeCloseTo(0.5, 14);
      expect(result.standardError).toBeCloseTo(0, 14);
    }
  });

  it('returns null BCa bounds with a reason when the estimate lies outside every replicate', () => {
    // Distinct values among the losses: 10 on the full sample, fewer in (nearly) every resample.
    const distinct = (losses: readonly number[]) => new Set(losses).size;
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = x.map(() => 0);
    const result = pairedBootstrapDifference(x, y, { metric: distinct, resamples: 200 });
    expect(result).toMatchObject({ estimate: 9, lower: null, upper: null });
    expect(result.reason).toMatch(/outside every bootstrap replicate/);
    const percentile = pairedBootstrapDifference(x, y, {
      metric: distinct,
      resamples: 200,
      method: 'percentile',
    });
    expect(percentile.upper).toBeLessThan(9);
  });

  it('rejects bad resamples, levels, metrics and inputs', () => {
    expect(BOOTSTRAP_MAX_RESAMPLES).toBe(100_000);
    for (const resamples of [0, 1.5, 100_001]) {
      expect(() => pairedBootstrapDifference(a, b, { resamples })).toThrow(
        `resamples must be an integer from 1 to 100000, got ${resamples}`,
      );
    }
    expect(() => pairedBootstrapDifference(a, b, { confidenceLevel: 1 })).toThrow(
      'confidenceLevel must be in (0, 1), got 1',
    );
    expect(() => pairedBootstrapDifference(a, b, { metric: () => Number.NaN })).toThrow(
      /metric must return finite numbers/,
    );
    expect(() => pairedBootstrapDifference([1], [2])).toThrow(
      'paired bootstrap needs at least 2 pairs, got 1',
    );
    expect(() => pairedBootstrapDifference(a, b.slice(1))).toThrow(
      /a and b must have the same length, got 12 and 11/,
    );
    expect(() => pairedBootstrapDifference([1, Number.NaN], [1, 2])).toThrow(ConfigError);
    expect(() => pairedBootstrapDifference([1, 2], [1, Number.NaN])).toThrow(
      'b[1] must be a finite number, got NaN',
    );
    const many = Array.from({ length: 20_001 }, (_, i) => i % 7);
    expect(() => pairedBootstrapDifference(many, many, { metric: mean })).toThrow(
      /up to 20000 points \(its jackknife is O\(n²\)\)/,
    );
  });
});
