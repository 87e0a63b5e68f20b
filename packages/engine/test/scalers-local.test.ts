import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_SCALER_TYPES,
  applyLocalScaler,
  boxCox,
  boxCoxLambda,
  boxCoxNegLogLik,
  fitLocalScaler,
  invBoxCox,
  invertLocalScaler,
} from '../src/scalers/index.js';

const SERIES = [3, 1, 4, 1, 5, 9, 2, 6];

describe('local scaler parameters (hand-computed)', () => {
  it('standard: mean and population std', () => {
    // mean 31/8 = 3.875; sum of squared deviations 52.875 -> var 6.609375.
    const p = fitLocalScaler('standard', SERIES);
    expect(p.values.offset).toBeCloseTo(3.875, 12);
    expect(p.values.scale).toBeCloseTo(Math.sqrt(6.609375), 12);
  });

  it('robust: median (average of the middle pair) and MAD', () => {
    // sorted 1 1 2 3 4 5 6 9 -> median 3.5; |dev| sorted 0.5 0.5 1.5 1.5 2.5 2.5 2.5 5.5 -> MAD 2.
    const p = fitLocalScaler('robust', SERIES);
    expect(p.values).toEqual({ offset: 3.5, scale: 2 });
  });

  it('robust-iqr: median and interpolated quartiles (numpy type 7)', () => {
    // q1 at position 1.75 -> 1 + 0.75 * (2 - 1) = 1.75; q3 at 5.25 -> 5 + 0.25 * 1 = 5.25.
    const p = fitLocalScaler('robust-iqr', SERIES);
    expect(p.values.offset).toBe(3.5);
    expect(p.values.scale).toBeCloseTo(3.5, 12);
  });

  it('minmax: min and range', () => {
    expect(fitLocalScaler('minmax', SERIES).values).toEqual({ offset: 1, scale: 8 });
  });

  it('masked and non-finite values are ignored', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 1000, Number.NaN];
    const mask = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1];
    expect(fitLocalScaler('minmax', values, mask).values).toEqual({ offset: 1, scale: 8 });
  });

  it('a zero scale becomes 1 and an empty series is the identity', () => {
    expect(fitLocalScaler('standard', [7, 7, 7]).values).toEqual({ offset: 7, scale: 1 });
    expect(fitLocalScaler('robust', [], []).values).toEqual({ offset: 0, scale: 1 });
  });

  it('parameters survive JSON', () => {
    const p = fitLocalScaler('boxcox', [1, 2, 3, 4, 8]);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});

describe('apply and invert', () => {
  it('apply uses (x - offset) / scale', () => {
    const p = fitLocalScaler('minmax', SERIES);
    expect(Array.from(applyLocalScaler(p, [1, 5, 9]))).toEqual([0, 0.5, 1]);
  });

  it('every scaler round-trips within 1e-6', () => {
    const values = [12, 15.5, 9, 30, 22, 18, 40.25, 11];
    for (const type of LOCAL_SCALER_TYPES) {
      const p = fitLocalScaler(type, values);
      const back = invertLocalScaler(p, applyLocalScaler(p, values));
      values.forEach((v, i) => expect(Math.abs((back[i] as number) - v), `${type}[${i}]`).toBeLessThan(1e-6));
    }
  });

  it('NaN stays NaN', () => {
    const p = fitLocalScaler('standard', SERIES);
    expect(Number.isNaN(applyLocalScaler(p, [Number.NaN])[0])).toBe(true);
  });

  it('saved params missing a field raise ConfigError naming it', () => {
    expect(() => applyLocalScaler({ type: 'standard', values: { offset: 1 } }, [1])).toThrow(/'scale'/);
  });
});

describe('Box-Cox', () => {
  it('transform matches the closed forms and inverts', () => {
    expect(boxCox(4, 0.5)).toBeCloseTo((Math.sqrt(4) - 1) / 0.5, 12);
    expect(boxCox(Math.E, 0)).toBeCloseTo(1, 12);
    expect(boxCox(0, 0.5)).toBeCloseTo(-2, 12);
    expect(invBoxCox(boxCox(7.3, 1.3), 1.3)).toBeCloseTo(7.3, 10);
    expect(invBoxCox(boxCox(7.3, 0), 0)).toBeCloseTo(7.3, 10);
  });

  it('lambda maximises the profile log-likelihood within [0, 2]', () => {
    // Squares of an evenly spread sample: the optimum is inside the bounds (near 0.5).
    const x = [4, 9, 16, 25, 36, 49, 64, 81, 100];
    const lambda = boxCoxLambda(x);
    // A fine grid never beats the search (up to grid resolution).
    let best = Infinity;
    let bestAt = 0;
    for (let l = 0; l <= 2; l += 0.0005) {
      const f = boxCoxNegLogLik(l, x);
      if (f < best) {
        best = f;
        bestAt = l;
      }
    }
    expect(lambda).toBeGreaterThan(0.2);
    expect(lambda).toBeLessThan(0.8);
    expect(Math.abs(lambda - bestAt)).toBeLessThan(1e-3);
    expect(boxCoxNegLogLik(lambda, x)).toBeLessThanOrEqual(best + 1e-9);
    // An optimum at the lower bound is found there.
    expect(boxCoxLambda([1.2, 3.4, 2.2, 8.9, 5.5, 13.1, 4.4, 2.9, 21.7, 6.6])).toBeLessThan(1e-6);
  });

  it('log-normal data gives lambda near 0, normal-ish data far from 0', () => {
    const logNormal = [0.1, 0.5, 1, 2, 10, 0.05, 3, 20, 0.3, 7].map((v) => Math.exp(v));
    expect(boxCoxLambda([1, 10, 100, 1000, 10000])).toBeLessThan(0.05);
    expect(boxCoxLambda([10, 11, 12, 13, 14, 15, 16])).toBeGreaterThan(0.5);
    expect(Number.isFinite(boxCoxLambda(logNormal))).toBe(true);
  });

  it('fitted lambda is the estimate and zeros are allowed (estimated on positive values)', () => {
    const p = fitLocalScaler('boxcox', [0, 1, 2, 4, 8, 16]);
    expect(p.values.lambda).toBeCloseTo(boxCoxLambda([1, 2, 4, 8, 16]), 12);
  });

  it('negative values are a ConfigError, as coreforecast rejects them', () => {
    expect(() => fitLocalScaler('boxcox', [1, -2, 3])).toThrow(ConfigError);
    expect(() => fitLocalScaler('boxcox', [1, -2, 3])).toThrow(/non-negative.*-2/);
  });

  it('unknown scaler types are a ConfigError listing the allowed ones', () => {
    expect(() => fitLocalScaler('log' as never, [1])).toThrow(
      /local_scaler_type 'log'.*standard, robust, robust-iqr, minmax, boxcox/,
    );
  });
});
