import stdlibDigamma from '@stdlib/math-base-special-digamma';
import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import betainc from '@stdlib/math-base-special-betainc';

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
  // Regularized lower incomplete beta at the complement: no 1 − CDF, so tiny p-values keep their digits.
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}

/** Upper tail P(X > x) of the chi-square distribution with `df` degrees of freedom: Q(df/2, x/2). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(x > 0)) return 1;
  if (x === Infinity) return 0;
  return regularizedUpperGamma(df / 2, x / 2);
}

/** Regularized upper incomplete gamma Q(a, x) for a > 0, x ≥ 0 (@stdlib's gammainc, upper tail computed as such). */
export function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  return gammainc(x, a, true, true);
}

/** Digamma ψ(x) = d/dx ln Γ(x) (@stdlib's digamma). */
export function digamma(x: number): number {
  return stdlibDigamma(x);
}
