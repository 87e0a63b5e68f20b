import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../../src/comparison/p-adjust.js';
import { leaderboard, type LeaderboardRun } from '../../src/runs/leaderboard.js';

/** A finished run's stored metrics: its MAE, two baselines' and the DM test against each. */
const finished = (runId: string, mae: number, dm: { statistic: number; pValue: number }): LeaderboardRun => ({
  runId,
  label: runId.toUpperCase(),
  status: 'finished',
  metrics: {
    metric: 'mae',
    cv: {
      points: 21,
      overall: { mae, mse: mae * mae },
      baselines: { historic_average: { mae: 6.3 }, naive: { mae: 8.1 } },
      significance: { historic_average: dm, naive: { statistic: -9, pValue: 1e-9 } },
    },
  },
});

describe('leaderboard', () => {
  it('ranks runs and baselines together and corrects each run against its best baseline for every configuration tried', () => {
    const board = leaderboard([
      finished('a', 6.2, { statistic: -2.5, pValue: 0.02 }),
      finished('b', 6.0, { statistic: -3.1, pValue: 0.004 }),
      finished('c', 6.5, { statistic: 1.2, pValue: 0.24 }),
      { runId: 'd', label: 'D', status: 'failed', metrics: {} },
    ]);
    expect(board.rows.map((row) => (row.kind === 'run' ? row.runId : row.baseline))).toEqual([
      'b',
      'a',
      'historic_average',
      'c',
      'naive',
    ]);
    expect(board.rows.map((row) => row.rank)).toEqual([1, 2, 3, 4, 5]);
    // One-sided p of "lower loss than historic_average" (the best baseline), then Holm over 4 configurations.
    const oneSided = [0.004 / 2, 0.02 / 2, 1 - 0.24 / 2, 1];
    const holm = adjustPValues(oneSided, 'holm');
    const runs = board.rows.filter((row) => row.kind === 'run');
    expect(runs.map((row) => row.pValue)).toEqual([0.002, 0.01, 0.88]);
    expect(runs.map((row) => row.adjustedPValue)).toEqual(holm.slice(0, 3));
    expect(runs.map((row) => row.bestBaseline)).toEqual([
      'historic_average',
      'historic_average',
      'historic_average',
    ]);
    expect(runs.map((row) => row.beatsChance)).toEqual([true, true, false]);
    expect(board).toMatchObject({
      configurations: 4,
      ranked: 3,
      unranked: [{ runId: 'd', reason: 'run failed' }],
    });
    expect(board.verdict.text).toBe(
      'beats chance after correcting for 4 configurations: yes — 2 runs beat the best naive baseline at holm-adjusted p < 0.05',
    );
  });

  it('says no when the correction removes the evidence, as it should for 48 lottery configurations', () => {
    const runs = Array.from({ length: 48 }, (_, i) =>
      finished(`r${i}`, 6.25 + i / 1000, { statistic: -1.9, pValue: i === 0 ? 0.03 : 0.5 }),
    );
    const board = leaderboard(runs, { correction: 'bonferroni' });
    expect(board.rows[0]).toMatchObject({
      runId: 'r0',
      pValue: 0.015,
      adjustedPValue: 0.72,
      beatsChance: false,
    });
    expect(board.verdict).toEqual({
      beatsChance: false,
      text: 'beats chance after correcting for 48 configurations: no — no run beats the best naive baseline at bonferroni-adjusted p < 0.05',
    });
  });

  it('ranks by another metric, leaves runs without an evaluation unranked with the reason, and refuses bad options', () => {
    const noEval: LeaderboardRun = { runId: 'e', label: 'E', status: 'finished', metrics: { metric: 'mae' } };
    const board = leaderboard([finished('a', 2, { statistic: -1, pValue: 0.5 }), noEval], { metric: 'mse' });
    expect(board.rows[0]).toMatchObject({ runId: 'a', value: 4 });
    expect(board.unranked).toEqual([
      { runId: 'e', label: 'E', reason: 'no mse on a test part or cross-validation with known actuals' },
    ]);
    expect(() => leaderboard([], {})).toThrow(/at least one run/);
    expect(() => leaderboard([noEval], { metric: 'r2' as never })).toThrow(/metric must be one of/);
    expect(leaderboard([noEval]).verdict.text).toBe(
      'no run of the 1 configuration has an evaluation to rank',
    );
  });
});
