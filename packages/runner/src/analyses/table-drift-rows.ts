/** A table drift check as nf_drift_metrics rows: one per statistic, the decision on the test's row. */
import type { NewDriftMetric } from '@nflab/store';
import type { ColumnDriftCheck, TableDriftSummary, UniformityCheck } from './table-drift.js';

type Thresholds = TableDriftSummary['thresholds'];

const columnRows = (check: ColumnDriftCheck, thresholds: Thresholds): NewDriftMetric[] => {
  const { drift } = check;
  const base = { unique_id: check.uniqueId, feature: check.column };
  const details = { kind: drift.kind, n_reference: drift.nReference, n_current: drift.nCurrent };
  const info = (metric: string, value: number): NewDriftMetric => ({
    ...base,
    metric,
    value,
    p_value: null,
    threshold: null,
    drifted: null,
    details,
  });
  const test: NewDriftMetric = {
    ...base,
    metric: drift.kind === 'continuous' ? 'ks' : 'chi2',
    value: drift.kind === 'continuous' ? drift.ks.statistic : drift.chiSquare.statistic,
    p_value: check.pValue,
    threshold: thresholds.pValue,
    drifted: check.drifted,
    details: {
      ...details,
      adjusted_p_value: check.adjustedPValue,
      p_adjust: thresholds.pAdjust,
      ...(drift.kind === 'discrete' ? { dof: drift.chiSquare.dof } : {}),
    },
  };
  const psi: NewDriftMetric = {
    ...info('psi', drift.psi),
    threshold: thresholds.psi,
    drifted: thresholds.psi === null ? null : drift.psi >= thresholds.psi,
  };
  return [
    test,
    psi,
    info('js', drift.jensenShannonDistance),
    info('kl', drift.klCurrentVsReference),
    ...(drift.kind === 'continuous' ? [info('wasserstein', drift.wasserstein)] : []),
  ];
};

const uniformityRows = (uniformity: UniformityCheck, thresholds: Thresholds): NewDriftMetric[] => {
  const details = (u: UniformityCheck['current']): Record<string, unknown> => ({
    draws: u.draws,
    dof: u.dof,
    pearson_statistic: u.statistic,
    sampling: u.sampling,
    expected: u.expected,
    counts: u.counts,
  });
  const rows: NewDriftMetric[] = [
    {
      unique_id: null,
      feature: 'numbers',
      metric: 'uniformity_chi2',
      value: uniformity.current.correctedStatistic,
      p_value: uniformity.current.pValue,
      threshold: thresholds.pValue,
      drifted: uniformity.drifted,
      details: { ...details(uniformity.current), adjusted_p_value: uniformity.adjustedPValue },
    },
  ];
  if (uniformity.reference !== null) {
    rows.push({
      unique_id: null,
      feature: 'numbers',
      metric: 'uniformity_chi2_reference',
      value: uniformity.reference.correctedStatistic,
      p_value: uniformity.reference.pValue,
      threshold: null,
      drifted: null,
      details: details(uniformity.reference),
    });
  }
  return rows;
};

/** Every row a check stores: per column its test, PSI, JS, KL (and Wasserstein), then the uniformity tests. */
export const driftRows = (
  checks: readonly ColumnDriftCheck[],
  uniformity: UniformityCheck | null,
  thresholds: Thresholds,
): NewDriftMetric[] => [
  ...checks.flatMap((check) => columnRows(check, thresholds)),
  ...(uniformity === null ? [] : uniformityRows(uniformity, thresholds)),
];
