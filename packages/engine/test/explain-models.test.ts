/**
 * explainWindows across kinds of networks: direct and recurrent, point and distribution losses —
 * the forecast of unchanged inputs is predict's, and gradients are finite and tensor-free.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { explainWindows, NeuralForecast } from '../src/core/index.js';
import type { PanelRow } from '../src/data/panel.js';
import { monthEnd } from './fixtures/month-end.js';

const rows: PanelRow[] = ['a', 'b'].flatMap((id, k) =>
  Array.from({ length: 30 }, (_, t) => ({
    unique_id: id,
    ds: monthEnd(t),
    y: 20 + 10 * k + 3 * Math.cos(t) + Math.sin(3 * t),
    futr_x: Math.cos(t),
  })),
);

const CASES = [
  { id: 'nhits', config: { mlp_units: [[8, 8]] }, pointIsPredict: true },
  {
    id: 'lstm',
    config: { recurrent: true, encoder_hidden_size: 8, decoder_hidden_size: 8 },
    pointIsPredict: true,
  },
  { id: 'tcn', config: { encoder_hidden_size: 8, decoder_hidden_size: 8 }, pointIsPredict: true },
  { id: 'deepar', config: { lstm_hidden_size: 8 }, pointIsPredict: false },
] as const;

beforeAll(async () => {
  await setBackend('cpu');
});

describe.each(CASES)('explainWindows on $id', ({ id, config, pointIsPredict }) => {
  it('forecasts unchanged inputs as predict does, with finite gradients and no leaked tensor', async () => {
    const nf = new NeuralForecast({
      models: [{ id, config: { h: 2, input_size: 6, max_steps: 3, futr_exog_list: ['futr_x'], ...config } }],
      freq: 'M',
      localScalerType: 'robust',
    });
    await nf.fit({ df: rows });
    const explainer = await explainWindows(nf, { maxWindows: 2 });
    const requests = explainer.inputs.map((input, window) => ({ window, input }));
    const before = tf.memory().numTensors;
    const forecasts = await explainer.forecast(requests);
    const gradients = await explainer.gradient(requests);
    expect(tf.memory().numTensors).toBe(before);
    for (const [w, window] of explainer.windows.entries()) {
      const series = rows.filter((r) => r.unique_id === window.uniqueId);
      const position = series.findIndex((r) => r.ds === window.cutoff) + 1;
      const predicted = await nf.predict({
        df: series.slice(0, position),
        futrDf: series
          .slice(position, position + 2)
          .map(({ unique_id, ds, futr_x }) => ({ unique_id, ds, futr_x })),
      });
      const column = nf.models[0]!.name;
      const forecast = forecasts[w] as Float64Array;
      if (pointIsPredict)
        forecast.forEach((v, j) => expect(v).toBeCloseTo(predicted[j]![column] as number, 3));
      expect(gradients[w]!.value).toBeCloseTo((forecast[0]! + forecast[1]!) / 2, 4);
      expect(gradients[w]!.gradient.every(Number.isFinite)).toBe(true);
      expect(gradients[w]!.gradient.some((g) => g !== 0)).toBe(true);
    }
    nf.dispose();
  });
});
