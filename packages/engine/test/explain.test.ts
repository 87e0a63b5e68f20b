/**
 * explainWindows: the evaluation windows, the exogenous rows as the network reads them, and a
 * forecast and gradient over them that agree with predict and with finite differences.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import {
  evaluationCutoffs,
  explainWindows,
  NeuralForecast,
  type WindowExplainer,
} from '../src/core/index.js';
import { buildPanel, type PanelRow } from '../src/data/panel.js';
import { monthEnd } from './fixtures/month-end.js';

/** Two series around different levels; y follows futr_x, hist_z is noise, stat_s the level. */
const rows = (n: number): PanelRow[] =>
  ['a', 'b'].flatMap((id, k) =>
    Array.from({ length: n }, (_, t) => ({
      unique_id: id,
      ds: monthEnd(t),
      y: 10 + 40 * k + 3 * Math.cos(t * (k + 1)) + 0.1 * t,
      futr_x: Math.cos(t * (k + 1)),
      hist_z: Math.sin(7 * t + k),
    })),
  );
const STATIC = [
  { unique_id: 'a', stat_s: 0 },
  { unique_id: 'b', stat_s: 1 },
];

const config = {
  h: 2,
  input_size: 4,
  max_steps: 15,
  learning_rate: 0.01,
  hidden_size: 8,
  num_layers: 1,
  scaler_type: 'standard',
  futr_exog_list: ['futr_x'],
  hist_exog_list: ['hist_z'],
  stat_exog_list: ['stat_s'],
};

let nf: NeuralForecast;
let explainer: WindowExplainer;
beforeAll(async () => {
  await setBackend('cpu');
  nf = new NeuralForecast({ models: [{ id: 'mlp', config }], freq: 'M', localScalerType: 'standard' });
  await nf.fit({ df: rows(24), staticDf: STATIC });
  explainer = await explainWindows(nf, { maxWindows: 5 });
});
afterAll(() => nf.dispose());

describe('explainWindows', () => {
  it('takes the newest windows of every series in turn, and lays out each column’s positions', () => {
    expect(explainer.windows.map((w) => `${w.uniqueId} ${w.cutoff}`)).toEqual([
      'a 2001-06-30',
      'a 2001-08-31',
      'a 2001-10-31',
      'b 2001-08-31',
      'b 2001-10-31',
    ]);
    expect(explainer.windows[2]?.actual).toEqual(
      rows(24)
        .slice(22, 24)
        .map((r) => r.y),
    );
    // L = 4, H = 2: futr over 6 steps, then hist over 4, then stat.
    expect(explainer.features.map((f) => [f.name, f.kind, f.indices])).toEqual([
      ['futr_x', 'futr', [0, 1, 2, 3, 4, 5]],
      ['hist_z', 'hist', [6, 7, 8, 9]],
      ['stat_s', 'stat', [10]],
    ]);
    expect(explainer.inputs.every((row) => row.length === 11)).toBe(true);
    // Window-scaled: a futr column over the input part has mean ~0 (standard scaler).
    const first = explainer.inputs[0] as Float64Array;
    expect(Math.abs(first.slice(0, 4).reduce((s, v) => s + v, 0))).toBeLessThan(1e-5);
    // Static values reach the network as given (no scaler touches them).
    expect(explainer.inputs.map((row) => row[10])).toEqual([0, 0, 0, 1, 1]);
  });

  it('forecasts unchanged inputs exactly as predict does from the same history', async () => {
    const df = rows(24);
    const forecasts = await explainer.forecast(explainer.inputs.map((input, window) => ({ window, input })));
    for (const [w, window] of explainer.windows.entries()) {
      const series = df.filter((r) => r.unique_id === window.uniqueId);
      const position = series.findIndex((r) => r.ds === window.cutoff) + 1;
      const predicted = await nf.predict({
        df: series.slice(0, position),
        staticDf: STATIC,
        futrDf: series
          .slice(position, position + 2)
          .map(({ unique_id, ds, futr_x }) => ({ unique_id, ds, futr_x })),
      });
      const expected = predicted.map((r) => r.MLP as number);
      (forecasts[w] as Float64Array).forEach((v, j) => expect(v).toBeCloseTo(expected[j] as number, 4));
    }
  });

  it('gives the gradient of the mean forecast in the original space (finite differences agree)', async () => {
    const input = explainer.inputs[3] as Float64Array;
    const [g] = await explainer.gradient([{ window: 3, input }]);
    const mean = async (x: Float64Array): Promise<number> => {
      const [f] = await explainer.forecast([{ window: 3, input: x }]);
      return ((f as Float64Array)[0]! + (f as Float64Array)[1]!) / 2;
    };
    expect(g?.value).toBeCloseTo(await mean(input), 4);
    const scale = Math.max(...Array.from(g!.gradient, Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (const i of [0, 4, 7, 10]) {
      const step = 1e-2;
      const up = Float64Array.from(input);
      const down = Float64Array.from(input);
      up[i]! += step;
      down[i]! -= step;
      const numeric = ((await mean(up)) - (await mean(down))) / (2 * step);
      expect(Math.abs(numeric - g!.gradient[i]!)).toBeLessThan(2e-2 * scale);
    }
  });

  it('leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const requests = explainer.inputs.map((input, window) => ({ window, input }));
    await explainer.forecast(requests);
    await explainer.gradient(requests);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cuts windows from a new frame, and rejects a bad request naming it', async () => {
    const other = await explainWindows(nf, { df: rows(30), staticDf: STATIC, maxWindows: 2 });
    expect(other.windows.map((w) => `${w.uniqueId} ${w.cutoff}`)).toEqual(['a 2002-04-30', 'b 2002-04-30']);
    await expect(other.forecast([{ window: 2, input: other.inputs[0]! }])).rejects.toThrow(/window 2/);
    await expect(other.forecast([{ window: 0, input: [1, 2] }])).rejects.toThrow(/has 2 values/);
  });

  it('refuses a model without exogenous columns: nothing to explain', async () => {
    const plain = new NeuralForecast({
      models: [{ id: 'mlp', config: { h: 2, input_size: 4, max_steps: 2, hidden_size: 4, num_layers: 1 } }],
      freq: 'M',
    });
    await plain.fit({ df: rows(12).map(({ unique_id, ds, y }) => ({ unique_id, ds, y })) });
    const error = await explainWindows(plain, { maxWindows: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/without exogenous columns.*nothing to explain/);
    plain.dispose();
  });
});

describe('evaluationCutoffs', () => {
  it('needs a complete input part and an observed horizon; too short a series has none', () => {
    const panel = buildPanel({ data: rows(8), freq: 'M' });
    expect(evaluationCutoffs(panel, { h: 2, inputSize: 4, stepSize: 1, maxWindows: 4 })).toEqual([
      { series: 0, position: 5 },
      { series: 0, position: 6 },
      { series: 1, position: 5 },
      { series: 1, position: 6 },
    ]);
    expect(() => evaluationCutoffs(panel, { h: 2, inputSize: 7, stepSize: 1, maxWindows: 4 })).toThrow(
      /no evaluation window/,
    );
  });
});
