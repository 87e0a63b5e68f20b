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

  it('explains why a model cannot be chosen; one series is no reason for a multivariate model', () => {
    const none = { futr: false, hist: false, stat: false };
    const plain = { exogenous: none, multivariate: false, pointLossOnly: false };
    const multivariate = {
      exogenous: { futr: true, hist: true, stat: true },
      multivariate: true,
      pointLossOnly: false,
    };
    const pointOnly = { exogenous: none, multivariate: false, pointLossOnly: true };
    const choices = { exogenous: 'none', eachUniqueId: false, hint: false } as const;
    expect(modelBlocker(plain, { ...choices, exogenous: 'auto' })).toBe('noExogenous');
    expect(modelBlocker(plain, choices)).toBeNull();
    expect(modelBlocker(multivariate, { ...choices, eachUniqueId: true })).toBe('multivariateSplit');
    expect(modelBlocker(multivariate, { ...choices, exogenous: 'auto' })).toBeNull();
    expect(modelBlocker(multivariate, choices)).toBeNull();
    expect(modelBlocker(pointOnly, choices)).toBeNull();
    expect(modelBlocker(pointOnly, { ...choices, hint: true })).toBe('hintPointLoss');
  });

  it('gives plain models an input_size (the planner requires one): the chosen one, else -1 (3·h)', () => {
    const plain = { ...filled, search: false };
    expect(buildSweepSpec(plain).config).toEqual({ val_check_steps: 10, input_size: -1 });
    expect(buildSweepSpec({ ...plain, inputSize: 24 }).config).toEqual({
      val_check_steps: 10,
      input_size: 24,
    });
    expect(buildSweepSpec(filled).config).toEqual({ val_check_steps: 10 });
  });

  it('drops a stored state of another shape and parses horizon lists', () => {
    expect(isWizardState(INITIAL_WIZARD)).toBe(true);
    expect(isWizardState({ step: 1, models: [] })).toBe(false);
    expect(parseIntList('1, 2 3')).toEqual([1, 2, 3]);
    expect(parseIntList('1, 0')).toBeNull();
    expect(parseIntList('')).toBeNull();
  });
});
