import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { crossCorrelation, pearsonCorrelation } from '@nflab/analysis';
import { congruence, expectRelative } from './helpers.js';

const x = congruence(40, 7919, 3, 1009);
// y_t = x_{t−2} for t ≥ 2: x leads y by two steps.
const y = [0.3, 0.8, ...x.slice(0, 38)];

describe('crossCorrelation', () => {
  it('pairs y_t with x_{t−k}: r = 1 at the true lead, and each lag is Pearson on the overlap', () => {
    const result = crossCorrelation(y, x, { maxLag: 4 });
    expect(result.lags.map((lag) => lag.lag)).toEqual([0, 1, 2, 3, 4]);
    expect(result.lags.map((lag) => lag.n)).toEqual([40, 39, 38, 37, 36]);
    expect(result.best?.lag).toBe(2);
    expect(result.best?.coefficient).toBeCloseTo(1, 12);
    const lag3 = pearsonCorrelation(y.slice(3), x.slice(0, 37));
    expectRelative(result.lags[3]?.coefficient, lag3.coefficient ?? Number.NaN, 1e-12);
    expectRelative(result.lags[3]?.pValue, lag3.pValue ?? Number.NaN, 1e-12);
    expectRelative(result.lags[1]?.band, 1.959963984540054 / Math.sqrt(39), 1e-12);
  });

  it('keeps lags with a constant overlap as null with a reason', () => {
    const result = crossCorrelation([1, 2, 3, 4, 5, 6], [9, 9, 9, 9, 9, 1], { maxLag: 2 });
    expect(result.lags[0]?.coefficient).not.toBeNull();
    expect(result.lags[1]).toMatchObject({ coefficient: null, pValue: null, reason: 'x is constant' });
    expect(result.best?.lag).toBe(0);
  });

  it('validates maxLag against the series length, naming the maximum', () => {
    expect(crossCorrelation(y.slice(0, 5), x.slice(0, 5), { maxLag: 2 }).lags).toHaveLength(3);
    expect(() => crossCorrelation(y.slice(0, 5), x.slice(0, 5), { maxLag: 3 })).toThrow(ConfigError);
    expect(() => crossCorrelation(y.slice(0, 5), x.slice(0, 5), { maxLag: 3 })).toThrow(
      /maxLag must be an integer from 0 to 2/,
    );
    expect(() => crossCorrelation(y, x, { maxLag: -1 })).toThrow(/maxLag/);
    expect(() => crossCorrelation(y, x, { maxLag: 1.5 })).toThrow(/maxLag/);
    expect(crossCorrelation(y, x).maxLag).toBe(10);
  });

  it('rejects NaN, length mismatch and too few points', () => {
    expect(() => crossCorrelation([1, 2, Number.NaN], [1, 2, 3])).toThrow(/y\[2\]/);
    expect(() => crossCorrelation([1, 2, 3], [1, 2])).toThrow(/equal lengths/);
    expect(() => crossCorrelation([1, 2], [1, 2])).toThrow(/at least 3/);
  });
});
