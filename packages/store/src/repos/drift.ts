/**
 * Drift measurements (nf_drift_metrics) and residual anomalies (nf_residual_anomalies): written a
 * check or a detector's batch at a time, and read back as the latest check of each data table.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db.js';
import type { DriftMetricRow, ResidualAnomalyRow } from '../schema/tables.js';

/** One statistic of a drift check: a column (`feature`) of one series or of all (`unique_id` null). */
export type NewDriftMetric = Pick<
  DriftMetricRow,
  'unique_id' | 'feature' | 'metric' | 'value' | 'p_value' | 'threshold' | 'drifted'
> & { readonly details?: Record<string, unknown> };

/** What a check measured: its subject (a run, a registered model or a table), its windows, its rows. */
export interface NewDriftCheck {
  readonly run_id?: string | null;
  readonly registry_id?: number | null;
  readonly table_name?: string | null;
  readonly loto?: string | null;
  /** ISO days (`YYYY-MM-DD`), inclusive. */
  readonly reference_start: string | null;
  readonly reference_end: string | null;
  readonly window_start: string | null;
  readonly window_end: string | null;
  readonly metrics: readonly NewDriftMetric[];
}

const DRIFT_COLUMNS =
  'id, run_id, registry_id, unique_id, feature, metric, value, p_value, reference_start, reference_end, ' +
  'window_start, window_end, at, table_name, loto, check_id, threshold, drifted, details';

/**
 * Stores a drift check's rows under one new check id and returns it. One statement, so the rows
 * land together or not at all; they travel as one JSON array (values must be finite, as JSON holds
 * no NaN or Infinity). A check with no rows stores nothing.
 */
export const insertDriftCheck = async (db: Queryable, check: NewDriftCheck): Promise<{ checkId: string }> => {
  const checkId = randomUUID();
  if (check.metrics.length === 0) return { checkId };
  await db.query(
    `INSERT INTO nf_drift_metrics
       (run_id, registry_id, table_name, loto, check_id, reference_start, reference_end, window_start,
        window_end, unique_id, feature, metric, value, p_value, threshold, drifted, details)
     SELECT $1::uuid, $2::bigint, $3::text, $4::text, $5::uuid, $6::date, $7::date, $8::date, $9::date,
            r->>'unique_id', r->>'feature', r->>'metric',
            (r->>'value')::float8, (r->>'p_value')::float8, (r->>'threshold')::float8,
            (r->>'drifted')::boolean, COALESCE(r->'details', '{}'::jsonb)
       FROM jsonb_array_elements($10::jsonb) AS batch(r)`,
    [
      check.run_id ?? null,
      check.registry_id ?? null,
      check.table_name ?? null,
      check.loto ?? null,
      checkId,
      check.reference_start,
      check.reference_end,
      check.window_start,
      check.window_end,
      JSON.stringify(check.metrics),
    ],
  );
  return { checkId };
};

/** Which tables {@link latestTableDriftChecks} reads: one table, one game, or all. */
export interface LatestDriftFilter {
  readonly table?: string;
  readonly loto?: string;
}

/**
 * The rows of the newest check of each data table and game (optionally one table or game), by
 * table, game and then in the order the check wrote them.
 */
export const latestTableDriftChecks = async (
  db: Queryable,
  filter: LatestDriftFilter = {},
): Promise<DriftMetricRow[]> => {
  const { rows } = await db.query<DriftMetricRow>(
    `WITH latest AS (
       SELECT DISTINCT ON (table_name, loto) check_id
         FROM nf_drift_metrics
        WHERE table_name IS NOT NULL
          AND ($1::text IS NULL OR table_name = $1) AND ($2::text IS NULL OR loto = $2)
        ORDER BY table_name, loto, at DESC, id DESC
     )
     SELECT ${DRIFT_COLUMNS} FROM nf_drift_metrics
      WHERE check_id IN (SELECT check_id FROM latest)
      ORDER BY table_name, loto, id`,
    [filter.table ?? null, filter.loto ?? null],
  );
  return rows;
};

/** One flagged residual of a run, as a detector scored it. */
export type NewResidualAnomaly = Omit<ResidualAnomalyRow, 'id' | 'run_id' | 'created_at'>;

/** Stores a run's flagged residuals in one statement (all or none); nothing is sent for an empty list. */
export const insertResidualAnomalies = async (
  db: Queryable,
  runId: string,
  rows: readonly NewResidualAnomaly[],
): Promise<void> => {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO nf_residual_anomalies (run_id, unique_id, ds, model, residual, score, method, threshold)
     SELECT $1::uuid, r->>'unique_id', (r->>'ds')::date, r->>'model', (r->>'residual')::float8,
            (r->>'score')::float8, r->>'method', (r->>'threshold')::float8
       FROM jsonb_array_elements($2::jsonb) AS batch(r)`,
    [runId, JSON.stringify(rows)],
  );
};

/** A run's residual anomalies by series, day and method, optionally of one method. */
export const listResidualAnomalies = async (
  db: Queryable,
  runId: string,
  method?: string,
): Promise<ResidualAnomalyRow[]> => {
  const { rows } = await db.query<ResidualAnomalyRow>(
    `SELECT id, run_id, unique_id, ds, model, residual, score, method, threshold, created_at
       FROM nf_residual_anomalies
      WHERE run_id = $1 AND ($2::text IS NULL OR method = $2)
      ORDER BY unique_id, ds, method, id`,
    [runId, method ?? null],
  );
  return rows;
};

/**
 * Replaces a run's residual anomalies of one method with `rows`, in one statement (the old rows
 * go and the new ones land together), so detecting again with other settings does not pile up
 * duplicates. An empty list just clears the method's rows.
 */
export const replaceResidualAnomalies = async (
  db: Queryable,
  runId: string,
  method: string,
  rows: readonly NewResidualAnomaly[],
): Promise<void> => {
  await db.query(
    `WITH cleared AS (DELETE FROM nf_residual_anomalies WHERE run_id = $1::uuid AND method = $3)
     INSERT INTO nf_residual_anomalies (run_id, unique_id, ds, model, residual, score, method, threshold)
     SELECT $1::uuid, r->>'unique_id', (r->>'ds')::date, r->>'model', (r->>'residual')::float8,
            (r->>'score')::float8, r->>'method', (r->>'threshold')::float8
       FROM jsonb_array_elements($2::jsonb) AS batch(r)`,
    [runId, JSON.stringify(rows), method],
  );
};
