/**
 * Applies the committed SQL migrations in `packages/store/migrations/` in order, one transaction
 * each, and records them in `nflab_schema_version` with a checksum so an edited migration is caught.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { StoreError } from '@nflab/contracts';
import type { Db, Queryable } from './db.js';

/** Folder of the committed migrations; resolves the same from `src/` (tests) and `dist/` (builds). */
export const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url);

/** Table that records which migrations a database has. */
export const SCHEMA_VERSION_TABLE = 'nflab_schema_version';

/** One migration file, `NNNN_<name>.sql`. */
export interface Migration {
  /** The `NNNN` prefix; migrations apply in ascending order. */
  readonly version: number;
  /** The `<name>` part of the file name. */
  readonly name: string;
  /** Hex SHA-256 of the SQL with line endings normalised to `\n`. */
  readonly checksum: string;
  /** The SQL script (no BEGIN/COMMIT: the runner wraps it in a transaction). */
  readonly sql: string;
}

/** A migration recorded in the database. */
export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
}

/** Why an applied migration no longer matches the code. */
export type MigrationIssue = 'checksum_mismatch' | 'unknown_to_code';

/** An applied migration as {@link migrationStatus} reports it. */
export interface AppliedMigrationStatus extends AppliedMigration {
  /** Null when the file is present and unchanged. */
  readonly issue: MigrationIssue | null;
}

/** What {@link migrationStatus} returns. */
export interface MigrationStatus {
  /** Recorded migrations, ascending by version. */
  readonly applied: AppliedMigrationStatus[];
  /** Migrations the code has and the database lacks, in the order `migrate` would apply them. */
  readonly pending: Pick<Migration, 'version' | 'name' | 'checksum'>[];
  /** Highest applied version, or null for an empty database. */
  readonly currentVersion: number | null;
}

/** Options of {@link migrate} and {@link migrationStatus}. */
export interface MigrateOptions {
  /** Migrations to use instead of the committed ones (tests). @default loadMigrations() */
  readonly migrations?: readonly Migration[];
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

// Any constant works; it only has to be the same for every process migrating the same database.
const ADVISORY_LOCK_KEY = 7_324_100_017;

/** Hex SHA-256 of a migration's SQL; CRLF is normalised so a Windows checkout has the same sum. */
export const migrationChecksum = (sql: string): string =>
  createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');

/** Reads `NNNN_<name>.sql` files from `dir`, sorted by version; other `.sql` names and duplicate versions are errors. */
export const loadMigrations = async (dir: URL = MIGRATIONS_DIR): Promise<Migration[]> => {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match?.[1] || !match[2]) {
      throw new StoreError(
        `migration file ${file} in ${dir.pathname} must be named NNNN_<lowercase_name>.sql`,
      );
    }
    const version = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous?.version === version) {
      throw new StoreError(`migration version ${match[1]} is used twice: ${previous.name} and ${match[2]}`);
    }
    const sql = await readFile(new URL(file, dir), 'utf8');
    migrations.push({ version, name: match[2], checksum: migrationChecksum(sql), sql });
  }
  return migrations;
};

const label = (migration: { version: number; name: string }): string =>
  `${String(migration.version).padStart(4, '0')}_${migration.name}`;

const CREATE_VERSION_TABLE = `
  CREATE TABLE IF NOT EXISTS ${SCHEMA_VERSION_TABLE} (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

interface VersionRow {
  version: number;
  name: string;
  checksum: string;
  applied_at: Date | string;
}

const toApplied = (row: VersionRow): AppliedMigration => ({
  version: row.version,
  name: row.name,
  checksum: row.checksum,
  appliedAt: row.applied_at instanceof Date ? row.applied_at : new Date(row.applied_at),
});

const readApplied = async (db: Queryable): Promise<AppliedMigration[]> => {
  const { rows } = await db.query<VersionRow>(
    `SELECT version, name, checksum, applied_at FROM ${SCHEMA_VERSION_TABLE} ORDER BY version`,
  );
  return rows.map(toApplied);
};

const issueOf = (applied: AppliedMigration, known: ReadonlyMap<number, Migration>): MigrationIssue | null => {
  const migration = known.get(applied.version);
  if (!migration) return 'unknown_to_code';
  return migration.checksum === applied.checksum ? null : 'checksum_mismatch';
};

/** Lists applied migrations (flagging edited or unknown ones) and pending ones, without changing anything. */
export const migrationStatus = async (db: Db, options: MigrateOptions = {}): Promise<MigrationStatus> => {
  const migrations = options.migrations ?? (await loadMigrations());
  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  const { rows } = await db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    SCHEMA_VERSION_TABLE,
  ]);
  const applied = rows[0]?.exists ? await readApplied(db) : [];
  const appliedVersions = new Set(applied.map((migration) => migration.version));
  return {
    applied: applied.map((migration) => ({ ...migration, issue: issueOf(migration, known) })),
    pending: migrations
      .filter((migration) => !appliedVersions.has(migration.version))
      .map(({ version, name, checksum }) => ({ version, name, checksum })),
    currentVersion: applied.at(-1)?.version ?? null,
  };
};

const assertConsistent = (
  applied: readonly AppliedMigration[],
  known: ReadonlyMap<number, Migration>,
): void => {
  for (const migration of applied) {
    const issue = issueOf(migration, known);
    if (issue === 'checksum_mismatch') {
      throw new StoreError(
        `migration ${label(migration)} was applied with checksum ${migration.checksum} but its file now has ` +
          `${known.get(migration.version)?.checksum ?? '?'}; applied migrations must not be edited — add a new migration instead`,
      );
    }
    if (issue === 'unknown_to_code') {
      throw new StoreError(
        `the database has migration ${label(migration)}, which this version of nflab does not know; ` +
          'upgrade nflab or use a database made by this version',
      );
    }
  }
};

// Serialises migrators on a server: the lock is held until the transaction ends, so a second
// process waits, then sees the migration recorded and skips it. On PGlite it is a harmless no-op.
const lock = (tx: Queryable) => tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [ADVISORY_LOCK_KEY]);

/**
 * Applies every pending migration in version order, each in its own transaction, and returns the
 * ones this call applied (empty when the schema was current). Safe to run from several processes
 * at once. Throws a StoreError naming the migration when an applied one was edited or is unknown.
 */
export const migrate = async (db: Db, options: MigrateOptions = {}): Promise<AppliedMigration[]> => {
  const migrations = options.migrations ?? (await loadMigrations());
  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  const before = await db.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(CREATE_VERSION_TABLE);
    return readApplied(tx);
  });
  assertConsistent(before, known);
  const done = new Set(before.map((migration) => migration.version));
  const applied: AppliedMigration[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    const record = await db.transaction(async (tx) => {
      await lock(tx);
      const { rows } = await tx.query(`SELECT 1 FROM ${SCHEMA_VERSION_TABLE} WHERE version = $1`, [
        migration.version,
      ]);
      if (rows.length > 0) return undefined; // another process applied it while we waited for the lock
      await tx.exec(migration.sql).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new StoreError(`migration ${label(migration)} failed: ${reason}`, migration.sql, {
          cause: error,
        });
      });
      const inserted = await tx.query<VersionRow>(
        `INSERT INTO ${SCHEMA_VERSION_TABLE} (version, name, checksum) VALUES ($1, $2, $3)
         RETURNING version, name, checksum, applied_at`,
        [migration.version, migration.name, migration.checksum],
      );
      const row = inserted.rows[0];
      return row && toApplied(row);
    });
    if (record) applied.push(record);
  }
  return applied;
};
