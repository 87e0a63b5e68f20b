import { sweepSpecSchema } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildSweepSpec,
  currentSpec,
  INITIAL_WIZARD,
  isWizardState,
  modelBlocker,
  parseIntList,
  type WizardState,
} from '../../src/pages/wizard/wizard-state.js';

const filled: WizardState = {
  ...INITIAL_WIZARD,
  table: 'nf_loto_final',
  loto: 'loto6',
  uniqueIds: ['N1', 'N2'],
  models: ['nhits', 'mlp'],
  backends: ['optuna', 'ray'],
};

describe('wizard → sweep spec', () => {
  it('quick mode lists models × backends with the preset sizes, and the contracts schema accepts it', () => {
    const spec = buildSweepSpec({ ...filled, preset: 'balanced' });
    expect(spec).toMatchObject({
      mode: 'grid',
      table_name: 'nf_loto_final',
      loto: 'loto6',
      unique_ids: ['N1', 'N2'],
      model: ['auto_nhits', 'auto_mlp'],
      backend: ['optuna', 'ray'],
      h: 1,
      num_samples: 10,
      max_steps: 200,
      config: { val_check_steps: 50 },
    });
    expect(sweepSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('standard mode sends every common field; alternatives become lists; the schema accepts it', () => {
    const spec = buildSweepSpec({
      ...filled,
      mode: 'standard',
      search: false,
      horizons: [1, 2],
      losses: ['mae', 'mse'],
      scalers: [null, 'robust'],
      refitWithVal: [false, true],
      earlyStop: true,
      earlyStopPatience: 5,
      cvWindows: 2,
      pruner: 'median',
      maxSteps: 10,
    });
    expect(spec).toMatchObject({
      model: ['nhits', 'mlp'],
      h: [1, 2],
      loss: ['mae', 'mse'],
      local_scaler_type: [null, 'robust'],
      refit_with_val: [false, true],
      early_stop: true,
      early_stop_patience_steps: 5,
      cross_validation: { n_windows: 2, step_size: 1, refit: false },
      pruner: 'median',
      max_steps: 10,
      config: { val_check_steps: 10 },
    });
    expect(spec).not.toHaveProperty('num_samples');
    expect(spec).not.toHaveProperty('search_alg');
    expect(sweepSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('advanced mode sends the editor JSON and reports a syntax error instead of guessing', () => {
    expect(currentSpec({ ...filled, mode: 'advanced', specText: '{"loto":"loto7"}' })).toEqual({
      ok: true,
      spec: { loto: 'loto7' },
    });
    expect(currentSpec({ ...filled, mode: 'advanced', specText: '[1]' })).toEqual({
      ok: false,
      error: 'the spec must be a JSON object',
    });
    expect(currentSpec({ ...filled, mode: 'advanced', specText: '{' }).ok).toBe(false);
  });

  it('explains why a model cannot be chosen', () => {
    const plain = { exogenous: { futr: false, hist: false, stat: false }, multivariate: false };
    const multivariate = { exogenous: { futr: true, hist: true, stat: true }, multivariate: true };
    expect(modelBlocker(plain, { exogenous: 'auto', eachUniqueId: false, uniqueIds: ['N1'] })).toBe(
      'noExogenous',
    );
    expect(modelBlocker(plain, { exogenous: 'none', eachUniqueId: false, uniqueIds: ['N1'] })).toBeNull();
    expect(
      modelBlocker(multivariate, { exogenous: 'none', eachUniqueId: true, uniqueIds: ['N1', 'N2'] }),
    ).toBe('multivariateNeedsPanel');
    expect(
      modelBlocker(multivariate, { exogenous: 'auto', eachUniqueId: false, uniqueIds: ['N1', 'N2'] }),
    ).toBeNull();
  });

  it('drops a stored state of another shape and parses horizon lists', () => {
    expect(isWizardState(INITIAL_WIZARD)).toBe(true);
    expect(isWizardState({ step: 1, models: [] })).toBe(false);
    expect(parseIntList('1, 2 3')).toEqual([1, 2, 3]);
    expect(parseIntList('1, 0')).toBeNull();
    expect(parseIntList('')).toBeNull();
  });
});
