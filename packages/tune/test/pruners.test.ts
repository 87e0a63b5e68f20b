import type { Direction, FrozenTrial, Pruner } from '@nflab/tune';
import {
  PRUNER_ALIASES,
  PRUNERS,
  createHyperbandPruner,
  createMedianPruner,
  createMemoryStorage,
  createPatientPruner,
  createPercentilePruner,
  createPruner,
  createSuccessiveHalvingPruner,
  createThresholdPruner,
} from '@nflab/tune';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/pruners/hyperband.js';

/** A study in storage with finished learning curves, and a way to ask a pruner about a new curve. */
const setup = async (direction: Direction, completed: number[][]) => {
  const storage = createMemoryStorage();
  const study = await storage.createStudy({ name: 'p', direction });
  for (const curve of completed) {
    const t = await storage.createTrial(study.id, { state: 'RUNNING' });
    for (const [step, v] of curve.entries()) await storage.reportIntermediate(t.id, step, v);
    await storage.finishTrial(t.id, { state: 'COMPLETE', value: curve[curve.length - 1] ?? null });
  }
  /** Reports `curve` step by step and returns the first step at which the pruner says stop (or -1). */
  const firstPrune = async (pruner: Pruner, curve: number[]): Promise<number> => {
    const t = await storage.createTrial(study.id, { state: 'RUNNING' });
    for (const [step, v] of curve.entries()) {
      await storage.reportIntermediate(t.id, step, v);
      const trial = (await storage.getTrial(t.id)) as FrozenTrial;
      const stop = await pruner.prune({
        studyName: 'p',
        direction,
        trial,
        trials: () => storage.listTrials(study.id),
        setSystemAttr: (id, key, value) => storage.setTrialSystemAttr(id, key, value),
      });
      if (stop) {
        await storage.finishTrial(t.id, { state: 'PRUNED' });
        return step;
      }
    }
    await storage.finishTrial(t.id, { state: 'COMPLETE', value: curve[curve.length - 1] ?? null });
    return -1;
  };
  return { storage, study, firstPrune };
};

// Five decreasing loss curves; at step s their values are base − s with base 10, 11, 12, 13, 14.
const curves = [10, 11, 12, 13, 14].map((b) => [0, 1, 2, 3, 4].map((s) => b - s));

describe('pruner registry', () => {
  it('keys equal ids, aliases resolve, bad options are named', () => {
    for (const [key, entry] of Object.entries(PRUNERS)) expect(entry.id).toBe(key);
    expect(createPruner('nop').id).toBe('none');
    expect(createPruner('asha').id).toBe('successive_halving');
    expect(Object.keys(PRUNER_ALIASES)).toEqual(['nop', 'asha']);
    expect(() => createPruner('fifo')).toThrow(/unknown pruner "fifo"; allowed: none, median/);
    expect(() => createPruner('median', { n_warmup_steps: -1 })).toThrow(/n_warmup_steps/);
  });
});

describe('median and percentile', () => {
  it('median prunes a curve worse than the median at the same step (median at step s is 12 − s)', async () => {
    const { firstPrune } = await setup('minimize', curves);
    // 11.5 − s is better than 12 − s: never pruned. 12.5 − s is worse: pruned at step 0.
    expect(
      await firstPrune(
        createMedianPruner(),
        [0, 1, 2, 3, 4].map((s) => 11.5 - s),
      ),
    ).toBe(-1);
    expect(
      await firstPrune(
        createMedianPruner(),
        [0, 1, 2, 3, 4].map((s) => 12.5 - s),
      ),
    ).toBe(0);
  });

  it('uses the best value so far, respects warm-up, interval and startup', async () => {
    const fresh = async () => (await setup('minimize', curves)).firstPrune;
    // Good at step 0 (best so far 5 < median 12), bad afterwards but best-so-far 5 stays below the median: kept.
    expect(await (await fresh())(createMedianPruner(), [5, 20, 20, 20, 20])).toBe(-1);
    // Worse everywhere, but warm-up 2 delays the first check to step 2.
    expect(await (await fresh())(createMedianPruner({ nWarmupSteps: 2 }), [50, 50, 50, 50, 50])).toBe(2);
    // interval 3: checks only at steps 0 and 3. 13 at step 0 is worse than the median 12: pruned at 0;
    // 11 at step 0 passes, 50 at steps 1–2 is never checked, step 3 uses best-so-far 11 > median 9: pruned at 3.
    expect(await (await fresh())(createMedianPruner({ intervalSteps: 3 }), [13, 50, 50, 50, 50])).toBe(0);
    expect(await (await fresh())(createMedianPruner({ intervalSteps: 3 }), [11, 50, 50, 50, 50])).toBe(3);
    // Only 5 completed: n_startup_trials 6 disables pruning.
    expect(await (await fresh())(createMedianPruner({ nStartupTrials: 6 }), [50, 50, 50, 50, 50])).toBe(-1);
  });

  it('percentile 25 keeps only the top quarter; maximize flips it', async () => {
    const { firstPrune } = await setup('minimize', curves);
    // 25th percentile at step 0 of [10..14] is 11 (numpy linear): 11.5 is pruned, 10.5 is not.
    expect(await firstPrune(createPercentilePruner({ percentile: 25 }), [11.5, 10.5, 9.5])).toBe(0);
    expect(await firstPrune(createPercentilePruner({ percentile: 25 }), [10.5, 9.5, 8.5])).toBe(-1);
    const max = await setup('maximize', curves);
    // Maximize: top 25% means above the 75th percentile 13 at step 0.
    expect(await max.firstPrune(createPercentilePruner({ percentile: 25 }), [12.5, 12, 11])).toBe(0);
    expect(await max.firstPrune(createPercentilePruner({ percentile: 25 }), [13.5, 13, 12])).toBe(-1);
  });
});

describe('threshold and patient', () => {
  it('threshold prunes outside [lower, upper] and on NaN', async () => {
    const { firstPrune } = await setup('minimize', []);
    expect(await firstPrune(createThresholdPruner({ upper: 5 }), [1, 4, 6, 1])).toBe(2);
    expect(await firstPrune(createThresholdPruner({ lower: 0 }), [1, -1])).toBe(1);
    expect(await firstPrune(createThresholdPruner({ upper: 5 }), [1, NaN])).toBe(1);
    expect(await firstPrune(createThresholdPruner({ upper: 5, nWarmupSteps: 3 }), [9, 9, 9, 9])).toBe(3);
    expect(() => createThresholdPruner({})).toThrow(/lower, upper/);
  });

  it('patient prunes after `patience` steps without improvement beyond min_delta', async () => {
    const { firstPrune } = await setup('minimize', []);
    // Best 3 at step 1; steps 2,3 do not improve: with patience 2 the window [1,2,3] contains 3 → not yet;
    // at step 4 the window [2,3,4] = [4,4,4] has min 4 > 3 → prune.
    expect(await firstPrune(createPatientPruner({ patience: 2 }), [5, 3, 4, 4, 4, 4])).toBe(4);
    expect(await firstPrune(createPatientPruner({ patience: 2 }), [5, 4, 3, 2, 1, 0])).toBe(-1);
    // min_delta is Optuna's tolerance: getting worse by less than it does not count as stalling.
    expect(await firstPrune(createPatientPruner({ patience: 1 }), [5, 5.5, 5.8, 6.5])).toBe(2);
    expect(await firstPrune(createPatientPruner({ patience: 1, minDelta: 1 }), [5, 5.5, 5.8, 6.5])).toBe(-1);
    // Wrapped: defers to a threshold that never fires.
    expect(
      await firstPrune(
        createPatientPruner({ patience: 1, wrapped: createThresholdPruner({ upper: 100 }) }),
        [5, 6, 7, 8],
      ),
    ).toBe(-1);
  });
});

describe('successive halving and hyperband', () => {
  it('SH (min_resource 1, η 2): rungs at steps 1, 2, 4; keeps the better half at each rung', async () => {
    const { firstPrune, storage, study } = await setup('minimize', []);
    const sh = () => createSuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    // First trial is alone at every rung: promoted.
    expect(await firstPrune(sh(), [9, 8, 7, 6, 5])).toBe(-1);
    // Second trial: worse than the first at rung 0 (step 1): 2 competitors, idx = 2/2−1 = 0 → must be best. Pruned at step 1.
    expect(await firstPrune(sh(), [9, 9, 9, 9, 9])).toBe(1);
    // Third: better at rung 0 (step 1: 7 < 8), and at rung 1 (step 2: 6.5 < 7); rung 2 (step 4): 6 > 5 → 2 values, must be best → pruned at 4.
    expect(await firstPrune(sh(), [9, 7, 6.5, 6.2, 6])).toBe(4);
    const trials = await storage.listTrials(study.id);
    expect(trials[2]?.systemAttrs).toMatchObject({
      completed_rung_0: 7,
      completed_rung_1: 6.5,
      completed_rung_2: 6,
    });
  });

  it('SH min_resource auto waits for a completed trial, then uses max(last_step/100, 1)', async () => {
    const none = await setup('minimize', []);
    // No completed trial yet: min_resource unknown, nothing is pruned or recorded.
    expect(await none.firstPrune(createSuccessiveHalvingPruner({ reductionFactor: 2 }), [9, 9, 9])).toBe(-1);
    const { firstPrune } = await setup('minimize', [[1, 1, 1]]);
    const sh = createSuccessiveHalvingPruner({ reductionFactor: 2 });
    // last step 2 → min_resource max(2 // 100, 1) = 1: rung 0 at step 1. First trial records 5 and survives;
    // the second is worse at rung 0 among 2 values and is pruned there.
    expect(await firstPrune(sh, [5, 5, 5])).toBe(-1);
    expect(await firstPrune(sh, [6, 6, 6])).toBe(1);
  });

  it("crc32 is zlib's (the hash Optuna assigns brackets with)", () => {
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
    expect(crc32('')).toBe(0);
  });

  it('hyperband assigns brackets by hash and prunes within a bracket', async () => {
    const hb = createHyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const { firstPrune, storage, study } = await setup('minimize', []);
    // log_3(9) + 1 = 3 brackets with budgets ceil(3·9/3)=9, ceil(3·3/2)=5, ceil(3·1/1)=3.
    const results: number[] = [];
    for (let i = 0; i < 12; i++)
      results.push(
        await firstPrune(hb, [
          10 + i,
          10 + i,
          10 + i,
          10 + i,
          10 + i,
          10 + i,
          10 + i,
          10 + i,
          10 + i,
          10 + i,
        ]),
      );
    // Every trial is worse than all earlier ones, so any trial sharing a bracket with an earlier one and reaching a rung is pruned.
    expect(results.some((r) => r >= 0)).toBe(true);
    expect(results[0]).toBe(-1);
    const trials = await storage.listTrials(study.id);
    expect(trials.filter((t) => t.state === 'PRUNED').length).toBe(results.filter((r) => r >= 0).length);
  });
});
