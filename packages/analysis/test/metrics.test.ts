import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  METRIC_IDS,
  coefficientOfDetermination,
  evaluate,
  evaluateFolds,
  seasonalNaiveScale,
  seriesMetrics,
  summarizeFolds,
} from '@nflab/analysis';

describe('seriesMetrics', () => {
  // |y - ŷ| = [1, 0, 1, 2]
  const pairs = { actual: [1, 2, 0, 4], forecast: [2, 2, 1, 2] };

  it('computes MAE, MSE and RMSE by hand', () => {
    const metrics = seriesMetrics(pairs, [], 1);
    expect(metrics.mae).toBeCloseTo(1, 12); // 4 / 4
    expect(metrics.mse).toBeCloseTo(1.5, 12); // (1 + 0 + 1 + 4) / 4
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(1.5), 12);
  });

  it('leaves points with y = 0 out of MAPE', () => {
    // 1/1, 0/2, 2/4 over the three non-zero actuals
    expect(seriesMetrics(pairs, [], 1).mape).toBeCloseTo(0.5, 12);
    expect(seriesMetrics({ actual: [0, 0], forecast: [1, 0] }, [], 1).mape).toBeNull();
  });

  it('computes sMAPE in [0, 1] and counts 0/0 as a perfect 0', () => {
    // 1/3, 0/4, 1/1, 2/6
    expect(seriesMetrics(pairs, [], 1).smape).toBeCloseTo(5 / 12, 12);
    // 0/0 -> 0 and stays in the mean; 1/3
    expect(seriesMetrics({ actual: [0, 2], forecast: [0, 1] }, [], 1).smape).toBeCloseTo(1 / 6, 12);
    expect(seriesMetrics({ actual: [1], forecast: [-1] }, [], 1).smape).toBe(1);
  });

  it('scales MASE by the in-sample seasonal naive MAE', () => {
    // m=1: |3-1|, |2-3|, |5-2| -> 2; MAE 1 -> 0.5
    expect(seriesMetrics(pairs, [1, 3, 2, 5], 1).mase).toBeCloseTo(0.5, 12);
    // m=2: |2-1|, |5-3| -> 1.5
    expect(seriesMetrics(pairs, [1, 3, 2, 5], 2).mase).toBeCloseTo(1 / 1.5, 12);
  });

  it('gives null MASE for a constant training series or one shorter than m + 1', () => {
    expect(seriesMetrics(pairs, [3, 3, 3, 3], 1).mase).toBeNull();
    expect(seriesMetrics(pairs, [1, 5], 2).mase).toBeNull();
    expect(seasonalNaiveScale([1, 5, 2], 2)).toBe(1);
  });
});

describe('R²', () => {
  it('is 1 - SS_res / SS_tot, computed by hand', () => {
    // ȳ = 7/4; SS_tot = 0.75² + 0.25² + 1.75² + 2.25² = 8.75; SS_res = 1 + 0 + 1 + 4 = 6
    expect(seriesMetrics({ actual: [1, 2, 0, 4], forecast: [2, 2, 1, 2] }, [], 1).r2).toBeCloseTo(
      1 - 6 / 8.75,
      12,
    );
    expect(coefficientOfDetermination({ actual: [1, 2, 3], forecast: [1, 2, 3] })).toBe(1);
    // Forecasting the actuals' mean scores 0; worse than the mean is negative: SS_res 8 / SS_tot 2.
    expect(coefficientOfDetermination({ actual: [1, 2, 3], forecast: [2, 2, 2] })).toBe(0);
    expect(coefficientOfDetermination({ actual: [1, 2, 3], forecast: [3, 2, 1] })).toBeCloseTo(-3, 12);
  });

  it('is null without points or when the actuals do not vary', () => {
    expect(coefficientOfDetermination({ actual: [], forecast: [] })).toBeNull();
    expect(coefficientOfDetermination({ actual: [4, 4], forecast: [4, 5] })).toBeNull();
  });
});

describe('cross-validation folds', () => {
  it('summarizes a metric across folds with the sample standard deviation', () => {
    const summary = summarizeFolds([1, null, 3, 2]);
    expect(summary).toEqual({ mean: 2, std: 1, min: 1, max: 3, folds: 3 });
    expect(summarizeFolds([5])).toEqual({ mean: 5, std: null, min: 5, max: 5, folds: 1 });
    expect(summarizeFolds([null])).toBeNull();
  });

  it('lines series up by the k-th cutoff and evaluates each fold', () => {
    // Series b ends one step later than a, so its cutoffs differ; fold k is each one's k-th window.
    const points = [
      { uniqueId: 'a', cutoff: 20, y: 2, yhat: 2 },
      { uniqueId: 'b', cutoff: 11, y: 4, yhat: 2 },
      { uniqueId: 'a', cutoff: 10, y: 1, yhat: 2 },
      { uniqueId: 'b', cutoff: 21, y: 0, yhat: 1 },
    ];
    const histories = (id: string, cutoff: string | number): number[] =>
      id === 'a' && cutoff === 10 ? [0, 2, 4] : [];
    const { folds, summary } = evaluateFolds(points, { histories });
    expect(folds.map(({ fold, cutoffs, points: n }) => ({ fold, cutoffs, n }))).toEqual([
      { fold: 0, cutoffs: [10, 11], n: 2 },
      { fold: 1, cutoffs: [20, 21], n: 2 },
    ]);
    expect(folds.map((fold) => fold.metrics.mae)).toEqual([1.5, 0.5]);
    expect(summary.mae).toEqual({ mean: 1, std: Math.sqrt(0.5), min: 0.5, max: 1.5, folds: 2 });
    // Fold 0 has a's history (scale 2, MAE 1 -> 0.5); fold 1 has none, so MASE is fold 0's alone.
    expect(summary.mase).toEqual({ mean: 0.5, std: null, min: 0.5, max: 0.5, folds: 1 });
    expect(summary.r2?.folds).toBe(2);
  });
});

describe('evaluate', () => {
  const points = [
    { uniqueId: 'a', y: 1, yhat: 2 },
    { uniqueId: 'b', y: 4, yhat: 2 },
    { uniqueId: 'a', y: 2, yhat: 2 },
    { uniqueId: 'b', y: 0, yhat: 1 },
    { uniqueId: 'c', y: 3, yhat: 3 },
  ];
  // a: scale mean(|2-0|, |4-2|) = 2; b: constant -> no MASE; c: no training values -> no MASE
  const train = { a: [0, 2, 4], b: [5, 5] };

  it('pools points overall and splits them per series', () => {
    const result = evaluate(points, { train });
    expect(result.points).toBe(5);
    expect(Object.keys(result.perSeries).sort()).toEqual(['a', 'b', 'c']);
    expect(result.overall.mae).toBeCloseTo((1 + 2 + 0 + 1 + 0) / 5, 12);
    expect(result.overall.mse).toBeCloseTo((1 + 4 + 0 + 1 + 0) / 5, 12);
    expect(result.perSeries.a?.mae).toBeCloseTo(0.5, 12);
    expect(result.perSeries.b?.mae).toBeCloseTo(1.5, 12);
    expect(result.perSeries.a?.mase).toBeCloseTo(0.25, 12);
    expect(result.perSeries.b?.mase).toBeNull();
    expect(result.perSeries.c?.mase).toBeNull();
  });

  it('averages MASE over the series where it is defined', () => {
    expect(evaluate(points, { train }).overall.mase).toBeCloseTo(0.25, 12);
    const both = evaluate(points, { train: { a: [0, 2, 4], b: [5, 6] } });
    // b: scale 1, MAE 1.5 -> 1.5; mean(0.25, 1.5)
    expect(both.overall.mase).toBeCloseTo(0.875, 12);
  });

  it('returns every metric as null for no points', () => {
    const result = evaluate([], { train: {} });
    expect(result.points).toBe(0);
    expect(result.perSeries).toEqual({});
    for (const id of METRIC_IDS) expect(result.overall[id]).toBeNull();
  });

  it('rejects non-finite forecasts and a bad seasonality, naming the field', () => {
    expect(() => evaluate([{ uniqueId: 'a', y: 1, yhat: Number.NaN }], { train })).toThrow(
      /points\[\]\.yhat\[0\] must be a finite number, got NaN/,
    );
    expect(() => evaluate(points, { train, seasonality: 0 })).toThrow(ConfigError);
    expect(() => evaluate(points, { train: { a: [1, Infinity] } })).toThrow(/train\['a'\]\[1\]/);
  });
});
