import { ConfigError, GAMES, Rng } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  binnedDrift,
  columnDrift,
  columnDriftPValue,
  errorDrift,
  inferColumnKind,
  ksTwoSample,
  numberFrequencyUniformity,
  uniformityDesignOf,
  wassersteinDistance,
} from '@nflab/analysis';
import { expectRelative, fixture } from '../exogenous/helpers.js';

// References: hand arithmetic in the comments, checked with scipy 1.17.1.

describe('numberFrequencyUniformity', () => {
  it('a hand-counted 2-of-5 game: X², the without-replacement correction, dof and p', () => {
    // counts 1:4, 2:2, 3:2, 4:1, 5:1; E = 5·2/5 = 2; X² = 4/2 + 0 + 0 + 1/2 + 1/2 = 3 (scipy chisquare: 3,
    // p 0.5578). Corrected X²·(N−1)/(N−k) = 3·4/3 = 4; χ²(4) tail at 4 = e⁻²·(1 + 2) = 0.40601.
    const result = numberFrequencyUniformity(
      [
        [1, 2],
        [1, 3],
        [1, 4],
        [2, 3],
        [1, 5],
      ],
      { poolSize: 5, k: 2 },
    );
    expect(result).toMatchObject({ counts: [4, 2, 2, 1, 1], expected: 2, statistic: 3, dof: 4, draws: 5 });
    expectRelative(result.correctedStatistic, 4, 1e-12);
    expectRelative(result.pValue, 3 * Math.exp(-2), 1e-10);
    expect(result.lowExpected).toBe(true);
  });

  it('digits with replacement are a plain multinomial; columns lose one dof per column', () => {
    // numbers3: counts 0:2, 1:1, 9:3; E = 2·3/10 = 0.6; X² = (4 + 1 + 9)/0.6 − 6 = 17⅓; χ²(9) p = 0.0437448.
    const digits = numberFrequencyUniformity(
      [
        [0, 0, 1],
        [9, 9, 9],
      ],
      uniformityDesignOf(GAMES.numbers3),
    );
    expect(digits).toMatchObject({ sampling: 'with-replacement', dof: 9, min: 0 });
    expectRelative(digits.correctedStatistic, 17 + 1 / 3, 1e-12);
    expectRelative(digits.pValue, 0.043744807301960835, 1e-9);
    const bingo = uniformityDesignOf(GAMES.bingo5);
    expect(bingo).toEqual({ poolSize: 40, k: 8, min: 1, sampling: 'columns' });
    const columns = numberFrequencyUniformity([[1, 6, 11, 16, 21, 26, 31, 36]], bingo);
    expect(columns.dof).toBe(32);
    expect(uniformityDesignOf(GAMES.loto6)).toEqual({
      poolSize: 43,
      k: 6,
      min: 1,
      sampling: 'without-replacement',
    });
  });

  const loto6 = uniformityDesignOf(GAMES.loto6);
  const fairDraws = (rng: Rng, n: number): number[][] =>
    Array.from({ length: n }, () => rng.choice(43, 6).map((i) => i + 1));

  it('fair loto6 draws from the seeded Rng: p is not small, and the corrected X² has mean N − 1', () => {
    expect(numberFrequencyUniformity(fairDraws(new Rng('fair-loto6'), 2000), loto6).pValue).toBeGreaterThan(
      0.01,
    );
    // 300 histories of 100 draws: E[X²] = N − k = 37 uncorrected, so corrected ≈ 42 = dof (sd of the mean ≈ 0.53).
    const rng = new Rng('calibration');
    const results = Array.from({ length: 300 }, () => numberFrequencyUniformity(fairDraws(rng, 100), loto6));
    const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean(results.map((r) => r.correctedStatistic)) - 42)).toBeLessThan(2);
    expect(Math.abs(mean(results.map((r) => r.statistic)) - 37)).toBeLessThan(2);
    const rejected = results.filter((r) => r.pValue < 0.05).length / results.length;
    expect(rejected).toBeGreaterThan(0.01);
    expect(rejected).toBeLessThan(0.1);
  });

  it('a biased generator (1, 2, 3 half again as likely) gives p < 1e-6', () => {
    const rng = new Rng('biased-loto6');
    const weights = Array.from({ length: 43 }, (_, i): number => (i < 3 ? 1.5 : 1));
    const draws = Array.from({ length: 3000 }, () => {
      const w = [...weights];
      return Array.from({ length: 6 }, () => {
        const i = rng.weighted(w);
        w[i] = 0;
        return i + 1;
      });
    });
    expect(numberFrequencyUniformity(draws, loto6).pValue).toBeLessThan(1e-6);
  });

  it('rejects impossible draws and designs, naming the draw or field', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => numberFrequencyUniformity([[1, 2, 3, 4, 5]], loto6), /draws\[0\] has 5 numbers, expected k = 6/],
      [
        () => numberFrequencyUniformity([[1, 2, 3, 4, 5, 44]], loto6),
        /draws\[0\]\[5\] must be an integer in 1\.\.43/,
      ],
      [() => numberFrequencyUniformity([[1, 2, 3, 4, 5, 5]], loto6), /draws\[0\] repeats a number/],
      [() => numberFrequencyUniformity([], loto6), /draws must hold at least 1 draw/],
      [() => numberFrequencyUniformity([[1]], { poolSize: 0, k: 1 }), /poolSize must be an integer >= 1/],
      [() => numberFrequencyUniformity([[1]], { poolSize: 3, k: 3 }), /k must be below poolSize/],
      [
        () => numberFrequencyUniformity([[6, 1, 11, 16, 21, 26, 31, 36]], uniformityDesignOf(GAMES.bingo5)),
        /draws\[0\]\[0\] must be an integer in 1\.\.5 \(column 1\)/,
      ],
    ];
    for (const [call, message] of cases) {
      expect(call, String(message)).toThrow(ConfigError);
      expect(call).toThrow(message);
    }
  });
});

describe('columnDrift', () => {
  it('continuous: KS, PSI/KL/JS over reference deciles and Wasserstein, as the single statistics give them', () => {
    const { reference, current, statistic, pvalue } = fixture.ks_2samp;
    const drift = columnDrift(reference, current, 'continuous');
    if (drift.kind !== 'continuous') throw new Error('expected a continuous result');
    expectRelative(drift.ks.statistic, statistic);
    expectRelative(drift.ks.pValue, pvalue);
    expect(columnDriftPValue(drift)).toBe(drift.ks.pValue);
    const binned = binnedDrift(reference, current);
    expect(drift).toMatchObject({
      nReference: 500,
      nCurrent: 400,
      psi: binned.psi,
      klCurrentVsReference: binned.klCurrentVsReference,
      jensenShannonDistance: binned.jensenShannonDistance,
      wasserstein: wassersteinDistance(reference, current),
    });
    expect(ksTwoSample(reference, current).pValue).toBe(drift.ks.pValue);
  });

  it('discrete: chi-square on window × value counts, PSI and JS over the values (scipy 1.17.1)', () => {
    // counts ref [2, 2, 0], cur [1, 3, 2]: chi2_contingency X² = 2.2222, dof 2, p = e^(−1.1111) = 0.329193.
    const drift = columnDrift([1, 1, 2, 2], [1, 2, 2, 2, 3, 3], 'discrete');
    if (drift.kind !== 'discrete') throw new Error('expected a discrete result');
    expect(drift).toMatchObject({
      categories: [1, 2, 3],
      referenceCounts: [2, 2, 0],
      currentCounts: [1, 3, 2],
    });
    expectRelative(drift.chiSquare.statistic, 20 / 9, 1e-12);
    expectRelative(drift.chiSquare.pValue, 0.3291929878079054, 1e-10);
    expect(drift.chiSquare.dof).toBe(2);
    // PSI = (1/6 − 1/2)·ln(1/3) + (1/3 − 1e−6)·ln((1/3)/1e−6); JS distance (base 2) = 0.479139.
    expectRelative(drift.psi, 4.605157469089822, 1e-10);
    expectRelative(drift.jensenShannonDistance, 0.4791387674918639, 1e-10);
    const same = columnDrift([1, 2, 3], [3, 2, 1], 'discrete');
    expect(same).toMatchObject({ psi: 0, jensenShannonDistance: 0 });
    expect(columnDriftPValue(same)).toBe(1);
  });

  it('infers discrete for few integer values, and rejects fractions in a discrete column', () => {
    expect(inferColumnKind([1, 43, 7, 7])).toBe('discrete');
    expect(inferColumnKind([1, 2.5])).toBe('continuous');
    expect(inferColumnKind([1, 2, 3], 2)).toBe('continuous');
    expect(() => columnDrift([1, 2], [1.5], 'discrete')).toThrow(/current\[0\] must be an integer/);
    expect(() => columnDrift([1], [1], 'nominal' as 'discrete')).toThrow(
      /kind must be continuous or discrete/,
    );
    expect(() => columnDrift([], [1], 'continuous')).toThrow(ConfigError);
  });
});

describe('errorDrift', () => {
  it('MAE ratio and KS on absolute errors (scipy ks_2samp: D 0.75, p 0.228571, sign +1)', () => {
    const drift = errorDrift([1, 2, 3, 2], [2, 4, 6, 4]);
    expect(drift).toMatchObject({ referenceMae: 2, currentMae: 4, maeRatio: 2 });
    expect(drift.ks.statistic).toBe(0.75);
    expect(drift.ks.sign).toBe(1);
    expectRelative(drift.ks.pValue, 0.22857142857142862, 1e-10);
  });

  it('rejects negative errors and an all-zero reference, naming the field', () => {
    expect(() => errorDrift([1, -2], [1])).toThrow(/referenceAbsErrors\[1\] must be an absolute error >= 0/);
    expect(() => errorDrift([0, 0], [1])).toThrow(/referenceAbsErrors are all 0/);
    expect(() => errorDrift([1], [Number.NaN])).toThrow(/current\[0\]/);
  });
});
