import gammaln from '@stdlib/math-base-special-gammaln';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { regularizedIncompleteBeta } from '../special-functions.js';

// Tail probabilities and the digamma function for the exogenous statistics. The F and chi-square
// tails are computed directly as upper tails: @stdlib's f-cdf and chisquare-cdf give only the CDF,
// and 1 − CDF loses all relative precision for p below ~1e-10 (Granger tests reach 1e-13 and less).

/** Two-sided p-value 2·P(T ≤ −|t|) of Student's t with `degreesOfFreedom` (@stdlib's t CDF, lower tail). */
export function tTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), degreesOfFreedom));
}

/** Two-sided p-value 2·P(Z ≤ −|z|) of the standard normal (@stdlib's normal CDF, lower tail). */
export function normalTwoSidedPValue(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

/** Upper tail P(F > f) of the F distribution with (d1, d2) degrees of freedom: I_{d2/(d2+d1·f)}(d2/2, d1/2). */
export function fSurvival(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  if (f === Infinity) return 0;
  return regularizedIncompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** Upper tail P(X > x) of the chi-square distribution with `df` degrees of freedom: Q(df/2, x/2). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(x > 0)) return 1;
  if (x === Infinity) return 0;
  return regularizedUpperGamma(df / 2, x / 2);
}

const GAMMA_EPSILON = 1e-16;
const GAMMA_MAX_TERMS = 100_000;
const TINY = 1e-300;

/** Regularized upper incomplete gamma Q(a, x) for a > 0, x ≥ 0 (Numerical Recipes §6.2: series or continued fraction). */
export function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logFront = a * Math.log(x) - x - gammaln(a);
  if (x < a + 1) {
    // Series for P(a, x); Q = 1 − P is not small here, so the subtraction keeps its precision.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < GAMMA_MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * GAMMA_EPSILON) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logFront));
  }
  // Continued fraction for Q(a, x) by the modified Lentz method; accurate deep in the tail.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i < GAMMA_MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < GAMMA_EPSILON) break;
  }
  return Math.exp(logFront) * fraction;
}

// ψ(x) ~ ln x − 1/(2x) − Σ B_{2k} / (2k x^{2k}); with x ≥ 10 the omitted terms are below 1e-15.
const DIGAMMA_SERIES = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12] as const;

/** Digamma ψ(x) = d/dx ln Γ(x) for x > 0: recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic series. */
export function digamma(x: number): number {
  let shift = 0;
  let z = x;
  while (z < 10) {
    shift -= 1 / z;
    z += 1;
  }
  const inverseSquare = 1 / (z * z);
  let power = inverseSquare;
  let series = 0;
  for (const coefficient of DIGAMMA_SERIES) {
    series += coefficient * power;
    power *= inverseSquare;
  }
  return shift + Math.log(z) - 0.5 / z - series;
}
