/**
 * `runs/search`: MLflow's filter and order_by (parsed by mlflow/search-filter.ts) turned into
 * parameterised SQL over the runs MLflow sees. Keys and values from the request only ever travel
 * as bind parameters; attribute names pick a column from a fixed table, so nothing a client sends
 * is spliced into the SQL.
 */
import type { Queryable } from '../db.js';
import { invalidParameter } from '../mlflow/errors.js';
import {
  parseOrderBy,
  parseSearchFilter,
  type FilterClause,
  type OrderByItem,
  type RunAttribute,
} from '../mlflow/search-filter.js';
import { parseExperimentId, stagesOf, type MlflowViewType } from './mlflow-experiments.js';
import { mlflowRunsWithData, type MlflowRun, type MlflowRunView } from './mlflow-runs.js';
import { MLFLOW_LATEST_METRICS, MLFLOW_PARAMS, MLFLOW_RUNS, MLFLOW_TAGS, hexId } from './mlflow-views.js';

/** The column of `runs` each attribute compares or sorts by. */
const ATTRIBUTE_COLUMN: Readonly<Record<RunAttribute, string>> = {
  run_id: hexId('runs.run_id'),
  run_name: 'runs.run_name',
  status: 'runs.status',
  user_id: 'runs.user_id',
  artifact_uri: 'runs.artifact_uri',
  lifecycle_stage: 'runs.lifecycle_stage',
  start_time: 'runs.start_time',
  end_time: 'runs.end_time',
  created: 'runs.start_time',
};

const SOURCE = { param: MLFLOW_PARAMS, tag: MLFLOW_TAGS, metric: MLFLOW_LATEST_METRICS } as const;

/** Collects bind values and hands out their `$n` placeholders. */
class Binds {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `<lhs> <comparator> <value>` with the value bound. */
const comparison = (lhs: string, clause: FilterClause, binds: Binds): string => {
  switch (clause.comparator) {
    case 'IN':
      return `${lhs} = ANY(${binds.add(clause.value)}::text[])`;
    case 'NOT IN':
      return `${lhs} <> ALL(${binds.add(clause.value)}::text[])`;
    case 'LIKE':
    case 'ILIKE':
      return `${lhs} ${clause.comparator} ${binds.add(clause.value)}`;
    default: {
      const cast = typeof clause.value === 'number' ? '::double precision' : '::text';
      return `${lhs} ${clause.comparator === '!=' ? '<>' : clause.comparator} ${binds.add(clause.value)}${cast}`;
    }
  }
};

/** One clause as a condition on `runs`; a run without the metric, param or tag never matches. */
const condition = (clause: FilterClause, binds: Binds): string => {
  if (clause.entity === 'attribute') {
    const column = ATTRIBUTE_COLUMN[clause.key as RunAttribute];
    return comparison(column, clause, binds);
  }
  const source = SOURCE[clause.entity];
  return `EXISTS (SELECT 1 FROM (${source}) s WHERE s.run_id = runs.run_id AND s.key = ${binds.add(clause.key)}
                  AND ${comparison('s.value', clause, binds)})`;
};

/** One ORDER BY term; runs without the key sort last either way, as in MLflow. */
const orderTerm = (item: OrderByItem, binds: Binds): string => {
  const direction = item.ascending ? 'ASC' : 'DESC';
  if (item.entity === 'attribute')
    return `${ATTRIBUTE_COLUMN[item.key as RunAttribute]} ${direction} NULLS LAST`;
  const source = SOURCE[item.entity];
  return `(SELECT s.value FROM (${source}) s WHERE s.run_id = runs.run_id AND s.key = ${binds.add(item.key)})
          ${direction} NULLS LAST`;
};

/** A runs/search request, already read from the body. */
export interface MlflowRunSearch {
  readonly experimentIds: readonly string[];
  readonly filter?: string;
  readonly view: MlflowViewType;
  readonly maxResults: number;
  readonly orderBy?: readonly string[];
  readonly offset: number;
}

/**
 * One page of runs matching a search, in `order_by` order, then newest start first and by id (a
 * stable order, so pages neither repeat nor skip runs).
 */
export const searchMlflowRuns = async (
  db: Queryable,
  search: MlflowRunSearch,
): Promise<{ runs: MlflowRun[]; nextOffset: number | undefined }> => {
  if (search.experimentIds.length === 0)
    throw invalidParameter('experiment_ids: at least one experiment id is required');
  const clauses = parseSearchFilter(search.filter);
  const order = (search.orderBy ?? []).map(parseOrderBy);
  const binds = new Binds();
  const experiments = binds.add(search.experimentIds.map((id) => parseExperimentId(id)));
  const stages = binds.add(stagesOf(search.view));
  const where = [
    `runs.experiment_id = ANY(${experiments}::bigint[])`,
    `runs.lifecycle_stage = ANY(${stages}::text[])`,
    ...clauses.map((clause) => condition(clause, binds)),
  ];
  const orderBy = [
    ...order.map((item) => orderTerm(item, binds)),
    'runs.start_time DESC NULLS LAST',
    'runs.run_id',
  ];
  const limit = binds.add(search.maxResults + 1);
  const offset = binds.add(search.offset);
  const { rows } = await db.query<MlflowRunView>(
    `SELECT runs.* FROM (${MLFLOW_RUNS}) runs WHERE ${where.join(' AND ')}
      ORDER BY ${orderBy.join(', ')} LIMIT ${limit} OFFSET ${offset}`,
    binds.values,
  );
  const page = rows.slice(0, search.maxResults);
  return {
    runs: await mlflowRunsWithData(db, page),
    nextOffset: rows.length > search.maxResults ? search.offset + search.maxResults : undefined,
  };
};
