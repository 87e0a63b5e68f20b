/**
 * The recurrent form (`recurrent: true`) through NeuralForecast's core: crossValidation's windows
 * are the forecasts predict gives from the same history (inference_input_size + 1 input steps, futr,
 * hist and stat exogenous, validation rolled out during fit).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { NeuralForecast } from '../src/core/index.js';
import type { PanelRow } from '../src/data/panel.js';

const day = (t: number): string => new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10);

/** Two series of sine + trend with one column of each exogenous kind. */
const panel = (n: number): PanelRow[] =>
  ['a', 'b'].flatMap((id, k) =>
    Array.from({ length: n }, (_, t) => ({
      unique_id: id,
      ds: day(t),
      y: 3 * k + Math.sin((2 * Math.PI * t) / 7 + k) + 0.03 * t,
      futr_a: Math.cos((2 * Math.PI * t) / 7),
      hist_a: Math.sin(t / 3),
    })),
  );
const staticDf = [
  { unique_id: 'a', stat_a: 0 },
  { unique_id: 'b', stat_a: 1 },
];

/** The first `n` rows of each series. */
const head = (rows: readonly PanelRow[], n: number): PanelRow[] =>
  ['a', 'b'].flatMap((id) => rows.filter((r) => r.unique_id === id).slice(0, n));
/** Rows [from, to) of each series with only the futr column (predict's futrDf). */
const futrRows = (rows: readonly PanelRow[], from: number, to: number): PanelRow[] =>
  ['a', 'b'].flatMap((id) =>
    rows
      .filter((r) => r.unique_id === id)
      .slice(from, to)
      .map(({ unique_id, ds, futr_a }) => ({ unique_id, ds, futr_a })),
  );

const config = (id: 'rnn' | 'lstm', h: number) => ({
  h,
  input_size: 8,
  inference_input_size: 6,
  recurrent: true,
  h_train: 2,
  encoder_n_layers: 2,
  encoder_hidden_size: 8,
  max_steps: 15,
  val_check_steps: 5,
  learning_rate: 5e-3,
  windows_batch_size: 32,
  scaler_type: 'standard',
  futr_exog_list: ['futr_a'],
  hist_exog_list: ['hist_a'],
  stat_exog_list: ['stat_a'],
  random_seed: 5,
  ...(id === 'lstm' ? { alias: 'LSTM' } : { alias: 'RNN' }),
});

beforeAll(async () => {
  await setBackend('cpu');
});

describe('recurrent form through NeuralForecast', () => {
  for (const id of ['rnn', 'lstm'] as const) {
    it(`${id}: crossValidation's windows equal predict from the same history with the model fitted before the first cutoff`, async () => {
      const T = 60;
      const h = 3;
      const df = panel(T);
      const cv = new NeuralForecast({ models: [{ id, config: config(id, h) }], freq: 'D' });
      // testSize = h + 1: cutoffs after T - 4 and T - 3 points, one fit on the first T - 4 (val 6 of them).
      const rows = await cv.crossValidation({ df, staticDf, nWindows: 2, stepSize: 1, valSize: 6 });
      cv.dispose();
      const column = id === 'lstm' ? 'LSTM' : 'RNN';
      const ref = new NeuralForecast({ models: [{ id, config: config(id, h) }], freq: 'D' });
      const numbers: number[] = [];
      try {
        await ref.fit({ df: head(df, T - 4), staticDf, valSize: 6 });
        for (const seen of [T - 4, T - 3]) {
          const predicted = await ref.predict({
            df: head(df, seen),
            staticDf,
            futrDf: futrRows(df, seen, seen + h),
          });
          for (const idx of ['a', 'b']) {
            const want = predicted.filter((r) => r.unique_id === idx);
            const got = rows.filter((r) => r.unique_id === idx && r.cutoff === day(seen - 1));
            expect(got.map((r) => r.ds)).toEqual(want.map((r) => r.ds));
            expect(got.map((r) => r[column])).toEqual(want.map((r) => r[column]));
            numbers.push(...got.map((r) => r[column] as number));
          }
        }
      } finally {
        ref.dispose();
      }
      expect(numbers).toHaveLength(2 * 2 * h);
      expect(numbers.every(Number.isFinite)).toBe(true);
      if (id !== 'rnn') return;
      // inference_input_size is honoured by crossValidation: unset (input_size), the windows differ.
      const { inference_input_size: _six, ...unset } = config(id, h);
      const wide = new NeuralForecast({ models: [{ id, config: unset }], freq: 'D' });
      const other = await wide.crossValidation({ df, staticDf, nWindows: 2, stepSize: 1, valSize: 6 });
      wide.dispose();
      expect(other.map((r) => r[column])).not.toEqual(rows.map((r) => r[column]));
    });
  }
});
