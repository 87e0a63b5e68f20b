/** Opens the lab's database: a PostgreSQL server when a URL is given, else the embedded PGlite. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './db.js';
import { openPglite } from './drivers/pglite.js';
import { openPostgres } from './drivers/postgres.js';
import { migrate as runMigrations, type AppliedMigration } from './migrate.js';

/** Home folder of the lab's local state when `NFLAB_HOME` is unset. */
export const DEFAULT_NFLAB_HOME = './.nflab';

/** Options of {@link openDb} and {@link resolveDbTarget}. */
export interface OpenDbOptions {
  /** PostgreSQL connection string; wins over the environment. @default env.DATABASE_URL */
  readonly url?: string;
  /** PGlite data folder, used when there is no URL. @default `${env.NFLAB_HOME ?? './.nflab'}/db` */
  readonly dataDir?: string;
  /** Apply pending migrations before returning. @default false */
  readonly migrate?: boolean;
  /** Server pool size. @default 10 */
  readonly maxConnections?: number;
  /** Environment to read `DATABASE_URL` and `NFLAB_HOME` from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Where {@link openDb} will connect, decided without touching anything. */
export type DbTarget =
  { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string };

// An exported-but-empty DATABASE_URL (common in .env templates) means "not set", not "connect to ''".
const nonEmpty = (value: string | undefined): string | undefined => (value ? value : undefined);

/** Decides between the server (`url` or `DATABASE_URL`) and PGlite (`dataDir` or `$NFLAB_HOME/db`). */
export const resolveDbTarget = (options: OpenDbOptions = {}): DbTarget => {
  const env = options.env ?? process.env;
  const url = nonEmpty(options.url) ?? nonEmpty(env.DATABASE_URL);
  if (url) return { kind: 'postgres', url };
  return {
    kind: 'pglite',
    dataDir: options.dataDir ?? join(nonEmpty(env.NFLAB_HOME) ?? DEFAULT_NFLAB_HOME, 'db'),
  };
};

/** A database opened by {@link openDb}, with where it lives and what was migrated on open. */
export interface OpenedDb extends Db {
  readonly target: DbTarget;
  /** Migrations applied while opening (empty unless `migrate: true` found some pending). */
  readonly migrated: AppliedMigration[];
}

/**
 * Opens the lab database: the PostgreSQL server at `url`/`DATABASE_URL`, otherwise PGlite in a
 * data folder (created with its parents). Optionally brings the schema up to date.
 */
export const openDb = async (options: OpenDbOptions = {}): Promise<OpenedDb> => {
  const target = resolveDbTarget(options);
  let db: Db;
  if (target.kind === 'postgres') {
    db = await openPostgres({ url: target.url, maxConnections: options.maxConnections });
  } else {
    await mkdir(target.dataDir, { recursive: true });
    db = await openPglite(target.dataDir);
  }
  try {
    const migrated = options.migrate ? await runMigrations(db) : [];
    return { ...db, target, migrated };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
};

/** Options of {@link openDataReader}. */
export interface OpenDataReaderOptions {
  /** Connection string of the data-reading role; wins over the environment. @default env.NFLAB_DATA_DATABASE_URL */
  readonly url?: string;
  /** Pool size: data reads are short. @default 4 */
  readonly maxConnections?: number;
  /** Environment to read `NFLAB_DATA_DATABASE_URL` from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The connection data routes and `nflab data ls|preview` read data tables through, when
 * `NFLAB_DATA_DATABASE_URL` (or `url`) names one: on a PostgreSQL server, a role granted SELECT on
 * the data tables alone (README, "Security"), so even a flaw in a data read cannot reach the
 * lab's own tables. Undefined when unset: data is then read through the lab's own connection,
 * confined by name only (sql/data-tables.ts). Migrations never run on it.
 */
export const openDataReader = async (options: OpenDataReaderOptions = {}): Promise<Db | undefined> => {
  const url = nonEmpty(options.url) ?? nonEmpty((options.env ?? process.env).NFLAB_DATA_DATABASE_URL);
  if (url === undefined) return undefined;
  return openPostgres({ url, maxConnections: options.maxConnections ?? 4 });
};
