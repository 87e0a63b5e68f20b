/**
 * Standard-normal helpers for truncated normal kernels, in log space where tails matter.
 * erfc uses the Chebyshev-fitted form with fractional error < 1.2e-7 everywhere, written in log
 * form so far tails never underflow.
 */

const SQRT1_2 = Math.SQRT1_2;
/** log(√(2π)). */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log(erfc(z)) for z >= 0. */
const logErfcNonNeg = (z: number): number => {
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - z * z + poly;
};

/** Φ(x), the standard normal CDF. */
export const ndtr = (x: number): number => {
  const z = -x * SQRT1_2;
  return z >= 0 ? 0.5 * Math.exp(logErfcNonNeg(z)) : 1 - 0.5 * Math.exp(logErfcNonNeg(-z));
};

/** log Φ(x), accurate deep in the left tail. */
export const logNdtr = (x: number): number =>
  x < 0
    ? Math.log(0.5) + logErfcNonNeg(-x * SQRT1_2)
    : Math.log1p(-0.5 * Math.exp(logErfcNonNeg(x * SQRT1_2)));

const logDiff = (logP: number, logQ: number): number => logP + Math.log1p(-Math.exp(logQ - logP));

/** log(Φ(b) − Φ(a)) for a < b: the log probability mass of [a, b]. */
export const logGaussMass = (a: number, b: number): number => {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
};

// Acklam's rational approximation of the normal quantile, refined by one Halley step.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
] as const;
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
] as const;
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;

/** Φ⁻¹(p), the standard normal quantile; ±Infinity at 0 and 1. */
export const ndtri = (p: number): number => {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const e = ndtr(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
};

/**
 * One draw from N(0,1) truncated to [a, b] by inverting the CDF. TPE kernels are centred inside
 * their bounds, so a <= 0 <= b and the left-tail form is well conditioned.
 */
export const truncnormDraw = (a: number, b: number, u: number): number => {
  const x = a < 0 ? ndtri(ndtr(a) + u * (ndtr(b) - ndtr(a))) : -ndtri(ndtr(-a) - u * (ndtr(-a) - ndtr(-b)));
  if (!Number.isFinite(x)) return x > 0 ? b : a;
  return Math.min(b, Math.max(a, x));
};
