/**
 * Box-Cox transform and its lambda, estimated as coreforecast's `LocalBoxCoxScaler(method='loglik',
 * lower=0, upper=2)` that NeuralForecast uses for `local_scaler_type='boxcox'`: maximise the
 * profile log-likelihood over lambda in [lower, upper].
 */

/** Bounds and tolerance of the lambda search. */
export interface BoxCoxSearch {
  /** @default 0 (NeuralForecast's choice) */
  readonly lower?: number;
  /** @default 2 */
  readonly upper?: number;
  /** Width of the final bracket. @default 1e-10 */
  readonly tolerance?: number;
}

/**
 * Negative profile log-likelihood of lambda for strictly positive x:
 * -[(lambda - 1) * sum(log x) - n/2 * log(var(x^lambda / lambda))], var dividing by n.
 */
export function boxCoxNegLogLik(lambda: number, x: readonly number[]): number {
  const n = x.length;
  let logSum = 0;
  const transformed = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const logX = Math.log(x[i] as number);
    logSum += logX;
    // The constant -1/lambda of the full transform does not change the variance.
    transformed[i] = lambda === 0 ? logX : Math.exp(lambda * logX) / lambda;
  }
  let mean = 0;
  for (const v of transformed) mean += v;
  mean /= n;
  let variance = 0;
  for (const v of transformed) variance += (v - mean) ** 2;
  variance /= n;
  return -((lambda - 1) * logSum - (n / 2) * Math.log(variance));
}

/**
 * Lambda maximising the Box-Cox log-likelihood of strictly positive values, by golden-section
 * search (the likelihood is unimodal in lambda). Fewer than two distinct values give lambda 1
 * (no transform), since the likelihood is flat there.
 */
export function boxCoxLambda(x: readonly number[], search: BoxCoxSearch = {}): number {
  const lower = search.lower ?? 0;
  const upper = search.upper ?? 2;
  const tolerance = search.tolerance ?? 1e-10;
  if (x.length < 2 || x.every((v) => v === x[0])) return 1;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = lower;
  let b = upper;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = boxCoxNegLogLik(c, x);
  let fd = boxCoxNegLogLik(d, x);
  while (b - a > tolerance) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = boxCoxNegLogLik(c, x);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = boxCoxNegLogLik(d, x);
    }
  }
  return (a + b) / 2;
}

/** Box-Cox of one value: log(x) at lambda 0, else (x^lambda - 1) / lambda, sign-preserving below 0. */
export function boxCox(x: number, lambda: number): number {
  if (Number.isNaN(x)) return x;
  if (lambda < 0 && x < 0) return Number.NaN;
  if (Math.abs(lambda) < 1e-19) return Math.log(x);
  if (x > 0) return Math.expm1(lambda * Math.log(x)) / lambda;
  // Same branch as coreforecast for non-positive inputs (0 maps to -1/lambda).
  return (-Math.exp(lambda * Math.log(-x)) - 1) / lambda;
}

/** Inverse Box-Cox of one value. */
export function invBoxCox(z: number, lambda: number): number {
  if (Number.isNaN(z)) return z;
  if (lambda < 0 && lambda * z + 1 < 0) return Number.NaN;
  if (lambda === 0) return Math.exp(z);
  if (lambda * z + 1 > 0) return Math.exp(Math.log1p(lambda * z) / lambda);
  return -Math.exp(Math.log(-lambda * z - 1) / lambda);
}
