/**
 * Which relations the lab reads as data. The data API, the CLI, the run planner and the panel
 * loader take table names from users; a name that merely exists (the lab's `nf_users`, or
 * `pg_authid` through the search path) must not be readable that way. A data relation is a table
 * or view in the data schema (fixed, never the search path) whose name matches the data pattern,
 * and that is none of the lab's own tables. A view a user creates there under a matching name is
 * data too: only someone who can already create objects in the lab's database can make one.
 */
import { ConfigError, NotFoundError } from '@nflab/contracts';
import type { Queryable } from '../db.js';
import { JP_HOLIDAYS_TABLE } from '../features/holiday-table.js';
import { TABLES } from '../schema/tables.js';
import { validateIdentifier, type RelationKind, type TableInfo } from './identifiers.js';
import { likeMatches, validateLikePattern } from './like-pattern.js';

/** Where data relations live and what they are called. */
export interface DataScope {
  /** Schema of the data tables; names are looked up in it alone. @default 'public' */
  readonly schema: string;
  /** SQL LIKE pattern every data table or view name matches. @default 'nf_loto%' */
  readonly pattern: string;
}

/** The scope when nothing is configured: `nf_loto%` tables and views in `public`. */
export const DEFAULT_DATA_SCOPE: DataScope = Object.freeze({ schema: 'public', pattern: 'nf_loto%' });

/**
 * Tables the lab keeps for itself, never served as data whatever the pattern: every table the
 * migrations create (TABLES, which a test keeps equal to the migrations) and the holiday table
 * the feature views join.
 */
export const LAB_TABLES: ReadonlySet<string> = new Set([...Object.keys(TABLES), JP_HOLIDAYS_TABLE]);

// Names the lab reserves for tables it may add outside the migrations.
const LAB_PREFIX = 'nflab_';

const SYSTEM_SCHEMA = /^(pg_|information_schema$)/;

/**
 * Checks a configured scope: the schema is a plain identifier and not a system schema, the
 * pattern a valid LIKE pattern. `source` names where the setting came from, for the message.
 */
export const resolveDataScope = (
  given: Partial<DataScope> = {},
  source: { schema: string; pattern: string } = { schema: 'schema', pattern: 'pattern' },
): DataScope => {
  const schema = given.schema ?? DEFAULT_DATA_SCOPE.schema;
  try {
    validateIdentifier(schema, 'table');
  } catch {
    throw new ConfigError(
      `${source.schema} ${JSON.stringify(schema)} is not a plain schema name: use lowercase ASCII letters, digits and _`,
    );
  }
  if (SYSTEM_SCHEMA.test(schema)) {
    throw new ConfigError(
      `${source.schema} ${JSON.stringify(schema)} is a system schema; data tables must live in a schema of their own (e.g. public)`,
    );
  }
  const pattern = validateLikePattern(given.pattern ?? DEFAULT_DATA_SCOPE.pattern, source.pattern);
  return { schema, pattern };
};

/**
 * The scope set by `NFLAB_DATA_SCHEMA` and `NFLAB_DATA_TABLES` (a LIKE pattern), each defaulting
 * to {@link DEFAULT_DATA_SCOPE} when unset or empty.
 */
export const dataScopeFromEnv = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): DataScope =>
  resolveDataScope(
    {
      ...(env.NFLAB_DATA_SCHEMA ? { schema: env.NFLAB_DATA_SCHEMA } : {}),
      ...(env.NFLAB_DATA_TABLES ? { pattern: env.NFLAB_DATA_TABLES } : {}),
    },
    { schema: 'NFLAB_DATA_SCHEMA', pattern: 'NFLAB_DATA_TABLES' },
  );

/** True for names the lab keeps for itself. */
export const isLabTable = (name: string): boolean => LAB_TABLES.has(name) || name.startsWith(LAB_PREFIX);

const describeScope = (scope: DataScope): string =>
  `data tables are the tables and views of schema ${scope.schema} named like '${scope.pattern}', other than the lab's own`;

/**
 * Returns `table` when it may name a data relation of `scope`; a ConfigError for a name that is
 * not a plain identifier (quoted, schema-qualified, uppercase …), a NotFoundError for one outside
 * the scope (the same answer whether or not such a relation exists).
 */
export const validateDataTableName = (table: unknown, scope: DataScope = DEFAULT_DATA_SCOPE): string => {
  if (typeof table === 'string' && table.includes('.') && !table.includes('"')) {
    throw new ConfigError(
      `table name ${JSON.stringify(table)} is schema-qualified; give the bare name (${describeScope(scope)})`,
    );
  }
  const name = validateIdentifier(table, 'table');
  if (isLabTable(name) || !likeMatches(scope.pattern, name)) {
    throw new NotFoundError(`table ${JSON.stringify(name)} is not a data table: ${describeScope(scope)}`);
  }
  return name;
};

// The schema is a parameter and the name compared as text: nothing resolves through search_path.
const DATA_TABLE_SQL = `
  SELECT c.relkind::text AS relkind, a.attname::text AS name,
         format_type(a.atttypid, a.atttypmod) AS data_type, t.typcategory::text AS category
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
  ORDER BY a.attnum`;

/** Kind of relation from pg_class.relkind: views and materialised views read as views. */
export const relationKind = (relkind: string): RelationKind =>
  relkind === 'v' || relkind === 'm' ? 'view' : 'table';

/** Looks up the data relation `table` of `scope`; undefined when it does not exist. */
export const findDataTable = async (
  db: Queryable,
  table: string,
  scope: DataScope = DEFAULT_DATA_SCOPE,
): Promise<TableInfo | undefined> => {
  const name = validateDataTableName(table, scope);
  const { rows } = await db.query<{ relkind: string; name: string; data_type: string; category: string }>(
    DATA_TABLE_SQL,
    [scope.schema, name],
  );
  const first = rows[0];
  if (first === undefined) return undefined;
  return {
    name,
    schema: scope.schema,
    kind: relationKind(first.relkind),
    columns: rows.map((row) => ({
      name: row.name,
      dataType: row.data_type,
      numeric: row.category === 'N' || row.category === 'B',
    })),
  };
};

/** Like {@link findDataTable}, but a missing relation is a NotFoundError. */
export const requireDataTable = async (
  db: Queryable,
  table: string,
  scope: DataScope = DEFAULT_DATA_SCOPE,
): Promise<TableInfo> => {
  const info = await findDataTable(db, table, scope);
  if (info === undefined) {
    throw new NotFoundError(`table ${JSON.stringify(table)} does not exist in schema ${scope.schema}`);
  }
  return info;
};

/** `"schema"."table"` of a data relation of `scope`, validated, for SQL text. */
export const quoteDataTable = (table: string, scope: DataScope = DEFAULT_DATA_SCOPE): string =>
  `"${scope.schema}"."${validateDataTableName(table, scope)}"`;
