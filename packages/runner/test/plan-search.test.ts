/** Sampler, pruner and scheduler options are checked when a sweep is planned, not inside the worker. */
import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '@nflab/contracts';
import { planSweep } from '@nflab/runner';

const base = {
  loto: 'loto6',
  unique_ids: ['N1', 'N2'],
  model: 'auto_nhits',
  config: { max_steps: 5, val_check_steps: 5 },
} as const;

describe('planSweep checks search options', () => {
  it('reports a bad sampler option as an invalid combination naming the field', async () => {
    const plan = await planSweep({
      ...base,
      backend: 'optuna',
      search_alg: 'tpe',
      search_alg_options: { n_startup_trials: -1 },
    });
    expect(plan.runs).toEqual([]);
    expect(plan.invalid).toHaveLength(1);
    expect(plan.invalid[0]?.reasons).toEqual([
      expect.stringMatching(/^search_alg_options\.n_startup_trials: .* \(options of search_alg "tpe"\)$/),
    ]);
  });

  it('reports unknown pruner and scheduler options with the allowed ones, per combination', async () => {
    const plan = await planSweep({
      ...base,
      mode: 'list',
      runs: [
        { backend: 'optuna', pruner: 'median', pruner_options: { n_startup: 2 } },
        { backend: 'ray', scheduler: 'asha', scheduler_options: { grace_period: 0 } },
        { backend: 'ray', scheduler: 'asha', scheduler_options: { grace_period: 2, max_t: 20 } },
      ],
    });
    expect(plan.count).toBe(1);
    expect(plan.invalid.map((i) => i.reasons)).toEqual([
      [expect.stringMatching(/^pruner_options: .*"n_startup".*; allowed: n_startup_trials, n_warmup_steps/)],
      [expect.stringMatching(/^scheduler_options\.grace_period: .* \(options of scheduler "asha"\)$/)],
    ]);
  });

  it('plans good options as they are written, so the worker receives them unchanged', async () => {
    const sweep = {
      ...base,
      backend: 'ray',
      search_alg: 'hyperopt',
      search_alg_options: { n_ei_candidates: 8 },
    };
    const plan = await planSweep(sweep);
    expect(plan.invalid).toEqual([]);
    expect(plan.runs[0]?.spec).toMatchObject({
      search_alg_options: { n_ei_candidates: 8 },
      scheduler: 'fifo',
    });
    expect(parseSweepSpec(sweep)).toBeTruthy();
  });
});
