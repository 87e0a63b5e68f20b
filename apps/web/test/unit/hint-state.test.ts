import { MAX_HIERARCHY_AGGREGATES, RECONCILIATION_METHODS, sweepSpecSchema } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { DICTIONARY } from '../../src/i18n/dictionary.js';
import { HINT_ISSUE_CODES, hintIssues, runSeriesCount } from '../../src/pages/wizard/hint-state.js';
import { buildSweepSpec, INITIAL_WIZARD, type WizardState } from '../../src/pages/wizard/wizard-state.js';

const hint: WizardState = {
  ...INITIAL_WIZARD,
  table: 'nf_loto_final',
  loto: 'loto6',
  uniqueIds: ['N1', 'N2', 'N3'],
  models: ['nhits'],
  search: false,
  hint: true,
};
const codes = (state: WizardState, pointLossOnly: string[] = []) =>
  hintIssues(state, pointLossOnly).map((issue) => issue.code);

describe('the HINT step', () => {
  it('turns the form into the spec hierarchy and distribution loss, in quick and standard mode', () => {
    const state: WizardState = {
      ...hint,
      aggregates: [
        { id: 'total', members: null },
        { id: 'first_two', members: ['N1', 'N2'] },
      ],
      reconciliation: 'MinTraceOLS',
      distribution: 'StudentT',
    };
    for (const mode of ['quick', 'standard'] as const) {
      const spec = buildSweepSpec({ ...state, mode });
      expect(spec).toMatchObject({
        model: 'nhits',
        loss: { id: 'distributionloss', distribution: 'StudentT', level: [80, 90] },
        hierarchy: {
          aggregates: [
            { id: 'total', members: ['N1', 'N2', 'N3'] },
            { id: 'first_two', members: ['N1', 'N2'] },
          ],
          reconciliation: 'MinTraceOLS',
        },
        config: { input_size: -1 },
      });
      expect(sweepSpecSchema.safeParse(spec).success).toBe(true);
    }
    expect(hintIssues(state)).toEqual([]);
    // Off, the spec carries no hierarchy and the chosen losses again.
    const off = buildSweepSpec({ ...state, hint: false, mode: 'standard' });
    expect(off).not.toHaveProperty('hierarchy');
    expect(off.loss).toBe('mae');
  });

  it('names the field and the fix for every choice HINT cannot take', () => {
    expect(hintIssues({ ...hint, hint: false, uniqueIds: ['N1'], search: true })).toEqual([]);
    expect(
      hintIssues({ ...hint, uniqueIds: ['N1'], eachUniqueId: true, search: true, exogenous: 'auto' }),
    ).toEqual([
      { code: 'tooFewSeries', values: { n: 1 } },
      { code: 'eachUniqueId' },
      { code: 'search' },
      { code: 'exogenous' },
      // The total of one series sums fewer than two.
      { code: 'aggregateMembers', values: { id: 'total' } },
    ]);
    expect(codes({ ...hint, models: ['nhits', 'deepnpts'] }, ['deepnpts'])).toEqual(['pointLossModel']);
    expect(codes({ ...hint, aggregates: [] })).toEqual(['noAggregates']);
    const many = Array.from({ length: MAX_HIERARCHY_AGGREGATES + 1 }, (_, i) => ({
      id: `a${i}`,
      members: ['N1', 'N2'].concat(i % 2 === 0 ? [] : ['N3']),
    }));
    expect(codes({ ...hint, aggregates: many })).toContain('tooManyAggregates');
  });

  it('checks each aggregate: a valid new name, two or more chosen members, no repeat of another', () => {
    const issues = hintIssues({
      ...hint,
      aggregates: [
        { id: 'total', members: null },
        { id: 'bad name!', members: ['N1', 'N2'] },
        { id: 'N1', members: ['N2', 'N3'] },
        { id: 'total', members: ['N1', 'N3'] },
        { id: 'one', members: ['N2'] },
        { id: 'gone', members: ['N1', 'N7'] },
        { id: 'again', members: ['N3', 'N2', 'N1'] },
      ],
    });
    expect(issues).toEqual([
      { code: 'aggregateId', values: { n: 2 } },
      { code: 'aggregateIdTaken', values: { id: 'N1' } },
      { code: 'aggregateIdTaken', values: { id: 'total' } },
      { code: 'aggregateMembers', values: { id: 'one' } },
      { code: 'aggregateNotChosen', values: { id: 'gone', series: 'N7' } },
      { code: 'aggregateRepeats', values: { id: 'again', other: 'total' } },
    ]);
  });

  it('counts aggregates among the series a multivariate model takes (n_series)', () => {
    expect(runSeriesCount({ ...hint, aggregates: [{ id: 't', members: null }] })).toBe(4);
    expect(runSeriesCount({ ...hint, hint: false })).toBe(3);
  });

  it('has a message for every issue code and an explanation for every reconciliation method', () => {
    const keys = Object.keys(DICTIONARY.en);
    expect(keys.filter((key) => key.startsWith('hint.issue.')).sort()).toEqual(
      HINT_ISSUE_CODES.map((code) => `hint.issue.${code}`).sort(),
    );
    expect(keys.filter((key) => key.startsWith('hint.reconciliation.')).sort()).toEqual(
      RECONCILIATION_METHODS.map((method) => `hint.reconciliation.${method}`).sort(),
    );
  });
});
