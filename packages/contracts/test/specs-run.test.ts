import { describe, expect, it } from 'vitest';
import {
  InputError,
  parseRunSpec,
  resolveSize,
  baseModelId,
  isAutoModel,
  modelIdOf,
  RUN_FIELD_NAMES,
  type InputIssue,
} from '@nflab/contracts';

const base = { loto: 'loto6', unique_ids: ['N1'], model: 'auto_nhits' } as const;

const issuesOf = (value: unknown): InputIssue[] => {
  try {
    parseRunSpec(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).issues];
  }
  throw new Error('expected the spec to be rejected');
};

describe('run spec', () => {
  it('fills the documented defaults', () => {
    const spec = parseRunSpec(base);
    expect(spec).toMatchObject({
      table_name: 'nf_loto_final',
      backend: 'optuna',
      search_alg: 'tpe',
      pruner: 'none',
      h: 1,
      loss: 'mae',
      valid_loss: 'mae',
      config: {},
      config_mode: 'merge',
      num_samples: 10,
      gpus: 0,
      val_size: 0,
      test_size: 0,
      refit_with_val: false,
      use_init_models: false,
      early_stop: false,
      random_seed: 1,
      local_scaler_type: null,
      exogenous: { mode: 'none' },
      cross_validation: null,
      tracking: [{ sink: 'postgres' }],
    });
    expect(spec).not.toHaveProperty('scheduler');
    expect(spec).not.toHaveProperty('early_stop_patience_steps');
  });

  it('valid_loss is the loss unless set', () => {
    const loss = { id: 'mqloss', level: [80, 90] };
    expect(parseRunSpec({ ...base, loss }).valid_loss).toEqual(loss);
    expect(parseRunSpec({ ...base, loss, valid_loss: 'mae' }).valid_loss).toBe('mae');
  });

  it('fills ray defaults and keeps a pruner out of ray runs', () => {
    const spec = parseRunSpec({ ...base, backend: 'ray' });
    expect(spec.search_alg).toBe('basic_variant');
    expect(spec).toMatchObject({ scheduler: 'fifo' });
    expect(spec).not.toHaveProperty('pruner');
  });

  it('normalises equivalent spellings to one value', () => {
    const a = parseRunSpec({ ...base, unique_ids: ['N10', 'N2', 'N1'], tracking: ['postgres', 'mlflow'] });
    const b = parseRunSpec({
      ...base,
      unique_ids: ['N1', 'N2', 'N10'],
      search_alg: 'tpe',
      tracking: [{ sink: 'postgres' }, { sink: 'mlflow' }],
      early_stop_patience_steps: 9,
    });
    expect(a.unique_ids).toEqual(['N1', 'N2', 'N10']);
    expect(a).toEqual(b);
    expect(parseRunSpec({ ...base, early_stop: true }).early_stop_patience_steps).toBe(3);
  });

  it('accepts a $schema hint for editors and leaves it out of the run', () => {
    const spec = parseRunSpec({ $schema: '../schemas/run-spec.schema.json', ...base });
    expect(spec).not.toHaveProperty('$schema');
    expect(spec).toEqual(parseRunSpec(base));
  });

  it('accepts val_size and test_size as multiples of h and resolves them', () => {
    const spec = parseRunSpec({ ...base, h: 7, val_size: '2h', test_size: '1.5h' });
    expect(spec.val_size).toBe('2h');
    expect(resolveSize(spec.val_size, spec.h)).toBe(14);
    expect(resolveSize(spec.test_size, spec.h)).toBe(11);
    expect(resolveSize(40, 7)).toBe(40);
    expect(issuesOf({ ...base, val_size: '2x' })[0]).toEqual({
      path: 'run.val_size',
      message: `must be an integer ≥ 0 or a multiple of h such as '2h' (got "2x")`,
    });
  });

  it('tells Auto models from plain ones', () => {
    expect(isAutoModel('auto_nhits')).toBe(true);
    expect(baseModelId('auto_nhits')).toBe('nhits');
    expect(isAutoModel('dlinear')).toBe(false);
    expect(baseModelId('dlinear')).toBe('dlinear');
  });

  it("reads NeuralForecast's class names as model ids", () => {
    for (const [name, id] of [
      ['AutoNHITS', 'auto_nhits'],
      ['NHITS', 'nhits'],
      ['AutoNBEATSx', 'auto_nbeatsx'],
      ['DLinear', 'dlinear'],
      ['TiDE', 'tide'],
      ['AutoMLP', 'auto_mlp'],
      ['Autoformer', 'autoformer'],
      ['AutoAutoformer', 'auto_autoformer'],
      ['iTransformer', 'itransformer'],
      ['AutoiTransformer', 'auto_itransformer'],
      ['auto_nhits', 'auto_nhits'],
      ['nhits', 'nhits'],
    ] as const) {
      expect(modelIdOf(name)).toBe(id);
      expect(parseRunSpec({ ...base, model: name }).model).toBe(id);
    }
    // The id decides Auto-only checks, whatever name the spec used.
    expect(
      issuesOf({ ...base, model: 'NHITS', search_space: { x: { kind: 'fixed', value: 1 } } }),
    ).toHaveLength(1);
  });

  it('accepts every exogenous selection form', () => {
    for (const exogenous of [
      { mode: 'none' },
      { mode: 'auto' },
      { mode: 'auto', map: { co: 'hist', n1pm: 'hist' } },
      { mode: 'explicit', hist_exog_list: ['hist_sum'], futr_exog_list: ['futr_dow'], stat_exog_list: [] },
    ]) {
      expect(parseRunSpec({ ...base, exogenous }).exogenous).toEqual(exogenous);
    }
    expect(parseRunSpec({ ...base, cross_validation: { n_windows: 3 } }).cross_validation).toEqual({
      n_windows: 3,
      step_size: 1,
      refit: false,
    });
  });

  // Each bad field: the issue names the field, the value given and what is allowed.
  const badFields: [string, unknown, string, RegExp][] = [
    ['backend', 'sklearn', 'run.backend', /optuna.*ray.*got "sklearn"/],
    ['search_alg', 'hyperopt', 'run.search_alg', /not available with backend "optuna"; allowed: tpe, random/],
    ['scheduler', 'asha', 'run.scheduler', /takes a pruner, not a scheduler; allowed pruners: none/],
    ['pruner', 'magic', 'run.pruner', /allowed: none, median/],
    ['model', 'Auto-NHITS', 'run.model', /lowercase model id.*NeuralForecast class name.*got "Auto-NHITS"/],
    ['h', 0, 'run.h', />=1.*got 0/],
    ['unique_ids', [], 'run.unique_ids', />=1 items.*got \[\]/],
    ['unique_ids', ['N1', 'N1'], 'run.unique_ids[1]', /"N1" is listed twice/],
    ['local_scaler_type', 'zscore', 'run.local_scaler_type', /standard.*boxcox.*got "zscore"/],
    ['config_mode', 'patch', 'run.config_mode', /merge.*replace.*got "patch"/],
    ['exogenous', { mode: 'all' }, 'run.exogenous.mode', /none.*auto.*explicit/],
    [
      'exogenous',
      { mode: 'auto', map: { co: 'past' } },
      'run.exogenous.map.co',
      /futr.*hist.*stat.*got "past"/,
    ],
    ['tracking', ['kafka'], 'run.tracking[0]', /got "kafka"/],
    ['cross_validation', { n_windows: 0 }, 'run.cross_validation.n_windows', />=1.*got 0/],
    [
      'search_space',
      { lr: { kind: 'uniform', low: 0, high: 1 } },
      'run.search_space.lr.kind',
      /float.*int.*categorical.*fixed/,
    ],
    ['num_samples', 1.5, 'run.num_samples', /expected int.*got 1.5/],
    ['gpus', -1, 'run.gpus', />=0.*got -1/],
  ];
  it.each(badFields)(
    'rejects %s = %j naming the field and what is allowed',
    (field, value, path, message) => {
      const issues = issuesOf({ ...base, [field]: value });
      const issue = issues.find((i) => i.path === path);
      expect(issue, JSON.stringify(issues)).toBeDefined();
      expect(issue?.message).toMatch(message);
    },
  );

  it('names unknown fields and lists the allowed ones', () => {
    const [issue] = issuesOf({ ...base, horizon: 3 });
    expect(issue?.path).toBe('run');
    expect(issue?.message).toContain('unknown field(s) "horizon"; allowed: ');
    for (const name of RUN_FIELD_NAMES) expect(issue?.message).toContain(name);
  });

  it('reports a missing required field and a search space on a plain model', () => {
    expect(issuesOf({ loto: 'loto6', model: 'nhits' })).toContainEqual({
      path: 'run.unique_ids',
      message: 'Invalid input: expected array, received undefined (missing)',
    });
    const [issue] = issuesOf({ ...base, model: 'nhits', search_space: { x: { kind: 'fixed', value: 1 } } });
    expect(issue?.path).toBe('run.search_space');
    expect(issue?.message).toContain("only to Auto models ('auto_nhits')");
  });
});

describe('metric', () => {
  it('is one of the metric ids (mase included) and names them when it is not', () => {
    expect(parseRunSpec({ ...base, metric: 'mase' }).metric).toBe('mase');
    const issues = issuesOf({ ...base, metric: 'accuracy' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'run.metric' });
    expect(issues[0]?.message).toMatch(/mae.*mse.*rmse.*mape.*smape.*mase/);
  });
});

describe('hierarchy (HINT)', () => {
  const hint = {
    loto: 'loto6',
    unique_ids: ['N1', 'N2'],
    model: 'mlp',
    loss: { id: 'distributionloss', distribution: 'Normal' },
    hierarchy: { aggregates: [{ id: 'total', members: ['N1', 'N2'] }], reconciliation: 'MinTraceOLS' },
  };

  it('accepts aggregates of the run’s series over a plain distribution-loss model', () => {
    expect(parseRunSpec(hint).hierarchy).toEqual(hint.hierarchy);
  });

  it('names each broken requirement with its field', () => {
    const issues = issuesOf({
      ...hint,
      model: 'auto_mlp',
      loss: 'mae',
      exogenous: { mode: 'auto' },
      hierarchy: {
        aggregates: [{ id: 'N1', members: ['N1', 'N7'] }],
        reconciliation: 'MinTraceOLS',
      },
    });
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['run.hierarchy.aggregates[0].id']).toContain('already a series of the run');
    expect(byPath['run.hierarchy.aggregates[0].members[1]']).toContain(
      '"N7" is not among unique_ids (N1, N2)',
    );
    expect(byPath['run.model']).toContain("use 'mlp'");
    expect(byPath['run.loss']).toContain('distributionloss');
    expect(byPath['run.exogenous']).toContain("mode: 'none'");
    expect(issuesOf({ ...hint, hierarchy: { ...hint.hierarchy, reconciliation: 'TopDown' } })[0]?.path).toBe(
      'run.hierarchy.reconciliation',
    );
  });
});
