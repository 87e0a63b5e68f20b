/**
 * Cross-validation by fold: the metrics of each rolling-origin window on its own, and their mean,
 * standard deviation, minimum and maximum across folds — how stable a model's error is from one
 * origin to the next, which the pooled metrics hide.
 */
import { evaluate, type EvaluatedPoint } from './evaluate.js';
import type { MetricValues } from './metrics.js';

/** A cross-validation point: its window's cutoff is required. */
export type FoldPoint = EvaluatedPoint & { readonly cutoff: string | number };

/** One fold's metrics. */
export interface FoldMetrics {
  /** 0 = the earliest window of every series. */
  readonly fold: number;
  /** The fold's cutoffs (one when the series end together). */
  readonly cutoffs: readonly (string | number)[];
  readonly points: number;
  readonly metrics: MetricValues;
}

/** A metric across folds; `folds` counts the folds where it was defined. */
export interface FoldSummary {
  readonly mean: number;
  /** Sample standard deviation (n - 1); null with a single fold. */
  readonly std: number | null;
  readonly min: number;
  readonly max: number;
  readonly folds: number;
}

/** Per-fold metrics and their summary by metric (null where no fold defines the metric). */
export interface FoldEvaluation {
  readonly folds: readonly FoldMetrics[];
  readonly summary: Readonly<Record<keyof MetricValues, FoldSummary | null>>;
}

/** What fold metrics need besides the points. */
export interface FoldOptions {
  /** A series' observed values up to and including `cutoff` (MASE's training values for that fold). */
  readonly histories: (uniqueId: string, cutoff: string | number) => readonly number[];
  /** Season length of MASE's naive scale. @default 1 */
  readonly seasonality?: number;
}

const byCutoff = (a: string | number, b: string | number): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));

/** Mean, sample standard deviation, minimum and maximum of the defined values; null when none is. */
export function summarizeFolds(values: readonly (number | null)[]): FoldSummary | null {
  const defined = values.filter((value): value is number => value !== null);
  if (defined.length === 0) return null;
  const mean = defined.reduce((sum, value) => sum + value, 0) / defined.length;
  const squares = defined.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return {
    mean,
    std: defined.length < 2 ? null : Math.sqrt(squares / (defined.length - 1)),
    min: Math.min(...defined),
    max: Math.max(...defined),
    folds: defined.length,
  };
}

/**
 * Splits cross-validation points into folds — the k-th cutoff of each series (in time order) is
 * fold k, so series that end on different dates still line up by window — and evaluates each.
 */
export function evaluateFolds(points: readonly FoldPoint[], options: FoldOptions): FoldEvaluation {
  const cutoffsBySeries = new Map<string, (string | number)[]>();
  for (const point of points) {
    const cutoffs = cutoffsBySeries.get(point.uniqueId) ?? [];
    if (!cutoffs.includes(point.cutoff)) cutoffs.push(point.cutoff);
    cutoffsBySeries.set(point.uniqueId, cutoffs);
  }
  for (const cutoffs of cutoffsBySeries.values()) cutoffs.sort(byCutoff);
  const grouped: FoldPoint[][] = [];
  for (const point of points) {
    const fold = cutoffsBySeries.get(point.uniqueId)?.indexOf(point.cutoff) ?? 0;
    (grouped[fold] ??= []).push(point);
  }
  const folds = grouped.map((foldPoints, fold): FoldMetrics => {
    const cutoffOf = new Map(foldPoints.map((point) => [point.uniqueId, point.cutoff]));
    const train = Object.fromEntries(
      [...cutoffOf].map(([id, cutoff]) => [id, [...options.histories(id, cutoff)]]),
    );
    const evaluation = evaluate(foldPoints, { train, seasonality: options.seasonality ?? 1 });
    return {
      fold,
      cutoffs: [...new Set(cutoffOf.values())].sort(byCutoff),
      points: evaluation.points,
      metrics: evaluation.overall,
    };
  });
  const keys = Object.keys(folds[0]?.metrics ?? {}) as (keyof MetricValues)[];
  const summary = Object.fromEntries(
    keys.map((key) => [key, summarizeFolds(folds.map((fold) => fold.metrics[key]))]),
  ) as Record<keyof MetricValues, FoldSummary | null>;
  return { folds, summary };
}
