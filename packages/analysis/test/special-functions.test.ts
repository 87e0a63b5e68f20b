import { describe, expect, it } from 'vitest';
import { logGamma, regularizedIncompleteBeta, studentTTwoSidedPValue } from '@nflab/analysis';

describe('logGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 12);
    expect(logGamma(100.5)).toBeCloseTo(361.43554046777757, 9);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches closed forms', () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.3, 3, 1)).toBeCloseTo(0.3 ** 3, 14);
    expect(regularizedIncompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 14);
    expect(regularizedIncompleteBeta(0.5, 7.5, 7.5)).toBeCloseTo(0.5, 14);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('matches reference values on both sides of the symmetry switch', () => {
    expect(regularizedIncompleteBeta(0.3, 2.5, 3.5)).toBeCloseTo(0.29675298929566646, 12);
    expect(regularizedIncompleteBeta(0.9, 50, 0.5)).toBeCloseTo(0.001204149832559813, 12);
    expect(regularizedIncompleteBeta(0.2, 0.5, 0.5)).toBeCloseTo(0.2951672353008665, 12);
  });

  it('rejects arguments outside its domain', () => {
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/0 <= x <= 1/);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(/a, b > 0/);
  });
});

describe('studentTTwoSidedPValue', () => {
  it('matches tables of the t distribution', () => {
    expect(studentTTwoSidedPValue(2, 10)).toBeCloseTo(0.07338803477074037, 10);
    expect(studentTTwoSidedPValue(-2, 10)).toBeCloseTo(0.07338803477074037, 10);
    // df = 2 has the closed form 1 - t/√(t² + 2)
    expect(studentTTwoSidedPValue(2, 2)).toBeCloseTo(1 - 2 / Math.sqrt(6), 12);
    // df = 1 is Cauchy: P(|T| > 1) = 1/2
    expect(studentTTwoSidedPValue(1, 1)).toBeCloseTo(0.5, 12);
  });

  it('approaches the normal distribution for large df', () => {
    expect(studentTTwoSidedPValue(1.96, 1e6)).toBeCloseTo(0.04999606758526985, 8);
  });

  it('is 1 at t = 0 and 0 at infinity', () => {
    expect(studentTTwoSidedPValue(0, 5)).toBe(1);
    expect(studentTTwoSidedPValue(Infinity, 5)).toBe(0);
    expect(() => studentTTwoSidedPValue(1, 0)).toThrow(/degrees of freedom must be > 0/);
  });
});
