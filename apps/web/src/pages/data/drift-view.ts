/**
 * A stored drift check's rows (one per statistic) reshaped for the data page: one line per
 * (series, column) with its test, corrected p-value and distances, and the drawn numbers'
 * uniformity verdict.
 */
import type { StoredDriftCheck } from '../../api/types.js';

/** One tested (series, column) pair. */
export interface DriftColumnLine {
  readonly uniqueId: string;
  readonly column: string;
  /** `ks` for a continuous column, `chi2` for a discrete one. */
  readonly test: string;
  readonly statistic: number;
  readonly pValue: number | null;
  readonly adjustedPValue: number | null;
  readonly psi: number | null;
  readonly js: number | null;
  readonly kl: number | null;
  readonly wasserstein: number | null;
  readonly drifted: boolean;
}

/** The numbers' chi-square test against the game's uniform draw, in the current window. */
export interface UniformityVerdict {
  readonly statistic: number;
  readonly pValue: number | null;
  readonly adjustedPValue: number | null;
  readonly draws: number | null;
  readonly drifted: boolean;
}

/** A check as the page shows it. */
export interface DriftView {
  readonly columns: readonly DriftColumnLine[];
  readonly uniformity: UniformityVerdict | null;
}

const TESTS = new Set(['ks', 'chi2']);

const numberOr = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** Groups the check's statistics by (series, column); drifted lines first, then by series and column. */
export const driftView = (check: StoredDriftCheck): DriftView => {
  const lines = new Map<string, { -readonly [K in keyof DriftColumnLine]: DriftColumnLine[K] }>();
  let uniformity: UniformityVerdict | null = null;
  for (const metric of check.metrics) {
    if (metric.unique_id === null) {
      if (metric.metric === 'uniformity_chi2')
        uniformity = {
          statistic: metric.value,
          pValue: metric.p_value,
          adjustedPValue: numberOr(metric.details.adjusted_p_value),
          draws: numberOr(metric.details.draws),
          drifted: metric.drifted === true,
        };
      continue;
    }
    const key = `${metric.unique_id}\u0000${metric.feature}`;
    let line = lines.get(key);
    if (line === undefined) {
      line = {
        uniqueId: metric.unique_id,
        column: metric.feature,
        test: '',
        statistic: Number.NaN,
        pValue: null,
        adjustedPValue: null,
        psi: null,
        js: null,
        kl: null,
        wasserstein: null,
        drifted: false,
      };
      lines.set(key, line);
    }
    if (TESTS.has(metric.metric)) {
      line.test = metric.metric;
      line.statistic = metric.value;
      line.pValue = metric.p_value;
      line.adjustedPValue = numberOr(metric.details.adjusted_p_value);
      line.drifted ||= metric.drifted === true;
    } else if (metric.metric === 'psi') {
      line.psi = metric.value;
      // A PSI threshold is a second condition, not a drift of its own: only the test decides.
    } else if (metric.metric === 'js' || metric.metric === 'kl' || metric.metric === 'wasserstein') {
      line[metric.metric] = metric.value;
    }
  }
  const columns = [...lines.values()].sort(
    (a, b) =>
      Number(b.drifted) - Number(a.drifted) ||
      a.uniqueId.localeCompare(b.uniqueId) ||
      a.column.localeCompare(b.column),
  );
  return { columns, uniformity };
};

/** Inclusive ISO-day windows splitting `from..to` in two halves: the reference before the current. */
export const halfWindows = (
  from: string,
  to: string,
): { reference: { from: string; to: string }; current: { from: string; to: string } } => {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const day = 86_400_000;
  const middle = start + Math.floor((end - start) / day / 2) * day;
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { reference: { from, to: iso(middle) }, current: { from: iso(middle + day), to } };
};
