import { describe, expect, it } from 'vitest';
import { intervalBands, suffixRole, type ForecastPoint } from '../../src/charts/forecast.js';
import { correlationHeatmap } from '../../src/charts/exogenous.js';
import { lossChart } from '../../src/charts/losses.js';
import { counterRate, type Sample } from '../../src/charts/resources.js';
import { optimisationHistory, parameterImportance, pearson } from '../../src/charts/trials.js';

const point = (suffix: string, ds: string, value: number, model = 'NHITS'): ForecastPoint => ({
  unique_id: 'N1',
  ds,
  step: null,
  model,
  suffix,
  value,
});

describe('forecast suffixes', () => {
  it('reads point, median, interval bounds and other outputs', () => {
    expect(suffixRole('')).toEqual({ kind: 'point' });
    expect(suffixRole('-median')).toEqual({ kind: 'median' });
    expect(suffixRole('-lo-90')).toEqual({ kind: 'bound', side: 'lo', level: 90 });
    expect(suffixRole('-hi-80.5')).toEqual({ kind: 'bound', side: 'hi', level: 80.5 });
    expect(suffixRole('-ql0.1')).toEqual({ kind: 'other', label: 'ql0.1' });
  });

  it('pairs lo/hi rows into bands per model and level, widest first, dropping unpaired bounds', () => {
    const bands = intervalBands([
      point('-lo-80', 'd1', 1),
      point('-hi-80', 'd1', 3),
      point('-lo-95', 'd1', 0),
      point('-hi-95', 'd1', 4),
      point('-lo-95', 'd2', 0.5),
      point('', 'd1', 2),
    ]);
    expect(bands.map((band) => [band.level, band.points])).toEqual([
      [95, [{ x: 'd1', lo: 0, hi: 4 }]],
      [80, [{ x: 'd1', lo: 1, hi: 3 }]],
    ]);
  });
});

describe('trial analysis', () => {
  const trials = [
    { number: 0, state: 'COMPLETE', value: 3, params: { lr: 0.3, size: 8, act: 'relu' } },
    { number: 1, state: 'COMPLETE', value: 2, params: { lr: 0.2, size: 8, act: 'tanh' } },
    { number: 2, state: 'PRUNED', value: null, params: { lr: 0.9, size: 2, act: 'relu' } },
    { number: 3, state: 'COMPLETE', value: 1, params: { lr: 0.1, size: 16, act: 'relu' } },
    { number: 4, state: 'COMPLETE', value: 2.5, params: { lr: 0.25, size: 4, act: 'tanh' } },
  ];

  it('pearson is ±1 on lines and null on constants', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1, 2], [1, 2])).toBeNull();
  });

  it('ranks numeric parameters by |correlation| over completed trials and leaves out categoricals', () => {
    const importance = parameterImportance(trials);
    expect(importance.map((entry) => entry.param)).toEqual(['lr', 'size']);
    expect(importance[0]?.correlation).toBeCloseTo(1);
    expect(importance[1]?.correlation).toBeLessThan(0);
  });

  it('tracks the best value so far, skipping unfinished trials', () => {
    expect(optimisationHistory(trials)).toEqual([
      { number: 0, value: 3, best: 3 },
      { number: 1, value: 2, best: 2 },
      { number: 3, value: 1, best: 1 },
      { number: 4, value: 2.5, best: 1 },
    ]);
  });
});

describe('resource rates', () => {
  const sample = (at: string, read: number | null): Sample => ({
    at,
    cpu_process: null,
    cpu_system: null,
    rss_bytes: null,
    mem_used_bytes: null,
    gpu_util: null,
    vram_used_bytes: null,
    disk_read_bytes: read,
    disk_write_bytes: null,
    net_rx_bytes: null,
    net_tx_bytes: null,
  });

  it('turns cumulative counters into bytes per second and skips resets and gaps', () => {
    const rates = counterRate(
      [
        sample('2026-01-01T00:00:00Z', 0),
        sample('2026-01-01T00:00:02Z', 2048),
        sample('2026-01-01T00:00:03Z', 100),
        sample('2026-01-01T00:00:04Z', null),
      ],
      'disk_read_bytes',
    );
    expect(rates).toEqual([
      ['2026-01-01T00:00:02Z', 1024],
      ['2026-01-01T00:00:03Z', null],
      ['2026-01-01T00:00:04Z', null],
    ]);
  });
});

describe('loss chart', () => {
  it('draws a train line per trial and a valid line only where validation ran, sorted by step', () => {
    const option = lossChart(
      [
        { trial_id: 1, step: 1, train_loss: 0.5, valid_loss: null },
        { trial_id: 1, step: 0, train_loss: 1, valid_loss: 0.9 },
        { trial_id: 2, step: 0, train_loss: 2, valid_loss: null },
      ],
      { train: 'train', valid: 'valid', trial: (id) => `trial ${id}`, final: 'final' },
    ) as { series: { name: string; data: unknown[] }[] };
    expect(option.series.map((series) => [series.name, series.data])).toEqual([
      [
        'trial 1 · train',
        [
          [0, 1],
          [1, 0.5],
        ],
      ],
      ['trial 1 · valid', [[0, 0.9]]],
      ['trial 2 · train', [[0, 2]]],
    ]);
  });

  it('log scale: a log y axis, with losses at or below zero left out as gaps', () => {
    const option = lossChart(
      [
        { trial_id: 1, step: 0, train_loss: 1e6, valid_loss: -0.5 },
        { trial_id: 1, step: 1, train_loss: 0.5, valid_loss: 0.25 },
        { trial_id: 1, step: 2, train_loss: 0, valid_loss: null },
      ],
      { train: 'train', valid: 'valid', trial: (id) => `trial ${id}`, final: 'final' },
      { logY: true },
    ) as { yAxis: { type: string }[]; series: { data: unknown[] }[] };
    expect(option.yAxis[0]?.type).toBe('log');
    expect(option.series.map((series) => series.data)).toEqual([
      [
        [0, 1e6],
        [1, 0.5],
        [2, null],
      ],
      [
        [0, null],
        [1, 0.25],
      ],
    ]);
  });
});

describe('exogenous correlation heatmap', () => {
  it('places each pair at its (column, series) cell on a fixed −1…1 scale and leaves undefined ones out', () => {
    const pair = (uniqueId: string, column: string, r: number | null) => ({
      uniqueId,
      column,
      pearson: { coefficient: r },
      spearman: { coefficient: r === null ? null : -r },
      kendall: { coefficient: null },
    });
    const option = correlationHeatmap(
      [pair('N1', 'hist_a', 0.12345), pair('N2', 'futr_b', -0.5), pair('N2', 'hist_a', null)],
      { series: ['N1', 'N2'], columns: ['futr_b', 'hist_a'] },
      'spearman',
    ) as { visualMap: { min: number; max: number }; series: { data: unknown[] }[] };
    expect(option.visualMap).toMatchObject({ min: -1, max: 1 });
    expect(option.series[0]?.data).toEqual([
      [1, 0, -0.123],
      [0, 1, 0.5],
    ]);
  });
});
