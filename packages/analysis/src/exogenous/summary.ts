import { ConfigError } from '@nflab/contracts';
import padjust from '@stdlib/stats-padjust';
import { pearsonCorrelation, spearmanCorrelation, type CorrelationResult } from './correlation.js';
import { crossCorrelation, type CrossCorrelationLag } from './cross-correlation.js';
import { grangerCausality, minGrangerPoints, type GrangerCriterion, type GrangerResult } from './granger.js';
import { kendallTauB } from './kendall.js';
import { mutualInformation, type MutualInformationResult } from './mutual-information.js';
import { requireAlignedSeries } from './validate.js';

/** Caps on one summary request: every (series, column) pair runs all tests, so requests can be costly. */
export const EXOGENOUS_SUMMARY_LIMITS = {
  /** Largest crossCorrelationMaxLag and grangerMaxLag (a year of weekly draws). */
  maxLag: 52,
  /** Largest number of (series, column) pairs in one request. */
  maxPairs: 200,
  /**
   * Largest Granger least-squares work, Σ over pairs of Σ_{p=1..P} (n − p)(2p + 1)² + (n − P)(2P + 1)²
   * (QR costs rows × columns²); 4e9 is about 10 s here. It binds only for long lags: 21 pairs of
   * 1000 points at P = 52, while P = 12 fits the 200-pair limit.
   */
  maxGrangerWork: 4e9,
} as const;

/** The least-squares work of Granger tests up to lag P on n points (see EXOGENOUS_SUMMARY_LIMITS.maxGrangerWork). */
export function grangerWork(n: number, maxLag: number): number {
  let work = (n - maxLag) * (2 * maxLag + 1) ** 2; // the common-sample fit for the lag choice
  for (let p = 1; p <= maxLag; p++) work += (n - p) * (2 * p + 1) ** 2;
  return work;
}

/** One series of a table: its target values and exogenous columns, all aligned by time, oldest first. */
export interface ExogenousSeriesInput {
  readonly uniqueId: string;
  readonly y: readonly number[];
  /** Exogenous columns by name (hist_*, stat_*, futr_*), each as long as `y`. */
  readonly columns: Readonly<Record<string, readonly number[]>>;
}

/** Options for {@link tableExogenousSummary}. */
export interface ExogenousSummaryOptions {
  /** Lags 0…K of corr(y_t, x_{t−k}); every series needs K + 3 points. @default 10 */
  readonly crossCorrelationMaxLag?: number;
  /** Granger lags 1…p; every series needs 3p + 2 points. @default 4 */
  readonly grangerMaxLag?: number;
  /** Criterion choosing the reported Granger lag. @default 'aic' */
  readonly grangerCriterion?: GrangerCriterion;
  /** KSG neighbours for mutual information. @default 3 */
  readonly neighbors?: number;
  /** Seed of the mutual-information tie-breaking noise; null for none. @default 0 */
  readonly noiseSeed?: number | null;
}

/** The p-value families that are adjusted across all (series, column) pairs. */
export type ExogenousTestId = 'pearson' | 'spearman' | 'kendall' | 'crossCorrelation' | 'granger';

/** Holm (family-wise error) and Benjamini–Hochberg (false discovery rate) adjusted p-values. */
export interface AdjustedPValues {
  readonly holm: number | null;
  readonly bh: number | null;
}

/** Everything measured for one exogenous column of one series. */
export interface ExogenousPairSummary {
  readonly uniqueId: string;
  readonly column: string;
  readonly n: number;
  readonly pearson: CorrelationResult;
  readonly spearman: CorrelationResult;
  readonly kendall: CorrelationResult;
  readonly crossCorrelation: {
    readonly lags: readonly CrossCorrelationLag[];
    /** The lag with the largest |r|, or null when no lag is defined. */
    readonly best: CrossCorrelationLag | null;
    /** The best lag's p-value × (K + 1), capped at 1 (Bonferroni for having picked the best of K + 1 lags). */
    readonly bestPValueLagAdjusted: number | null;
  };
  readonly mutualInformation: MutualInformationResult;
  readonly granger: GrangerResult;
  /** Per test family, adjusted across all pairs that have a p-value for that test. */
  readonly adjusted: Readonly<Record<ExogenousTestId, AdjustedPValues>>;
}

/** Per-pair results and the number of p-values each family was adjusted for. */
export interface ExogenousSummary {
  readonly pairs: readonly ExogenousPairSummary[];
  /** m of each family: the pairs that had a p-value for that test. */
  readonly testCounts: Readonly<Record<ExogenousTestId, number>>;
}

const TEST_IDS = [
  'pearson',
  'spearman',
  'kendall',
  'crossCorrelation',
  'granger',
] as const satisfies readonly ExogenousTestId[];

function requireSummaryLag(value: number, label: string, min: number): number {
  const max = EXOGENOUS_SUMMARY_LIMITS.maxLag;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${label} must be an integer from ${min} to ${max} (EXOGENOUS_SUMMARY_LIMITS.maxLag), got ${String(value)}`,
    );
  }
  return value;
}

/** Checks every pair's alignment, values and length up front, so an error names its series and column. */
function validateTable(
  series: readonly ExogenousSeriesInput[],
  crossMaxLag: number,
  grangerMaxLag: number,
): number {
  const minimum = Math.max(crossMaxLag + 3, minGrangerPoints(grangerMaxLag));
  let pairs = 0;
  let work = 0;
  for (const { uniqueId, y, columns } of series) {
    for (const [name, x] of Object.entries(columns)) {
      pairs++;
      work += grangerWork(y.length, grangerMaxLag);
      requireAlignedSeries(y, x, minimum, {
        y: `series '${uniqueId}' y`,
        x: `series '${uniqueId}' column '${name}'`,
        what: `series '${uniqueId}' (crossCorrelationMaxLag ${crossMaxLag} needs K + 3 points and grangerMaxLag ${grangerMaxLag} needs 3p + 2; lower them for short series)`,
      });
    }
  }
  if (pairs > EXOGENOUS_SUMMARY_LIMITS.maxPairs) {
    throw new ConfigError(
      `an exogenous summary covers at most ${EXOGENOUS_SUMMARY_LIMITS.maxPairs} (series, column) pairs (EXOGENOUS_SUMMARY_LIMITS.maxPairs), got ${pairs}; request fewer series or columns`,
    );
  }
  const { maxGrangerWork } = EXOGENOUS_SUMMARY_LIMITS;
  if (work > maxGrangerWork) {
    throw new ConfigError(
      `Granger tests up to grangerMaxLag ${grangerMaxLag} on ${pairs} pairs need ${work.toExponential(2)} units of least-squares work, above the limit ${maxGrangerWork.toExponential(0)} (EXOGENOUS_SUMMARY_LIMITS.maxGrangerWork); lower grangerMaxLag or request fewer series or columns`,
    );
  }
  return pairs;
}

/**
 * Holm and BH adjustment of one family with @stdlib/stats-padjust (same step-down/step-up formulas as
 * statsmodels' multipletests 'holm' and 'fdr_bh'); nulls are left out and stay null. Kept private and
 * minimal: a general adjustPValues belongs to src/comparison/.
 */
function adjustFamily(pValues: readonly (number | null)[]): AdjustedPValues[] {
  const present = pValues.flatMap((p, index) => (p === null ? [] : [index]));
  const result: AdjustedPValues[] = pValues.map(() => ({ holm: null, bh: null }));
  if (present.length === 0) return result;
  const values = present.map((index) => pValues[index] ?? 1);
  const holm = padjust(values, 'holm');
  const bh = padjust(values, 'bh');
  present.forEach((index, k) => {
    result[index] = { holm: holm[k] ?? null, bh: bh[k] ?? null };
  });
  return result;
}

/**
 * Exogenous analysis of a table: for every (series, exogenous column) pair, Pearson/Spearman/Kendall
 * with p-values, cross-correlation by lag, KSG mutual information and Granger tests by lag, with each
 * test's p-values adjusted (Holm and BH) across all pairs.
 */
export function tableExogenousSummary(
  series: readonly ExogenousSeriesInput[],
  options: ExogenousSummaryOptions = {},
): ExogenousSummary {
  const crossMaxLag = requireSummaryLag(options.crossCorrelationMaxLag ?? 10, 'crossCorrelationMaxLag', 0);
  const grangerMaxLag = requireSummaryLag(options.grangerMaxLag ?? 4, 'grangerMaxLag', 1);
  validateTable(series, crossMaxLag, grangerMaxLag);
  const unadjusted = series.flatMap(({ uniqueId, y, columns }) =>
    Object.entries(columns).map(([column, x]) => {
      const cross = crossCorrelation(y, x, { maxLag: crossMaxLag });
      const bestP = cross.best?.pValue ?? null;
      return {
        uniqueId,
        column,
        n: y.length,
        pearson: pearsonCorrelation(y, x),
        spearman: spearmanCorrelation(y, x),
        kendall: kendallTauB(y, x),
        crossCorrelation: {
          lags: cross.lags,
          best: cross.best,
          bestPValueLagAdjusted: bestP === null ? null : Math.min(1, bestP * (crossMaxLag + 1)),
        },
        mutualInformation: mutualInformation(y, x, {
          neighbors: options.neighbors ?? 3,
          noiseSeed: options.noiseSeed ?? 0,
        }),
        granger: grangerCausality(y, x, {
          maxLag: grangerMaxLag,
          criterion: options.grangerCriterion ?? 'aic',
        }),
      };
    }),
  );
  const familyPValues: Record<ExogenousTestId, (number | null)[]> = {
    pearson: unadjusted.map((pair) => pair.pearson.pValue),
    spearman: unadjusted.map((pair) => pair.spearman.pValue),
    kendall: unadjusted.map((pair) => pair.kendall.pValue),
    crossCorrelation: unadjusted.map((pair) => pair.crossCorrelation.bestPValueLagAdjusted),
    granger: unadjusted.map((pair) => pair.granger.selected?.ssrFTest?.pValue ?? null),
  };
  const adjustedByFamily = Object.fromEntries(
    TEST_IDS.map((id) => [id, adjustFamily(familyPValues[id])]),
  ) as Record<ExogenousTestId, AdjustedPValues[]>;
  const pairs = unadjusted.map((pair, index) => ({
    ...pair,
    adjusted: Object.fromEntries(
      TEST_IDS.map((id) => [id, adjustedByFamily[id][index] ?? { holm: null, bh: null }]),
    ) as Record<ExogenousTestId, AdjustedPValues>,
  }));
  const testCounts = Object.fromEntries(
    TEST_IDS.map((id) => [id, familyPValues[id].filter((p) => p !== null).length]),
  ) as Record<ExogenousTestId, number>;
  return { pairs, testCounts };
}
