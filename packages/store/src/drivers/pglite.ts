import { PGlite, type Transaction } from '@electric-sql/pglite';
import { StoreError } from '@nflab/contracts';
import type { Db, Queryable, QueryResult } from '../db.js';
import { lockDataDir } from './pglite-lock.js';

/** Wraps a driver error so the message says what failed and `query` keeps the SQL. */
export const storeError = (error: unknown, sql: string): StoreError => {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(`database query failed: ${reason}`, sql, { cause: error });
};

const DATE_OID = 1082;

const wrap = (target: PGlite | Transaction): Queryable => ({
  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    try {
      const result = await target.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    } catch (error) {
      throw storeError(error, sql);
    }
  },
  async exec(sql: string): Promise<void> {
    try {
      await target.exec(sql);
    } catch (error) {
      throw storeError(error, sql);
    }
  },
});

/**
 * Opens the embedded PostgreSQL (PGlite) in `dataDir`, or in memory when `dataDir` is undefined.
 * PGlite is single-connection: statements are serialised, which is what an embedded lab wants.
 * A data folder is locked for this process until `close()`; a second opener gets a ConflictError.
 */
export const openPglite = async (dataDir?: string): Promise<Db> => {
  // DATE stays 'YYYY-MM-DD' (as in the node-postgres driver) so no time zone can shift a draw day.
  const parsers = { [DATE_OID]: (value: string) => value };
  // URL-style locations (memory://, idb://) are not folders other processes could share.
  const release = dataDir === undefined || dataDir.includes('://') ? undefined : await lockDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = dataDir === undefined ? new PGlite({ parsers }) : new PGlite(dataDir, { parsers });
    await pg.waitReady;
  } catch (error) {
    await release?.();
    throw storeError(error, `open PGlite ${dataDir ?? 'in memory'}`);
  }
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => pg.transaction((tx) => fn(wrap(tx))),
    async close(): Promise<void> {
      // Idempotent, like the pool's end(): cleanup paths may close an already closed handle.
      if (pg.closed) return;
      try {
        await pg.close();
      } finally {
        await release?.();
      }
    },
  };
};
