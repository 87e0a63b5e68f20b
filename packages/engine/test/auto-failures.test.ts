import { beforeAll, describe, expect, it } from 'vitest';
import { AutoModel } from '../src/auto/auto-model.js';
import { setBackend } from '../src/backend/backend.js';
import { SMALL_NHITS, sinePanel } from './auto-fixtures.js';

const df = sinePanel();

beforeAll(async () => {
  await setBackend('cpu');
});

describe('AutoModel failures, cancellation and concurrent trials', () => {
  it('a throwing trial is FAIL with its message and stack, and the study goes on', async () => {
    const auto = new AutoModel({
      model: 'dlinear',
      h: 4,
      // An even moving-average window is rejected by DLinear's schema inside the trial.
      config: {
        moving_avg_window: { kind: 'categorical', choices: [3, 4] },
        max_steps: 10,
        val_check_steps: 5,
        input_size: 8,
      },
      search: { backend: 'optuna', search_alg: 'random' },
      numSamples: 6,
      seed: 4,
    });
    await auto.fit({ df });
    const trials = await auto.lastStudy!.trials();
    expect(trials).toHaveLength(6);
    const failed = trials.filter((t) => t.state === 'FAIL');
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    expect(failed.length).toBeGreaterThan(0);
    expect(complete.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.params.moving_avg_window).toBe(4);
      expect(t.error?.message).toMatch(/moving_avg_window must be odd/);
      expect(t.error?.stack).toMatch(/at /);
    }
    for (const t of complete) expect(t.params.moving_avg_window).toBe(3);
    expect(auto.bestConfig.moving_avg_window).toBe(3);
    const rows = await auto.results();
    expect(rows.filter((r) => r.state === 'FAIL').every((r) => typeof r.error === 'string')).toBe(true);
    auto.dispose();
  });

  it('an abort mid-trial stops the search promptly and records every trial as finished', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    let lastStep = 0;
    const auto = new AutoModel({
      model: 'nhits',
      h: 4,
      config: { ...SMALL_NHITS, max_steps: 200 },
      numSamples: 8,
      signal: controller.signal,
      onTrialStart: (t) => started.push(t.number),
      onTrialStep: (e) => {
        if (e.number === 1) lastStep = e.step;
        if (e.number === 1 && e.step === 7) controller.abort(new Error('user stop'));
      },
    });
    await expect(auto.fit({ df })).rejects.toThrow('user stop');
    const trials = await auto.lastStudy!.trials();
    expect(started).toEqual([0, 1]);
    // The trial's training saw the abort before its next step instead of running its 200 steps.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lastStep).toBeLessThan(10);
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL']);
    expect(trials[1]!.error).toMatchObject({ message: 'cancelled: user stop', cancelled: true });
    expect(() => auto.bestConfig).toThrow(/call fit first/);
  });

  it('two concurrent in-thread trials (cpus: 2) record every trial exactly once', async () => {
    const finished: number[] = [];
    const auto = new AutoModel({
      model: 'nhits',
      h: 4,
      config: SMALL_NHITS,
      numSamples: 6,
      cpus: 2,
      parallelism: 'in-thread',
      seed: 9,
      onTrialComplete: (t) => {
        finished.push(t.number);
      },
    });
    await auto.fit({ df });
    const rows = await auto.results();
    expect(rows.map((r) => r.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...finished].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.every((r) => r.state === 'COMPLETE')).toBe(true);
    auto.dispose();
  });
});
