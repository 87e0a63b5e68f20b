/**
 * Reading recorded runs: the history query (filters, sort and page in SQL, so 100,000 runs answer
 * as fast as 100), one run with everything it owns, and the summaries the CLI prints.
 */
import { NotFoundError, type ListRunsQuery, type RunSortKey } from '@nflab/contracts';
import type { Queryable } from '../db.js';
import type {
  ArtifactRow,
  CvResultRow,
  ModelRunRow,
  PredictionRow,
  ReportRow,
  ResourceSampleRow,
  StepMetricRow,
  TrialRow,
} from '../schema/tables.js';

// A metric is read from JSON as a number only when it is one, so a stray string cannot fail the cast.
const number = (json: string): string =>
  `CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${json})::text::double precision END`;
/** `metrics.cv.overall[key]`, else `metrics.valid_loss`. */
const metricValue = (key: string): string =>
  `coalesce(${number(`metrics->'cv'->'overall'->${key}`)}, ${number("metrics->'valid_loss'")})`;
/** The metric asked for ($1 is always its name). */
const METRIC_VALUE = metricValue('$1::text');
/** The same for mae written as in migration 0009's expression index, so sorting by mae uses it. */
const MAE_VALUE = metricValue("'mae'");

// Sort keys map to fixed SQL; the user's value only picks among them.
const SORT_SQL: Record<RunSortKey, string> = {
  created_at: 'created_at',
  start_time: 'start_time',
  duration_seconds: 'duration_seconds',
  model_name: 'model_name',
  status: 'status',
  metric: METRIC_VALUE,
};

const sortSql = (query: ListRunsQuery): string =>
  query.sort === 'metric' && query.metric === 'mae' ? MAE_VALUE : SORT_SQL[query.sort];

const ITEM_COLUMNS = `id, status, table_name, loto, unique_ids, model_name, backend, horizon, loss, metric,
  ${METRIC_VALUE} AS "metricValue", start_time, end_time, duration_seconds, sweep_id, parent_run_id,
  operation, error_message, created_at`;

/** One row of the run history: the run's listed columns and the value of the metric asked for. */
export type RunListItemRow = Pick<
  ModelRunRow,
  | 'id'
  | 'status'
  | 'table_name'
  | 'loto'
  | 'unique_ids'
  | 'model_name'
  | 'backend'
  | 'horizon'
  | 'loss'
  | 'metric'
  | 'start_time'
  | 'end_time'
  | 'duration_seconds'
  | 'sweep_id'
  | 'parent_run_id'
  | 'operation'
  | 'error_message'
  | 'created_at'
> & { readonly metricValue: number | null };

// A bare date as `to` means "through that day" (UTC). The next day is computed by PostgreSQL:
// JavaScript would write the day after 9999-12-31 as '+010000-01-01', which PostgreSQL cannot read.
const isBareDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text);
const beforeTo = (to: string): ((placeholder: string) => string) =>
  isBareDate(to)
    ? (p) => `created_at < ((${p}::date + 1)::timestamp AT TIME ZONE 'UTC')`
    : (p) => `created_at < ${p}::timestamptz`;
// A bare date as `from` is that day's start in UTC, whatever the session's time zone.
const atOrAfterFrom = (from: string): ((placeholder: string) => string) =>
  isBareDate(from)
    ? (p) => `created_at >= (${p}::date::timestamp AT TIME ZONE 'UTC')`
    : (p) => `created_at >= ${p}::timestamptz`;

/** WHERE clause and parameters ($1 is the metric name) of a history query. */
const whereOf = (query: ListRunsQuery): { where: string; params: unknown[] } => {
  const params: unknown[] = [query.metric];
  const conditions: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (query.status) add((p) => `status = ANY(${p}::text[])`, query.status);
  if (query.model) add((p) => `model_name = ANY(${p}::text[])`, query.model);
  if (query.backend) add((p) => `backend = ANY(${p}::text[])`, query.backend);
  if (query.loto) add((p) => `loto = ANY(${p}::text[])`, query.loto);
  if (query.unique_id !== undefined) add((p) => `unique_ids @> ARRAY[${p}::text]`, query.unique_id);
  if (query.h !== undefined) add((p) => `horizon = ${p}`, query.h);
  if (query.loss !== undefined) add((p) => `loss = ${p}`, query.loss);
  if (query.sweep_id !== undefined) add((p) => `sweep_id = ${p}::uuid`, query.sweep_id);
  if (query.parent_run_id !== undefined) add((p) => `parent_run_id = ${p}::uuid`, query.parent_run_id);
  if (query.from !== undefined) add(atOrAfterFrom(query.from), query.from);
  if (query.to !== undefined) add(beforeTo(query.to), query.to);
  if (query.metric_min !== undefined) add((p) => `${METRIC_VALUE} >= ${p}`, query.metric_min);
  if (query.metric_max !== undefined) add((p) => `${METRIC_VALUE} <= ${p}`, query.metric_max);
  if (query.tag !== undefined) {
    // `key=value` matches that value; a bare `key` matches any value of the key.
    const at = query.tag.indexOf('=');
    const key = `$${params.push(at < 0 ? query.tag : query.tag.slice(0, at))}`;
    const value = at < 0 ? '' : ` AND t.value = $${params.push(query.tag.slice(at + 1))}`;
    conditions.push(
      `EXISTS (SELECT 1 FROM nf_run_tags t WHERE t.run_id = nf_model_runs.id AND t.key = ${key}${value})`,
    );
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
};

/** One page of the run history and how many runs match in total. */
export const listRuns = async (
  db: Queryable,
  query: ListRunsQuery,
): Promise<{ total: number; items: RunListItemRow[]; limit: number; offset: number }> => {
  const { where, params } = whereOf(query);
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  // created_at is NOT NULL and indexed DESC; a NULLS clause there would stop the index being used.
  const nulls = query.sort === 'created_at' ? '' : ' NULLS LAST';
  const order = `${sortSql(query)} ${direction}${nulls}, id ${direction}`;
  const page = params.length;
  // Two statements rather than count(*) OVER (): the window would make PostgreSQL read and sort
  // every matching run to number them, while the page alone can stop after `limit` rows.
  const [items, count] = await Promise.all([
    db.query<RunListItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM nf_model_runs ${where} ORDER BY ${order} LIMIT $${page + 1} OFFSET $${page + 2}`,
      [...params, query.limit, query.offset],
    ),
    // $1 (the metric) is selected so the statement uses every parameter it is given.
    db.query<{ total: number }>(
      `SELECT count(*)::int AS total, $1::text AS metric FROM nf_model_runs ${where}`,
      params,
    ),
  ]);
  return { total: count.rows[0]?.total ?? 0, items: items.rows, limit: query.limit, offset: query.offset };
};

/** Throws NotFoundError unless run `id` exists. */
export const requireRun = async (db: Queryable, id: string): Promise<void> => {
  const { rows } = await db.query('SELECT 1 FROM nf_model_runs WHERE id = $1', [id]);
  if (rows.length === 0) throw new NotFoundError(`run ${id} does not exist`);
};

/** Every column of run `id` (a UUID); NotFoundError when there is none. */
export const getRun = async (db: Queryable, id: string): Promise<ModelRunRow> => {
  const { rows } = await db.query<ModelRunRow>('SELECT * FROM nf_model_runs WHERE id = $1', [id]);
  const run = rows[0];
  if (run === undefined) throw new NotFoundError(`run ${id} does not exist`);
  return run;
};

/** What run `id` (a UUID) does: its operation and that operation's options; NotFoundError when there is none. */
export const getRunOperation = async (
  db: Queryable,
  id: string,
): Promise<Pick<ModelRunRow, 'operation' | 'operation_options'>> => {
  const { rows } = await db.query<Pick<ModelRunRow, 'operation' | 'operation_options'>>(
    'SELECT operation, operation_options FROM nf_model_runs WHERE id = $1',
    [id],
  );
  const run = rows[0];
  if (run === undefined) throw new NotFoundError(`run ${id} does not exist`);
  return run;
};

/** Every column of the run whose id reads as `id`, or undefined; any text is a valid key (no UUID cast). */
export const findRunByIdText = async (db: Queryable, id: string): Promise<ModelRunRow | undefined> => {
  const { rows } = await db.query<ModelRunRow>('SELECT * FROM nf_model_runs WHERE id::text = $1', [id]);
  return rows[0];
};

/** A trial as the run detail shows it: params by name and intermediate values by step. */
export type TrialListRow = Pick<
  TrialRow,
  'id' | 'number' | 'state' | 'value' | 'datetime_start' | 'datetime_complete' | 'error_message'
> & {
  readonly params: Record<string, unknown>;
  readonly intermediate: { step: number; value: number }[];
  readonly duration_seconds: number | null;
};

/** A run's trials by number, each with its params (name → value) and intermediate values by step. */
export const listTrials = async (db: Queryable, runId: string): Promise<TrialListRow[]> =>
  (
    await db.query<TrialListRow>(
      `SELECT t.id, t.number, t.state,
              coalesce(t.value, (SELECT v.value FROM nf_trial_values v WHERE v.trial_id = t.id AND v.objective = 0)) AS value,
              coalesce((SELECT jsonb_object_agg(p.name, p.value) FROM nf_trial_params p WHERE p.trial_id = t.id), '{}') AS params,
              coalesce((SELECT jsonb_agg(jsonb_build_object('step', i.step, 'value', i.value) ORDER BY i.step)
                          FROM nf_trial_intermediate_values i WHERE i.trial_id = t.id), '[]') AS intermediate,
              t.datetime_start, t.datetime_complete,
              extract(epoch FROM t.datetime_complete - t.datetime_start)::double precision AS duration_seconds,
              t.error_message
         FROM nf_trials t WHERE t.run_id = $1 ORDER BY t.number`,
      [runId],
    )
  ).rows;

/** Options of the append-only series reads: rows after a cursor, at most `limit`. */
export interface AfterCursor {
  readonly afterId?: number;
  readonly limit: number;
}

/** A step's losses as the run detail reads them. */
export type StepMetricListRow = Omit<StepMetricRow, 'run_id'>;

/** A run's step losses by id, optionally of one trial. */
export const listStepMetrics = async (
  db: Queryable,
  runId: string,
  { afterId, limit, trialId }: AfterCursor & { readonly trialId?: number },
): Promise<StepMetricListRow[]> =>
  (
    await db.query<StepMetricListRow>(
      `SELECT id, trial_id, step, train_loss, valid_loss, learning_rate, at FROM nf_step_metrics
        WHERE run_id = $1 AND ($2::bigint IS NULL OR trial_id = $2::bigint) AND id > $3
        ORDER BY id LIMIT $4`,
      [runId, trialId ?? null, afterId ?? 0, limit],
    )
  ).rows;

/** A run's resource samples by id. */
export const listResourceSamples = async (
  db: Queryable,
  runId: string,
  { afterId, limit }: AfterCursor,
): Promise<ResourceSampleRow[]> =>
  (
    await db.query<ResourceSampleRow>(
      'SELECT * FROM nf_resource_samples WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT $3',
      [runId, afterId ?? 0, limit],
    )
  ).rows;

/** A forecast value as the run detail reads it (ds as 'YYYY-MM-DD'). */
export type PredictionListRow = Pick<
  PredictionRow,
  'unique_id' | 'ds' | 'step' | 'model' | 'suffix' | 'value'
>;

/** A run's predictions of one kind, by series, time, model, suffix. */
export const listPredictions = async (
  db: Queryable,
  runId: string,
  kind: string,
): Promise<PredictionListRow[]> =>
  (
    await db.query<PredictionListRow>(
      `SELECT unique_id, ds::text AS ds, step, model, suffix, value FROM nf_predictions
        WHERE run_id = $1 AND kind = $2 ORDER BY unique_id, ds, step, model, suffix`,
      [runId, kind],
    )
  ).rows;

/** A cross-validation value as the run detail reads it (dates as 'YYYY-MM-DD'). */
export type CvResultListRow = Omit<CvResultRow, 'id' | 'run_id'>;

/** A run's cross-validation rows, by series, cutoff, time, model, suffix. */
export const listCvResults = async (db: Queryable, runId: string): Promise<CvResultListRow[]> =>
  (
    await db.query<CvResultListRow>(
      `SELECT unique_id, ds::text AS ds, step, cutoff::text AS cutoff, cutoff_step, y, model, suffix, value
         FROM nf_cv_results WHERE run_id = $1
        ORDER BY unique_id, cutoff, cutoff_step, ds, step, model, suffix`,
      [runId],
    )
  ).rows;

/** A run's artifact rows, oldest first. */
export const listArtifacts = async (db: Queryable, runId: string): Promise<ArtifactRow[]> =>
  (
    await db.query<ArtifactRow>(
      'SELECT id, run_id, path, kind, sha256, bytes, created_at FROM nf_artifacts WHERE run_id = $1 ORDER BY id',
      [runId],
    )
  ).rows;

/** The reports written for one run (not sweep or comparison reports), oldest first. */
export const listRunReports = async (
  db: Queryable,
  runId: string,
): Promise<Pick<ReportRow, 'id' | 'title' | 'html' | 'path'>[]> =>
  (
    await db.query<Pick<ReportRow, 'id' | 'title' | 'html' | 'path'>>(
      'SELECT id, title, html, path FROM nf_reports WHERE run_id = $1 ORDER BY id',
      [runId],
    )
  ).rows;

/** One artifact of a run (NotFoundError when the run has no such artifact). */
export const getArtifact = async (
  db: Queryable,
  runId: string,
  artifactId: number,
): Promise<Pick<ArtifactRow, 'id' | 'path' | 'kind'>> => {
  const { rows } = await db.query<Pick<ArtifactRow, 'id' | 'path' | 'kind'>>(
    'SELECT id, path, kind FROM nf_artifacts WHERE run_id = $1 AND id = $2',
    [runId, artifactId],
  );
  const artifact = rows[0];
  if (artifact === undefined) throw new NotFoundError(`run ${runId} has no artifact ${artifactId}`);
  return artifact;
};

/** One run as the CLI's summaries show it: the numbers that tell whether the model beat chance. */
export type RunSummaryRow = Pick<
  ModelRunRow,
  | 'id'
  | 'status'
  | 'operation'
  | 'model_name'
  | 'loto'
  | 'unique_ids'
  | 'horizon'
  | 'loss'
  | 'duration_seconds'
  | 'error_message'
> & {
  readonly valid_loss: number | null;
  /** MAE of the test part, else of cross-validation. */
  readonly mae: number | null;
  /** MAE of the historic-average baseline on the same points. */
  readonly baseline_mae: number | null;
  readonly beats_all_baselines: boolean | null;
};

const SUMMARY_COLUMNS = `id, status, operation, model_name, loto, unique_ids, horizon, loss, duration_seconds, error_message,
  (metrics->>'valid_loss')::float8 AS valid_loss,
  COALESCE(metrics#>>'{test,overall,mae}', metrics#>>'{cv,overall,mae}')::float8 AS mae,
  COALESCE(metrics#>>'{test,baselines,historic_average,mae}', metrics#>>'{cv,baselines,historic_average,mae}')::float8 AS baseline_mae,
  COALESCE(metrics#>>'{test,beats_all_baselines}', metrics#>>'{cv,beats_all_baselines}')::boolean AS beats_all_baselines`;

/** Summaries of a sweep's runs, oldest first. */
export const sweepRunSummaries = async (db: Queryable, sweepId: string): Promise<RunSummaryRow[]> =>
  (
    await db.query<RunSummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM nf_model_runs WHERE sweep_id = $1 ORDER BY created_at, id`,
      [sweepId],
    )
  ).rows;

/** Summaries of runs by id, in the order given. */
export const runSummariesById = async (db: Queryable, ids: readonly string[]): Promise<RunSummaryRow[]> => {
  const { rows } = await db.query<RunSummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM nf_model_runs WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return ids.flatMap((id) => rows.filter((row) => row.id === id));
};

/** Summaries of the latest runs, optionally of one status. */
export const latestRunSummaries = async (
  db: Queryable,
  options: {
    status?: string;
    limit: number;
    /** Only runs carrying this tag key, with this value when given. */
    tag?: { readonly key: string; readonly value?: string };
  },
): Promise<RunSummaryRow[]> =>
  (
    await db.query<RunSummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM nf_model_runs
        WHERE ($1::text IS NULL OR status = $1)
          AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM nf_run_tags t WHERE t.run_id = nf_model_runs.id
                                             AND t.key = $3 AND ($4::text IS NULL OR t.value = $4)))
        ORDER BY created_at DESC LIMIT $2`,
      [options.status ?? null, options.limit, options.tag?.key ?? null, options.tag?.value ?? null],
    )
  ).rows;
