import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildEnsemble,
  inverseErrorWeights,
  median,
  type EnsembleMemberPoints,
} from '../../src/ensemble/index.js';

const Y = [10, 20, 30, 40];
const DS = [3, 4, 5, 6];
const CUTOFF = [2, 2, 4, 4];

/** A member of one series with windows at cutoffs 2 (ds 3, 4) and 4 (ds 5, 6), forecasting ds 7, 8 after. */
const member = (runId: string, yhat: number[], forecast: number[] = []): EnsembleMemberPoints => ({
  runId,
  label: runId.toUpperCase(),
  evaluated: yhat.map((v, i) => ({ uniqueId: 'N1', ds: DS[i]!, cutoff: CUTOFF[i]!, y: Y[i]!, yhat: v })),
  forecast: forecast.map((v, i) => ({ uniqueId: 'N1', ds: 7 + i, yhat: v })),
});

// errors y − ŷ: A [-1, 2, 0, -4] (MAE 1.75), B [-4, 0, 3, 2] (MAE 2.25)
const A = member('a', [11, 18, 30, 44], [50, 60]);
const B = member('b', [14, 20, 27, 38], [54, 52]);
const C = member('c', [10, 10, 31, 41], [49, 61]);

describe('buildEnsemble', () => {
  it('mean: averages every shared point, with equal weights and each member’s error', () => {
    const result = buildEnsemble({ members: [A, B], method: 'mean', weightMetric: 'mae' });
    expect(result.evaluated.map((p) => p.yhat)).toEqual([12.5, 19, 28.5, 41]);
    expect(result.evaluated.map((p) => p.y)).toEqual(Y);
    expect(result.forecast).toEqual([
      { uniqueId: 'N1', ds: 7, yhat: 52 },
      { uniqueId: 'N1', ds: 8, yhat: 56 },
    ]);
    expect(result.members.map((m) => [m.weight, m.error])).toEqual([
      [0.5, 1.75],
      [0.5, 2.25],
    ]);
    expect(result.equalWeightCutoffs).toBe(0);
  });

  it('median: the middle forecast of an odd number of members, and no weights', () => {
    const result = buildEnsemble({ members: [A, B, C], method: 'median', weightMetric: 'mae' });
    expect(result.evaluated.map((p) => p.yhat)).toEqual([11, 18, 30, 41]);
    expect(result.forecast.map((p) => p.yhat)).toEqual([50, 60]);
    expect(result.members.every((m) => m.weight === null)).toBe(true);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('inverse_error: weighs each window only by errors known at its cutoff (no look-ahead), the forecast by all', () => {
    const result = buildEnsemble({ members: [A, B], method: 'inverse_error', weightMetric: 'mae' });
    // Cutoff 2: no actual at or before ds 2 → equal weights. Cutoff 4: MAE over ds 3, 4 is A 1.5,
    // B 2 → weights 4/7, 3/7 (ds 5, 6 are not used: they are after the cutoff).
    const expected = [12.5, 19, (4 / 7) * 30 + (3 / 7) * 27, (4 / 7) * 44 + (3 / 7) * 38];
    result.evaluated.forEach((p, i) => expect(p.yhat).toBeCloseTo(expected[i]!, 12));
    expect(result.equalWeightCutoffs).toBe(1);
    // Forecast: MAE over all four points, A 1.75 and B 2.25 → weights 9/16 and 7/16.
    expect(result.members.map((m) => m.weight)).toEqual([9 / 16, 7 / 16]);
    expect(result.forecast.map((p) => p.yhat)).toEqual([(9 * 50 + 7 * 54) / 16, (9 * 60 + 7 * 52) / 16]);
  });

  it('inverse_error by mse and rmse weighs by those errors', () => {
    // MSE: A (1+4+0+16)/4 = 5.25, B (16+0+9+4)/4 = 7.25.
    const mse = buildEnsemble({ members: [A, B], method: 'inverse_error', weightMetric: 'mse' });
    expect(mse.members.map((m) => m.error)).toEqual([5.25, 7.25]);
    expect(mse.members[0]!.weight).toBeCloseTo(7.25 / (5.25 + 7.25), 12);
    const rmse = buildEnsemble({ members: [A, B], method: 'inverse_error', weightMetric: 'rmse' });
    expect(rmse.members[0]!.weight).toBeCloseTo(Math.sqrt(7.25) / (Math.sqrt(5.25) + Math.sqrt(7.25)), 12);
  });

  it('leaves out points not every member has, and counts them per member', () => {
    const partial = member('p', [12, 19, 29], [51]);
    const result = buildEnsemble({ members: [A, partial], method: 'mean', weightMetric: 'mae' });
    expect(result.evaluated).toHaveLength(3);
    expect(result.forecast).toEqual([{ uniqueId: 'N1', ds: 7, yhat: 50.5 }]);
    expect(result.members.map((m) => [m.evaluatedDropped.notShared, m.forecastNotShared])).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  it('combines forecasts alone when no member was evaluated (mean, median)', () => {
    const onlyForecast = (id: string, values: number[]) => ({ ...member(id, [], values), evaluated: [] });
    const result = buildEnsemble({
      members: [onlyForecast('a', [1, 2]), onlyForecast('b', [3, 6])],
      method: 'mean',
      weightMetric: 'mae',
    });
    expect(result.forecast.map((p) => p.yhat)).toEqual([2, 4]);
    expect(result.evaluated).toEqual([]);
    expect(result.members.map((m) => m.error)).toEqual([null, null]);
  });

  it('refuses what it cannot combine, naming the field and the fix', () => {
    const unevaluated = { ...A, evaluated: [] };
    const unevaluatedB = { ...B, evaluated: [] };
    expect(() => buildEnsemble({ members: [A], method: 'mean', weightMetric: 'mae' })).toThrow(/at least 2/);
    expect(() =>
      buildEnsemble({ members: [unevaluated, unevaluatedB], method: 'inverse_error', weightMetric: 'mae' }),
    ).toThrow(/inverse_error .*cross-validate the members or use mean or median/);
    const elsewhere = { ...member('z', [], [1]), forecast: [{ uniqueId: 'N9', ds: 7, yhat: 1 }] };
    expect(() =>
      buildEnsemble({ members: [{ ...A, evaluated: [] }, elsewhere], method: 'mean', weightMetric: 'mae' }),
    ).toThrow(ConfigError);
    const otherActuals = member('o', [11, 18, 30, 44]);
    const shifted = {
      ...otherActuals,
      evaluated: otherActuals.evaluated.map((p) => ({ ...p, y: p.y! + 1 })),
    };
    expect(() => buildEnsemble({ members: [A, shifted], method: 'mean', weightMetric: 'mae' })).toThrow(
      /different actuals/,
    );
    const twice = { ...A, runId: 'd', forecast: [...A.forecast, A.forecast[0]!] };
    expect(() => buildEnsemble({ members: [B, twice], method: 'mean', weightMetric: 'mae' })).toThrow(
      /two forecasts for series 'N1'/,
    );
  });
});

describe('inverseErrorWeights', () => {
  it('is proportional to 1 / error and sums to 1', () => {
    expect(inverseErrorWeights([1, 2, 4], 3)).toEqual([4 / 7, 2 / 7, 1 / 7]);
  });
  it('gives all weight to members with zero error, shared equally (the limit of 1 / error)', () => {
    expect(inverseErrorWeights([0, 3, 0], 3)).toEqual([0.5, 0, 0.5]);
  });
  it('gives equal weights before any error is known', () => {
    expect(inverseErrorWeights([], 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
