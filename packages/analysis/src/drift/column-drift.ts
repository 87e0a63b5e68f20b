import { ConfigError } from '@nflab/contracts';
import { requirePositiveInteger } from '../checks.js';
import { chiSquareContingency } from './chi-square-contingency.js';
import { binnedDrift, fractionDrift, wassersteinDistance } from './distances.js';
import { ksTwoSample } from './kolmogorov-smirnov.js';
import { requireSamples } from './samples.js';

/** Whether a column is compared as a continuous quantity or by counts of its values. */
export type ColumnKind = 'continuous' | 'discrete';

/** Every drift statistic that applies to a continuous column. */
export interface ContinuousColumnDrift {
  readonly kind: 'continuous';
  readonly nReference: number;
  readonly nCurrent: number;
  /** Two-sample Kolmogorov–Smirnov: the column's test. */
  readonly ks: { readonly statistic: number; readonly pValue: number };
  /** PSI, KL and JS over deciles of the reference. */
  readonly psi: number;
  readonly klCurrentVsReference: number;
  readonly jensenShannonDistance: number;
  /** In the column's units. */
  readonly wasserstein: number;
}

/** Every drift statistic that applies to a discrete column (integer codes, lottery numbers). */
export interface DiscreteColumnDrift {
  readonly kind: 'discrete';
  readonly nReference: number;
  readonly nCurrent: number;
  /** Values seen in either window, ascending, with their counts in each. */
  readonly categories: readonly number[];
  readonly referenceCounts: readonly number[];
  readonly currentCounts: readonly number[];
  /** Chi-square test of independence of window × value: the column's test. */
  readonly chiSquare: { readonly statistic: number; readonly pValue: number; readonly dof: number };
  /** PSI, KL and JS over the value categories. */
  readonly psi: number;
  readonly klCurrentVsReference: number;
  readonly jensenShannonDistance: number;
}

/** {@link columnDrift}'s result: its `kind` says which statistics it holds. */
export type ColumnDrift = ContinuousColumnDrift | DiscreteColumnDrift;

/** The p-value of a column's test (KS or chi-square). */
export const columnDriftPValue = (drift: ColumnDrift): number =>
  drift.kind === 'continuous' ? drift.ks.pValue : drift.chiSquare.pValue;

/** Most distinct values a column may have to be treated as discrete by {@link inferColumnKind}. */
export const MAX_DISCRETE_CATEGORIES = 64;

/**
 * `discrete` when every value is an integer and there are at most `maxCategories` distinct values
 * (lottery numbers: 43 for loto6), else `continuous`. KS on such data is conservative (ties), which
 * is why counts are compared instead.
 */
export function inferColumnKind(
  values: readonly number[],
  maxCategories: number = MAX_DISCRETE_CATEGORIES,
): ColumnKind {
  requirePositiveInteger(maxCategories, 'maxCategories');
  const seen = new Set<number>();
  for (const value of values) {
    if (!Number.isInteger(value)) return 'continuous';
    seen.add(value);
    if (seen.size > maxCategories) return 'continuous';
  }
  return 'discrete';
}

function continuousDrift(reference: readonly number[], current: readonly number[]): ContinuousColumnDrift {
  const ks = ksTwoSample(reference, current);
  const binned = binnedDrift(reference, current);
  return {
    kind: 'continuous',
    nReference: reference.length,
    nCurrent: current.length,
    ks: { statistic: ks.statistic, pValue: ks.pValue },
    psi: binned.psi,
    klCurrentVsReference: binned.klCurrentVsReference,
    jensenShannonDistance: binned.jensenShannonDistance,
    wasserstein: wassersteinDistance(reference, current),
  };
}

function discreteDrift(reference: readonly number[], current: readonly number[]): DiscreteColumnDrift {
  const categories = [...new Set([...reference, ...current])].sort((a, b) => a - b);
  const index = new Map(categories.map((value, i) => [value, i]));
  const count = (values: readonly number[]): number[] => {
    const counts = new Array<number>(categories.length).fill(0);
    for (const value of values) counts[index.get(value) ?? 0]! += 1;
    return counts;
  };
  const referenceCounts = count(reference);
  const currentCounts = count(current);
  // Rows are values, columns the two windows: every row is non-empty because a value came from one.
  const test = chiSquareContingency(categories.map((_, i) => [referenceCounts[i]!, currentCounts[i]!]));
  return {
    kind: 'discrete',
    nReference: reference.length,
    nCurrent: current.length,
    categories,
    referenceCounts,
    currentCounts,
    chiSquare: { statistic: test.statistic, pValue: test.pValue, dof: test.dof },
    ...fractionDrift(
      referenceCounts.map((c) => c / reference.length),
      currentCounts.map((c) => c / current.length),
    ),
  };
}

/**
 * All drift statistics of one column between a reference and a current window: KS (with p), PSI,
 * KL, JS and Wasserstein for a continuous column; chi-square on the value counts (with p), PSI, KL
 * and JS for a discrete one. The same function serves prediction drift (a model's forecasts in two
 * windows). Discrete values must be integers.
 */
export function columnDrift(
  reference: readonly number[],
  current: readonly number[],
  kind: ColumnKind,
): ColumnDrift {
  requireSamples(reference, current);
  if (kind === 'continuous') return continuousDrift(reference, current);
  if (kind !== 'discrete') throw new ConfigError(`kind must be continuous or discrete, got ${String(kind)}`);
  for (const [label, values] of [
    ['reference', reference],
    ['current', current],
  ] as const) {
    const at = values.findIndex((value) => !Number.isInteger(value));
    if (at >= 0) {
      throw new ConfigError(
        `${label}[${at}] must be an integer for a discrete column, got ${String(values[at])}; use kind continuous`,
      );
    }
  }
  return discreteDrift(reference, current);
}
