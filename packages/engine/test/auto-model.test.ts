import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { AutoModel } from '../src/auto/auto-model.js';
import { setBackend } from '../src/backend/backend.js';
import { SMALL_NHITS, sinePanel } from './auto-fixtures.js';

const df = sinePanel();

beforeAll(async () => {
  await setBackend('cpu');
});
// One learning rate that learns in 20 steps and one that cannot, so the pruners have clear losers.
const PRUNABLE = { ...SMALL_NHITS, learning_rate: { kind: 'categorical', choices: [3e-2, 1e-7] } };

describe('AutoModel search', () => {
  it('optuna + tpe + median pruner: records every trial with its validation losses, prunes losers, refits the best', async () => {
    const steps: number[] = [];
    const auto = new AutoModel({
      model: 'nhits',
      h: 4,
      config: PRUNABLE,
      search: {
        backend: 'optuna',
        search_alg: 'tpe',
        pruner: 'median',
        pruner_options: { n_startup_trials: 1 },
      },
      numSamples: 8,
      seed: 3,
      onTrialStep: (e) => {
        if (e.kind === 'valid') steps.push(e.step);
      },
    });
    await auto.fit({ df });
    const rows = await auto.results();
    expect(rows.map((r) => r.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const states = rows.map((r) => r.state);
    expect(states).toContain('PRUNED');
    expect(states).toContain('COMPLETE');
    for (const r of rows) {
      expect(r).toHaveProperty('params_learning_rate');
      expect(r).toHaveProperty('params_input_size');
      expect(typeof r.datetime_start).toBe('string');
      expect(typeof r.duration).toBe('number');
      const valid = r.user_attrs_valid_losses as [number, number][];
      expect(valid.length).toBeGreaterThan(0);
      expect(valid.map(([s]) => s)).toEqual([5, 10, 15, 20].slice(0, valid.length));
    }
    // Pruned trials stopped before the last step; complete ones reported all four checks.
    for (const r of rows.filter((x) => x.state === 'PRUNED'))
      expect((r.user_attrs_valid_losses as unknown[]).length).toBeLessThan(4);
    for (const r of rows.filter((x) => x.state === 'COMPLETE'))
      expect((r.user_attrs_valid_losses as unknown[]).length).toBe(4);
    const trials = await auto.lastStudy!.trials();
    for (const t of trials) expect(Object.keys(t.intermediateValues).length).toBeGreaterThan(0);
    const bestValue = Math.min(...rows.filter((r) => r.state === 'COMPLETE').map((r) => r.value as number));
    const best = rows.find((r) => r.value === bestValue && r.state === 'COMPLETE')!;
    expect(auto.bestConfig.learning_rate).toBe(best.params_learning_rate);
    expect(auto.bestConfig.learning_rate).toBe(3e-2);
    expect(auto.bestConfig.h).toBe(4);
    expect(auto.bestConfig.valid_loss).toBe('mae');
    const forecast = await auto.predict();
    expect(forecast).toHaveLength(8);
    expect(forecast.every((r) => Number.isFinite(r.NHITS))).toBe(true);
    auto.dispose();
  });

  it('ray + asha: both backends report, so the scheduler stops trials too', async () => {
    const auto = new AutoModel({
      model: 'nhits',
      h: 4,
      config: PRUNABLE,
      search: {
        backend: 'ray',
        search_alg: 'basic_variant',
        scheduler: 'asha',
        scheduler_options: { grace_period: 5, reduction_factor: 2 },
      },
      numSamples: 6,
      seed: 5,
    });
    await auto.fit({ df });
    const rows = await auto.results();
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.state)).toContain('PRUNED');
    expect(auto.bestConfig.learning_rate).toBe(3e-2);
    expect(await auto.predict()).toHaveLength(8);
    auto.dispose();
  });

  it('an incompatible (backend, searchAlg) or (backend, pruner) is a ConfigError naming the allowed values', () => {
    expect(
      () => new AutoModel({ model: 'nhits', h: 4, search: { backend: 'optuna', search_alg: 'hyperopt' } }),
    ).toThrow(/search_alg "hyperopt" is not available with backend "optuna"; allowed: tpe, random/);
    expect(
      () => new AutoModel({ model: 'nhits', h: 4, search: { backend: 'ray', search_alg: 'tpe' } }),
    ).toThrow(ConfigError);
    expect(
      () => new AutoModel({ model: 'nhits', h: 4, search: { backend: 'optuna', scheduler: 'asha' } }),
    ).toThrow(/takes a pruner, not a scheduler/);
    expect(() => new AutoModel({ model: 'nhits', h: 4, gpus: 1 })).toThrow(/gpus must be 0/);
  });
});
