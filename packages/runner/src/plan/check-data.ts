/**
 * Checks of a run spec against the data in the database: the table, the game and the series exist,
 * the selected exogenous columns are columns of the table, and every series is long enough for
 * the horizon, the validation and test parts and the shortest input window the run can use.
 */
import { isAutoModel, isLabError, resolveSize, type RunSpec } from '@nflab/contracts';
import {
  dataScopeFromEnv,
  listGames,
  listSeries,
  requireDataTable,
  type DataScope,
  type Queryable,
  type TableInfo,
} from '@nflab/store';
import { effectiveInputSize } from '@nflab/engine';
import { explicitExogenous } from './check-run.js';

/** Rows a run needs per series, and how they add up (for the message). */
export interface RowsNeeded {
  readonly rows: number;
  readonly detail: string;
}

const numbersIn = (values: readonly unknown[]): number[] =>
  values.filter(
    (value): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0,
  );

/**
 * The smallest `input_size` the run can use: a fixed `config.input_size`, else the lowest value the
 * search space allows, else 1 (the least any model takes; the model's own default is checked when
 * the run starts).
 */
export const smallestInputSize = (spec: RunSpec): number => {
  const fixed = spec.config.input_size;
  if (typeof fixed === 'number' && Number.isInteger(fixed)) return effectiveInputSize(fixed, spec.h);
  const param = spec.search_space?.input_size;
  if (param?.kind === 'int') return Math.max(1, param.low);
  const values =
    param?.kind === 'categorical'
      ? numbersIn(param.choices)
      : param?.kind === 'fixed'
        ? numbersIn([param.value])
        : [];
  return values.length > 0 ? Math.min(...values) : 1;
};

/**
 * Rows per series a run needs: input_size + h for one training window, plus the validation part
 * (Auto models validate on h rows when val_size is 0, as NeuralForecast), plus the larger of the test
 * part and the cross-validation span (h + (n_windows - 1) × step_size).
 */
export const rowsNeeded = (spec: RunSpec): RowsNeeded => {
  const input = smallestInputSize(spec);
  const given = resolveSize(spec.val_size, spec.h);
  const val = given === 0 && isAutoModel(spec.model) ? spec.h : given;
  const test = resolveSize(spec.test_size, spec.h);
  const cv = spec.cross_validation;
  const cvSpan = cv === null ? 0 : spec.h + (cv.n_windows - 1) * cv.step_size;
  const holdout = Math.max(test, cvSpan);
  const parts = [`input_size ${input}`, `h ${spec.h}`, `val_size ${val}`];
  parts.push(cvSpan > test ? `cross-validation span ${cvSpan}` : `test_size ${test}`);
  return { rows: input + spec.h + val + holdout, detail: parts.join(' + ') };
};

type Series = ReadonlyMap<string, number>;

/**
 * A checker that reads each table, game and series list once, however many runs share them. A
 * `table_name` outside the data scope (a lab table, a system catalog) is a problem like a missing
 * one: runs train on data tables only, as loadRunData reads them.
 */
export const createDataChecker = (
  db: Queryable,
  scope: DataScope = dataScopeFromEnv(),
): ((spec: RunSpec) => Promise<string[]>) => {
  const tables = new Map<string, Promise<{ info: TableInfo; games: string[] } | string>>();
  const series = new Map<string, Promise<Series>>();
  const tableOf = (name: string) => {
    let entry = tables.get(name);
    if (entry === undefined) {
      entry = (async () => {
        try {
          return { info: await requireDataTable(db, name, scope), games: await listGames(db, name, scope) };
        } catch (error) {
          if (isLabError(error)) return error.message;
          throw error;
        }
      })();
      tables.set(name, entry);
    }
    return entry;
  };
  const seriesOf = (table: string, loto: string): Promise<Series> => {
    const key = JSON.stringify([table, loto]);
    let entry = series.get(key);
    if (entry === undefined) {
      entry = listSeries(db, table, loto, scope).then(
        (list) => new Map(list.map((s) => [s.uniqueId, s.rows])),
      );
      series.set(key, entry);
    }
    return entry;
  };
  return async (spec) => {
    const table = await tableOf(spec.table_name);
    if (typeof table === 'string') return [`table_name: ${table}`];
    if (!table.games.includes(spec.loto)) {
      return [
        `loto: '${spec.loto}' has no rows in ${spec.table_name}; games there: ${table.games.join(', ') || 'none'}`,
      ];
    }
    const problems: string[] = [];
    const columns = new Set(table.info.columns.map((column) => column.name));
    const exog = Object.values(explicitExogenous(spec)).flat();
    const missing = exog.filter((column) => !columns.has(column));
    if (missing.length > 0)
      problems.push(`exogenous: ${spec.table_name} has no column(s) ${missing.join(', ')}`);
    const rows = await seriesOf(spec.table_name, spec.loto);
    const unknown = spec.unique_ids.filter((id) => !rows.has(id));
    if (unknown.length > 0) {
      const known = [...rows.keys()];
      problems.push(
        `unique_ids: ${unknown.join(', ')} not in ${spec.loto} of ${spec.table_name}; series: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`,
      );
    }
    const need = rowsNeeded(spec);
    const present = spec.unique_ids.filter((id) => rows.has(id));
    const shortest = present.reduce<[string, number] | undefined>((min, id) => {
      const count = rows.get(id) ?? 0;
      return min === undefined || count < min[1] ? [id, count] : min;
    }, undefined);
    if (shortest !== undefined && shortest[1] < need.rows) {
      problems.push(
        `h: ${spec.h} is too long for the data — the run needs ${need.rows} rows per series (${need.detail}) ` +
          `but series ${shortest[0]} of ${spec.loto} in ${spec.table_name} has ${shortest[1]}`,
      );
    }
    return problems;
  };
};
