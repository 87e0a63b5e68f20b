/** The one database interface the lab talks to; PGlite and node-postgres both implement it. */

/** Rows and the affected-row count of one statement. */
export interface QueryResult<Row> {
  readonly rows: Row[];
  /** Rows inserted/updated/deleted (0 for SELECT on some drivers; use rows.length there). */
  readonly rowCount: number;
}

/** How one statement is run. */
export interface QueryOptions {
  /**
   * The statement runs often (a hot read): a PostgreSQL server keeps it prepared per connection,
   * named after its text, so later calls skip parsing and planning. PGlite ignores it.
   */
  readonly prepare?: boolean;
}

/** Something SQL can be sent to: a connection, a pool or an open transaction. */
export interface Queryable {
  /** Runs one parameterised statement (`$1, $2 …`); values are never spliced into the SQL. */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** Which engine is behind a {@link Db}. */
export type DbKind = 'pglite' | 'postgres';

/** A connection pool's state at one instant. */
export interface PoolStats {
  /** Open connections not lent out. */
  readonly idle: number;
  /** Open connections lent to a query or a transaction. */
  readonly inUse: number;
  /** Queries and transactions waiting for a connection. */
  readonly waiting: number;
  /** Most connections the pool opens. */
  readonly max: number;
}

/** A database handle: the embedded PGlite or a PostgreSQL server. */
export interface Db extends Queryable {
  readonly kind: DbKind;
  /** The connection pool's state, where there is a pool (a server); PGlite has one connection and none. */
  readonly poolStats?: () => PoolStats;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Releases the connection(s) / closes the embedded database. */
  close(): Promise<void>;
}
