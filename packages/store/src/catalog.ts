/**
 * What the lab can model from: data tables and views, the games in a table, the series of a game
 * and a preview of its rows. Every name is confined to the data scope (see sql/data-tables.ts) and
 * checked against the catalog, with the schema fixed, before use.
 */
import { ConfigError, NotFoundError } from '@nflab/contracts';
import type { Queryable } from './db.js';
import {
  DEFAULT_DATA_SCOPE,
  isLabTable,
  relationKind,
  requireDataTable,
  type DataScope,
} from './sql/data-tables.js';
import { quoteRelation, requireColumn, type RelationKind, type TableInfo } from './sql/identifiers.js';
import { validateLikePattern } from './sql/like-pattern.js';

/** A data table or view. */
export interface TableEntry {
  readonly name: string;
  readonly kind: RelationKind;
}

/** Options of {@link listTables}. */
export interface ListTablesOptions {
  /** SQL LIKE pattern on the name, applied within the data pattern (sent as a parameter). @default '%' */
  readonly pattern?: string;
  /** Which relations are data. @default DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
}

/**
 * Data tables and views whose name also matches `pattern`, sorted by name; a malformed pattern is
 * an InputError naming the `pattern` field.
 */
export const listTables = async (db: Queryable, options: ListTablesOptions = {}): Promise<TableEntry[]> => {
  const { scope = DEFAULT_DATA_SCOPE } = options;
  const pattern = validateLikePattern(options.pattern ?? '%', 'pattern');
  const { rows } = await db.query<{ name: string; relkind: string }>(
    `SELECT c.relname::text AS name, c.relkind::text AS relkind
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND n.nspname = $1
       AND c.relname LIKE $2 AND c.relname LIKE $3
     ORDER BY c.relname COLLATE "C"`,
    [scope.schema, scope.pattern, pattern],
  );
  return rows
    .filter((row) => !isLabTable(row.name))
    .map((row) => ({ name: row.name, kind: relationKind(row.relkind) }));
};

/** Resolves the data table `table` and checks it has the columns a long panel table needs. */
export const requirePanelTable = async (
  db: Queryable,
  table: string,
  needs: readonly string[],
  scope: DataScope = DEFAULT_DATA_SCOPE,
): Promise<TableInfo> => {
  const info = await requireDataTable(db, table, scope);
  for (const column of needs) requireColumn(info, column);
  return info;
};

/** The distinct `loto` values (games) of the data table `table`, sorted. */
export const listGames = async (
  db: Queryable,
  table: string,
  scope: DataScope = DEFAULT_DATA_SCOPE,
): Promise<string[]> => {
  const info = await requirePanelTable(db, table, ['loto'], scope);
  const { rows } = await db.query<{ loto: string }>(
    `SELECT DISTINCT loto::text AS loto FROM ${quoteRelation(info)} WHERE loto IS NOT NULL ORDER BY 1`,
  );
  return rows.map((row) => row.loto);
};

/** One series of a game: its id, how many rows it has and the dates it spans. */
export interface SeriesSummary {
  readonly uniqueId: string;
  readonly rows: number;
  /** First and last `ds` as text (ISO for DATE columns). */
  readonly start: string;
  readonly end: string;
}

/** The series (`unique_id`s) of `loto` in `table`, sorted by id; an unknown game is a NotFoundError. */
export const listSeries = async (
  db: Queryable,
  table: string,
  loto: string,
  scope: DataScope = DEFAULT_DATA_SCOPE,
): Promise<SeriesSummary[]> => {
  const info = await requirePanelTable(db, table, ['loto', 'unique_id', 'ds'], scope);
  const { rows } = await db.query<{ unique_id: string; rows: number; start: string; end: string }>(
    `SELECT unique_id::text AS unique_id, count(*)::int AS rows, min(ds)::text AS start, max(ds)::text AS "end"
     FROM ${quoteRelation(info)} WHERE loto = $1
     GROUP BY unique_id ORDER BY unique_id::text COLLATE "C"`,
    [loto],
  );
  if (rows.length === 0)
    throw new NotFoundError(`table ${JSON.stringify(table)} has no rows for loto ${JSON.stringify(loto)}`);
  return rows.map((row) => ({ uniqueId: row.unique_id, rows: row.rows, start: row.start, end: row.end }));
};

/** Options of {@link previewRows}. */
export interface PreviewOptions {
  readonly table: string;
  /** Only rows of this game; all games when omitted. */
  readonly loto?: string;
  /** @default 20 */
  readonly limit?: number;
  /** Which relations are data. @default DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
}

/** The first rows of a table, for a quick look. */
export interface Preview {
  /** Column names in table order. */
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

/** Largest preview, so a typo in `limit` cannot pull a whole table into memory. */
export const MAX_PREVIEW_ROWS = 1000;

/**
 * The first `limit` rows of the data table `table` (optionally of one game), ordered by the
 * long-table key when the table has it, so a preview is stable between calls.
 */
export const previewRows = async (db: Queryable, options: PreviewOptions): Promise<Preview> => {
  const { table, loto, limit = 20, scope = DEFAULT_DATA_SCOPE } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PREVIEW_ROWS) {
    throw new ConfigError(
      `preview limit ${limit} is not allowed: use a whole number from 1 to ${MAX_PREVIEW_ROWS}`,
    );
  }
  const info = await requireDataTable(db, table, scope);
  const has = (name: string): boolean => info.columns.some((c) => c.name === name);
  if (loto !== undefined) requireColumn(info, 'loto');
  const keys = ['loto', 'unique_id', 'ds']
    .filter(has)
    .map((name) => (name === 'ds' ? name : `${name}::text COLLATE "C"`));
  const where = loto === undefined ? '' : 'WHERE loto = $2';
  const orderBy = keys.length > 0 ? `ORDER BY ${keys.join(', ')}` : '';
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT * FROM ${quoteRelation(info)} ${where} ${orderBy} LIMIT $1`,
    loto === undefined ? [limit] : [limit, loto],
  );
  if (loto !== undefined && rows.length === 0) {
    throw new NotFoundError(`table ${JSON.stringify(table)} has no rows for loto ${JSON.stringify(loto)}`);
  }
  return { columns: info.columns.map((c) => c.name), rows };
};
