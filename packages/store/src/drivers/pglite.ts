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

/** A PGlite cluster's whole data folder as one archive, to start other clusters from. */
export type PgliteSnapshot = Blob;

/** A PGlite database, which can also archive its cluster. */
export interface PgliteDb extends Db {
  /** The cluster as it is now (committed state), for {@link PgliteOptions.from}. */
  snapshot(): Promise<PgliteSnapshot>;
}

/** Options of {@link openPglite}. */
export interface PgliteOptions {
  /**
   * Start an in-memory cluster from this snapshot instead of running initdb: the same cluster in
   * about a third of the time (tests open hundreds of throwaway databases).
   */
  readonly from?: PgliteSnapshot;
}

/**
 * Opens the embedded PostgreSQL (PGlite) in `dataDir`, or in memory when `dataDir` is undefined.
 * PGlite is single-connection: statements are serialised, which is what an embedded lab wants.
 * A data folder is locked for this process until `close()`; a second opener gets a ConflictError.
 */
export const openPglite = async (dataDir?: string, options: PgliteOptions = {}): Promise<PgliteDb> => {
  // DATE stays 'YYYY-MM-DD' (as in the node-postgres driver) so no time zone can shift a draw day.
  const parsers = { [DATE_OID]: (value: string) => value };
  // URL-style locations (memory://, idb://) are not folders other processes could share.
  const release = dataDir === undefined || dataDir.includes('://') ? undefined : await lockDataDir(dataDir);
  let pg: PGlite;
  try {
    const settings = { parsers, ...(options.from === undefined ? {} : { loadDataDir: options.from }) };
    pg = dataDir === undefined ? new PGlite(settings) : new PGlite(dataDir, settings);
    await pg.waitReady;
  } catch (error) {
    await release?.();
    throw storeError(error, `open PGlite ${dataDir ?? 'in memory'}`);
  }
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => pg.transaction((tx) => fn(wrap(tx))),
    // Uncompressed: gzip would cost more time than the archive's 40 MB of memory.
    snapshot: () => pg.dumpDataDir('none'),
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
