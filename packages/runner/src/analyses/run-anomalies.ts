/**
 * Residual anomalies of a finished run (issue 16): each series' cross-validation (or test-part)
 * residuals, actual − forecast, scored by one of @nflab/analysis's detectors against a reference
 * segment; the flagged points replace the run's earlier ones of that method in
 * nf_residual_anomalies.
 */
import { ANOMALY_DETECTORS, type AnomalyResult } from '@nflab/analysis';
import {
  ConfigError,
  ConflictError,
  parseInput,
  RUN_ANOMALY_LIMITS,
  runAnomaliesRequestSchema,
  type AnomalyMethod,
  type AnomalyReference,
  type RunAnomaliesDto,
} from '@nflab/contracts';
import {
  getRun,
  listRunPoints,
  replaceResidualAnomalies,
  type Queryable,
  type RunPointRow,
} from '@nflab/store';

/** The detector's settings (each applies only to the detectors that read it). */
export interface RunAnomalyOptions {
  /** @default 'first_half' */
  readonly reference?: AnomalyReference;
  /** zscore and mad: |z| above this is flagged. @default 3 (zscore), 3.5 (mad) */
  readonly threshold?: number;
  /** cusum: slack in σ; iqr: fence distance in IQRs. @default 0.5 (cusum), 1.5 (iqr) */
  readonly k?: number;
  /** cusum: decision interval in σ. @default 5 */
  readonly h?: number;
}

/** Which run to score and how. */
export interface DetectRunAnomaliesOptions {
  readonly db: Queryable;
  readonly runId: string;
  readonly method: AnomalyMethod;
  readonly options?: RunAnomalyOptions;
}

/** What was scored, what was flagged (as stored) and what could not be scored. */
export type RunAnomalies = RunAnomaliesDto;

type Series = { uniqueId: string; model: string; days: string[]; residuals: number[] };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One residual per (model, series, day). Overlapping cross-validation windows forecast a day from
 * several cutoffs; the latest cutoff's forecast (the shortest horizon) is kept, so each day counts
 * once and the sequence is in time order, as the detectors (CUSUM above all) assume.
 */
const residualSeries = (rows: readonly RunPointRow[]): Series[] => {
  const byKey = new Map<string, { uniqueId: string; model: string; byDay: Map<string, number> }>();
  for (const row of rows) {
    if (row.y === null) continue;
    const key = JSON.stringify([row.model, row.unique_id]);
    let series = byKey.get(key);
    if (series === undefined) {
      series = { uniqueId: row.unique_id, model: row.model, byDay: new Map() };
      byKey.set(key, series);
    }
    // Rows come ordered by cutoff within a series: a later cutoff overwrites an earlier one.
    series.byDay.set(String(row.ds), row.y - row.value);
  }
  return [...byKey.values()].map(({ uniqueId, model, byDay }) => {
    const days = [...byDay.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    return { uniqueId, model, days, residuals: days.map((day) => byDay.get(day)!) };
  });
};

const detect = (
  method: AnomalyMethod,
  residuals: readonly number[],
  reference: readonly number[] | undefined,
  options: RunAnomalyOptions,
): AnomalyResult => {
  const base = reference === undefined ? {} : { reference };
  const { threshold, k, h } = options;
  switch (method) {
    case 'zscore':
    case 'mad':
      return ANOMALY_DETECTORS[method](residuals, {
        ...base,
        ...(threshold === undefined ? {} : { threshold }),
      });
    case 'cusum':
      return ANOMALY_DETECTORS.cusum(residuals, {
        ...base,
        ...(k === undefined ? {} : { k }),
        ...(h === undefined ? {} : { h }),
      });
    case 'iqr':
      return ANOMALY_DETECTORS.iqr(residuals, { ...base, ...(k === undefined ? {} : { k }) });
  }
};

const readPoints = async (db: Queryable, runId: string): Promise<RunPointRow[]> => {
  const run = await getRun(db, runId);
  if (run.status !== 'finished') {
    throw new ConflictError(
      `run ${runId} is ${run.status}; residual anomalies are detected on a finished run's evaluated forecasts`,
    );
  }
  const rows = await listRunPoints(db, [runId], RUN_ANOMALY_LIMITS.maxPoints + 1);
  if (rows.length > RUN_ANOMALY_LIMITS.maxPoints) {
    throw new ConfigError(
      `run ${runId} has more than ${RUN_ANOMALY_LIMITS.maxPoints} evaluated points (RUN_ANOMALY_LIMITS.maxPoints); too many to score in one request`,
    );
  }
  if (!rows.some((row) => row.y !== null)) {
    throw new ConfigError(
      `run ${runId} has no cross-validation or test forecasts with known actuals to score; run cross-validation on it first`,
    );
  }
  return rows;
};

/** Scores a finished run's residuals per series, stores the flagged points and returns the summary. */
export const detectRunAnomalies = async (options: DetectRunAnomaliesOptions): Promise<RunAnomalies> => {
  const { db, runId } = options;
  const settings = parseInput(
    runAnomaliesRequestSchema,
    { method: options.method, ...options.options },
    'options',
  );
  const { method, reference } = settings;
  const rows = await readPoints(db, runId);
  const result: { -readonly [K in keyof RunAnomalies]: RunAnomalies[K] } = {
    runId,
    method,
    reference,
    series: [],
    anomalies: [],
    skipped: [],
  };
  for (const series of residualSeries(rows)) {
    const skip = (reason: string): void => {
      result.skipped.push({ uniqueId: series.uniqueId, model: series.model, reason });
    };
    if (!series.days.every((day) => ISO_DAY.test(day))) {
      skip('the series is indexed by integer positions, not days, and anomalies are stored by day');
      continue;
    }
    // The first half of a series' residuals is the reference by default: they are the earliest
    // out-of-sample errors, before the later windows a monitor is asked about, so a burst of late
    // anomalies cannot inflate the scale meant to expose it (masking), and the scores of the later
    // half do not move when more points arrive. Half keeps the reference as large as the scored
    // future; 'self' scores the whole history against itself (retrospective screening).
    const segment =
      reference === 'first_half'
        ? series.residuals.slice(0, Math.floor(series.residuals.length / 2))
        : undefined;
    let scored: AnomalyResult;
    try {
      scored = detect(method, series.residuals, segment, settings);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      skip(`${error.message} (${series.residuals.length} residuals)`);
      continue;
    }
    result.series.push({
      uniqueId: series.uniqueId,
      model: series.model,
      points: series.residuals.length,
      referencePoints: segment?.length ?? series.residuals.length,
      center: scored.center,
      scale: scored.scale,
      threshold: scored.threshold,
      flagged: scored.flaggedIndices.length,
    });
    for (const i of scored.flaggedIndices) {
      result.anomalies.push({
        unique_id: series.uniqueId,
        ds: series.days[i]!,
        model: series.model,
        residual: series.residuals[i]!,
        score: scored.scores[i]!,
        method,
        threshold: scored.threshold,
      });
    }
  }
  await replaceResidualAnomalies(db, runId, method, result.anomalies);
  return result;
};
