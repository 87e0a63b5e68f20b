import { ConfigError } from '@nflab/contracts';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import { requireGroups } from './inputs.js';

/** Outcome of {@link oneWayAnova}. */
export interface OneWayAnovaResult {
  readonly test: 'one-way-anova';
  /** F = (SSB / (k − 1)) / (SSW / (N − k)); null when every group is constant (see `reason`). */
  readonly statistic: number | null;
  readonly pValue: number | null;
  /** Degrees of freedom between groups (k − 1) and within groups (N − k). */
  readonly dfBetween: number;
  readonly dfWithin: number;
  /** Mean of each group, in input order. */
  readonly groupMeans: number[];
  readonly reason: string | null;
}

/**
 * One-way ANOVA F-test that k groups share one mean, as scipy.stats.f_oneway. Needs at least 2
 * groups, none empty, and more values than groups. Written here rather than with @stdlib/stats-anova1,
 * which takes SSW as SST − SSB and the p-value as 1 − CDF (3e-26 comes out as 0): SSW is summed
 * directly and p = P(F_{k−1,N−k} ≥ F) = F_cdf(1/F; N−k, k−1), which keeps small p-values.
 */
export function oneWayAnova(groups: readonly (readonly number[])[]): OneWayAnovaResult {
  requireGroups(groups, 'one-way ANOVA', 2);
  const k = groups.length;
  const total = groups.reduce((sum, group) => sum + group.length, 0);
  if (total <= k) {
    throw new ConfigError(
      `one-way ANOVA needs more values than groups (N − k ≥ 1), got ${total} values in ${k} groups`,
    );
  }
  const groupMeans = groups.map((group) => group.reduce((sum, v) => sum + v, 0) / group.length);
  const grandMean = groups.reduce((sum, group) => sum + group.reduce((s, v) => s + v, 0), 0) / total;
  let between = 0;
  let within = 0;
  groups.forEach((group, g) => {
    const mean = groupMeans[g] ?? 0;
    between += group.length * (mean - grandMean) ** 2;
    for (const v of group) within += (v - mean) ** 2;
  });
  const base = { test: 'one-way-anova', dfBetween: k - 1, dfWithin: total - k, groupMeans } as const;
  if (!(within > 0)) {
    const reason = 'every group is constant (zero within-group variance), so F is undefined or infinite';
    return { ...base, statistic: null, pValue: null, reason };
  }
  const statistic = between / (k - 1) / (within / (total - k));
  const pValue = statistic > 0 ? fCdf(1 / statistic, total - k, k - 1) : 1;
  return { ...base, statistic, pValue, reason: null };
}
