/**
 * The wizard and the sweep planner follow one rule set: each state below is judged by the wizard
 * (model blockers, HINT issues) and by planSweep on the spec the wizard builds from it, and both
 * must say the same — accepted, or refused.
 */
import { planSweep } from '@nflab/runner';
import { getModelSpec } from '@nflab/engine';
import { describe, expect, it } from 'vitest';
import { hintIssues } from '../../src/pages/wizard/hint-state.js';
import {
  buildSweepSpec,
  INITIAL_WIZARD,
  modelBlocker,
  type WizardState,
} from '../../src/pages/wizard/wizard-state.js';

const base: WizardState = {
  ...INITIAL_WIZARD,
  mode: 'standard',
  table: 'nf_loto_final',
  loto: 'loto6',
  uniqueIds: ['N1', 'N2'],
  search: false,
  maxSteps: 4,
};

/** The wizard's verdict on the state's models: true when none is blocked and HINT has no issue. */
const wizardAccepts = (state: WizardState): boolean => {
  const pointLossOnly = state.models.filter((id) => getModelSpec(id).pointLossOnly);
  const blocked = state.models.some((id) => {
    const spec = getModelSpec(id);
    const model = {
      exogenous: spec.exogenous,
      multivariate: spec.kind === 'multivariate',
      pointLossOnly: spec.pointLossOnly === true,
    };
    return modelBlocker(model, state) !== null;
  });
  return !blocked && hintIssues(state, pointLossOnly).length === 0;
};

const plannerAccepts = async (state: WizardState): Promise<boolean> => {
  const plan = await planSweep(buildSweepSpec(state));
  return plan.invalid.length === 0 && plan.count > 0;
};

const CASES: readonly [string, WizardState, boolean][] = [
  [
    'a multivariate model on one series (n_series 1)',
    { ...base, uniqueIds: ['N1'], models: ['tsmixer'] },
    true,
  ],
  ['a multivariate model on two series', { ...base, models: ['itransformer'] }, true],
  [
    'a multivariate model split one run per series',
    { ...base, models: ['tsmixer'], eachUniqueId: true },
    false,
  ],
  ['HINT around a univariate model', { ...base, models: ['nhits'], hint: true }, true],
  ['HINT around a multivariate model', { ...base, models: ['tsmixer'], hint: true }, true],
  ['HINT around a point-loss-only model', { ...base, models: ['deepnpts'], hint: true }, false],
  ['HINT with a search', { ...base, models: ['nhits'], hint: true, search: true }, false],
  [
    'HINT over a series not chosen',
    { ...base, models: ['nhits'], hint: true, aggregates: [{ id: 't', members: ['N1', 'N3'] }] },
    false,
  ],
];

describe('wizard and planner agree', () => {
  it.each(CASES)('%s', async (_name, state, accepted) => {
    expect({ wizard: wizardAccepts(state), planner: await plannerAccepts(state) }).toEqual({
      wizard: accepted,
      planner: accepted,
    });
  });
});
