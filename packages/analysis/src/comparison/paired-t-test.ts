import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { requireOneOf, requirePairs } from './inputs.js';
import { meanAndVariance } from './moments.js';

/** Which difference the alternative hypothesis claims, for d = x − y. */
export type Alternative = 'two-sided' | 'less' | 'greater';

/** Test settings. */
export interface PairedTestOptions {
  /** 'less': x tends to be below y (for losses: x is better); 'greater': above. @default 'two-sided' */
  readonly alternative?: Alternative;
}

/** Outcome of {@link pairedTTest}. */
export interface PairedTTestResult {
  readonly test: 'paired-t';
  /** t = mean(d) / (sd(d) / √n) with d = x − y and sd with n − 1; null when sd(d) = 0 (see `reason`). */
  readonly statistic: number | null;
  /** p-value from Student's t with `df` degrees of freedom; null with `statistic`. */
  readonly pValue: number | null;
  readonly df: number;
  readonly n: number;
  readonly alternative: Alternative;
  /** mean(x − y): negative when x's losses are lower. */
  readonly meanDifference: number;
  /** Why `statistic` is null; null when it is not. */
  readonly reason: string | null;
}

/** The alternative, defaulting to two-sided; throws a ConfigError for anything else. */
export function requireAlternative(alternative: Alternative | undefined): Alternative {
  return requireOneOf(alternative ?? 'two-sided', ['two-sided', 'less', 'greater'], 'alternative');
}

/** p-value of a statistic whose null distribution has the given CDF and is symmetric about 0. */
export function symmetricPValue(
  statistic: number,
  cdf: (x: number) => number,
  alternative: Alternative,
): number {
  if (alternative === 'less') return cdf(statistic);
  if (alternative === 'greater') return cdf(-statistic);
  // Both tails from the lower one, so small p-values keep their digits (1 − CDF would lose them).
  return Math.min(1, 2 * cdf(-Math.abs(statistic)));
}

/**
 * Paired (dependent-samples) t-test of mean(x − y) = 0, as scipy.stats.ttest_rel.
 * Needs at least 2 pairs. When all differences are equal (sd = 0) the t statistic is 0/0 or ±∞,
 * which JSON cannot carry, so statistic and p-value are null and `reason` says why.
 */
export function pairedTTest(
  x: readonly number[],
  y: readonly number[],
  options: PairedTestOptions = {},
): PairedTTestResult {
  requirePairs(x, y, 'paired t-test', 2);
  const alternative = requireAlternative(options.alternative);
  const n = x.length;
  const df = n - 1;
  const { mean, variance } = meanAndVariance(x.map((xi, i) => xi - (y[i] ?? 0)));
  const base = { test: 'paired-t', df, n, alternative, meanDifference: mean } as const;
  if (!(variance > 0)) {
    const reason = 'all differences x − y are equal (zero variance), so t is undefined';
    return { ...base, statistic: null, pValue: null, reason };
  }
  const statistic = mean / Math.sqrt(variance / n);
  const pValue = symmetricPValue(statistic, (t) => tCdf(t, df), alternative);
  return { ...base, statistic, pValue, reason: null };
}
