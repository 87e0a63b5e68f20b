import { beforeAll, describe, expect, it } from 'vitest';
import { AutoModel } from '../src/auto/auto-model.js';
import { setBackend } from '../src/backend/backend.js';
import { SMALL_NHITS, sinePanel } from './auto-fixtures.js';

const df = sinePanel();

beforeAll(async () => {
  await setBackend('cpu');
});

describe('AutoModel on a pool of worker threads', () => {
  it('a 2-worker pool records every trial exactly once, with streamed losses, and prunes', async () => {
    const finished: number[] = [];
    const steps = new Map<number, number>();
    const auto = new AutoModel({
      model: 'nhits',
      h: 4,
      config: { ...SMALL_NHITS, learning_rate: { kind: 'categorical', choices: [3e-2, 1e-7] } },
      search: {
        backend: 'optuna',
        search_alg: 'random',
        pruner: 'median',
        pruner_options: { n_startup_trials: 1 },
      },
      numSamples: 6,
      cpus: 2,
      seed: 3,
      onTrialStep: (e) => steps.set(e.number, (steps.get(e.number) ?? 0) + 1),
      onTrialComplete: (t) => {
        finished.push(t.number);
      },
    });
    await auto.fit({ df });
    const rows = await auto.results();
    expect(rows.map((r) => r.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...finished].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...steps.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const r of rows) {
      expect(['COMPLETE', 'PRUNED']).toContain(r.state);
      expect((r.user_attrs_valid_losses as unknown[]).length).toBeGreaterThan(0);
      expect((r.user_attrs_train_losses as unknown[]).length).toBeGreaterThan(0);
    }
    expect(rows.some((r) => r.state === 'COMPLETE')).toBe(true);
    expect(await auto.predict()).toHaveLength(8);
    auto.dispose();
  });

  it('a trial that throws in a worker is FAIL with its message and stack; an abort stops the pool', async () => {
    const failing = new AutoModel({
      model: 'dlinear',
      h: 4,
      config: {
        moving_avg_window: { kind: 'categorical', choices: [3, 4] },
        max_steps: 10,
        val_check_steps: 5,
        input_size: 8,
      },
      search: { backend: 'optuna', search_alg: 'random' },
      numSamples: 4,
      cpus: 2,
      seed: 4,
    });
    await failing.fit({ df });
    const trials = await failing.lastStudy!.trials();
    expect(trials).toHaveLength(4);
    const failed = trials.filter((t) => t.state === 'FAIL');
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.error?.message).toMatch(/moving_avg_window must be odd/);
      expect(t.error?.stack).toMatch(/at /);
    }
    failing.dispose();

    const controller = new AbortController();
    const aborting = new AutoModel({
      model: 'nhits',
      h: 4,
      config: { ...SMALL_NHITS, max_steps: 500 },
      numSamples: 6,
      cpus: 2,
      signal: controller.signal,
      onTrialStep: (e) => {
        if (e.step === 5) controller.abort(new Error('user stop'));
      },
    });
    await expect(aborting.fit({ df })).rejects.toThrow('user stop');
    const states = (await aborting.lastStudy!.trials()).map((t) => t.state);
    expect(states.length).toBeLessThanOrEqual(2);
    expect(states.every((s) => s === 'FAIL')).toBe(true);
  });
});
