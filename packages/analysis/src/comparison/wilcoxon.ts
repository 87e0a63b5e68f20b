import { ConfigError } from '@nflab/contracts';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { requireOneOf, requirePairs } from './inputs.js';
import type { Alternative, PairedTestOptions } from './paired-t-test.js';
import { requireAlternative, symmetricPValue } from './paired-t-test.js';
import { averageRanks, tieSum } from './ranks.js';
import { lowerTail, signFlipDistribution, upperTail } from './signed-rank-null.js';

/**
 * How zero differences count (scipy's zero_method): 'wilcox' drops them; 'pratt' ranks them with the
 * others but leaves them out of W+ and W−; 'zsplit' ranks them and splits their ranks between both.
 */
export type ZeroMethod = 'wilcox' | 'pratt' | 'zsplit';

/** Requested null distribution: 'auto' chooses as scipy 1.17 does (see {@link wilcoxonSignedRank}). */
export type WilcoxonMethod = 'auto' | 'exact' | 'normal';

/** Test settings. */
export interface WilcoxonOptions extends PairedTestOptions {
  /** @default 'wilcox' */
  readonly zeroMethod?: ZeroMethod;
  /** Continuity correction (±0.5) of the normal approximation. @default false (as scipy) */
  readonly correction?: boolean;
  /** @default 'auto' */
  readonly method?: WilcoxonMethod;
}

/** Outcome of {@link wilcoxonSignedRank}. */
export interface WilcoxonResult {
  readonly test: 'wilcoxon';
  /** Two-sided: min(W+, W−) as scipy reports it; one-sided: W+. Null when no difference is non-zero. */
  readonly statistic: number | null;
  readonly pValue: number | null;
  /**
   * 'exact': the signed-rank distribution of the ranked count (no ties); 'permutation': the exact
   * distribution of W+ over all sign flips of the tied ranks; 'normal': the normal approximation.
   */
  readonly method: 'exact' | 'permutation' | 'normal';
  /** Number of pairs. */
  readonly n: number;
  /** Differences x − y that are not zero. */
  readonly nonZero: number;
  /** Sum of the ranks of |d| over d > 0 (W+) and d < 0 (W−), zsplit's share of zero ranks included. */
  readonly rankSumPositive: number;
  readonly rankSumNegative: number;
  /** Normal-approximation z (continuity-corrected when asked; −|z| when two-sided); null otherwise. */
  readonly z: number | null;
  readonly alternative: Alternative;
  readonly zeroMethod: ZeroMethod;
  readonly correction: boolean;
  readonly reason: string | null;
}

/** Above this many pairs 'auto' uses the normal approximation (scipy's rule). */
const AUTO_EXACT_MAX_PAIRS = 50;
/** With ties or zeros, 'auto' enumerates all 2^n sign flips up to this many pairs (scipy's rule). */
const AUTO_PERMUTATION_MAX_PAIRS = 13;
/** Largest sample an explicit method: 'exact' accepts; the distribution costs O(n³) time. */
export const WILCOXON_EXACT_MAX_PAIRS = 500;

interface SignedRanks {
  /** Ranks of the non-zero differences (zeros ranked below them under pratt and zsplit). */
  readonly ranks: number[];
  readonly positive: boolean[];
  readonly zeros: number;
  readonly plus: number;
  readonly minus: number;
  /** Ranked count for the null distribution: non-zero differences (wilcox) or all of them. */
  readonly count: number;
  readonly mean: number;
  readonly sd: number;
  readonly hasTies: boolean;
}

/** Signed ranks and the normal approximation's mean and sd, following scipy's _wilcoxon_statistic. */
function signedRanks(differences: readonly number[], zeroMethod: ZeroMethod): SignedRanks {
  const nonZero = differences.filter((d) => d !== 0);
  const zeros = differences.length - nonZero.length;
  const ranked = averageRanks(nonZero.map(Math.abs));
  // Under pratt and zsplit the zeros hold ranks 1 … zeros (|0| is the smallest), pushing the rest up.
  const offset = zeroMethod === 'wilcox' ? 0 : zeros;
  const ranks = ranked.ranks.map((r) => r + offset);
  const positive = nonZero.map((d) => d > 0);
  let plus = 0;
  let minus = 0;
  ranks.forEach((r, i) => {
    if (positive[i]) plus += r;
    else minus += r;
  });
  const count = zeroMethod === 'wilcox' ? nonZero.length : differences.length;
  let mean = (count * (count + 1)) / 4;
  let variance24 = count * (count + 1) * (2 * count + 1);
  let ties = tieSum(ranked.tieSizes);
  if (zeroMethod === 'zsplit') {
    const zeroRankHalf = (zeros * (zeros + 1)) / 4;
    plus += zeroRankHalf;
    minus += zeroRankHalf;
    if (zeros > 1) ties += zeros ** 3 - zeros;
  } else if (zeroMethod === 'pratt') {
    // Cureton (1967): remove the zeros' share of mean and variance; their tie is not corrected.
    mean -= (zeros * (zeros + 1)) / 4;
    variance24 -= zeros * (zeros + 1) * (2 * zeros + 1);
  }
  const sd = Math.sqrt((variance24 - ties / 2) / 24);
  return { ranks, positive, zeros, plus, minus, count, mean, sd, hasTies: ranked.tieSizes.length > 0 };
}

/** p-value from an exact null distribution of W+ over integer-scaled weights. */
function exactPValue(
  weights: readonly number[],
  observedLow: number,
  observedHigh: number,
  alternative: Alternative,
): number {
  const pmf = signFlipDistribution(weights);
  if (alternative === 'less') return lowerTail(pmf, observedHigh);
  if (alternative === 'greater') return upperTail(pmf, observedLow);
  return Math.min(1, 2 * Math.min(upperTail(pmf, observedLow), lowerTail(pmf, observedHigh)));
}

function resolveMethod(method: WilcoxonMethod, n: number, ranks: SignedRanks): WilcoxonResult['method'] {
  if (method === 'normal') return 'normal';
  if (method === 'exact') {
    if (ranks.count > WILCOXON_EXACT_MAX_PAIRS) {
      throw new ConfigError(
        `wilcoxonSignedRank method 'exact' supports up to ${WILCOXON_EXACT_MAX_PAIRS} ranked differences, got ${ranks.count}; use method 'normal' or 'auto'`,
      );
    }
    return 'exact';
  }
  if (n > AUTO_EXACT_MAX_PAIRS) return 'normal';
  if (!ranks.hasTies && ranks.zeros === 0) return 'exact';
  return n <= AUTO_PERMUTATION_MAX_PAIRS ? 'permutation' : 'normal';
}

/**
 * Wilcoxon signed-rank test of x − y symmetric about 0, matching scipy.stats.wilcoxon (1.17).
 *
 * method 'auto' (scipy's rule, n = all pairs): normal when n > 50; exact signed-rank distribution
 * when there are no ties and no zero differences; otherwise the exact sign-flip permutation
 * distribution when n ≤ 13, else normal. A forced 'exact' with ties or zeros uses the untied
 * distribution of the ranked count and rounds W+ conservatively, as scipy does. Needs at least 1
 * pair; statistic and p-value are null when every difference is zero (nothing to rank).
 */
export function wilcoxonSignedRank(
  x: readonly number[],
  y: readonly number[],
  options: WilcoxonOptions = {},
): WilcoxonResult {
  requirePairs(x, y, 'Wilcoxon signed-rank test', 1);
  const alternative = requireAlternative(options.alternative);
  const zeroMethod = requireOneOf(
    options.zeroMethod ?? 'wilcox',
    ['wilcox', 'pratt', 'zsplit'],
    'zeroMethod',
  );
  const requested = requireOneOf(options.method ?? 'auto', ['auto', 'exact', 'normal'], 'method');
  const correction = options.correction ?? false;
  const n = x.length;
  const ranks = signedRanks(
    x.map((xi, i) => xi - (y[i] ?? 0)),
    zeroMethod,
  );
  const nonZero = ranks.ranks.length;
  const method = resolveMethod(requested, n, ranks);
  const base = { test: 'wilcoxon', method, n, nonZero, alternative, zeroMethod, correction } as const;
  const sums = { rankSumPositive: ranks.plus, rankSumNegative: ranks.minus };
  if (nonZero === 0) {
    const reason = 'every difference x − y is zero, so there is nothing to rank';
    return { ...base, ...sums, statistic: null, pValue: null, z: null, reason };
  }
  const statistic = alternative === 'two-sided' ? Math.min(ranks.plus, ranks.minus) : ranks.plus;
  if (method === 'normal') {
    let z = (ranks.plus - ranks.mean) / ranks.sd;
    if (correction) {
      const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z);
      z -= (sign * 0.5) / ranks.sd;
    }
    const pValue = symmetricPValue(z, (v) => normalCdf(v, 0, 1), alternative);
    const reportedZ = alternative === 'two-sided' ? -Math.abs(z) : z;
    return { ...base, ...sums, statistic, pValue, z: reportedZ, reason: null };
  }
  let pValue: number;
  if (method === 'exact') {
    const weights = Array.from({ length: ranks.count }, (_, i) => i + 1);
    pValue = exactPValue(weights, Math.floor(ranks.plus), Math.ceil(ranks.plus), alternative);
  } else {
    // Ranks are multiples of 1/2; doubling makes them integer weights. zsplit's zero share is a
    // constant in W+, so only the non-zero ranks flip.
    const weights = ranks.ranks.map((r) => Math.round(2 * r));
    let observed = 0;
    weights.forEach((w, i) => {
      if (ranks.positive[i]) observed += w;
    });
    pValue = exactPValue(weights, observed, observed, alternative);
  }
  return { ...base, ...sums, statistic, pValue, z: null, reason: null };
}
