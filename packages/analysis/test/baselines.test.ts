import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { BASELINE_IDS, baselineForecast, type BaselineId } from '@nflab/analysis';

const history = [1, 3, 2, 6];

describe('baselineForecast', () => {
  it('naive repeats the last value', () => {
    expect(baselineForecast('naive', history, 3)).toEqual([6, 6, 6]);
  });

  it('seasonal_naive repeats the last season', () => {
    expect(baselineForecast('seasonal_naive', history, 5, { seasonality: 3 })).toEqual([3, 2, 6, 3, 2]);
    expect(baselineForecast('seasonal_naive', history, 2)).toEqual([6, 6]);
  });

  it('historic_average forecasts the mean of the whole history', () => {
    expect(baselineForecast('historic_average', history, 2)).toEqual([3, 3]);
  });

  it('random_walk_with_drift extends the first-to-last slope', () => {
    // drift (6 - 1) / 3
    const forecast = baselineForecast('random_walk_with_drift', history, 3);
    [6 + 5 / 3, 6 + 10 / 3, 11].forEach((value, k) => expect(forecast[k]).toBeCloseTo(value, 12));
  });

  it('window_average forecasts the mean of the last w values', () => {
    expect(baselineForecast('window_average', history, 2, { window: 2 })).toEqual([4, 4]);
    expect(baselineForecast('window_average', history, 1, { window: 4 })).toEqual([3]);
  });

  it('returns h values for every baseline', () => {
    const long = Array.from({ length: 12 }, (_, i) => i % 5);
    for (const id of BASELINE_IDS) expect(baselineForecast(id, long, 7, { seasonality: 4 })).toHaveLength(7);
  });

  it('explains histories too short for the baseline', () => {
    expect(() => baselineForecast('seasonal_naive', [1, 2], 1, { seasonality: 3 })).toThrow(
      /'seasonal_naive' needs a history of at least 3 values/,
    );
    expect(() => baselineForecast('random_walk_with_drift', [1], 1)).toThrow(/at least 2 values/);
    expect(() => baselineForecast('window_average', history, 1)).toThrow(/at least 10 values/);
    expect(() => baselineForecast('naive', [], 1)).toThrow(ConfigError);
  });

  it('rejects a bad horizon, non-finite history and unknown ids', () => {
    expect(() => baselineForecast('naive', history, 0)).toThrow(/h must be an integer >= 1, got 0/);
    expect(() => baselineForecast('naive', [1, Number.NaN], 1)).toThrow(/history\[1\]/);
    expect(() => baselineForecast('mean' as BaselineId, history, 1)).toThrow(/unknown baseline 'mean'/);
  });
});
