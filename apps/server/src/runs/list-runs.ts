/** The run history query: filters, sort and page in SQL, so 100,000 runs answer as fast as 100. */
import type { ListRunsQuery, RunListItemDto, RunSortKey } from '@nflab/contracts';
import type { Queryable } from '@nflab/store';

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
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
};

/** One page of the run history and how many runs match in total. */
export const listRuns = async (
  db: Queryable,
  query: ListRunsQuery,
): Promise<{ total: number; items: RunListItemDto[]; limit: number; offset: number }> => {
  const { where, params } = whereOf(query);
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  // created_at is NOT NULL and indexed DESC; a NULLS clause there would stop the index being used.
  const nulls = query.sort === 'created_at' ? '' : ' NULLS LAST';
  const order = `${sortSql(query)} ${direction}${nulls}, id ${direction}`;
  const page = params.length;
  // Two statements rather than count(*) OVER (): the window would make PostgreSQL read and sort
  // every matching run to number them, while the page alone can stop after `limit` rows.
  const [items, count] = await Promise.all([
    db.query<RunListItemDto>(
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
