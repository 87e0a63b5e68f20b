import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { rankWithinBlocks } from './friedman.js';
import { requireBlockMatrix, requireOneOf } from './inputs.js';
import type { PAdjustMethod } from './p-adjust.js';
import { P_ADJUST_METHODS, adjustPValues } from './p-adjust.js';

/** Options of {@link conoverFriedmanTest}. */
export interface ConoverFriedmanOptions {
  /** Adjustment of the k(k − 1)/2 pairwise p-values as one family. @default 'none' */
  readonly adjust?: PAdjustMethod | 'none';
}

/** Outcome of {@link conoverFriedmanTest}. */
export interface ConoverFriedmanResult {
  readonly test: 'conover-friedman';
  readonly blocks: number;
  readonly treatments: number;
  /** Mean rank of each run (column order), 1 = lowest loss = best. */
  readonly meanRanks: number[];
  /** Degrees of freedom of the t statistics: (n − 1)(k − 1). */
  readonly df: number;
  readonly adjust: PAdjustMethod | 'none';
  /** statistics[i][j] = |R_i − R_j| / SE, 0 on the diagonal; null when SE = 0 (see `reason`). */
  readonly statistics: number[][] | null;
  /** Two-sided p-values (adjusted as asked), 1 on the diagonal; null with `statistics`. */
  readonly pValues: number[][] | null;
  readonly reason: string | null;
}

/**
 * Conover's all-pairs post-hoc test after a Friedman test (Conover 1999, p. 371; scikit-posthocs
 * posthoc_conover_friedman with its t distribution, PMCMRplus frdAllPairsConoverTest): with rank
 * sums R_j, A1 = Σ ranks², t_ij = |R_i − R_j| / √(2(n·A1 − Σ R_j²) / ((n − 1)(k − 1))) on
 * (n − 1)(k − 1) degrees of freedom. Ties are handled through A1. Needs k ≥ 3 runs and n ≥ 2 blocks.
 * When the runs rank identically in every block the standard error is 0 and the result is null.
 */
export function conoverFriedmanTest(
  matrix: readonly (readonly number[])[],
  options: ConoverFriedmanOptions = {},
): ConoverFriedmanResult {
  const { blocks: n, treatments: k } = requireBlockMatrix(matrix, 'Conover-Friedman test', 2, 3);
  const adjust = requireOneOf(options.adjust ?? 'none', ['none', ...P_ADJUST_METHODS], 'adjust');
  const ranks = rankWithinBlocks(matrix);
  const df = (n - 1) * (k - 1);
  const base = {
    test: 'conover-friedman',
    blocks: n,
    treatments: k,
    meanRanks: ranks.meanRanks,
    df,
    adjust,
  } as const;
  let squaredSums = 0;
  for (const sum of ranks.rankSums) squaredSums += sum * sum;
  // By Cauchy–Schwarz n·A1 ≥ Σ R_j², with equality only when every block ranks the runs the same
  // way (or all tied). Ranks are multiples of 1/2, so these sums are exact and the test is exact.
  const spread = n * ranks.sumSquaredRanks - squaredSums;
  if (!(spread > 0)) {
    const reason =
      'every block ranks the runs the same way (no residual rank variance), so the t statistics are undefined';
    return { ...base, statistics: null, pValues: null, reason };
  }
  const standardError = Math.sqrt((2 * spread) / df);
  const statistics = ranks.rankSums.map((ri) =>
    ranks.rankSums.map((rj) => Math.abs(ri - rj) / standardError),
  );
  const raw = statistics.map((row, i) => row.map((t, j) => (i === j ? 1 : Math.min(1, 2 * tCdf(-t, df)))));
  return {
    ...base,
    statistics,
    pValues: adjust === 'none' ? raw : adjustPairwise(raw, adjust),
    reason: null,
  };
}

/** Adjusts the upper triangle of a symmetric p-value matrix as one family and mirrors it. */
export function adjustPairwise(pValues: readonly (readonly number[])[], method: PAdjustMethod): number[][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < pValues.length; i++) for (let j = i + 1; j < pValues.length; j++) pairs.push([i, j]);
  const adjusted = adjustPValues(
    pairs.map(([i, j]) => pValues[i]?.[j] ?? 1),
    method,
  );
  const out = pValues.map((row) => row.map(() => 1));
  pairs.forEach(([i, j], p) => {
    const value = adjusted[p] ?? 1;
    (out[i] as number[])[j] = value;
    (out[j] as number[])[i] = value;
  });
  return out;
}
