import { describe, expect, it } from 'vitest';
import { InputError, parseRunSpec, TRACKING_SINKS } from '@nflab/contracts';
import { canonicalJson, expandSweep, fingerprintOf, planSweep, RECORDING_SINKS } from '@nflab/runner';

const base = { loto: 'loto6', unique_ids: ['N1', 'N2'] } as const;

describe('expandSweep', () => {
  it('grid: 3 models × 2 h × 2 losses = 12 runs, first field slowest', () => {
    const runs = expandSweep({
      ...base,
      mode: 'grid',
      model: ['auto_nhits', 'auto_mlp', 'auto_dlinear'],
      h: [1, 3],
      loss: ['mae', 'mse'],
    });
    expect(runs).toHaveLength(12);
    // Field order loto × unique_ids × model × backend × search_space × loss × h: h varies fastest.
    expect(runs.slice(0, 4).map((r) => [r.model, r.loss, r.h])).toEqual([
      ['auto_nhits', 'mae', 1],
      ['auto_nhits', 'mae', 3],
      ['auto_nhits', 'mse', 1],
      ['auto_nhits', 'mse', 3],
    ]);
    expect(runs.map((r) => r.model)).toEqual([
      ...Array<string>(4).fill('auto_nhits'),
      ...Array<string>(4).fill('auto_mlp'),
      ...Array<string>(4).fill('auto_dlinear'),
    ]);
    expect(runs.every((r) => r.valid_loss === r.loss)).toBe(true);
  });

  it('tags label every run, in every mode, and are never varied', () => {
    const tags = { experiment: 'baseline' };
    const grid = expandSweep({ ...base, model: ['auto_nhits', 'auto_mlp'], tags });
    expect(grid.map((r) => r.tags)).toEqual([tags, tags]);
    const list = expandSweep({ ...base, mode: 'list', runs: [{ model: 'nhits' }, { model: 'mlp' }], tags });
    expect(list.map((r) => r.tags)).toEqual([tags, tags]);
    expect(() => expandSweep({ ...base, model: 'nhits', tags: [tags] })).toThrow(/tags/);
  });

  it('grid: NeuralForecast class names become ids, and one name and its id are the same run', () => {
    const runs = expandSweep({ ...base, model: ['AutoNHITS', 'NHITS', 'auto_nhits', 'AutoDLinear'] });
    expect(runs.map((r) => r.model)).toEqual(['auto_nhits', 'nhits', 'auto_dlinear']);
  });

  it('defaults: only loto × unique_ids × model × backend vary, the rest is default', () => {
    const runs = expandSweep({
      mode: 'defaults',
      loto: ['loto6', 'loto7'],
      unique_ids: [['N1', 'N2'], ['N3']],
      model: ['auto_nhits', 'auto_mlp'],
      backend: ['optuna', 'ray'],
      h: 2,
    });
    expect(runs).toHaveLength(16);
    expect(runs[0]).toEqual(
      parseRunSpec({ loto: 'loto6', unique_ids: ['N1', 'N2'], model: 'auto_nhits', h: 2 }),
    );
    expect(runs.map((r) => r.backend).slice(0, 2)).toEqual(['optuna', 'ray']);
    expect(runs[1]).toMatchObject({ search_alg: 'basic_variant', scheduler: 'fifo' });
  });

  it('list: explicit combinations over the shared fields', () => {
    const runs = expandSweep({
      mode: 'list',
      ...base,
      h: 2,
      runs: [
        { model: 'auto_nhits' },
        { model: 'nhits', config: { input_size: 4 } },
        { model: 'auto_mlp', h: 5 },
      ],
    });
    expect(runs.map((r) => [r.model, r.h])).toEqual([
      ['auto_nhits', 2],
      ['nhits', 2],
      ['auto_mlp', 5],
    ]);
    expect(runs[1]?.config).toEqual({ input_size: 4 });
  });

  it('each_unique_id: one run per series instead of one per panel', () => {
    const runs = expandSweep({
      unique_ids: [
        ['N1', 'N2'],
        ['N2', 'N3'],
      ],
      each_unique_id: true,
      loto: 'loto6',
      model: ['auto_nhits', 'auto_mlp'],
    });
    expect(runs.map((r) => `${r.unique_ids.join('+')}/${r.model}`)).toEqual([
      'N1/auto_nhits',
      'N1/auto_mlp',
      'N2/auto_nhits',
      'N2/auto_mlp',
      'N3/auto_nhits',
      'N3/auto_mlp',
    ]);
  });

  it('removes duplicates: runs that parse to the same spec count once', async () => {
    const plan = await planSweep({
      ...base,
      model: 'auto_nhits',
      // 'optuna' with and without its default sampler, and valid_loss equal to loss, are one run.
      search_alg: ['tpe', 'tpe'],
      valid_loss: ['mae', 'mae'],
      val_size: [0, 0, 3],
    });
    expect(plan.combinations).toBe(12);
    expect(plan.count).toBe(2);
    expect(plan.duplicatesRemoved).toBe(10);
    expect(plan.runs.map((r) => [r.index, r.spec.val_size])).toEqual([
      [0, 0],
      [1, 3],
    ]);
    expect(new Set(plan.runs.map((r) => r.fingerprint)).size).toBe(2);
  });

  it('refuses a sweep past the combination limit, naming the sizes, before forming any run', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const sweep = {
      ...base,
      model: 'auto_nhits',
      h: many(100),
      num_samples: many(100),
      random_seed: many(11),
    };
    expect(() => expandSweep(sweep)).toThrow(
      'sweep: forms 110000 combinations (h 100 × num_samples 100 × random_seed 11); at most 10000 are allowed',
    );
    expect(() => expandSweep(sweep, { maxCombinations: 100_000 })).toThrow('at most 100000 are allowed');
  });

  it('throws an InputError naming the field when the sweep itself is invalid', () => {
    expect(() => expandSweep({ ...base, model: 'auto_nhits', h: [0, 1] })).toThrow(InputError);
    expect(() => expandSweep({ ...base, model: 'auto_nhits', h: [0, 1] })).toThrow(
      /sweep\.h\[0\]: .*>=1.*\(got 0\)/,
    );
  });
});

describe('fingerprint', () => {
  it('ignores key order and undefined members, and tells different runs apart', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, e: null }] })).toBe(
      '{"a":[{"d":2,"e":null}],"b":1}',
    );
    const a = parseRunSpec({ ...base, model: 'auto_nhits', h: 2 });
    const b = parseRunSpec({ h: 2, model: 'auto_nhits', unique_ids: ['N2', 'N1'], loto: 'loto6' });
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    expect(fingerprintOf(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(parseRunSpec({ ...base, model: 'auto_nhits', h: 3 }))).not.toBe(fingerprintOf(a));
  });
});

describe('planSweep without a database', () => {
  it('reports an exogenous list given to DLinear, which takes none', async () => {
    const plan = await planSweep({
      ...base,
      model: ['auto_nhits', 'auto_dlinear'],
      exogenous: { mode: 'explicit', hist_exog_list: ['hist_sum'], futr_exog_list: ['futr_dow'] },
    });
    expect(plan.runs.map((r) => r.spec.model)).toEqual(['auto_nhits']);
    expect(plan.invalid).toHaveLength(1);
    expect(plan.invalid[0]?.spec.model).toBe('auto_dlinear');
    expect(plan.invalid[0]?.reasons).toEqual([
      "exogenous: model 'auto_dlinear' does not accept futr exogenous (futr_dow); it accepts: none",
      "exogenous: model 'auto_dlinear' does not accept hist exogenous (hist_sum); it accepts: none",
    ]);
  });

  it('a mapped column counts as its role', async () => {
    const plan = await planSweep({
      ...base,
      model: 'nlinear',
      exogenous: { mode: 'auto', map: { n1pm: 'hist' } },
    });
    expect(plan.invalid[0]?.reasons[0]).toContain('does not accept hist exogenous (n1pm)');
  });

  it('reports a Ray searcher under optuna, naming what optuna allows', async () => {
    const plan = await planSweep({
      ...base,
      model: 'auto_nhits',
      backend: ['optuna', 'ray'],
      search_alg: 'hyperopt',
    });
    expect(plan.runs.map((r) => r.spec.backend)).toEqual(['ray']);
    expect(plan.invalid).toEqual([
      {
        spec: expect.objectContaining({ backend: 'optuna', search_alg: 'hyperopt' }),
        reasons: [
          'run.search_alg: search_alg "hyperopt" is not available with backend "optuna"; allowed: tpe, random, cmaes, qmc, grid, bruteforce (got "hyperopt")',
        ],
      },
    ]);
  });

  it('reports unknown models, unknown losses and bad loss parameters', async () => {
    const plan = await planSweep({
      ...base,
      model: ['auto_prophet', 'auto_nhits'],
      loss: ['mae', 'hinge', { id: 'mqloss', level: [80], alpha: 1 }],
    });
    expect(plan.count).toBe(1);
    const reasons = plan.invalid.flatMap((i) => i.reasons);
    expect(reasons).toContainEqual(
      expect.stringMatching(/^model: unknown model 'auto_prophet'.*models: mlp, nhits/),
    );
    expect(reasons).toContainEqual(
      expect.stringMatching(/^loss: loss 'hinge' is not supported; allowed: mae/),
    );
    expect(reasons).toContainEqual(
      expect.stringMatching(/^loss: loss 'mqloss': unknown parameter\(s\) 'alpha'/),
    );
    expect(plan.invalid).toHaveLength(5);
  });

  it("checks the config against the model: known keys, and a plain model's values", async () => {
    const plan = await planSweep({
      mode: 'list',
      ...base,
      runs: [
        { model: 'nhits', config: { input_size: 4 } },
        { model: 'nhits' },
        { model: 'auto_nhits', config: { input_sise: 4 } },
        { model: 'nhits', config: { input_size: 4, learning_rate: -1 } },
        { model: 'nhits', config: { input_size: 4, stack_types: ['trend'] } },
      ],
    });
    expect(plan.runs.map((r) => r.spec.config)).toEqual([{ input_size: 4 }]);
    const reasons = plan.invalid.map((i) => i.reasons.join(' | '));
    expect(reasons[0]).toBe(
      "config.input_size: required for the plain model 'nhits' (an integer ≥ 1, or -1 for 3·h as NeuralForecast); use 'auto_nhits' to search it",
    );
    expect(reasons[1]).toMatch(
      /^config: .*unknown config key 'input_sise' — did you mean 'input_size'\? Valid keys: .*stack_types/,
    );
    expect(reasons[2]).toMatch(
      /^config: model 'nhits': invalid training config — learning_rate: .*\(got -1\)/,
    );
    expect(reasons[3]).toMatch(/^config\.stack_types\.0: /);
  });

  it('reports a search space tune cannot build', async () => {
    const plan = await planSweep({
      ...base,
      model: 'auto_nhits',
      search_space: { learning_rate: { kind: 'float', low: 1, high: 0.1 } },
    });
    expect(plan.invalid[0]?.reasons[0]).toMatch(
      /^search_space: .*learning_rate.*low \(1\) must be <= high \(0\.1\)/,
    );
  });

  it('every sink of the spec vocabulary has a writer, so none is refused at plan time', () => {
    expect([...RECORDING_SINKS].sort()).toEqual([...TRACKING_SINKS].sort());
  });

  it('accepts the mlflow sink, bare or with an experiment and tracking URI', async () => {
    for (const tracking of [
      ['postgres', 'mlflow'],
      [{ sink: 'mlflow', experiment_name: 'loto6 nightly', tracking_uri: 'http://mlflow.internal:5000' }],
    ]) {
      const plan = await planSweep({ ...base, model: 'auto_nhits', tracking });
      expect(plan.invalid, JSON.stringify(tracking)).toEqual([]);
      expect(plan.count).toBe(1);
    }
  });

  it('accepts the wandb sink, which the export outbox writes once the run ends', async () => {
    const plan = await planSweep({
      ...base,
      model: 'auto_nhits',
      tracking: ['postgres', { sink: 'wandb', project: 'loto', entity: 'lab' }],
    });
    expect(plan.invalid).toEqual([]);
    expect(plan.count).toBe(1);
  });

  it('accepts the prometheus sink, bare or with a Pushgateway and job', async () => {
    for (const tracking of [
      ['postgres', 'prometheus'],
      [{ sink: 'prometheus', push_gateway: 'http://pushgateway:9091', job: 'nightly' }],
    ]) {
      const plan = await planSweep({ ...base, model: 'auto_nhits', tracking });
      expect(plan.invalid, JSON.stringify(tracking)).toEqual([]);
      expect(plan.count).toBe(1);
    }
  });

  it('refuses an Auto run whose trials would end before their first validation', async () => {
    const plan = await planSweep({ ...base, model: 'auto_nhits', max_steps: 10 });
    expect(plan.invalid[0]?.reasons).toEqual([
      'config.val_check_steps: 100 (the default) is more than max_steps (10), so no trial would compute a validation loss to be scored by; set config.val_check_steps to at most max_steps',
    ]);
    const fixed = await planSweep({
      ...base,
      model: 'auto_nhits',
      max_steps: 10,
      config: { val_check_steps: 5 },
    });
    expect(fixed.count).toBe(1);
  });
});
