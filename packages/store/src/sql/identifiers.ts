/**
 * User-supplied table and column names: validated against a strict pattern, checked against the
 * catalog, then quoted. SQL never contains a raw user string; values always travel as parameters.
 */
import { ConfigError, NotFoundError } from '@nflab/contracts';
import type { Queryable } from '../db.js';

/** What an identifier names, for error messages. */
export type IdentifierKind = 'table' | 'column';

// Lowercase ASCII only: no quotes, dots, spaces, semicolons or look-alike letters can pass, and
// unquoted PostgreSQL folds to lowercase, so the quoted and unquoted spellings mean the same thing.
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** PostgreSQL truncates longer names (NAMEDATALEN − 1), which would silently alias two names. */
export const MAX_IDENTIFIER_BYTES = 63;

/** Returns `name` unchanged when it is a safe identifier; throws a ConfigError naming the rule otherwise. */
export const validateIdentifier = (name: unknown, kind: IdentifierKind = 'table'): string => {
  if (typeof name !== 'string') throw new ConfigError(`${kind} name must be a string, got ${typeof name}`);
  if (!IDENTIFIER.test(name)) {
    throw new ConfigError(
      `${kind} name ${JSON.stringify(name)} is not allowed: use lowercase ASCII letters, digits and _ ` +
        `(pattern ^[a-z_][a-z0-9_]*$)`,
    );
  }
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new ConfigError(
      `${kind} name ${JSON.stringify(name)} is longer than ${MAX_IDENTIFIER_BYTES} bytes`,
    );
  }
  return name;
};

/** Validates `name` and returns it double-quoted, ready to put in SQL text. */
export const quoteIdentifier = (name: string, kind: IdentifierKind = 'table'): string =>
  `"${validateIdentifier(name, kind)}"`;

/** One column of a table or view, as the catalog reports it. */
export interface ColumnInfo {
  readonly name: string;
  /** The type as PostgreSQL prints it, e.g. `integer`, `double precision`, `text`. */
  readonly dataType: string;
  /** True for number and boolean types: the ones a model can take as a feature. */
  readonly numeric: boolean;
}

/** What kind of relation a name refers to; views are as readable as tables. */
export type RelationKind = 'table' | 'view';

/** A table or view the catalog knows, with its columns in ordinal order. */
export interface TableInfo {
  readonly name: string;
  /** The schema it was found in when looked up with the schema fixed (data tables); else unset. */
  readonly schema?: string;
  readonly kind: RelationKind;
  readonly columns: readonly ColumnInfo[];
}

// pg_catalog rather than information_schema: the same facts, but information_schema's views cost
// milliseconds per lookup, which the panel loader's latency budget cannot spare. to_regclass()
// resolves through the search path exactly as the later SELECT will, and returns NULL (not an
// error) for a missing name; relkinds r/p/f are tables, v/m views.
const TABLE_SQL = `
  SELECT c.relkind::text AS relkind, a.attname::text AS name,
         format_type(a.atttypid, a.atttypmod) AS data_type, t.typcategory::text AS category
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
  ORDER BY a.attnum`;

/**
 * Looks `table` up in the catalog through the search path; undefined when it does not exist (the
 * name is validated first). For the lab's own relations: names users give for data go through
 * `findDataTable`, which fixes the schema and keeps to the data tables.
 */
export const findTable = async (db: Queryable, table: string): Promise<TableInfo | undefined> => {
  validateIdentifier(table, 'table');
  const { rows } = await db.query<{ relkind: string; name: string; data_type: string; category: string }>(
    TABLE_SQL,
    [quoteIdentifier(table)],
  );
  const first = rows[0];
  if (first === undefined) return undefined;
  return {
    name: table,
    kind: first.relkind === 'v' || first.relkind === 'm' ? 'view' : 'table',
    columns: rows.map((row) => ({
      name: row.name,
      dataType: row.data_type,
      numeric: row.category === 'N' || row.category === 'B',
    })),
  };
};

/** The relation of `info` for SQL text: `"schema"."name"` when its schema is known, else `"name"`. */
export const quoteRelation = (info: TableInfo): string =>
  info.schema === undefined
    ? quoteIdentifier(info.name)
    : `${quoteIdentifier(info.schema)}.${quoteIdentifier(info.name)}`;

/** Like {@link findTable} but a missing table is a NotFoundError. */
export const requireTable = async (db: Queryable, table: string): Promise<TableInfo> => {
  const info = await findTable(db, table);
  if (info === undefined) throw new NotFoundError(`table ${JSON.stringify(table)} does not exist`);
  return info;
};

/** Validates `column` and checks that `table` has it; a missing column is a ConfigError naming both. */
export const requireColumn = (table: TableInfo, column: string): ColumnInfo => {
  validateIdentifier(column, 'column');
  const info = table.columns.find((c) => c.name === column);
  if (info === undefined) {
    throw new ConfigError(
      `table ${JSON.stringify(table.name)} has no column ${JSON.stringify(column)} ` +
        `(columns: ${table.columns.map((c) => c.name).join(', ')})`,
    );
  }
  return info;
};
