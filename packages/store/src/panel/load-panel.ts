/** Reads one game of a long table into a column-oriented panel, split by exogenous role. */
import { ConfigError, NotFoundError } from '@nflab/contracts';
import type { Db, Queryable } from '../db.js';
import { DEFAULT_DATA_SCOPE, requireDataTable, type DataScope } from '../sql/data-tables.js';
import { quoteRelation, requireColumn, type ColumnInfo, type TableInfo } from '../sql/identifiers.js';
import { decodeJoinedNumbers, epochDaysToIso } from './joined-values.js';
import { dsEncoding, panelQuery, type DsEncoding, type QueryColumn } from './panel-query.js';
import { REQUIRED_PANEL_COLUMNS, roleOf, validateExogenousMap, type ExogenousMap } from './roles.js';

export { parseJoinedNumbers } from './joined-values.js';

/** Options of {@link loadPanel}. */
export interface LoadPanelOptions {
  readonly table: string;
  /** The game (`loto` value) to read. */
  readonly loto: string;
  /** Series to read, e.g. `['N1', 'B1']`. @default every series of the game */
  readonly uniqueIds?: readonly string[];
  /** Columns to read besides unique_id, ds and y. @default every column of the table but loto */
  readonly columns?: readonly string[];
  /** Roles for columns without a role prefix, e.g. `{ co: 'hist' }`. @default {} */
  readonly exogenousMap?: ExogenousMap;
  /** Which relations are data: `table` must be one of them. @default DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
}

/** Static exogenous values: one entry per series, aligned with `uniqueId`. */
export interface StaticFrame {
  readonly uniqueId: string[];
  readonly columns: Record<string, Float64Array>;
}

/** One series' slice of the panel's row arrays. */
export interface PanelSeries {
  readonly uniqueId: string;
  /** Index of the series' first row. */
  readonly start: number;
  readonly length: number;
}

/** A panel in column form, rows sorted by unique_id (bytewise) then ds; NULL numbers are NaN. */
export interface LoadedPanel {
  readonly table: string;
  readonly loto: string;
  readonly series: PanelSeries[];
  readonly uniqueId: string[];
  /** ISO day (`YYYY-MM-DD`) for DATE columns, `YYYY-MM-DDTHH:MM:SS` for timestamps, text otherwise. */
  readonly ds: string[];
  readonly y: Float64Array;
  /** Exogenous known in the future (`futr_*` and mapped columns). */
  readonly futr: Record<string, Float64Array>;
  /** Exogenous known only up to each row (`hist_*` and mapped columns). */
  readonly hist: Record<string, Float64Array>;
  /** Static exogenous (`stat_*` and mapped columns); a series' latest non-NULL value. */
  readonly stat: StaticFrame;
  /** Other columns read (num, co, prize columns …): for display and mapping, never model inputs. */
  readonly other: Record<string, Float64Array | (string | null)[]>;
}

interface Plan {
  readonly ds: ColumnInfo;
  readonly columns: QueryColumn[];
  readonly roles: string[];
}

// Resolves every name against the catalog facts and decides each column's role and encoding.
const planColumns = (info: TableInfo, options: LoadPanelOptions): Plan => {
  const { table, exogenousMap = {} } = options;
  validateExogenousMap(exogenousMap);
  const [, ds, y] = REQUIRED_PANEL_COLUMNS.map((name) => requireColumn(info, name)) as [
    ColumnInfo,
    ColumnInfo,
    ColumnInfo,
  ];
  requireColumn(info, 'loto');
  if (!y.numeric)
    throw new ConfigError(`column y of table ${JSON.stringify(table)} is ${y.dataType}, not a number`);
  for (const column of Object.keys(exogenousMap)) requireColumn(info, column);
  const skip = new Set<string>([...REQUIRED_PANEL_COLUMNS, 'loto']);
  const names = options.columns ?? info.columns.map((c) => c.name).filter((name) => !skip.has(name));
  const wanted = [...new Set([...names, ...Object.keys(exogenousMap)])].filter((name) => !skip.has(name));
  const columns: QueryColumn[] = [{ column: y, encoding: 'number' }];
  const roles = ['y'];
  for (const name of wanted) {
    const column = requireColumn(info, name);
    const role = roleOf(name, exogenousMap);
    if (role !== 'other' && !column.numeric) {
      throw new ConfigError(
        `${role} exogenous column ${name} of table ${JSON.stringify(table)} is ${column.dataType}, not a number`,
      );
    }
    columns.push({ column, encoding: column.numeric ? 'number' : 'text' });
    roles.push(role);
  }
  return { ds, columns, roles };
};

// Static columns hold one value per series; the latest non-NULL one wins if a table repeats it per row.
const staticValues = (values: Float64Array, series: readonly PanelSeries[]): Float64Array =>
  Float64Array.from(series, ({ start, length }) => {
    for (let i = start + length - 1; i >= start; i--)
      if (!Number.isNaN(values[i] ?? Number.NaN)) return values[i]!;
    return Number.NaN;
  });

const checkFound = async (
  db: Queryable,
  options: LoadPanelOptions,
  info: TableInfo,
  found: readonly string[],
): Promise<void> => {
  const { table, loto, uniqueIds } = options;
  if (uniqueIds !== undefined) {
    const missing = uniqueIds.filter((id) => !found.includes(id));
    if (missing.length === 0) return;
    const any = await db.query(`SELECT 1 FROM ${quoteRelation(info)} WHERE loto = $1 LIMIT 1`, [loto]);
    if (any.rows.length > 0) {
      throw new NotFoundError(
        `table ${JSON.stringify(table)} has no series ${missing.map((id) => JSON.stringify(id)).join(', ')} ` +
          `for loto ${JSON.stringify(loto)}`,
      );
    }
  }
  if (found.length === 0) {
    throw new NotFoundError(`table ${JSON.stringify(table)} has no rows for loto ${JSON.stringify(loto)}`);
  }
};

type RawColumn = string | (string | null)[] | null;

/** One series as the panel statement returns it. */
interface SeriesRow {
  uid: string | null;
  n: number;
  ds: RawColumn;
  [column: `c${number}`]: RawColumn;
}

// A number column is one joined text per series, decoded into its slice of one array.
const numberColumn = (
  rows: readonly SeriesRow[],
  read: (row: SeriesRow) => RawColumn,
  series: readonly PanelSeries[],
  n: number,
): Float64Array => {
  const out = new Float64Array(n);
  rows.forEach((row, i) => {
    const { start, length } = series[i]!;
    decodeJoinedNumbers(read(row) as string | null, out, start, length);
  });
  return out;
};

// A text column is one array per series (text may contain commas, so it is never joined).
const textColumn = (rows: readonly SeriesRow[], read: (row: SeriesRow) => RawColumn): (string | null)[] =>
  rows.flatMap((row) => (read(row) as (string | null)[] | null) ?? []);

const readDs = (
  rows: readonly SeriesRow[],
  encoding: DsEncoding,
  series: readonly PanelSeries[],
  n: number,
): (string | null)[] => {
  if (encoding === 'epoch-days') return epochDaysToIso(numberColumn(rows, (row) => row.ds, series, n));
  if (encoding === 'array') return textColumn(rows, (row) => row.ds);
  // Joined ds texts skip NULLs (string_agg does), which the caller's length check catches.
  return rows.flatMap((row) => (row.ds === null ? [] : (row.ds as string).split(',')));
};

// The columns of each table a database handle last loaded, so the next load of it needs no
// catalog round trip; its statement re-checks them (see catalog-guard.ts).
const knownTables = new WeakMap<Queryable, Map<string, TableInfo>>();

const runPanelQuery = async (
  db: Queryable,
  options: LoadPanelOptions,
  info: TableInfo,
  guarded: boolean,
): Promise<{ plan: Plan; rows: SeriesRow[] }> => {
  const plan = planColumns(info, options);
  const { sql, params } = panelQuery({
    from: quoteRelation(info),
    loto: options.loto,
    ...(options.uniqueIds === undefined ? {} : { uniqueIds: options.uniqueIds }),
    ds: plan.ds,
    columns: plan.columns,
    ...(guarded ? { guardedBy: info } : {}),
  });
  // A panel is loaded for every run and every page view: let a server keep the statement prepared.
  return { plan, rows: (await db.query<SeriesRow>(sql, params, { prepare: true })).rows };
};

// Only whole database handles remember: inside a transaction, a stale statement that fails
// (a column dropped since) would abort the caller's transaction before the fallback could run.
const canRemember = (db: Queryable): boolean => typeof (db as Partial<Db>).transaction === 'function';

// One round trip when the table's columns are remembered and unchanged; otherwise (first load,
// changed table, no rows, any error) the catalog is read and the panel statement runs as planned
// from it, so every outcome and error is the one a load without memory gives.
const readSeries = async (
  db: Queryable,
  options: LoadPanelOptions,
): Promise<{ plan: Plan; rows: SeriesRow[]; info: TableInfo }> => {
  const scope = options.scope ?? DEFAULT_DATA_SCOPE;
  // Keyed by the whole scope: a name that is data under one scope may not be under another.
  const key = JSON.stringify([scope.schema, scope.pattern, options.table]);
  const remembered = knownTables.get(db)?.get(key);
  if (remembered !== undefined) {
    const fast = await runPanelQuery(db, options, remembered, true).catch(() => undefined);
    if (fast !== undefined && fast.rows.length > 0) return { ...fast, info: remembered };
  }
  const info = await requireDataTable(db, options.table, scope);
  const result = await runPanelQuery(db, options, info, false);
  if (canRemember(db)) {
    const tables = knownTables.get(db) ?? new Map<string, TableInfo>();
    knownTables.set(db, tables.set(key, info));
  }
  return { ...result, info };
};

/**
 * Loads `loto`'s series of `table` as a column-oriented panel sorted by unique_id, ds. Columns
 * named `futr_*`, `hist_*`, `stat_*` (or mapped by `exogenousMap`) are exogenous inputs; others
 * are returned in `other`. Missing unique_id/ds/y or a non-numeric exogenous column is a
 * ConfigError; an unknown table, game or series is a NotFoundError.
 */
export const loadPanel = async (db: Queryable, options: LoadPanelOptions): Promise<LoadedPanel> => {
  const { table, loto } = options;
  const { plan, rows, info } = await readSeries(db, options);
  if (rows.some((row) => row.uid === null))
    throw new ConfigError(`table ${JSON.stringify(table)} has rows with a NULL unique_id`);
  await checkFound(
    db,
    options,
    info,
    rows.map((row) => row.uid as string),
  );
  let n = 0;
  const series = rows.map((row) => {
    const length = Number(row.n);
    n += length;
    return { uniqueId: row.uid as string, start: n - length, length };
  });
  const ds = readDs(rows, dsEncoding(plan.ds), series, n);
  if (ds.length !== n || ds.some((d) => d === '' || d === null)) {
    throw new ConfigError(`table ${JSON.stringify(table)} has rows with a NULL ds`);
  }
  const uniqueId = new Array<string>(n);
  for (const s of series) uniqueId.fill(s.uniqueId, s.start, s.start + s.length);
  const panel: LoadedPanel = {
    table,
    loto,
    series,
    uniqueId,
    ds: ds as string[],
    y: new Float64Array(0),
    futr: {},
    hist: {},
    stat: { uniqueId: series.map((s) => s.uniqueId), columns: {} },
    other: {},
  };
  let y = panel.y;
  plan.columns.forEach(({ column, encoding }, i) => {
    const read = (row: SeriesRow): RawColumn => row[`c${i}`] ?? null;
    const role = plan.roles[i];
    if (encoding === 'text') {
      panel.other[column.name] = textColumn(rows, read);
      return;
    }
    const values = numberColumn(rows, read, series, n);
    if (role === 'y') y = values;
    else if (role === 'stat') panel.stat.columns[column.name] = staticValues(values, series);
    else if (role === 'futr' || role === 'hist') panel[role][column.name] = values;
    else panel.other[column.name] = values;
  });
  return { ...panel, y };
};
