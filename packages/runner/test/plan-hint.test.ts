/**
 * HINT runs at plan time: a plain model with a distribution loss plans, and a model that trains
 * with point losses only (DeepNPTS) is refused with the reason and the fix, as the engine would
 * refuse it when the run starts.
 */
import { describe, expect, it } from 'vitest';
import { planSweep } from '@nflab/runner';

const hint = {
  loto: 'loto6',
  unique_ids: ['N1', 'N2'],
  h: 2,
  max_steps: 4,
  config: { input_size: 4 },
  loss: { id: 'distributionloss', distribution: 'Normal' },
  hierarchy: { aggregates: [{ id: 'total', members: ['N1', 'N2'] }], reconciliation: 'MinTraceOLS' },
} as const;

describe('planning HINT runs', () => {
  it('plans univariate and multivariate base models, and refuses a point-loss-only one naming the fix', async () => {
    const plan = await planSweep({ ...hint, model: ['nhits', 'tsmixer', 'deepnpts'] });
    expect(plan.runs.map((r) => r.spec.model)).toEqual(['nhits', 'tsmixer']);
    expect(plan.invalid.map((i) => [i.spec.model, i.reasons])).toEqual([
      [
        'deepnpts',
        [
          "loss: model 'deepnpts' (DeepNPTS) trains with point losses only (mae, mse, …); 'distributionloss' is a distribution loss; HINT reconciles forecast draws and needs a distribution loss, so choose another model for it",
        ],
      ],
    ]);
  });

  it('refuses a distribution loss for a point-loss-only model without HINT too, and keeps its point losses', async () => {
    const { hierarchy: _none, ...single } = hint;
    const plan = await planSweep({
      ...single,
      model: 'deepnpts',
      loss: ['mae', { id: 'distributionloss', distribution: 'Poisson' }],
    });
    expect(plan.runs.map((r) => r.spec.loss)).toEqual(['mae']);
    expect(plan.invalid[0]?.reasons).toEqual([
      expect.stringMatching(/; use mae, mse or another point loss$/),
    ]);
  });
});
