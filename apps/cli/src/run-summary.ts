/** Runs as commands print them: one row each with the numbers that tell whether the model beat chance. */
import type { Queryable } from '@nflab/store';
import { formatTable } from './output.js';

/** One run as the summary shows it. */
export interface RunSummary {
  readonly id: string;
  readonly status: string;
  readonly operation: string;
  readonly model_name: string | null;
  readonly loto: string | null;
  readonly unique_ids: string[];
  readonly horizon: number | null;
  readonly loss: string | null;
  readonly valid_loss: number | null;
  /** MAE of the test part, else of cross-validation. */
  readonly mae: number | null;
  /** MAE of the historic-average baseline on the same points. */
  readonly baseline_mae: number | null;
  readonly beats_all_baselines: boolean | null;
  readonly duration_seconds: number | null;
  readonly error_message: string | null;
}

const COLUMNS = `id, status, operation, model_name, loto, unique_ids, horizon, loss, duration_seconds, error_message,
  (metrics->>'valid_loss')::float8 AS valid_loss,
  COALESCE(metrics#>>'{test,overall,mae}', metrics#>>'{cv,overall,mae}')::float8 AS mae,
  COALESCE(metrics#>>'{test,baselines,historic_average,mae}', metrics#>>'{cv,baselines,historic_average,mae}')::float8 AS baseline_mae,
  COALESCE(metrics#>>'{test,beats_all_baselines}', metrics#>>'{cv,beats_all_baselines}')::boolean AS beats_all_baselines`;

/** Runs of a sweep, oldest first. */
export const sweepRuns = async (db: Queryable, sweepId: string): Promise<RunSummary[]> =>
  (
    await db.query<RunSummary>(
      `SELECT ${COLUMNS} FROM nf_model_runs WHERE sweep_id = $1 ORDER BY created_at, id`,
      [sweepId],
    )
  ).rows;

/** Runs by id, in the order given. */
export const runsById = async (db: Queryable, ids: readonly string[]): Promise<RunSummary[]> => {
  const { rows } = await db.query<RunSummary>(
    `SELECT ${COLUMNS} FROM nf_model_runs WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return ids.flatMap((id) => rows.filter((row) => row.id === id));
};

/** The latest runs, optionally filtered by status. */
export const latestRuns = async (
  db: Queryable,
  options: { status?: string; limit: number },
): Promise<RunSummary[]> =>
  (
    await db.query<RunSummary>(
      `SELECT ${COLUMNS} FROM nf_model_runs WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC LIMIT $2`,
      [options.status ?? null, options.limit],
    )
  ).rows;

const num = (value: number | null, digits = 3): string => (value === null ? '' : value.toFixed(digits));

/** A text table of runs. */
export const renderRuns = (runs: readonly RunSummary[]): string =>
  runs.length === 0
    ? 'no runs'
    : formatTable(
        runs.map((run) => ({
          run: run.id.slice(0, 8),
          status: run.status,
          op: run.operation,
          model: run.model_name ?? '',
          series: run.unique_ids.join(','),
          h: run.horizon ?? '',
          loss: run.loss ?? '',
          valid: num(run.valid_loss),
          mae: num(run.mae),
          'mean-baseline mae': num(run.baseline_mae),
          'beats chance': run.beats_all_baselines === null ? '' : run.beats_all_baselines ? 'yes' : 'no',
          seconds: num(run.duration_seconds, 1),
          error: (run.error_message ?? '').slice(0, 60),
        })),
        [
          'run',
          'status',
          'op',
          'model',
          'series',
          'h',
          'loss',
          'valid',
          'mae',
          'mean-baseline mae',
          'beats chance',
          'seconds',
          'error',
        ],
      );
