import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  ANOMALY_DETECTORS,
  ANOMALY_METHODS,
  cusumAnomalies,
  iqrAnomalies,
  robustZAnomalies,
  zScoreAnomalies,
} from '@nflab/analysis';

// Every expected value below is worked out by hand in the comment beside it.

describe('z-score', () => {
  it('scores new residuals against the reference mean and sample sd', () => {
    // reference [1..5]: mean 3, sd √(10/4) = √2.5
    const result = zScoreAnomalies([3, 10, -1], { reference: [1, 2, 3, 4, 5] });
    expect(result).toMatchObject({ method: 'zscore', center: 3, baseline: 'reference', threshold: 3 });
    expect(result.scale).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(result.scores[0]).toBe(0);
    expect(result.scores[1]).toBeCloseTo(7 / Math.sqrt(2.5), 14); // 4.427
    expect(result.scores[2]).toBeCloseTo(-4 / Math.sqrt(2.5), 14); // −2.530
    expect(result.flagged).toEqual([false, true, false]);
    expect(result.flaggedIndices).toEqual([1]);
  });

  it('without a reference the outlier inflates the sd that should expose it (masking)', () => {
    // [1, 2, 3, 4, 10]: mean 4, squares 9+4+1+0+36 = 50, sd √12.5; z(10) = 6/√12.5 = 1.697
    const result = zScoreAnomalies([1, 2, 3, 4, 10]);
    expect(result.baseline).toBe('self');
    expect(result.scores[4]).toBeCloseTo(6 / Math.sqrt(12.5), 14);
    expect(result.flaggedIndices).toEqual([]);
    expect(zScoreAnomalies([1, 2, 3, 4, 10], { threshold: 1.5 }).flaggedIndices).toEqual([4]);
  });
});

describe('robust MAD z', () => {
  it('uses median and 1.4826·MAD of the reference, unmoved by its outlier', () => {
    // reference [1, 2, 3, 4, 100]: median 3, |dev| [2, 1, 0, 1, 97] → MAD 1 → scale 1.4826
    const result = robustZAnomalies([3, 8, -3], { reference: [1, 2, 3, 4, 100] });
    expect(result).toMatchObject({ method: 'mad', center: 3, scale: 1.4826, threshold: 3.5 });
    expect(result.scores).toEqual([0, 5 / 1.4826, -6 / 1.4826]); // 0, 3.372, −4.047
    expect(result.flagged).toEqual([false, false, true]);
  });

  it('finds the outlier the classical z-score misses when the residuals score themselves', () => {
    const residuals = [1, 2, 3, 4, 100];
    expect(zScoreAnomalies(residuals).flaggedIndices).toEqual([]); // z(100) ≤ (n − 1)/√n = 1.79
    const robust = robustZAnomalies(residuals);
    expect(robust.scores[4]).toBeCloseTo(97 / 1.4826, 12); // 65.4
    expect(robust.flaggedIndices).toEqual([4]);
    // Even count: median of [1, 2, 3, 5] is 2.5, |dev| [1.5, .5, .5, 2.5] → MAD 1.
    expect(robustZAnomalies([1, 2, 3, 5])).toMatchObject({ center: 2.5, scale: 1.4826 });
  });
});

describe('two-sided tabular CUSUM (k, h in reference sds)', () => {
  // reference [−1, 0, 1]: mean 0, sd 1, so z = r.
  const reference = [-1, 0, 1];
  const residuals = [0.5, 1.5, 2, 2, 2, -1];

  it('accumulates a sustained upward shift and signals once C⁺ passes h', () => {
    // C⁺: 0, 1, 2.5, 4, 5.5, 4    C⁻: 0, 0, 0, 0, 0, 0.5
    const result = cusumAnomalies(residuals, { reference, k: 0.5, h: 3 });
    expect(result.upper).toEqual([0, 1, 2.5, 4, 5.5, 4]);
    expect(result.lower).toEqual([0, 0, 0, 0, 0, 0.5]);
    expect(result.scores).toEqual([0, 1, 2.5, 4, 5.5, 4]);
    expect(result.flagged).toEqual([false, false, false, true, true, true]);
    expect(result).toMatchObject({ method: 'cusum', threshold: 3, k: 0.5, center: 0, scale: 1 });
  });

  it('restarts after a signal when asked, counting one excursion once', () => {
    // After index 3 signals both sums restart: C⁺ 1.5 then 0; C⁻ 0 then 0.5.
    const result = cusumAnomalies(residuals, { reference, k: 0.5, h: 3, resetOnSignal: true });
    expect(result.scores).toEqual([0, 1, 2.5, 4, 1.5, 0.5]);
    expect(result.flaggedIndices).toEqual([3]);
  });

  it('detects a downward shift on C⁻ and uses defaults k = 0.5, h = 5', () => {
    // z = −2 each time: C⁻ = 1.5, 3, 4.5 (h = 2 → flagged from the second point)
    expect(cusumAnomalies([-2, -2, -2], { reference, h: 2 }).lower).toEqual([1.5, 3, 4.5]);
    expect(cusumAnomalies([-2, -2, -2], { reference, h: 2 }).flagged).toEqual([false, true, true]);
    expect(cusumAnomalies([0], { reference })).toMatchObject({ k: 0.5, threshold: 5 });
  });
});

describe('IQR fences (Tukey)', () => {
  it('flags beyond Q1 − 1.5·IQR and Q3 + 1.5·IQR of the reference, scored in IQRs past the fence', () => {
    // reference 1..9: Q1 = 3, Q3 = 7 (numpy linear), IQR 4, fences −3 and 13.
    const result = iqrAnomalies([0, 13, 15, -5], { reference: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(result).toMatchObject({ q1: 3, q3: 7, scale: 4, lowerFence: -3, upperFence: 13, center: 5 });
    expect(result.scores).toEqual([0, 0, 0.5, -0.5]); // 13 sits on the fence: not beyond it
    expect(result.flagged).toEqual([false, false, true, true]);
  });

  it('interpolates quartiles like numpy and takes k', () => {
    // [1, 2, 3, 4]: Q1 = 1.75, Q3 = 3.25, IQR 1.5; k = 3 → fences −2.75 and 7.75.
    const result = iqrAnomalies([8, -2], { reference: [1, 2, 3, 4], k: 3 });
    expect(result).toMatchObject({ q1: 1.75, q3: 3.25, lowerFence: -2.75, upperFence: 7.75, threshold: 3 });
    expect(result.scores[0]).toBeCloseTo(0.25 / 1.5, 14);
    expect(result.flagged).toEqual([true, false]);
  });
});

describe('every detector', () => {
  it('is in the registry under the id its results carry', () => {
    expect(Object.keys(ANOMALY_DETECTORS)).toEqual([...ANOMALY_METHODS]);
    for (const method of ANOMALY_METHODS) {
      expect(ANOMALY_DETECTORS[method]([1, 2, 4, 8, 3]).method).toBe(method);
    }
  });

  it('rejects bad input with a ConfigError naming the field', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => zScoreAnomalies([]), /residuals must hold at least 1 value/],
      [() => zScoreAnomalies([1, Number.NaN, 3]), /residuals\[1\] must be a finite number/],
      [() => zScoreAnomalies([1], { reference: [2, Infinity] }), /reference\[1\]/],
      [() => zScoreAnomalies([1], { reference: [2] }), /reference must hold at least 2 values/],
      [() => zScoreAnomalies([1], { reference: [2, 2, 2] }), /reference has no spread/],
      [() => zScoreAnomalies([1, 2], { threshold: 0 }), /threshold must be a finite number > 0/],
      [() => robustZAnomalies([1, 1, 1, 5]), /residuals has no spread \(1\.4826·MAD = 0\)/],
      [() => robustZAnomalies([1, 2], { threshold: -1 }), /threshold/],
      [() => cusumAnomalies([1, 2], { k: -0.1 }), /k must be a finite number >= 0/],
      [() => cusumAnomalies([1, 2], { h: 0 }), /h must be a finite number > 0/],
      [() => iqrAnomalies([1], { reference: [4, 4, 4, 4, 9] }), /reference has no spread \(IQR = 0\)/],
      [() => iqrAnomalies([1, 2], { k: Number.NaN }), /k must be/],
    ];
    for (const [call, message] of cases) {
      expect(call, String(message)).toThrow(ConfigError);
      expect(call).toThrow(message);
    }
  });
});
