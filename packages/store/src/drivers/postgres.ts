import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Queryable, QueryOptions, QueryResult } from '../db.js';
import { storeError } from './pglite.js';

// BIGINT (int8) and NUMERIC arrive as strings by default; the lab's counts and prize money fit in
// a double, and both drivers must return the same JavaScript types.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' so no time zone can shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** A prepared statement's name: the same text always gets the same name, on every connection. */
const statementName = (sql: string): string =>
  `nflab_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;

const wrap = (target: pg.Pool | pg.PoolClient): Queryable => ({
  async query<Row>(
    sql: string,
    params: readonly unknown[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult<Row>> {
    try {
      const values = params as unknown[];
      const result = options.prepare
        ? await target.query({ name: statementName(sql), text: sql, values })
        : await target.query(sql, values);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      throw storeError(error, sql);
    }
  },
  async exec(sql: string): Promise<void> {
    try {
      await target.query(sql);
    } catch (error) {
      throw storeError(error, sql);
    }
  },
});

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Connection string, e.g. `postgres://user@127.0.0.1:5432/db`. */
  readonly url: string;
  /** Pool size. @default 10 */
  readonly maxConnections?: number;
}

/** Connects to a PostgreSQL server through a node-postgres pool. */
export const openPostgres = async ({ url, maxConnections = 10 }: PostgresOptions): Promise<Db> => {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections });
  // An idle client that loses its server (restart, network) emits 'error'; the pool drops it and
  // makes a new one on the next query, so this must not crash the process.
  pool.on('error', () => undefined);
  const db: Db = {
    kind: 'postgres',
    ...wrap(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch((error: unknown) => {
        throw storeError(error, 'connect');
      });
      // The pool listens for 'error' only on idle clients. A checked-out client whose server
      // connection dies (restart, pg_terminate_backend) emits 'error' too; unheard, that event
      // would crash the process, while the failed query already rejects with the same error.
      const ignoreBrokenConnection = (): void => undefined;
      client.on('error', ignoreBrokenConnection);
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.removeListener('error', ignoreBrokenConnection);
        client.release();
      }
    },
    poolStats: () => ({
      idle: pool.idleCount,
      inUse: pool.totalCount - pool.idleCount,
      waiting: pool.waitingCount,
      max: maxConnections,
    }),
    close: () => pool.end(),
  };
  // Fail fast on a bad URL or a down server, and end the pool so the failed attempt holds nothing open.
  await db.query('SELECT 1').catch(async (error: unknown) => {
    await pool.end().catch(() => undefined);
    throw error;
  });
  return db;
};
