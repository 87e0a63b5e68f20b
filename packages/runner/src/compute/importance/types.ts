/** What an importance run computes: ranked rows per column and series, and the run's summary. */
import type { ExogKind } from '@nflab/contracts';
import type { JsonValue } from '@nflab/tune';

/** One column's importance over every series (`uniqueId` null) or over one series' windows. */
export interface ImportanceRow {
  readonly feature: string;
  readonly uniqueId: string | null;
  /** permutation: mean MAE increase; kernel_shap / integrated_gradients: mean |value| over the windows. */
  readonly importance: number;
  readonly std: number | null;
  /** Interval of `importance` (permutation only: over the repeats). */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  /** 1 = most important among the rows of the same `uniqueId`. */
  readonly rank: number;
  readonly details: Readonly<Record<string, JsonValue>>;
}

/** One column in the all-series ranking of the summary. */
export interface RankedFeature {
  readonly feature: string;
  readonly kind: ExogKind;
  readonly importance: number;
  readonly rank: number;
}

/** One evaluation window as the summary names it. */
export interface SummaryWindow {
  readonly unique_id: string;
  readonly cutoff: string | number;
}

/** What every method's summary holds. */
interface SummaryBase {
  /** Evaluation windows, in the order of every per-window list of the rows' details. */
  readonly windows: readonly SummaryWindow[];
  readonly series: number;
  /** The all-series ranking, most important first. */
  readonly ranking: readonly RankedFeature[];
}

/** Summary of a permutation importance run. */
export interface PermutationSummary extends SummaryBase {
  readonly method: 'permutation';
  /** MAE of the untouched model over the windows' observed horizon points. */
  readonly baseline_mae: number;
  readonly repeats: number;
  readonly seed: number;
}

/** Summary of a KernelSHAP run; `values` of a row's details line up with `windows`. */
export interface KernelShapSummary extends SummaryBase {
  readonly method: 'kernel_shap';
  readonly nsamples: number | 'auto';
  readonly seed: number;
  /** Per window: f(x), the expected value E[f] over the background, and whether every coalition was evaluated. */
  readonly window_values: readonly {
    readonly fx: number;
    readonly expected_value: number;
    readonly exact: boolean;
  }[];
}

/** Summary of an integrated-gradients run; `values` of a row's details line up with `windows`. */
export interface IntegratedGradientsSummary extends SummaryBase {
  readonly method: 'integrated_gradients';
  readonly steps: number;
  /** Per window: f(x), f(baseline) and Σ attributions − (f(x) − f(baseline)), the quadrature error. */
  readonly window_values: readonly {
    readonly fx: number;
    readonly f_baseline: number;
    readonly completeness_gap: number;
  }[];
}

/** The run's `metrics.importance`. */
export type ImportanceSummary = PermutationSummary | KernelShapSummary | IntegratedGradientsSummary;

/** What the importance operation returns for the run's records (the method is the summary's). */
export interface FeatureImportance {
  readonly rows: readonly ImportanceRow[];
  readonly summary: ImportanceSummary;
}
