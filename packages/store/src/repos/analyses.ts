/**
 * Stored analysis results (nf_analyses) and what analyses read from runs: their evaluated forecast
 * points and the state that makes a stored result current.
 */
import type { Queryable } from '../db.js';
import type { AnalysisRow } from '../schema/tables.js';

/** An analysis to store. */
export type NewAnalysis = Pick<
  AnalysisRow,
  'kind' | 'fingerprint' | 'inputs' | 'result' | 'run_ids' | 'created_by'
>;

const COLUMNS = 'id, kind, fingerprint, inputs, result, run_ids, created_by, created_at';

/** The stored analysis of `kind` with this fingerprint, if one was computed before. */
export const findAnalysis = async (
  db: Queryable,
  kind: string,
  fingerprint: string,
): Promise<AnalysisRow | undefined> =>
  (
    await db.query<AnalysisRow>(`SELECT ${COLUMNS} FROM nf_analyses WHERE kind = $1 AND fingerprint = $2`, [
      kind,
      fingerprint,
    ])
  ).rows[0];

/** The stored analysis with this id, if there is one. */
export const findAnalysisById = async (db: Queryable, id: number): Promise<AnalysisRow | undefined> =>
  (await db.query<AnalysisRow>(`SELECT ${COLUMNS} FROM nf_analyses WHERE id = $1`, [id])).rows[0];

/**
 * Stores an analysis and returns the stored row. Two requests computing the same analysis at once
 * both succeed: the second keeps the first's row (same inputs give the same result).
 */
export const saveAnalysis = async (db: Queryable, analysis: NewAnalysis): Promise<AnalysisRow> => {
  const { rows } = await db.query<AnalysisRow>(
    `INSERT INTO nf_analyses (kind, fingerprint, inputs, result, run_ids, created_by)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6)
     ON CONFLICT (kind, fingerprint) DO UPDATE SET kind = EXCLUDED.kind
     RETURNING ${COLUMNS}`,
    [
      analysis.kind,
      analysis.fingerprint,
      JSON.stringify(analysis.inputs),
      JSON.stringify(analysis.result),
      analysis.run_ids,
      analysis.created_by,
    ],
  );
  return rows[0] as AnalysisRow;
};

/** Stored analyses that read `runId`, newest first. */
export const listRunAnalyses = async (
  db: Queryable,
  runId: string,
  limit: number,
): Promise<Pick<AnalysisRow, 'id' | 'kind' | 'run_ids' | 'created_by' | 'created_at'>[]> =>
  (
    await db.query<Pick<AnalysisRow, 'id' | 'kind' | 'run_ids' | 'created_by' | 'created_at'>>(
      `SELECT id, kind, run_ids, created_by, created_at FROM nf_analyses
        WHERE run_ids @> ARRAY[$1]::uuid[] ORDER BY created_at DESC, id DESC LIMIT $2`,
      [runId, limit],
    )
  ).rows;

/** What an analysis knows of a run before reading its points: enough to label it and to fingerprint its state. */
export interface AnalysedRunRow {
  readonly id: string;
  readonly model_name: string | null;
  readonly status: string;
  readonly sweep_id: string | null;
  readonly updated_at: Date;
  /** The run's `metrics` JSON (baselines and significance included). */
  readonly metrics: Record<string, unknown>;
}

/** The runs with these ids (unknown ids are left out; the caller says which). */
export const findAnalysedRuns = async (db: Queryable, ids: readonly string[]): Promise<AnalysedRunRow[]> =>
  (
    await db.query<AnalysedRunRow>(
      `SELECT id, model_name, status, sweep_id, updated_at, metrics FROM nf_model_runs
        WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    )
  ).rows;

/** The runs of a sweep, oldest first. */
export const findSweepAnalysedRuns = async (db: Queryable, sweepId: string): Promise<AnalysedRunRow[]> =>
  (
    await db.query<AnalysedRunRow>(
      `SELECT id, model_name, status, sweep_id, updated_at, metrics FROM nf_model_runs
        WHERE sweep_id = $1 ORDER BY created_at, id`,
      [sweepId],
    )
  ).rows;

/** One evaluated point forecast of a run (dates as 'YYYY-MM-DD'; integer positions for stepped series). */
export interface RunPointRow {
  readonly run_id: string;
  readonly model: string;
  readonly unique_id: string;
  readonly ds: string | number;
  readonly cutoff: string | number;
  readonly y: number | null;
  readonly value: number;
}

/**
 * The point forecasts (suffix '') of these runs' cross-validation or test-part results, at most
 * `limit` rows (the caller checks whether the limit was reached and says so).
 */
export const listRunPoints = async (
  db: Queryable,
  runIds: readonly string[],
  limit: number,
): Promise<RunPointRow[]> =>
  (
    await db.query<RunPointRow>(
      `SELECT run_id, model, unique_id, COALESCE(ds::text, step::text) AS ds,
              COALESCE(cutoff::text, cutoff_step::text) AS cutoff, y, value
         FROM nf_cv_results WHERE run_id = ANY($1::uuid[]) AND suffix = ''
        ORDER BY run_id, model, unique_id, cutoff, cutoff_step, ds, step LIMIT $2`,
      [runIds, limit],
    )
  ).rows;
