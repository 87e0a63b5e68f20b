import kruskalTest from '@stdlib/stats-kruskal-test';
import { requireGroups } from './inputs.js';

/** Outcome of {@link kruskalWallis}. */
export interface KruskalWallisResult {
  readonly test: 'kruskal-wallis';
  /** Tie-corrected H; null when every value is equal (see `reason`). */
  readonly statistic: number | null;
  /** P(χ²_{k−1} ≥ H), as 1 − CDF (values below about 1e-16 come out as 0). */
  readonly pValue: number | null;
  readonly df: number;
  readonly reason: string | null;
}

/**
 * Kruskal–Wallis H test that k groups come from one distribution, as scipy.stats.kruskal:
 * H = [12/(N(N+1)) Σ R_g²/n_g − 3(N+1)] / [1 − Σ(t³ − t)/(N³ − N)], by @stdlib/stats-kruskal-test
 * (matches scipy, ties included). Needs at least 2 groups, none empty; statistic and p-value
 * are null when all values are equal, where the tie correction is 0 and stdlib returns NaN.
 */
export function kruskalWallis(groups: readonly (readonly number[])[]): KruskalWallisResult {
  requireGroups(groups, 'Kruskal–Wallis test', 2);
  const df = groups.length - 1;
  const first = groups[0]?.[0];
  if (groups.every((group) => group.every((v) => v === first))) {
    const reason = 'every value is equal, so there is nothing to rank';
    return { test: 'kruskal-wallis', statistic: null, pValue: null, df, reason };
  }
  const [head = [], ...rest] = groups.map((group) => [...group]);
  const result = kruskalTest(head, ...rest);
  return { test: 'kruskal-wallis', statistic: result.statistic, pValue: result.pValue, df, reason: null };
}
