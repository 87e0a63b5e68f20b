import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { alignRuns, type RunPoint } from '../../src/runs/align.js';

const point = (uniqueId: string, ds: number, y: number | null, yhat: number, cutoff = 0): RunPoint => ({
  uniqueId,
  ds,
  cutoff,
  y,
  yhat,
});

describe('alignRuns', () => {
  it('keeps the points every run forecast with a known actual, ordered by series, cutoff, ds, and counts the rest', () => {
    const aligned = alignRuns([
      {
        runId: 'a',
        label: 'A',
        points: [point('N2', 1, 5, 4), point('N1', 2, 3, 1), point('N1', 1, 2, 2), point('N1', 3, null, 0)],
      },
      { runId: 'b', label: 'B', points: [point('N1', 1, 2, 3), point('N1', 2, 3, 3), point('N2', 9, 1, 1)] },
    ]);
    expect(aligned.keys).toEqual([
      { uniqueId: 'N1', ds: 1, cutoff: 0 },
      { uniqueId: 'N1', ds: 2, cutoff: 0 },
    ]);
    expect(aligned.y).toEqual([2, 3]);
    expect(aligned.errors).toEqual([
      [0, 2],
      [-1, 0],
    ]);
    expect(aligned.dropped).toEqual([
      { runId: 'a', notShared: 1, missingValues: 1 },
      { runId: 'b', notShared: 1, missingValues: 0 },
    ]);
  });

  it('orders cutoffs and steps numerically, not as text', () => {
    const points = [point('N1', 10, 1, 1, 10), point('N1', 9, 1, 1, 9)];
    const aligned = alignRuns([
      { runId: 'a', label: 'A', points },
      { runId: 'b', label: 'B', points },
    ]);
    expect(aligned.keys.map((k) => k.cutoff)).toEqual([9, 10]);
  });

  it('refuses one run, a run listed twice, two forecasts for a point, different actuals and nothing shared', () => {
    const a = { runId: 'a', label: 'A', points: [point('N1', 1, 2, 2)] };
    expect(() => alignRuns([a])).toThrow(/at least 2 runs, got 1/);
    expect(() => alignRuns([a, a])).toThrow(/listed twice/);
    expect(() =>
      alignRuns([
        { runId: 'a', label: 'A', points: [point('N1', 1, 2, 2), point('N1', 1, 2, 3)] },
        { ...a, runId: 'b' },
      ]),
    ).toThrow(/two forecasts for series 'N1'/);
    expect(() => alignRuns([a, { runId: 'b', label: 'B', points: [point('N1', 1, 7, 2)] }])).toThrow(
      /different actuals.*different data/,
    );
    expect(() => alignRuns([a, { runId: 'b', label: 'B', points: [point('N9', 1, 2, 2)] }])).toThrow(
      ConfigError,
    );
  });
});
