import { ConfigError } from '@nflab/contracts';

// Special functions for p-values, written for this package: log-gamma by the Lanczos
// approximation and the regularized incomplete beta function by its continued fraction
// (evaluated with the modified Lentz method, as described in Numerical Recipes §6.4).

/** Lanczos approximation parameters (g = 7, 9 terms): about 15 significant digits for x > 0. */
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection Γ(x)Γ(1-x) = π / sin(πx): the series below is accurate only for x ≥ 1/2.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let series = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) {
    series += (LANCZOS_COEFFICIENTS[i] ?? 0) / (z + i);
  }
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

const RELATIVE_TOLERANCE = 1e-15;
// The fraction needs O(√max(a, b)) terms; this bound covers t-tests with up to ~10^9 degrees of freedom.
const MAX_TERMS = 100_000;
// Stands in for a zero denominator so Lentz's method can continue (NR's FPMIN).
const TINY = 1e-300;

function avoidZero(value: number): number {
  return Math.abs(value) < TINY ? TINY : value;
}

/** Continued fraction of I_x(a, b); converges fast for x < (a + 1) / (a + b + 2). */
function incompleteBetaFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 / avoidZero(1 - ((a + b) * x) / (a + 1));
  let fraction = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const twoM = 2 * m;
    // Even term d_{2m} = m(b - m)x / ((a + 2m - 1)(a + 2m)).
    const even = (m * (b - m) * x) / ((a + twoM - 1) * (a + twoM));
    d = 1 / avoidZero(1 + even * d);
    c = avoidZero(1 + even / c);
    fraction *= d * c;
    // Odd term d_{2m+1} = -(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
    const odd = (-(a + m) * (a + b + m) * x) / ((a + twoM) * (a + twoM + 1));
    d = 1 / avoidZero(1 + odd * d);
    c = avoidZero(1 + odd / c);
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < RELATIVE_TOLERANCE) return fraction;
  }
  // Unreachable for valid arguments within MAX_TERMS, so reaching it is a bug, not bad input.
  throw new Error(`incomplete beta continued fraction did not converge for x=${x}, a=${a}, b=${b}`);
}

/** Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for 0 ≤ x ≤ 1 and a, b > 0. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) {
    throw new ConfigError(
      `regularizedIncompleteBeta needs 0 <= x <= 1 and a, b > 0, got x=${x}, a=${a}, b=${b}`,
    );
  }
  if (x === 0 || x === 1) return x;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(logFront);
  // Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) on the side where the fraction converges fast.
  if (x < (a + 1) / (a + b + 2)) return (front * incompleteBetaFraction(x, a, b)) / a;
  return 1 - (front * incompleteBetaFraction(1 - x, b, a)) / b;
}

/** Two-sided p-value P(|T| ≥ |t|) of Student's t with `degreesOfFreedom` > 0: I_{ν/(ν+t²)}(ν/2, 1/2). */
export function studentTTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) {
    throw new ConfigError(`degrees of freedom must be > 0, got ${degreesOfFreedom}`);
  }
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const x = degreesOfFreedom / (degreesOfFreedom + t * t);
  return Math.min(1, Math.max(0, regularizedIncompleteBeta(x, degreesOfFreedom / 2, 0.5)));
}
