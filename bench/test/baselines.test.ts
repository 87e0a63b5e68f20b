import { describe, expect, it } from 'vitest';
import { baselineForecasts, baselineMae, modelErrors, modelMae, windowTargets } from '../lib/baselines.js';
import { airPassengersPanel } from '../lib/datasets.js';

describe('bench baselines on cross-validation windows', () => {
  const { series } = airPassengersPanel();
  const targets = windowTargets(series, { h: 12, nWindows: 3, stepSize: 12 });

  it('lays out 3 windows of 12 per series with cutoffs at the ends of 1957, 1958 and 1959', () => {
    expect(targets).toHaveLength(2 * 3 * 12);
    expect([...new Set(targets.map((t) => `${t.unique_id} ${t.cutoff}`))]).toEqual([
      'Airline1 1957-12-31',
      'Airline1 1958-12-31',
      'Airline1 1959-12-31',
      'Airline2 1957-12-31',
      'Airline2 1958-12-31',
      'Airline2 1959-12-31',
    ]);
    expect(targets[0]).toMatchObject({ ds: '1958-01-31', y: 340, step: 1 });
    expect(targets.at(-1)).toMatchObject({ unique_id: 'Airline2', ds: '1960-12-31', y: 732, step: 12 });
  });

  it("matches NeuralForecast's baselines on the AirPassengersPanel windows (nf-zoo.json)", () => {
    const mae = baselineMae(series, targets, 12);
    expect(mae.seasonal_naive).toBeCloseTo(35.917, 3);
    expect(mae.naive_last_value).toBeCloseTo(73.222, 3);
    expect(mae.historical_mean).toBeCloseTo(182.067, 3);
  });

  it('scores a model column only on the same windows', () => {
    const rows = targets.map((t) => ({
      unique_id: t.unique_id,
      ds: t.ds,
      cutoff: t.cutoff,
      y: t.y,
      M: t.y + 2,
    }));
    expect(modelMae(rows, targets, 'M')).toBeCloseTo(2, 12);
    expect(() => modelMae(rows.slice(1), targets, 'M')).toThrow(/71 rows/);
    const shifted = rows.map((r, i) => (i === 5 ? { ...r, cutoff: '1956-12-31' } : r));
    expect(() => modelMae(shifted, targets, 'M')).toThrow(/row 5/);
  });

  it("gives each baseline's forecast per target from data up to its cutoff", () => {
    const toy = [{ id: 'a', ds: [1, 2, 3, 4, 5, 6], y: [1, 2, 3, 4, 10, 20] }];
    const layout = windowTargets(toy, { h: 2, nWindows: 1, stepSize: 2 });
    // cutoff at index 3 (y = 4): mean of 1..4 is 2.5; season 2 looks back to 3 and 4.
    expect(baselineForecasts(toy, layout, 2)).toEqual({
      historical_mean: [2.5, 2.5],
      seasonal_naive: [3, 4],
      naive_last_value: [4, 4],
    });
    const rows = layout.map((t) => ({ unique_id: t.unique_id, ds: t.ds, cutoff: t.cutoff, y: t.y, M: 12 }));
    expect(modelErrors(rows, layout, 'M')).toEqual([2, -8]);
  });
});
