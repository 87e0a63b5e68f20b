/** Reads one game of a long table into a column-oriented panel, split by exogenous role. */
import { ConfigError, NotFoundError } from '@nflab/contracts';
import type { Queryable } from '../db.js';
import { quoteIdentifier, requireColumn, requireTable, type ColumnInfo } from '../sql/identifiers.js';
import { dsEncoding, panelQuery, type DsEncoding, type QueryColumn } from './panel-query.js';
import { REQUIRED_PANEL_COLUMNS, roleOf, validateExogenousMap, type ExogenousMap } from './roles.js';

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

// Resolves every name against the catalog and decides each column's role and encoding.
const planColumns = async (db: Queryable, options: LoadPanelOptions): Promise<Plan> => {
  const { table, exogenousMap = {} } = options;
  validateExogenousMap(exogenousMap);
  const info = await requireTable(db, table);
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

/**
 * Reads `length` comma-separated numbers ('' = NULL → NaN). Plain integers are accumulated from
 * char codes, which avoids one string allocation per value; anything else goes through Number().
 */
export const parseJoinedNumbers = (text: string | null, length: number): Float64Array => {
  const out = new Float64Array(length);
  if (text === null) return out.fill(Number.NaN);
  const end = text.length;
  let pos = 0;
  for (let i = 0; i < length; i++) {
    const start = pos;
    let value = 0;
    let plain = true;
    for (let c = text.charCodeAt(pos); pos < end && c !== 44; c = text.charCodeAt(++pos)) {
      if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
      else plain = false;
    }
    // 15 digits stay exact in a double; longer or signed/decimal values take the general path.
    out[i] = pos === start ? Number.NaN : plain && pos - start <= 15 ? value : Number(text.slice(start, pos));
    pos++;
  }
  return out;
};

const DAY_MS = 86_400_000;

// Days since 1970-01-01 → 'YYYY-MM-DD'; a panel repeats each date once per series, so memoise.
const epochDaysToIso = (text: string, length: number): string[] => {
  const days = parseJoinedNumbers(text, length);
  const memo = new Map<number, string>();
  return Array.from(days, (day) => {
    // NULL ds: left empty for the caller's NULL check (a NaN date cannot be printed).
    if (Number.isNaN(day)) return '';
    let iso = memo.get(day);
    if (iso === undefined) {
      iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
      memo.set(day, iso);
    }
    return iso;
  });
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
  found: readonly string[],
): Promise<void> => {
  const { table, loto, uniqueIds } = options;
  if (uniqueIds !== undefined) {
    const missing = uniqueIds.filter((id) => !found.includes(id));
    if (missing.length === 0) return;
    const any = await db.query(`SELECT 1 FROM ${quoteIdentifier(table)} WHERE loto = $1 LIMIT 1`, [loto]);
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

const readDs = (
  raw: string | (string | null)[] | null,
  encoding: DsEncoding,
  n: number,
): (string | null)[] => {
  if (raw === null) return [];
  if (typeof raw !== 'string') return raw;
  return encoding === 'epoch-days' ? epochDaysToIso(raw, n) : raw.split(',');
};

interface PanelRow {
  ids: (string | null)[] | null;
  counts: number[] | null;
  n: number;
  ds: string | (string | null)[] | null;
  [column: `c${number}`]: string | (string | null)[] | null;
}

/**
 * Loads `loto`'s series of `table` as a column-oriented panel sorted by unique_id, ds. Columns
 * named `futr_*`, `hist_*`, `stat_*` (or mapped by `exogenousMap`) are exogenous inputs; others
 * are returned in `other`. Missing unique_id/ds/y or a non-numeric exogenous column is a
 * ConfigError; an unknown table, game or series is a NotFoundError.
 */
export const loadPanel = async (db: Queryable, options: LoadPanelOptions): Promise<LoadedPanel> => {
  const { table, loto, uniqueIds } = options;
  const plan = await planColumns(db, options);
  const { sql, params } = panelQuery({ table, loto, uniqueIds, ds: plan.ds, columns: plan.columns });
  const row = (await db.query<PanelRow>(sql, params)).rows[0];
  const n = row?.n ?? 0;
  const ids = row?.ids ?? [];
  if (ids.includes(null))
    throw new ConfigError(`table ${JSON.stringify(table)} has rows with a NULL unique_id`);
  await checkFound(db, options, ids as string[]);
  const counts = row?.counts ?? [];
  let offset = 0;
  const series = (ids as string[]).map((uniqueId, i) => {
    const length = counts[i] ?? 0;
    offset += length;
    return { uniqueId, start: offset - length, length };
  });
  const ds = readDs(row?.ds ?? null, dsEncoding(plan.ds), n);
  if (ds.length !== n || ds.some((d) => d === '' || d === null)) {
    throw new ConfigError(`table ${JSON.stringify(table)} has rows with a NULL ds`);
  }
  const uniqueId = series.flatMap((s) => Array<string>(s.length).fill(s.uniqueId));
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
    const raw = row?.[`c${i}`] ?? null;
    const role = plan.roles[i];
    if (encoding === 'text') {
      panel.other[column.name] = (raw as (string | null)[] | null) ?? [];
      return;
    }
    const values = parseJoinedNumbers(raw as string | null, n);
    if (role === 'y') y = values;
    else if (role === 'stat') panel.stat.columns[column.name] = staticValues(values, series);
    else if (role === 'futr' || role === 'hist') panel[role][column.name] = values;
    else panel.other[column.name] = values;
  });
  return { ...panel, y };
};
