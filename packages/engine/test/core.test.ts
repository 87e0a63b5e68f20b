import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import { NeuralForecast } from '../src/core/index.js';
import type { PanelRow } from '../src/data/panel.js';
import { monthEnd } from './fixtures/month-end.js';

/** Two monthly series: a sine with trend, and the same scaled up around 1000. */
const panel = (n: number, withExog = false): PanelRow[] =>
  ['a', 'b'].flatMap((id, k) =>
    Array.from({ length: n }, (_, t) => ({
      unique_id: id,
      ds: monthEnd(t),
      y: (k === 0 ? 0 : 1000) + (k + 1) * (Math.sin((2 * Math.PI * t) / 6) + 0.05 * t),
      ...(withExog ? { futr_x: Math.cos(t) } : {}),
    })),
  );

const config = {
  h: 3,
  input_size: 6,
  max_steps: 20,
  learning_rate: 0.01,
  windows_batch_size: 32,
  num_layers: 1,
  hidden_size: 8,
};

let dir: string;
beforeAll(async () => {
  await setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'nf-core-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NeuralForecast', () => {
  it('fits and predicts the horizon dates of every series in the original space', async () => {
    const nf = new NeuralForecast({
      models: [{ id: 'mlp', config }],
      freq: 'M',
      localScalerType: 'standard',
    });
    await nf.fit({ df: panel(30) });
    const rows = await nf.predict();
    expect(rows.map((r) => `${r.unique_id} ${r.ds}`)).toEqual([
      'a 2002-07-31',
      'a 2002-08-31',
      'a 2002-09-30',
      'b 2002-07-31',
      'b 2002-08-31',
      'b 2002-09-30',
    ]);
    // The local scaler is inverted: series b lives around 1000.
    expect(
      rows.filter((r) => r.unique_id === 'b').every((r) => Math.abs((r.MLP as number) - 1000) < 50),
    ).toBe(true);
    nf.dispose();
  });

  it('cross-validates with NeuralForecast cutoffs, refitting on request', async () => {
    const nf = new NeuralForecast({ models: [{ id: 'mlp', config, alias: 'm1' }], freq: 'M' });
    let fits = 0;
    const df = panel(24);
    const rows = await nf.crossValidation({
      df,
      nWindows: 2,
      stepSize: 2,
      refit: true,
      onProgress: (e) => e.kind === 'train' && e.step === 1 && (fits += 1),
    });
    expect(fits).toBe(2);
    // testSize = 3 + 2 = 5: cutoffs at positions 19 and 21 -> last seen ds index 18 and 20.
    const a = rows.filter((r) => r.unique_id === 'a');
    expect(a.map((r) => r.cutoff)).toEqual([
      monthEnd(18),
      monthEnd(18),
      monthEnd(18),
      monthEnd(20),
      monthEnd(20),
      monthEnd(20),
    ]);
    expect(a.map((r) => r.ds)).toEqual([19, 20, 21, 21, 22, 23].map(monthEnd));
    expect(a.map((r) => r.y)).toEqual([19, 20, 21, 21, 22, 23].map((t) => df[t]!.y));
    expect(Object.keys(rows[0]!)).toEqual(['unique_id', 'ds', 'cutoff', 'y', 'm1']);
    await expect(nf.crossValidation({ df, testSize: 4, stepSize: 2 })).rejects.toThrow(/testSize 4/);
    // The last refit saw 21 points; insample cutoffs step back from position 21 - 3 = 18 by 10.
    const insample = await nf.predictInsample({ stepSize: 10 });
    const inA = insample.filter((r) => r.unique_id === 'a');
    expect(inA.map((r) => r.cutoff)).toEqual([7, 7, 7, 17, 17, 17].map(monthEnd));
    expect(inA.map((r) => r.ds)).toEqual([8, 9, 10, 18, 19, 20].map(monthEnd));
    nf.dispose();
  });

  it('fits once without refit and repeats exactly with the same seed', async () => {
    const fitOnce = async (): Promise<{ fits: number; rows: unknown[] }> => {
      const nf = new NeuralForecast({ models: [{ id: 'mlp', config }], freq: 'M' });
      let fits = 0;
      const rows = await nf.crossValidation({
        df: panel(24),
        nWindows: 3,
        stepSize: 1,
        onProgress: (e) => e.kind === 'train' && e.step === 1 && (fits += 1),
      });
      nf.dispose();
      return { fits, rows };
    };
    const a = await fitOnce();
    const b = await fitOnce();
    expect(a.fits).toBe(1);
    expect(a.rows).toHaveLength(2 * 3 * 3);
    expect(b.rows).toEqual(a.rows);
  });

  it('forecasts irregular draws on the observed weekdays', async () => {
    // Monday/Thursday draws, as loto6 since 2011.
    const days: string[] = [];
    for (let t = Date.UTC(2024, 0, 1); days.length < 40; t += 86_400_000) {
      const day = new Date(t).getUTCDay();
      if (day === 1 || day === 4) days.push(new Date(t).toISOString().slice(0, 10));
    }
    const df = days.map((ds, i) => ({ unique_id: 'N1', ds, y: (i % 7) + 1 }));
    const nf = new NeuralForecast({ models: [{ id: 'mlp', config }], freq: 'irregular' });
    await nf.fit({ df });
    const rows = await nf.predict();
    // The 40th draw is Thursday 2024-05-16; next: Mon 20, Thu 23, Mon 27.
    expect(days.at(-1)).toBe('2024-05-16');
    expect(rows.map((r) => r.ds)).toEqual(['2024-05-20', '2024-05-23', '2024-05-27']);
    nf.dispose();
  });

  it('saves and loads to bit-identical predictions, refusing to overwrite silently', async () => {
    const nf = new NeuralForecast({ models: [{ id: 'mlp', config }], freq: 'M', localScalerType: 'robust' });
    await nf.fit({ df: panel(30), valSize: 3 });
    const before = await nf.predict();
    const target = path.join(dir, 'model');
    await nf.save(target);
    await expect(nf.save(target)).rejects.toThrow(ConflictError);
    await nf.save(target, { overwrite: true });
    const loaded = await NeuralForecast.load(target);
    expect(await loaded.predict()).toEqual(before);
    nf.dispose();
    loaded.dispose();
  });

  it('requires and checks future exogenous values', async () => {
    const nf = new NeuralForecast({
      models: [{ id: 'mlp', config: { ...config, futr_exog_list: ['futr_x'] } }],
      freq: 'M',
    });
    await expect(nf.fit({ df: panel(30) })).rejects.toThrow(/df has no column\(s\) futr_x/);
    await nf.fit({ df: panel(30, true) });
    await expect(nf.predict()).rejects.toThrow(/futr_df is required/);
    const futr = ['a', 'b'].flatMap((id) =>
      [30, 31, 32].map((t) => ({ unique_id: id, ds: monthEnd(t), futr_x: Math.cos(t) })),
    );
    await expect(
      nf.predict({ futrDf: futr.map(({ unique_id, ds }) => ({ unique_id, ds, other: 1 })) }),
    ).rejects.toThrow(/futr_df has no column\(s\) futr_x/);
    await expect(nf.predict({ futrDf: futr.slice(0, 5) })).rejects.toThrow(ConfigError);
    await expect(nf.predict({ futrDf: futr.slice(0, 5) })).rejects.toThrow(/series 'b' at ds 2002-09-30/);
    expect(await nf.predict({ futrDf: futr })).toHaveLength(6);
    await expect(nf.predict({ futrDf: futr, level: [90] })).rejects.toThrow(/no 90% interval/);
    nf.dispose();
  });

  it('reports the interval columns of quantile and distribution losses, selected by level', async () => {
    const nf = new NeuralForecast({
      models: [
        // Trained long enough for its quantiles to separate at any seed (at 20 steps half the seeds left them crossed).
        {
          id: 'mlp',
          config: { ...config, max_steps: 200, loss: { id: 'mqloss', level: [80, 90] } },
          alias: 'q',
        },
        {
          id: 'mlp',
          config: {
            ...config,
            loss: { id: 'distributionloss', distribution: 'Normal', level: [80] },
            valid_loss: 'mae',
          },
          alias: 'd',
        },
      ],
      freq: 'M',
    });
    await nf.fit({ df: panel(30), valSize: 3 });
    const all = await nf.predict();
    expect(Object.keys(all[0]!)).toEqual(
      expect.arrayContaining(['q-median', 'q-lo-90', 'q-hi-90', 'q-lo-80', 'd', 'd-lo-80', 'd-hi-80']),
    );
    await expect(nf.predict({ level: [90] })).rejects.toThrow(/'d' .*no 90% interval; its levels are 80/);
    const row = all[0]!;
    expect(row['q-lo-90']! <= row['q-median']! && row['q-median']! <= row['q-hi-90']!).toBe(true);
    nf.dispose();
  });

  it('leaks no tensors across fit, predict and dispose', async () => {
    const start = tf.memory().numTensors;
    const nf = new NeuralForecast({ models: [{ id: 'mlp', config }], freq: 'M' });
    await nf.fit({ df: panel(20) });
    const fitted = tf.memory().numTensors;
    await nf.predict();
    expect(tf.memory().numTensors).toBe(fitted);
    nf.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects bad setups with ConfigErrors naming the problem', () => {
    expect(() => new NeuralForecast({ models: [{ id: 'arima', config }], freq: 'M' })).toThrow(
      /unknown model 'arima'/,
    );
    expect(
      () => new NeuralForecast({ models: [{ id: 'mlp', config: { ...config, max_steps: -1 } }], freq: 'M' }),
    ).toThrow(/max_steps/);
    expect(
      () => new NeuralForecast({ models: [{ id: 'mlp', config: { ...config, hidden_size: 0 } }], freq: 'M' }),
    ).toThrow(/hidden_size/);
    expect(() => new NeuralForecast({ models: [{ id: 'mlp', config }], freq: 'Q' as never })).toThrow(
      /freq must be/,
    );
  });
});
