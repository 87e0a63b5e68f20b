/**
 * The A/B power analysis against R's power.t.test(type = "paired") and the champion/challenger
 * comparison on a small fixture: the same recent points, the paired tests, the verdict.
 */
import { describe, expect, it } from 'vitest';
import { championChallenger, pairedPower, type RunPoints } from '../../src/index.js';

describe('pairedPower', () => {
  it('matches power.t.test within a point and reports the power at hand', () => {
    // R: power.t.test(delta = 0.5, sd = 1, power = 0.8, type = "paired") -> n = 33.37
    expect(pairedPower({ sdDifference: 1, maeDifference: 0.5 }).pointsNeeded).toBe(34);
    // R: power.t.test(delta = 0.2, sd = 1, power = 0.9, sig.level = 0.01, type = "paired") -> n = 375.4
    expect(
      pairedPower({ sdDifference: 1, maeDifference: 0.2, power: 0.9, alpha: 0.01 }).pointsNeeded,
    ).toBeGreaterThanOrEqual(375);
    // R: power.t.test(n = 34, delta = 0.5, sd = 1, type = "paired")$power = 0.8078
    expect(pairedPower({ sdDifference: 1, maeDifference: 0.5, points: 34 }).achievedPower).toBeCloseTo(
      0.81,
      1,
    );
    expect(pairedPower({ sdDifference: 0, maeDifference: 0.5, points: 10 })).toMatchObject({
      pointsNeeded: null,
      achievedPower: null,
    });
  });

  it('refuses settings outside their range, naming them', () => {
    expect(() => pairedPower({ sdDifference: 1, maeDifference: 1, power: 1 })).toThrow(
      /power must be in \(0, 1\)/,
    );
    expect(() => pairedPower({ sdDifference: -1, maeDifference: 1 })).toThrow(/sdDifference/);
  });
});

describe('championChallenger', () => {
  const points = (runId: string, offset: (i: number) => number): RunPoints => ({
    runId,
    label: runId,
    points: Array.from({ length: 40 }, (_, i) => ({
      uniqueId: 'N1',
      ds: `2020-01-${String((i % 28) + 1).padStart(2, '0')}T${String(Math.floor(i / 28)).padStart(2, '0')}`,
      cutoff: i,
      y: 10,
      yhat: 10 + offset(i),
    })),
  });

  it('compares the most recent shared points with the paired tests and the power analysis', () => {
    const result = championChallenger(
      points('champion', (i) => (i % 2 === 0 ? 1 : -1)),
      points('challenger', (i) => (i % 3 === 0 ? 3 : -2)),
      { recent: 30, resamples: 200 },
    );
    expect(result.points).toBe(30);
    expect(result.championMae).toBe(1);
    expect(result.challengerMae).toBeGreaterThan(2);
    expect(result.comparison.pairs[0]?.dieboldMariano?.better).toBe('model');
    expect(result.power.pointsNeeded).toBeGreaterThanOrEqual(2);
    expect(result.verdict).toContain('the champion has the lower MAE');
    expect(result.verdict).toContain('the champion is better');
  });

  it('needs a few shared points and a sensible window', () => {
    expect(() =>
      championChallenger(
        points('a', () => 1),
        points('b', () => 2),
        { recent: 2 },
      ),
    ).toThrow(/recent must be an integer ≥ 3/);
  });
});
