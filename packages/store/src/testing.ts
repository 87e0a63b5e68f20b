/**
 * Test harness shared by every package's database tests: which engines to run against and a
 * throwaway database on each. Use as `describe.each(await testDbKinds())('%s', (kind) => …)`.
 */
import { StoreError } from '@nflab/contracts';
import type { Db, DbKind } from './db.js';
import { openPglite, type PgliteSnapshot } from './drivers/pglite.js';
import { openPostgres } from './drivers/postgres.js';
import { migrate, SCHEMA_VERSION_TABLE } from './migrate.js';
import { TABLES } from './schema/tables.js';
import {
  dropCachedSnapshot,
  readCachedSnapshot,
  snapshotCacheFile,
  writeCachedSnapshot,
} from './testing-pglite-cache.js';
import {
  createTestDatabase,
  dropLeakedTestDatabases,
  dropTestDatabase,
  withAdminClient,
} from './test-databases.js';

export { TEST_DB_PREFIX } from './test-databases.js';

/** Server the tests use when `NFLAB_TEST_PG_URL` is unset. */
export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Connection string of the administrative database tests create their databases from. */
export const testPgUrl = (): string => process.env.NFLAB_TEST_PG_URL ?? DEFAULT_TEST_PG_URL;

// One probe per URL per process: every test file asks, and a down server costs a timeout each time.
const probes = new Map<string, Promise<boolean>>();

const serverReachable = (url: string): Promise<boolean> => {
  let probe = probes.get(url);
  if (!probe) {
    probe = withAdminClient(url, async (client) => {
      await client.query('SELECT 1');
      return true;
    }).then(
      async (reachable) => {
        // Databases of test workers that died without closing them would pile up run after run.
        await dropLeakedTestDatabases(url).catch(() => undefined);
        return reachable;
      },
      () => false,
    );
    probes.set(url, probe);
  }
  return probe;
};

/**
 * Engines the tests should run against: always `pglite`, plus `postgres` when the server at
 * {@link testPgUrl} answers. With `CI=true` the server is required, so it is listed even when it is
 * down and its tests fail loudly instead of being skipped silently.
 */
export const testDbKinds = async (): Promise<DbKind[]> => {
  const reachable = await serverReachable(testPgUrl());
  return reachable || process.env.CI === 'true' ? ['pglite', 'postgres'] : ['pglite'];
};

/** A database opened by {@link openTestDb}. */
export interface TestDb extends Db {
  /** Connection string of the throwaway server database (open more connections with it); undefined for PGlite. */
  readonly url: string | undefined;
}

const databaseUrl = (adminUrl: string, database: string): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

// One migrated database per process and server, never opened by a test: each migrated test
// database is a CREATE DATABASE … TEMPLATE copy of it instead of every migration's DDL run again
// (the server's CPU time is the suite's too). It is labelled like every test database, so the
// leak sweep of a later test process drops it once this process has exited.
const serverTemplates = new Map<string, Promise<string>>();

const migratedServerTemplate = (adminUrl: string): Promise<string> => {
  let making = serverTemplates.get(adminUrl);
  if (making === undefined) {
    making = (async () => {
      const name = await createTestDatabase(adminUrl);
      try {
        const db = await openPostgres({ url: databaseUrl(adminUrl, name) });
        try {
          await migrate(db);
        } finally {
          // A template must have no sessions when it is copied.
          await db.close();
        }
      } catch (error) {
        await dropTestDatabase(adminUrl, name).catch(() => undefined);
        throw error;
      }
      return name;
    })();
    serverTemplates.set(adminUrl, making);
    making.catch(() => serverTemplates.delete(adminUrl));
  }
  return making;
};

const openServerTestDb = async (migrated: boolean): Promise<TestDb> => {
  const adminUrl = testPgUrl();
  const create = async (): Promise<string> =>
    createTestDatabase(adminUrl, migrated ? await migratedServerTemplate(adminUrl) : undefined);
  const name = await create().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `cannot create a test database on ${adminUrl} (NFLAB_TEST_PG_URL): ${reason}`;
    throw new StoreError(message, undefined, { cause: error });
  });
  const url = databaseUrl(adminUrl, name);
  const drop = (): Promise<unknown> => dropTestDatabase(adminUrl, name);
  let db: Db;
  try {
    db = await openPostgres({ url });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return {
    ...db,
    url,
    async close(): Promise<void> {
      try {
        await db.close();
      } finally {
        await drop();
      }
    },
  };
};

/** Options of {@link openTestDb}. */
export interface OpenTestDbOptions {
  /** Apply the committed migrations, so the lab's tables exist. @default false */
  readonly migrate?: boolean;
}

// A new cluster and a migrated one, each built once per process (per test worker, which keeps its
// modules from file to file) and kept on disk for the next process: a throwaway PGlite then
// starts from the archive instead of running initdb and every migration again — about a second
// instead of three or more.
const pgliteSnapshots = new Map<boolean, Promise<PgliteSnapshot>>();

const takeSnapshot = async (migrated: boolean): Promise<PgliteSnapshot> => {
  const db = await openPglite();
  try {
    if (migrated) await migrate(db);
    return await db.snapshot();
  } finally {
    await db.close();
  }
};

/** The process's snapshot of a new cluster (`migrated` false) or a migrated one; seeds PGlite folders too. */
export const pgliteSnapshot = (migrated: boolean): Promise<PgliteSnapshot> => {
  let taking = pgliteSnapshots.get(migrated);
  if (taking === undefined) {
    taking = (async () => {
      const file = await snapshotCacheFile(migrated);
      const cached = readCachedSnapshot(file);
      if (cached !== undefined) return cached;
      const snapshot = await takeSnapshot(migrated);
      // A cache that cannot be written (a read-only tmp) only costs the next process the time.
      await writeCachedSnapshot(file, snapshot).catch(() => undefined);
      return snapshot;
    })();
    pgliteSnapshots.set(migrated, taking);
    taking.catch(() => pgliteSnapshots.delete(migrated));
  }
  return taking;
};

const openPgliteTestDb = async (migrated: boolean): Promise<TestDb> => {
  try {
    return { ...(await openPglite(undefined, { from: await pgliteSnapshot(migrated) })), url: undefined };
  } catch {
    // A damaged cache file (a disk that filled mid-write elsewhere): forget it and start over once.
    dropCachedSnapshot(await snapshotCacheFile(migrated));
    pgliteSnapshots.delete(migrated);
    return { ...(await openPglite(undefined, { from: await pgliteSnapshot(migrated) })), url: undefined };
  }
};

/**
 * Opens an empty database of `kind`: an in-memory PGlite, or a brand-new database
 * `nflab_t_<random>` on the test server that is dropped when the returned handle is closed.
 */
export const openTestDb = async (kind: DbKind, options: OpenTestDbOptions = {}): Promise<TestDb> => {
  const db =
    kind === 'postgres'
      ? await openServerTestDb(options.migrate === true)
      : await openPgliteTestDb(options.migrate === true);
  // Both kinds start from a migrated copy: this finds nothing to apply, and proves it.
  if (options.migrate) {
    await migrate(db).catch(async (error: unknown) => {
      await db.close().catch(() => undefined);
      throw error;
    });
  }
  return db;
};

/**
 * Empties every lab table (keeping the schema and the applied migrations) and restarts the id
 * sequences: one migrated database per test file, a clean slate per test, no seconds-long reopen.
 */
export const truncateLabTables = async (db: Db): Promise<void> => {
  const tables = Object.keys(TABLES).filter((table) => table !== SCHEMA_VERSION_TABLE);
  await db.exec(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
};
export {
  RESIDUAL_RUN_DAYS,
  RESIDUAL_SPIKE,
  RESIDUAL_SPIKE_INDEX,
  residualRunDay,
  seedResidualRun,
} from './testing-anomaly-fixtures.js';
export {
  COMPARABLE_ERRORS,
  COMPARABLE_Y,
  createExogenousTestTable,
  IMPORTANCE_FIXTURE,
  seedComparableRuns,
  seedImportanceRun,
  type ComparableRuns,
} from './testing-analysis-fixtures.js';
export {
  ENSEMBLE_MEMBER_OFFSETS,
  ENSEMBLE_TEST_TABLE,
  ensembleTestDay,
  ensembleTestY,
  seedEnsembleMembers,
  type EnsembleFixture,
} from './testing-ensemble-fixtures.js';
