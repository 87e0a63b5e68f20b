/**
 * interpretTft: a fitted TFT's selection weights (static, past, future) named by column and summing
 * to 1 per group, its attention causal with rows summing to 1, and the means over windows equal to
 * the mean of each window's own interpretation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import {
  interpretTft,
  NeuralForecast,
  OBSERVED_TARGET,
  REPEATED_TARGET,
  type TftInterpretationSummary,
} from '../src/core/index.js';
import type { PanelRow } from '../src/data/panel.js';
import { monthEnd } from './fixtures/month-end.js';

/** Two series; y follows futr_x, hist_z is noise, stat_s and stat_t are constants per series. */
const rows = (n: number): PanelRow[] =>
  ['a', 'b'].flatMap((id, k) =>
    Array.from({ length: n }, (_, t) => ({
      unique_id: id,
      ds: monthEnd(t),
      y: 10 + 40 * k + 3 * Math.cos(t * (k + 1)) + 0.1 * t,
      futr_x: Math.cos(t * (k + 1)),
      futr_w: t % 3,
      hist_z: Math.sin(7 * t + k),
    })),
  );
const STATIC = [
  { unique_id: 'a', stat_s: 0, stat_t: 2 },
  { unique_id: 'b', stat_s: 1, stat_t: -1 },
];

const tftConfig = {
  h: 2,
  input_size: 4,
  max_steps: 1,
  learning_rate: 0.01,
  hidden_size: 8,
  n_head: 2,
  scaler_type: 'standard',
  futr_exog_list: ['futr_x', 'futr_w'],
  hist_exog_list: ['hist_z'],
  stat_exog_list: ['stat_s', 'stat_t'],
};

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

let nf: NeuralForecast;
let seen: TftInterpretationSummary;
beforeAll(async () => {
  nf = new NeuralForecast({
    models: [
      { id: 'mlp', config: { h: 2, input_size: 4, max_steps: 1, hidden_size: 4, num_layers: 1 } },
      { id: 'tft', config: tftConfig },
    ],
    freq: 'M',
  });
  await nf.fit({ df: rows(20), staticDf: STATIC });
  seen = await interpretTft(nf, { maxWindows: 6 });
});
afterAll(() => nf.dispose());

describe('interpretTft', () => {
  it('finds the TFT among the models and names every group’s variables by column, in the network’s order', () => {
    expect(seen.model).toBe('TFT');
    expect([seen.inputSize, seen.h, seen.windows]).toEqual([4, 2, 6]);
    expect(seen.static?.variables).toEqual(['stat_s', 'stat_t']);
    expect(seen.past.variables).toEqual(['hist_z', 'futr_x', 'futr_w', OBSERVED_TARGET]);
    expect(seen.future?.variables).toEqual(['futr_x', 'futr_w']);
  });

  it('has weights per group that sum to 1, over time as well as on average', () => {
    for (const group of [seen.static, seen.past, seen.future]) {
      expect(group).not.toBeNull();
      expect(group!.mean).toHaveLength(group!.variables.length);
      expect(sum(group!.mean)).toBeCloseTo(1, 5);
      group!.mean.forEach((w) => expect(w).toBeGreaterThan(0));
    }
    expect(seen.past.overTime).toHaveLength(4); // one row per input step
    expect(seen.future?.overTime).toHaveLength(2); // one row per horizon step
    for (const row of [...seen.past.overTime!, ...seen.future!.overTime!]) expect(sum(row)).toBeCloseTo(1, 5);
    // The mean is the mean of the rows.
    const firstPast = seen.past.overTime!.reduce((s, row) => s + row[0]!, 0) / 4;
    expect(seen.past.mean[0]).toBeCloseTo(firstPast, 10);
  });

  it('has a causal attention over the whole window whose rows sum to 1', () => {
    expect(seen.attention).toHaveLength(6);
    seen.attention.forEach((row, i) => {
      expect(row).toHaveLength(6);
      expect(sum(row)).toBeCloseTo(1, 5);
      row.slice(i + 1).forEach((v) => expect(v).toBe(0)); // no step reads its future
    });
  });

  it('averages each window’s own weights equally', async () => {
    // One window per series: the newest of each; the mean of the two must be the two-window result.
    const both = await interpretTft(nf, { maxWindows: 2 });
    const a = await interpretTft(nf, { maxWindows: 1 }); // series a's newest only
    const df = rows(20).filter((r) => r.unique_id === 'b');
    const b = await interpretTft(nf, { maxWindows: 1, df, staticDf: STATIC.slice(1) });
    expect(both.windows).toBe(2);
    both.static!.mean.forEach((w, i) =>
      expect(w).toBeCloseTo((a.static!.mean[i]! + b.static!.mean[i]!) / 2, 5),
    );
    both.attention.forEach((row, r) =>
      row.forEach((w, c) => expect(w).toBeCloseTo((a.attention[r]![c]! + b.attention[r]![c]!) / 2, 5)),
    );
    // The two series read different static values, so their static weights differ.
    expect(Math.abs(a.static!.mean[0]! - b.static!.mean[0]!)).toBeGreaterThan(1e-6);
  });

  it('names the repeated target as the one future input of a TFT without futr_* columns, and has no future group', async () => {
    const plain = new NeuralForecast({
      models: [
        {
          id: 'tft',
          config: { ...tftConfig, futr_exog_list: [], hist_exog_list: [], stat_exog_list: [], max_steps: 1 },
        },
      ],
      freq: 'M',
    });
    try {
      await plain.fit({ df: rows(20).map(({ unique_id, ds, y }) => ({ unique_id, ds, y })) });
      const result = await interpretTft(plain, { maxWindows: 3 });
      expect(result.past.variables).toEqual([REPEATED_TARGET, OBSERVED_TARGET]);
      expect(result.future).toBeNull();
      expect(result.static).toBeNull();
      expect(sum(result.past.mean)).toBeCloseTo(1, 5);
    } finally {
      plain.dispose();
    }
  });

  it('refuses a model that is not a TFT, naming it', async () => {
    await expect(interpretTft(nf, { model: 'MLP' })).rejects.toThrow(ConfigError);
    await expect(interpretTft(nf, { model: 'MLP' })).rejects.toThrow(/'MLP' \(MLP\).*only TFT/);
    await expect(interpretTft(nf, { model: 'nope' })).rejects.toThrow(/'nope' is not in the forecaster/);
  });
});
