import { describe, expect, it } from 'vitest';
import { BASELINE_IDS, compareWithBaselines, type BaselineComparisonInput } from '@nflab/analysis';

// Two series observed at ds = 1 … 6; windows of h = 2 after cutoffs ds = 3 and ds = 4.
const series: Record<string, number[]> = { A: [2, 4, 3, 5, 4, 6], B: [10, 10, 12, 11, 13, 12] };
const modelForecasts: Record<string, number[]> = {
  'A@3': [5, 4.5],
  'A@4': [4.5, 6],
  'B@3': [11, 13],
  'B@4': [13, 12.5],
};
// Windows interleave; within each window points stay in ds order.
const order: [string, number, number][] = [
  ['A', 3, 0],
  ['B', 3, 0],
  ['A', 3, 1],
  ['B', 3, 1],
  ['A', 4, 0],
  ['A', 4, 1],
  ['B', 4, 0],
  ['B', 4, 1],
];

function input(
  forecastOf: (uniqueId: string, cutoff: number, step: number) => number,
): BaselineComparisonInput {
  return {
    points: order.map(([uniqueId, cutoff, step]) => ({
      uniqueId,
      cutoff,
      y: series[uniqueId]?.[cutoff + step] ?? Number.NaN,
      yhat: forecastOf(uniqueId, cutoff, step),
    })),
    histories: (uniqueId, cutoff) => (series[uniqueId] ?? []).slice(0, Number(cutoff)),
    h: 2,
    seasonality: 2,
    window: 2,
    // Values before the first forecast point; seasonal naive scales (m = 2): A |3-2| = 1, B |12-10| = 2.
    train: { A: [2, 4, 3], B: [10, 10, 12] },
  };
}

describe('compareWithBaselines', () => {
  const result = compareWithBaselines(
    input((id, cutoff, step) => modelForecasts[`${id}@${cutoff}`]?.[step] ?? 0),
  );

  it('evaluates the model on its points', () => {
    // |errors|: A 0, .5, .5, 0; B 0, 0, 0, .5
    expect(result.model.points).toBe(8);
    expect(result.model.overall.mae).toBeCloseTo(1.5 / 8, 12);
    expect(result.model.perSeries.A?.mase).toBeCloseTo(0.25, 12);
    expect(result.model.perSeries.B?.mase).toBeCloseTo(0.0625, 12);
    expect(result.model.overall.mase).toBeCloseTo(0.15625, 12);
  });

  it('forecasts each baseline from the history up to each cutoff', () => {
    // naive: A@3 [3,3] A@4 [5,5] B@3 [12,12] B@4 [11,11] -> |e| 2,1,1,1 | 1,1,2,1
    expect(result.baselines.naive.overall.mae).toBeCloseTo(10 / 8, 12);
    expect(result.baselines.naive.overall.mse).toBeCloseTo(14 / 8, 12);
    // seasonal naive (m=2): A@3 [4,3] A@4 [3,5] B@3 [10,12] B@4 [12,11] -> every |e| = 1
    expect(result.baselines.seasonal_naive.overall.mae).toBe(1);
    expect(result.baselines.seasonal_naive.perSeries.A?.mase).toBe(1);
    expect(result.baselines.seasonal_naive.perSeries.B?.mase).toBe(0.5);
    // historic average: A@3 3, A@4 3.5, B@3 32/3, B@4 43/4
    expect(result.baselines.historic_average.overall.mae).toBeCloseTo((6 + 8 / 3 + 3.5) / 8, 12);
    // drift: A@3 [3.5,4] A@4 [6,7] B@3 [13,14] B@4 [11⅓,11⅔]
    expect(result.baselines.random_walk_with_drift.overall.mae).toBeCloseTo(9.5 / 8, 12);
    // window average (w=2): A@3 3.5, A@4 4, B@3 11, B@4 11.5
    expect(result.baselines.window_average.overall.mae).toBe(1);
    expect(Object.keys(result.baselines)).toEqual([...BASELINE_IDS]);
  });

  it('tests the model against each baseline on the paired points', () => {
    // vs seasonal naive: d = |model| - 1 = [-1,-1,-.5,-1,-.5,-1,-1,-.5]; d̄ = -0.8125,
    // γ0 = 0.05859375, γ1 = -0.02783203125, Var(d̄) = (γ0 + 2γ1)/8, HLN factor √(5.25/8)
    const expected = (-0.8125 / Math.sqrt((0.05859375 - 2 * 0.02783203125) / 8)) * Math.sqrt(5.25 / 8);
    expect(result.significance.seasonal_naive?.statistic).toBeCloseTo(expected, 9);
    expect(result.significance.naive?.statistic).toBeCloseTo(-5.264250066925325, 9);
    for (const id of BASELINE_IDS) {
      expect(result.significance[id]).toMatchObject({ n: 8, h: 2, lossFn: 'absolute', better: 'model' });
    }
    expect(result.beatsAllBaselines).toBe(true);
  });

  it('does not claim a win when the model is one of the baselines', () => {
    const naiveModel = compareWithBaselines(input((id, cutoff) => series[id]?.[cutoff - 1] ?? Number.NaN));
    expect(naiveModel.model.overall).toEqual(naiveModel.baselines.naive.overall);
    expect(naiveModel.significance.naive).toBeNull();
    expect(naiveModel.beatsAllBaselines).toBe(false);
  });

  it('rejects a window with more than h points and names the window', () => {
    const base = input(() => 0);
    const tooMany = { ...base, points: [...base.points, { uniqueId: 'A', cutoff: 3, y: 1, yhat: 1 }] };
    expect(() => compareWithBaselines(tooMany)).toThrow(/uniqueId 'A', cutoff 3\) has more than h=2 points/);
  });

  it('names the series and cutoff whose history is too short', () => {
    const base = input(() => 0);
    const shortHistory = { ...base, histories: () => [1] };
    expect(() => compareWithBaselines(shortHistory)).toThrow(
      /history of uniqueId 'A' at cutoff 3: .*at least 2/,
    );
  });

  it('asks for each window history once and keeps cutoffs 3 and "3" apart', () => {
    const asked: string[] = [];
    const base = input(() => 0);
    const points = [...base.points, { uniqueId: 'A', cutoff: '3', y: 1, yhat: 1 }];
    const result = compareWithBaselines({
      ...base,
      points,
      histories: (uniqueId, cutoff) => {
        asked.push(`${uniqueId}@${JSON.stringify(cutoff)}`);
        return base.histories(uniqueId, cutoff);
      },
    });
    expect(asked).toEqual(['A@3', 'B@3', 'A@4', 'B@4', 'A@"3"']);
    expect(result.model.points).toBe(9);
  });

  it('returns null metrics and no win for no points', () => {
    const empty = compareWithBaselines({ ...input(() => 0), points: [] });
    expect(empty.model.overall.mae).toBeNull();
    expect(empty.baselines.naive.points).toBe(0);
    expect(empty.significance.naive).toBeNull();
    expect(empty.beatsAllBaselines).toBe(false);
  });
});
