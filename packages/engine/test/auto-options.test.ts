import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { createMemoryStorage } from '@nflab/tune';
import { AutoModel } from '../src/auto/auto-model.js';
import { buildAutoSetup } from '../src/auto/auto-config.js';
import { setBackend } from '../src/backend/backend.js';
import { MODELS } from '../src/models/registry.js';
import { SMALL_NHITS, sinePanel } from './auto-fixtures.js';

const df = sinePanel();

beforeAll(async () => {
  await setBackend('cpu');
});

describe('Auto config: merge, replace, losses, early stop, exogenous lists', () => {
  it("'merge' keeps the default space and overrides the given keys; plain values become fixed", () => {
    const { space } = buildAutoSetup({
      model: 'nhits',
      h: 4,
      config: { max_steps: 20, learning_rate: { kind: 'float', low: 1e-3, high: 1e-2, log: true } },
    });
    const defaults = MODELS.nhits.defaultSearchSpace(4);
    expect(Object.keys(space).sort()).toEqual(Object.keys(defaults).sort());
    expect(space.max_steps).toEqual({ kind: 'fixed', value: 20 });
    expect(space.learning_rate).toEqual({ kind: 'float', low: 1e-3, high: 1e-2, log: true });
    expect(space.n_freq_downsample).toEqual(defaults.n_freq_downsample);
  });

  it("'replace' searches only the given config and needs input_size", () => {
    const { space } = buildAutoSetup({
      model: 'nhits',
      h: 4,
      configMode: 'replace',
      config: { input_size: 8, max_steps: 20 },
    });
    expect(space).toEqual({
      input_size: { kind: 'fixed', value: 8 },
      max_steps: { kind: 'fixed', value: 20 },
    });
    expect(() =>
      buildAutoSetup({ model: 'nhits', h: 4, configMode: 'replace', config: { max_steps: 20 } }),
    ).toThrow(/configMode 'replace' needs config.input_size/);
  });

  it('h, loss and valid_loss come from the options; valid_loss defaults to loss', () => {
    const setup = buildAutoSetup({ model: 'mlp', h: 4, loss: 'mse' });
    expect(setup.fixed).toMatchObject({ h: 4, loss: 'mse', valid_loss: 'mse' });
    expect(buildAutoSetup({ model: 'mlp', h: 4, loss: 'mse', validLoss: 'mae' }).fixed.valid_loss).toBe(
      'mae',
    );
    expect(() => buildAutoSetup({ model: 'mlp', h: 4, config: { loss: 'mse' } })).toThrow(ConfigError);
    expect(() => buildAutoSetup({ model: 'mlp', h: 4, config: { h: 8 } })).toThrow(/config key 'h'/);
  });

  it('early stopping forces refit_with_val, as NeuralForecast', () => {
    expect(buildAutoSetup({ model: 'nhits', h: 4 }).refitWithVal).toBe(false);
    expect(buildAutoSetup({ model: 'nhits', h: 4, refitWithVal: true }).refitWithVal).toBe(true);
    const setup = buildAutoSetup({ model: 'nhits', h: 4, earlyStop: { patienceSteps: 2 } });
    expect(setup.refitWithVal).toBe(true);
    expect(setup.fixed.early_stop_patience_steps).toBe(2);
    expect(
      buildAutoSetup({ model: 'nhits', h: 4, config: { early_stop_patience_steps: 3 } }).refitWithVal,
    ).toBe(true);
    expect(() => buildAutoSetup({ model: 'nhits', h: 4, earlyStop: { patienceSteps: 0 } })).toThrow(
      /earlyStop.patienceSteps must be a positive integer/,
    );
  });

  it('early stopping runs in trials and in the refit (which keeps the validation part)', async () => {
    const auto = new AutoModel({
      model: 'nhits',
      h: 4,
      config: { ...SMALL_NHITS, max_steps: 40, learning_rate: 1e-12 },
      earlyStop: { patienceSteps: 1 },
      numSamples: 2,
      seed: 1,
    });
    await auto.fit({ df });
    expect(auto.refitWithVal).toBe(true);
    expect(auto.bestConfig.early_stop_patience_steps).toBe(1);
    const rows = await auto.results();
    // With a learning rate below float32 resolution the validation loss stops improving, so trials stop early.
    for (const r of rows) expect((r.user_attrs_valid_losses as unknown[]).length).toBeLessThan(8);
    auto.dispose();
  });

  it('injects exogenous lists only into models that take them; an unsupported kind names the model', () => {
    const setup = buildAutoSetup({ model: 'nhits', h: 4, histExogList: ['x1'], statExogList: ['s'] });
    expect(setup.fixed.hist_exog_list).toEqual(['x1']);
    expect(setup.fixed.stat_exog_list).toEqual(['s']);
    expect(setup.fixed).not.toHaveProperty('futr_exog_list');
    // Empty lists are not an error for any model and inject nothing.
    expect(buildAutoSetup({ model: 'nlinear', h: 4, futrExogList: [] }).fixed).not.toHaveProperty(
      'futr_exog_list',
    );
    expect(() => buildAutoSetup({ model: 'nlinear', h: 4, futrExogList: ['x1'] })).toThrow(
      "model 'nlinear' (NLinear) does not accept futrExogList; it accepts no exogenous variables",
    );
    expect(() => buildAutoSetup({ model: 'dlinear', h: 4, histExogList: ['x1'] })).toThrow(ConfigError);
  });

  it('trials fit with the injected exogenous columns', async () => {
    const withX = df.map((r) => ({ ...r, x1: Math.cos(Number(r.ds)) }));
    const auto = new AutoModel({
      model: 'nhits',
      h: 4,
      config: SMALL_NHITS,
      histExogList: ['x1'],
      numSamples: 2,
      seed: 2,
    });
    await auto.fit({ df: withX });
    expect(auto.bestConfig.hist_exog_list).toEqual(['x1']);
    expect(auto.model.models[0]!.exog.hist).toEqual(['x1']);
    auto.dispose();
  });

  it('writes trials into a given tune storage under the study name (how the runner plugs in PostgreSQL)', async () => {
    const storage = createMemoryStorage();
    const auto = new AutoModel({
      model: 'nlinear',
      h: 4,
      config: { input_size: 8, max_steps: 5, val_check_steps: 5 },
      numSamples: 2,
      storage,
      studyName: 'auto-nlinear',
    });
    await auto.fit({ df });
    const study = await storage.createStudy({
      name: 'auto-nlinear',
      direction: 'minimize',
      space: null,
      loadIfExists: true,
    });
    const stored = await storage.listTrials(study.id);
    expect(stored.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
    expect(Object.keys(stored[0]!.intermediateValues)).toEqual(['5']);
    auto.dispose();
  });
});
