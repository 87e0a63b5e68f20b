import { ConfigError } from '@nflab/contracts';
import { leastSquares } from './least-squares.js';
import { chiSquareSurvival, fSurvival } from './special.js';
import { isConstant, requireAlignedSeries } from './validate.js';

// statsmodels' grangercausalitytests(column_stack([y, x]), maxlag) with its default addconst=True:
// for lag p it drops the first p rows (nobs = n − p) and compares
//   restricted    y_t ~ const + y_{t−1} … y_{t−p}
//   unrestricted  y_t ~ const + y_{t−1} … y_{t−p} + x_{t−1} … x_{t−p}
// by F = (SSR_r − SSR_u)/SSR_u · df_u/p, χ² = nobs·(SSR_r − SSR_u)/SSR_u and LR = nobs·ln(SSR_r/SSR_u)
// (= −2(llf_r − llf_u) for OLS). statsmodels' fourth test, params_ftest, is the Wald F of the x-lag
// coefficients, which for OLS equals the SSR F exactly, so it is not repeated here.

/** Information criterion for choosing the lag. */
export type GrangerCriterion = 'aic' | 'bic';

/** An F test: statistic, upper-tail p-value and its degrees of freedom. */
export interface GrangerFTest {
  readonly statistic: number;
  readonly pValue: number;
  /** p, the number of x lags tested. */
  readonly dfNum: number;
  /** Residual df of the unrestricted model: nobs − 2p − 1. */
  readonly dfDenom: number;
}

/** A chi-square test: statistic, upper-tail p-value, df = p. */
export interface GrangerChiSquareTest {
  readonly statistic: number;
  readonly pValue: number;
  readonly df: number;
}

/** The three tests of "x does not Granger-cause y" at one lag p. */
export interface GrangerLagResult {
  readonly lag: number;
  /** Rows used, n − p. */
  readonly nobs: number;
  /** statsmodels' ssr_ftest; null when the test cannot be computed (see `reason`). */
  readonly ssrFTest: GrangerFTest | null;
  /** statsmodels' ssr_chi2test. */
  readonly ssrChi2Test: GrangerChiSquareTest | null;
  /** statsmodels' lrtest. */
  readonly likelihoodRatioTest: GrangerChiSquareTest | null;
  readonly reason: string | null;
}

/** AIC and BIC of the unrestricted model with p lags on the common sample; null when it cannot be fitted. */
export interface GrangerLagCriterion {
  readonly lag: number;
  readonly aic: number | null;
  readonly bic: number | null;
}

/** Granger tests for lags 1…maxLag and the lag chosen by an information criterion. */
export interface GrangerResult {
  readonly maxLag: number;
  readonly criterion: GrangerCriterion;
  readonly byLag: readonly GrangerLagResult[];
  /** Criteria on the common sample t = maxLag+1 … n (nobs = n − maxLag), so every lag is judged on the same rows. */
  readonly selection: {
    readonly nobs: number;
    readonly byLag: readonly GrangerLagCriterion[];
    /** Lag with the smallest criterion (the smaller lag on a tie); null when no lag could be fitted. */
    readonly selectedLag: number | null;
  };
  /** `byLag`'s entry for the selected lag (its own statsmodels sample), or null. */
  readonly selected: GrangerLagResult | null;
}

/** Options for {@link grangerCausality}. */
export interface GrangerOptions {
  /** Largest lag p; needs n ≥ 3·maxLag + 2. @default min(4, ⌊(n − 2)/3⌋) */
  readonly maxLag?: number;
  /** @default 'aic' */
  readonly criterion?: GrangerCriterion;
}

/** Fewest aligned points for Granger tests up to `maxLag`: 3p + 2, so the unrestricted model keeps one residual df. */
export function minGrangerPoints(maxLag: number): number {
  return 3 * maxLag + 2;
}

/** Lag columns for rows t = start … n−1: values[t − lag]. */
function lagColumn(values: readonly number[], start: number, lag: number): number[] {
  return values.slice(start - lag, values.length - lag);
}

function centredSumOfSquares(values: readonly number[]): number {
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let sum = 0;
  for (const value of values) sum += (value - mean) ** 2;
  return sum;
}

/** The three tests at lag p on statsmodels' sample (rows p … n−1). */
function lagTests(y: readonly number[], x: readonly number[], p: number): GrangerLagResult {
  const nobs = y.length - p;
  const none = { lag: p, nobs, ssrFTest: null, ssrChi2Test: null, likelihoodRatioTest: null };
  const yLags = Array.from({ length: p }, (_, i) => lagColumn(y, p, i + 1));
  const xLags = Array.from({ length: p }, (_, i) => lagColumn(x, p, i + 1));
  // statsmodels refuses a constant lag column (InfeasibleTestError): it duplicates the constant.
  if (xLags.some(isConstant)) return { ...none, reason: `x is constant over the lag-${p} sample` };
  if (yLags.some(isConstant)) return { ...none, reason: `y is constant over the lag-${p} sample` };
  const target = y.slice(p);
  // Columns [1, y lags, x lags]: the restricted model is the first p + 1 of them.
  const fit = leastSquares([new Array<number>(nobs).fill(1), ...yLags, ...xLags], target);
  if (!fit.fullRank) return { ...none, reason: `the lag-${p} regressors are collinear` };
  const tss = centredSumOfSquares(target);
  if (tss === 0 || fit.ssr / tss < Number.EPSILON) {
    return { ...none, reason: `the lag-${p} model fits y perfectly` };
  }
  const restrictedSsr = fit.ssrByColumns[p] ?? Number.NaN;
  const dfDenom = nobs - 2 * p - 1;
  const ratio = (restrictedSsr - fit.ssr) / fit.ssr;
  const f = (ratio / p) * dfDenom;
  const chi2 = nobs * ratio;
  const lr = nobs * Math.log(restrictedSsr / fit.ssr);
  return {
    lag: p,
    nobs,
    ssrFTest: { statistic: f, pValue: fSurvival(f, p, dfDenom), dfNum: p, dfDenom },
    ssrChi2Test: { statistic: chi2, pValue: chiSquareSurvival(chi2, p), df: p },
    likelihoodRatioTest: { statistic: lr, pValue: chiSquareSurvival(lr, p), df: p },
    reason: null,
  };
}

/**
 * AIC/BIC of the unrestricted model for every p ≤ maxLag on rows maxLag … n−1 (statsmodels OLS:
 * −2·llf + 2k and −2·llf + ln(nobs)·k, k = 2p + 1 with the constant). One QR of the interleaved
 * columns [1, y₁, x₁, y₂, x₂, …] gives each p's SSR as the prefix of 2p + 1 columns.
 */
function lagCriteria(y: readonly number[], x: readonly number[], maxLag: number): GrangerLagCriterion[] {
  const nobs = y.length - maxLag;
  const columns = [new Array<number>(nobs).fill(1)];
  for (let lag = 1; lag <= maxLag; lag++) columns.push(lagColumn(y, maxLag, lag), lagColumn(x, maxLag, lag));
  const fit = leastSquares(columns, y.slice(maxLag));
  return Array.from({ length: maxLag }, (_, i) => {
    const p = i + 1;
    const k = 2 * p + 1;
    const ssr = fit.ssrByColumns[k - 1] ?? 0;
    if (k > fit.independentColumns || !(ssr > 0)) return { lag: p, aic: null, bic: null };
    // Gaussian log-likelihood at the ML variance SSR/nobs.
    const llf = (-nobs / 2) * (Math.log(2 * Math.PI) + Math.log(ssr / nobs) + 1);
    return { lag: p, aic: -2 * llf + 2 * k, bic: -2 * llf + Math.log(nobs) * k };
  });
}

/**
 * Does x Granger-cause y? statsmodels grangercausalitytests semantics (see the note above) for each
 * lag 1…maxLag, plus the lag chosen by AIC or BIC of the unrestricted model on a common sample.
 */
export function grangerCausality(
  y: readonly number[],
  x: readonly number[],
  options: GrangerOptions = {},
): GrangerResult {
  requireAlignedSeries(y, x, minGrangerPoints(1), { y: 'y', x: 'x', what: 'Granger causality (lag 1)' });
  const n = y.length;
  const largest = Math.floor((n - 2) / 3);
  const maxLag = options.maxLag ?? Math.min(4, largest);
  if (!Number.isInteger(maxLag) || maxLag < 1)
    throw new ConfigError(`maxLag must be an integer >= 1, got ${String(maxLag)}`);
  if (n < minGrangerPoints(maxLag)) {
    throw new ConfigError(
      `Granger causality with maxLag ${maxLag} needs at least ${minGrangerPoints(maxLag)} aligned points (3·maxLag + 2), got ${n}; the largest maxLag for ${n} points is ${largest}`,
    );
  }
  const criterion = options.criterion ?? 'aic';
  if (criterion !== 'aic' && criterion !== 'bic')
    throw new ConfigError(`criterion must be 'aic' or 'bic', got ${String(criterion)}`);
  const byLag = Array.from({ length: maxLag }, (_, i) => lagTests(y, x, i + 1));
  const criteria = lagCriteria(y, x, maxLag);
  let selectedLag: number | null = null;
  let bestValue = Infinity;
  for (const entry of criteria) {
    const value = entry[criterion];
    if (value !== null && value < bestValue) {
      bestValue = value;
      selectedLag = entry.lag;
    }
  }
  const selected = selectedLag === null ? null : (byLag[selectedLag - 1] ?? null);
  return {
    maxLag,
    criterion,
    byLag,
    selection: { nobs: n - maxLag, byLag: criteria, selectedLag },
    selected,
  };
}
