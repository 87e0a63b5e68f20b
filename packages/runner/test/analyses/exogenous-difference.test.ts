import { describe, expect, it } from 'vitest';
import type { AnalysedRunRow } from '@nflab/store';
import { exogenousDifference } from '../../src/analyses/exogenous-difference.js';

const SPEC = { table_name: 'nf_loto_final', loto: 'loto6', model: 'nhits', h: 4, random_seed: 1 };

const run = (
  id: string,
  exogenous: { futr?: string[]; hist?: string[]; stat?: string[] } | null,
  spec: Record<string, unknown> = SPEC,
): AnalysedRunRow => ({
  id,
  model_name: 'nhits',
  status: 'finished',
  sweep_id: null,
  updated_at: new Date(0),
  metrics: {},
  spec: { ...spec, exogenous: { mode: exogenous === null ? 'none' : 'auto' } },
  model_properties: exogenous === null ? null : { exogenous: { futr: [], hist: [], stat: [], ...exogenous } },
});

describe('exogenousDifference', () => {
  it('names the group one run read and the other did not, for otherwise identical runs', () => {
    const withGroup = run('aaaaaaaa-1', { futr: ['futr_month'], hist: ['hist_sum', 'hist_odd'] });
    const without = run('bbbbbbbb-2', { futr: ['futr_month'] });
    expect(exogenousDifference(withGroup, without)).toEqual({
      runs: [
        {
          runId: 'aaaaaaaa-1',
          label: 'nhits · aaaaaaaa',
          only: { futr: [], hist: ['hist_sum', 'hist_odd'], stat: [] },
        },
        { runId: 'bbbbbbbb-2', label: 'nhits · bbbbbbbb', only: { futr: [], hist: [], stat: [] } },
      ],
      otherDifferences: [],
    });
  });

  it('lists every other spec field that differs, so the pair is not read as the group’s effect alone', () => {
    const a = run('a', { hist: ['hist_sum'] });
    const b = run('b', { hist: [] }, { ...SPEC, h: 8, random_seed: 2 });
    expect(exogenousDifference(a, b)?.otherDifferences).toEqual(['h', 'random_seed']);
  });

  it('is null when both read the same columns, or when either run has no record of its model', () => {
    expect(exogenousDifference(run('a', { hist: ['x', 'y'] }), run('b', { hist: ['y', 'x'] }))).toBeNull();
    expect(exogenousDifference(run('a', { hist: ['x'] }), run('b', null))).toBeNull();
  });
});
