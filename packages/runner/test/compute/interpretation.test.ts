/**
 * interpretFitted: the record a TFT run keeps of what its fitted model weighed — the horizon's
 * attention rows over the whole window, groups named by column — and nothing for other models.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelInterpretationSchema } from '@nflab/contracts';
import { NeuralForecast } from '@nflab/engine';
import { interpretFitted } from '../../src/compute/interpretation.js';

const df = ['a', 'b'].flatMap((id, k) =>
  Array.from({ length: 16 }, (_, t) => ({
    unique_id: id,
    ds: t + 1,
    y: 5 + k + Math.sin(t),
    futr_dow: t % 7,
  })),
);
const common = { h: 2, input_size: 5, max_steps: 1, scaler_type: 'standard' };

const fitted = async (model: { id: string; config: Record<string, unknown> }): Promise<NeuralForecast> => {
  const nf = new NeuralForecast({ models: [model], freq: 1 });
  await nf.fit({ df });
  return nf;
};

let tft: NeuralForecast;
beforeAll(async () => {
  tft = await fitted({
    id: 'tft',
    config: { ...common, hidden_size: 4, n_head: 1, futr_exog_list: ['futr_dow'] },
  });
});
afterAll(() => tft.dispose());

describe('interpretFitted', () => {
  it('records a TFT’s groups by column and the attention of each horizon step over the window', async () => {
    const notes: string[] = [];
    const record = await interpretFitted(tft, notes);
    expect(modelInterpretationSchema.parse(record)).toEqual(record);
    expect(record).toMatchObject({ model: 'tft', input_size: 5, h: 2, static: null });
    expect(record!.windows).toBe(2 * (16 - 5 - 2 + 1)); // every window of both series (under the cap)
    expect(record!.past.variables).toEqual(['futr_dow', 'observed_target']);
    expect(record!.future?.variables).toEqual(['futr_dow']);
    expect(record!.attention).toHaveLength(2); // the horizon's rows only
    record!.attention.forEach((row, i) => {
      expect(row).toHaveLength(7);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(row.slice(5 + i + 1).every((v) => v === 0)).toBe(true); // causal
    });
    expect(notes).toEqual([expect.stringMatching(/^interpretation: .* of TFT over 20 window\(s\)/)]);
  });

  it('records nothing for a model without selection weights', async () => {
    const mlp = await fitted({ id: 'mlp', config: { ...common, hidden_size: 4, num_layers: 1 } });
    try {
      const notes: string[] = [];
      expect(await interpretFitted(mlp, notes)).toBeUndefined();
      expect(notes).toEqual([]);
    } finally {
      mlp.dispose();
    }
  });
});
