import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../../src/comparison/p-adjust.js';
import { friedmanTest } from '../../src/comparison/friedman.js';
import { pairedTTest } from '../../src/comparison/paired-t-test.js';
import { dieboldMariano } from '../../src/diebold-mariano.js';
import type { RunPoints } from '../../src/runs/align.js';
import { MAX_COMPARED_RUNS, compareRuns } from '../../src/runs/compare-runs.js';

const Y = [3, 5, 2, 8, 6, 1, 4, 7]; // N1 then N2, one window of 4 each
const keyOf = (i: number) => ({ uniqueId: i < 4 ? 'N1' : 'N2', ds: i % 4, cutoff: 'c' });

/** A run whose errors y − ŷ are `errors`. */
const run = (runId: string, errors: readonly number[], series = 2): RunPoints => ({
  runId,
  label: runId.toUpperCase(),
  points: errors
    .slice(0, series * 4)
    .map((e, i) => ({ ...keyOf(i), y: Y[i] as number, yhat: (Y[i] as number) - e })),
});

const A = [0.5, -1, 0.2, 1.5, -0.3, 0.8, -0.6, 0.1];
const B = [1.2, -2, 0.9, 2.5, -1.1, 1.6, -1.4, 0.7];
const C = [2, -0.4, 1.8, -3, 2.2, -0.5, 2.4, -1.9];
const abs = (xs: readonly number[]) => xs.map(Math.abs);

describe('compareRuns: two runs', () => {
  const result = compareRuns([run('a', A), run('b', B)], { resamples: 500, seed: 3 });

  it('runs DM (h = the window length), paired t and Wilcoxon on the per-point absolute losses', () => {
    expect(result).toMatchObject({ points: 8, series: 2, h: 4, best: 'a', many: null });
    const [pair] = result.pairs;
    // The aligned errors are y − (y − e): equal to e up to rounding.
    const dm = dieboldMariano(A, B, { h: 4, loss: 'absolute' });
    expect(pair?.dieboldMariano?.statistic).toBeCloseTo(dm?.statistic as number, 9);
    expect(pair?.dieboldMariano?.pValue).toBeCloseTo(dm?.pValue as number, 9);
    expect(pair?.tTest.statistic).toBeCloseTo(pairedTTest(abs(A), abs(B)).statistic as number, 9);
    // One pair: the correction leaves its p-values as they are.
    expect(pair?.adjusted.tTest).toBeCloseTo(pair?.tTest.pValue as number, 12);
    expect(pair?.difference.estimate).toBeCloseTo(
      (abs(A).reduce((s, v) => s + v) - abs(B).reduce((s, v) => s + v)) / 8,
      12,
    );
    expect(pair?.difference.lower).toBeLessThan(pair?.difference.estimate as number);
    expect(pair?.effectSizes.cohensDz.value).toBeLessThan(0); // a's losses are lower
  });

  it('is deterministic for a seed', () => {
    expect(compareRuns([run('a', A), run('b', B)], { resamples: 500, seed: 3 })).toEqual(result);
  });

  it('squared loss switches every test to e²', () => {
    const squared = compareRuns([run('a', A), run('b', B)], { loss: 'squared', resamples: 100 });
    expect(squared.runs[0]?.meanLoss).toBeCloseTo(A.reduce((s, e) => s + e * e, 0) / 8, 12);
    expect(squared.pairs[0]?.dieboldMariano?.statistic).toBeCloseTo(
      dieboldMariano(A, B, { h: 4, loss: 'squared' })?.statistic as number,
      9,
    );
  });
});

describe('compareRuns: k runs', () => {
  const result = compareRuns([run('b', B), run('a', A), run('c', C)], { resamples: 200 });

  it('ranks runs over the points (Friedman) and draws the critical-difference data with their labels', () => {
    const matrix = Y.map((_, i) => [B, A, C].map((errors) => Math.abs(errors[i] as number)));
    const friedman = friedmanTest(matrix);
    expect(result.many?.friedman).toEqual(friedman);
    expect(result.runs.map((r) => r.meanRank)).toEqual(friedman.meanRanks);
    expect(result.many?.criticalDifference.models[0]?.label).toBe('A');
    expect(result.many?.anova).toHaveProperty('test', 'one-way-anova');
  });

  it('tests every other run against the best, correcting over those k − 1 pairs', () => {
    expect(result.best).toBe('a');
    expect(result.pairs.map((p) => [p.a, p.b])).toEqual([
      ['b', 'a'],
      ['c', 'a'],
    ]);
    const raw = result.pairs.map((p) => p.tTest.pValue as number);
    expect(result.pairs.map((p) => p.adjusted.tTest)).toEqual(adjustPValues(raw, 'holm'));
  });

  it('says why the per-series tests are missing when the runs share one series', () => {
    const single = compareRuns([run('a', A, 1), run('b', B, 1), run('c', C, 1)], { resamples: 50 });
    expect(single.many?.anova).toEqual({
      reason: 'the runs share 1 series; per-series tests need at least 2',
    });
  });
});

describe('compareRuns: bad selections', () => {
  it('names the limits', () => {
    const many = Array.from({ length: MAX_COMPARED_RUNS + 1 }, (_, i) => run(`r${i}`, A));
    expect(() => compareRuns(many)).toThrow(/at most 200 runs, got 201/);
    const one = (id: string): RunPoints => ({
      runId: id,
      label: id,
      points: [{ uniqueId: 'N1', ds: 0, cutoff: 'c', y: 1, yhat: 0 }],
    });
    expect(() => compareRuns([one('a'), one('b')])).toThrow(/share 1 forecast point.*at least 2/);
    expect(() => compareRuns([run('a', A), run('b', B)], { alpha: 1 })).toThrow(/alpha must be in \(0, 1\)/);
  });
});
