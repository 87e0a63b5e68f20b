/** SQL column types as TypeScript sees them through both drivers (PGlite and node-postgres). */

/** SQL types the lab's schema uses. */
export type SqlType =
  | 'uuid'
  | 'text'
  | 'integer'
  | 'bigint'
  | 'double precision'
  | 'boolean'
  | 'jsonb'
  | 'json'
  | 'timestamptz'
  | 'date'
  | 'text[]'
  | 'uuid[]'
  | 'bytea';

/** A column's declaration: its SQL type, suffixed `| null` when the column is nullable. */
export type ColumnType = SqlType | `${SqlType} | null`;

/** A table's columns by name. */
export type TableColumns = Readonly<Record<string, ColumnType>>;

// What each driver returns. Both parse BIGINT as a number (counts and byte sizes fit a double) and
// DATE as a 'YYYY-MM-DD' string (a draw day is not an instant); JSONB is parsed at the boundary.
interface JsTypes {
  uuid: string;
  text: string;
  integer: number;
  bigint: number;
  'double precision': number;
  boolean: boolean;
  jsonb: unknown;
  json: unknown;
  timestamptz: Date;
  date: string;
  'text[]': string[];
  'uuid[]': string[];
  // node-postgres answers a Buffer, PGlite a plain Uint8Array: read both as bytes.
  bytea: Uint8Array;
}

/** The JavaScript value a column of type `C` reads as. */
export type JsOf<C extends ColumnType> = C extends `${infer S extends SqlType} | null`
  ? JsTypes[S] | null
  : C extends SqlType
    ? JsTypes[C]
    : never;

/** A row of a table declared as `T`, as `db.query<RowOf<T>>` returns it. */
export type RowOf<T extends TableColumns> = { [K in keyof T]: JsOf<T[K]> };

/** `information_schema.columns.udt_name` of each SQL type (how the test reads the real schema). */
export const UDT_NAMES = {
  uuid: 'uuid',
  text: 'text',
  integer: 'int4',
  bigint: 'int8',
  'double precision': 'float8',
  boolean: 'bool',
  jsonb: 'jsonb',
  json: 'json',
  timestamptz: 'timestamptz',
  date: 'date',
  'text[]': '_text',
  'uuid[]': '_uuid',
  bytea: 'bytea',
} as const satisfies Record<SqlType, string>;
