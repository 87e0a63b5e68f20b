import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { requireBlockMatrix } from './inputs.js';
import { averageRanks, tieSum } from './ranks.js';

/** Ranks of a blocks × treatments matrix within each block (row), with what the tests need. */
export interface BlockRanks {
  /** n: rows (aligned points or series). */
  readonly blocks: number;
  /** k: columns (runs). */
  readonly treatments: number;
  /** rankSums[j] = Σ over blocks of run j's rank (1 = lowest loss). */
  readonly rankSums: number[];
  /** meanRanks[j] = rankSums[j] / n: 1 is best, k is worst. */
  readonly meanRanks: number[];
  /** Σ of every squared rank (Conover's A1). */
  readonly sumSquaredRanks: number;
  /** Σ(t³ − t) over all groups of tied values within blocks. */
  readonly ties: number;
}

/** Ranks every row of `matrix` ascending (ties get average ranks) and sums per column. */
export function rankWithinBlocks(matrix: readonly (readonly number[])[]): BlockRanks {
  const blocks = matrix.length;
  const treatments = matrix[0]?.length ?? 0;
  const rankSums = new Array<number>(treatments).fill(0);
  let sumSquaredRanks = 0;
  let ties = 0;
  for (const row of matrix) {
    const ranked = averageRanks(row);
    ranked.ranks.forEach((rank, j) => {
      rankSums[j] = (rankSums[j] ?? 0) + rank;
      sumSquaredRanks += rank * rank;
    });
    ties += tieSum(ranked.tieSizes);
  }
  const meanRanks = rankSums.map((sum) => sum / blocks);
  return { blocks, treatments, rankSums, meanRanks, sumSquaredRanks, ties };
}

/** Outcome of {@link friedmanTest}. */
export interface FriedmanResult {
  readonly test: 'friedman';
  /** Tie-corrected χ²_F; null when every block is all ties (see `reason`). */
  readonly statistic: number | null;
  /** P(χ²_{k−1} ≥ statistic); 1 − CDF, so values below about 1e-16 come out as 0. */
  readonly pValue: number | null;
  readonly df: number;
  readonly blocks: number;
  readonly treatments: number;
  /** Mean rank of each run (column order), 1 = lowest loss = best. */
  readonly meanRanks: number[];
  /** Kendall's coefficient of concordance W = χ²_F / (n(k − 1)), in [0, 1]; null with `statistic`. */
  readonly kendallsW: number | null;
  readonly reason: string | null;
}

/**
 * Friedman test that k runs have the same loss distribution over n aligned blocks (rows), as
 * scipy.stats.friedmanchisquare with its tie correction:
 * χ²_F = [12/(nk(k+1)) Σ_j R_j² − 3n(k+1)] / [1 − Σ(t³ − t)/(nk(k² − 1))], R_j = rank sums.
 * Needs k ≥ 3 runs (for two, use {@link wilcoxonSignedRank}) and n ≥ 2 blocks.
 */
export function friedmanTest(matrix: readonly (readonly number[])[]): FriedmanResult {
  requireBlockMatrix(matrix, 'Friedman test', 2, 3);
  const ranks = rankWithinBlocks(matrix);
  const { blocks: n, treatments: k, meanRanks } = ranks;
  const base = { test: 'friedman', df: k - 1, blocks: n, treatments: k, meanRanks } as const;
  const tieCorrection = 1 - ranks.ties / (k * (k * k - 1) * n);
  if (!(tieCorrection > 0)) {
    const reason = 'every block ranks all runs equal (all ties), so the runs cannot be told apart';
    return { ...base, statistic: null, pValue: null, kendallsW: null, reason };
  }
  let squares = 0;
  for (const sum of ranks.rankSums) squares += sum * sum;
  const statistic = ((12 / (n * k * (k + 1))) * squares - 3 * n * (k + 1)) / tieCorrection;
  const pValue = 1 - chisquareCdf(statistic, k - 1);
  return { ...base, statistic, pValue, kendallsW: statistic / (n * (k - 1)), reason: null };
}
