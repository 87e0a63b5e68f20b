import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { dieboldMariano } from '@nflab/analysis';

const small = [0.1, -0.2, 0.15, -0.1, 0.05, 0.2, -0.15, 0.1, -0.05, 0.12];
const large = [2, -3, 2.5, -1.8, 3.1, -2.2, 2.7, -2.9, 1.9, -2.4];

describe('dieboldMariano', () => {
  it('computes the HLN-corrected statistic by hand for h = 1', () => {
    // d = |model| - |baseline| = [-1, 0, -2]; d̄ = -1; γ0 = 2/3; Var(d̄) = 2/9
    // DM = -1/√(2/9); HLN factor √((3 + 1 - 2)/3); statistic = -√3; p = 1 - √3/√5 (t, 2 df)
    const result = dieboldMariano([1, 2, 3], [2, 2, 5], { loss: 'absolute' });
    expect(result?.statistic).toBeCloseTo(-Math.sqrt(3), 12);
    expect(result?.pValue).toBeCloseTo(1 - Math.sqrt(3 / 5), 12);
    expect(result).toMatchObject({ n: 3, h: 1, lossFn: 'absolute', better: 'neither' });
  });

  it('uses h - 1 autocovariance lags', () => {
    // d = [-1, -2, -3, -1, -2, -4]: statistic and p from an independent implementation
    const result = dieboldMariano([0, 0, 0, 0, 0, 0], [1, 2, 3, 1, 2, 4], { h: 2, loss: 'absolute' });
    expect(result?.statistic).toBeCloseTo(-4.432963206558077, 10);
    expect(result?.pValue).toBeCloseTo(0.006809277226963434, 10);
    expect(result?.h).toBe(2);
  });

  it('falls back to h = 1 when the h-lag variance is negative', () => {
    // d = [-1, -2, 0, -3]: γ0 = 5/4, γ1 = -13/16, so γ0 + 2γ1 < 0
    const result = dieboldMariano([0, 0, 0, 0], [1, 2, 0, 3], { h: 2, loss: 'absolute' });
    expect(result?.h).toBe(1);
    expect(result).toEqual(dieboldMariano([0, 0, 0, 0], [1, 2, 0, 3], { h: 1, loss: 'absolute' }));
  });

  it('finds a clearly better model better, and a clearly worse one worse', () => {
    const better = dieboldMariano(small, large);
    expect(better?.pValue).toBeLessThan(0.05);
    expect(better?.statistic).toBeCloseTo(-8.484989899432998, 10);
    expect(better?.better).toBe('model');
    expect(better?.lossFn).toBe('squared');
    const worse = dieboldMariano(large, small);
    expect(worse?.better).toBe('baseline');
    expect(worse?.statistic).toBeCloseTo(8.484989899432998, 10);
  });

  it('says neither when p is not below alpha', () => {
    expect(dieboldMariano(small, large, { alpha: 1e-6 })?.better).toBe('neither');
  });

  it('returns null for identical errors: zero variance means no evidence either way', () => {
    expect(dieboldMariano(large, large)).toBeNull();
    // A constant loss differential has zero variance as well, despite rounding noise.
    // Here d_t = -0.2 up to rounding (-0.19999999999999998, -0.20000000000000007, …).
    expect(dieboldMariano([0.1, 0.7, 1.3, 2.9], [0.3, 0.9, 1.5, 3.1], { loss: 'absolute' })).toBeNull();
  });

  it('returns null with fewer than 3 pairs or h >= n', () => {
    expect(dieboldMariano([1, 2], [3, 5])).toBeNull();
    expect(dieboldMariano([1, 2, 3], [3, 5, 4], { h: 3 })).toBeNull();
  });

  it('rejects unpaired or non-finite errors and bad options', () => {
    expect(() => dieboldMariano([1, 2, 3], [1, 2])).toThrow(/lengths 3 and 2/);
    expect(() => dieboldMariano([1, Number.NaN, 3], [1, 2, 3])).toThrow(/modelErrors\[1\]/);
    expect(() => dieboldMariano(small, large, { h: 0 })).toThrow(ConfigError);
    expect(() => dieboldMariano(small, large, { alpha: 1 })).toThrow(/alpha must be in \(0, 1\)/);
  });
});
