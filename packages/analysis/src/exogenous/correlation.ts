import { tTwoSidedPValue } from './special.js';
import { MIN_CORRELATION_POINTS, constantReason, requireAlignedSeries } from './validate.js';

/** The three correlation coefficients, named as in the results. */
export type CorrelationMethod = 'pearson' | 'spearman' | 'kendall_tau_b';

/** How a correlation's p-value was computed. */
export type CorrelationPValueMethod = 't' | 'exact' | 'normal';

/** A correlation coefficient with its two-sided p-value for H0: no association. */
export interface CorrelationResult {
  readonly method: CorrelationMethod;
  /** Number of aligned points. */
  readonly n: number;
  /** The coefficient in [−1, 1]; null when it is undefined (see `reason`). */
  readonly coefficient: number | null;
  /** Two-sided p-value; null together with `coefficient`. */
  readonly pValue: number | null;
  /** `t`: Student's t with n − 2 df; `exact`: Kendall's exact null distribution; `normal`: normal approximation. */
  readonly pValueMethod: CorrelationPValueMethod;
  /** Why the coefficient is undefined (a constant input), or null when it is defined. */
  readonly reason: string | null;
}

function undefinedResult(
  method: CorrelationMethod,
  n: number,
  pValueMethod: CorrelationPValueMethod,
  reason: string,
) {
  return { method, n, coefficient: null, pValue: null, pValueMethod, reason } satisfies CorrelationResult;
}

/** Pearson's r of two equally long finite arrays, computed as scipy.stats.pearsonr does (centred deviations over their norms). */
export function pearsonCoefficient(y: readonly number[], x: readonly number[]): number {
  const n = y.length;
  let yMean = 0;
  let xMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i] ?? 0;
    xMean += x[i] ?? 0;
  }
  yMean /= n;
  xMean /= n;
  // ‖v‖ = max|v|·‖v / max|v|‖ avoids overflow for huge values; then r = Σ (dy/‖dy‖)(dx/‖dx‖), as scipy.
  let yMax = 0;
  let xMax = 0;
  for (let i = 0; i < n; i++) {
    yMax = Math.max(yMax, Math.abs((y[i] ?? 0) - yMean));
    xMax = Math.max(xMax, Math.abs((x[i] ?? 0) - xMean));
  }
  let yy = 0;
  let xx = 0;
  for (let i = 0; i < n; i++) {
    yy += (((y[i] ?? 0) - yMean) / yMax) ** 2;
    xx += (((x[i] ?? 0) - xMean) / xMax) ** 2;
  }
  const yNorm = yMax * Math.sqrt(yy);
  const xNorm = xMax * Math.sqrt(xx);
  let r = 0;
  for (let i = 0; i < n; i++) r += (((y[i] ?? 0) - yMean) / yNorm) * (((x[i] ?? 0) - xMean) / xNorm);
  return Math.max(-1, Math.min(1, r));
}

/** Two-sided p-value of a correlation r from n points: t = r·√((n−2)/((1+r)(1−r))) against Student's t with n − 2 df. */
function correlationTPValue(r: number, n: number): number {
  const df = n - 2;
  const denominator = (1 + r) * (1 - r);
  if (denominator <= 0) return 0;
  return tTwoSidedPValue(r * Math.sqrt(df / denominator), df);
}

/**
 * Pearson's correlation with scipy.stats.pearsonr's two-sided p-value (exact under bivariate normality;
 * equal to the t test with n − 2 df). Needs n ≥ 3; null with a reason when either input is constant.
 */
export function pearsonCorrelation(y: readonly number[], x: readonly number[]): CorrelationResult {
  requireAlignedSeries(y, x, MIN_CORRELATION_POINTS, { y: 'y', x: 'x', what: 'Pearson correlation' });
  const reason = constantReason(y, x);
  if (reason !== null) return undefinedResult('pearson', y.length, 't', reason);
  const r = pearsonCoefficient(y, x);
  return {
    method: 'pearson',
    n: y.length,
    coefficient: r,
    pValue: correlationTPValue(r, y.length),
    pValueMethod: 't',
    reason: null,
  };
}

/** Ranks 1…n with ties given their average rank (scipy.stats.rankdata's 'average'). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, index) => index).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1] ?? 0] === values[order[start] ?? 0]) end++;
    // Positions start…end (0-based) share the mean of the 1-based ranks start+1 … end+1.
    const rank = (start + end + 2) / 2;
    for (let i = start; i <= end; i++) ranks[order[i] ?? 0] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * Spearman's rank correlation as scipy.stats.spearmanr: Pearson's r of the average ranks (ties share
 * their mean rank), p-value from Student's t with n − 2 df. Needs n ≥ 3; null when an input is constant.
 */
export function spearmanCorrelation(y: readonly number[], x: readonly number[]): CorrelationResult {
  requireAlignedSeries(y, x, MIN_CORRELATION_POINTS, { y: 'y', x: 'x', what: 'Spearman correlation' });
  const reason = constantReason(y, x);
  if (reason !== null) return undefinedResult('spearman', y.length, 't', reason);
  const rho = pearsonCoefficient(averageRanks(y), averageRanks(x));
  return {
    method: 'spearman',
    n: y.length,
    coefficient: rho,
    pValue: correlationTPValue(rho, y.length),
    pValueMethod: 't',
    reason: null,
  };
}
