import { join } from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_NFLAB_HOME,
  openDataReader,
  openDb,
  type OpenDbOptions,
  type OpenedDb,
  type Queryable,
} from '@nflab/store';
import { createOutput, type Output } from './output.js';

/** Global options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly databaseUrl?: string;
  readonly home?: string;
}

/** What a command handler gets: the output and a way to borrow the database. */
export interface CommandContext {
  readonly out: Output;
  /** The lab's local folder (`--home`, else NFLAB_HOME, else ./.nflab): database, saved models. */
  readonly home: string;
  /**
   * Opens the lab database, brings its schema up to date (unless `migrate: false`), runs `fn`,
   * closes it.
   */
  withDb<T>(fn: (db: OpenedDb) => Promise<T>, options?: { readonly migrate?: boolean }): Promise<T>;
  /**
   * Runs `fn` with the connection data tables are read through: the read-only role of
   * NFLAB_DATA_DATABASE_URL when set, else the lab database (opened and migrated as by withDb).
   */
  withDataDb<T>(fn: (db: Queryable) => Promise<T>): Promise<T>;
}

/**
 * How a command gets its database. The `nflab` binary opens it per command and closes it after, so
 * no process holds the embedded database longer than one command; an embedding caller (the CLI's
 * own tests, which run hundreds of commands in one process) may hand out a connection it keeps.
 */
export type DbOpener = (options: OpenDbOptions) => Promise<OpenedDb>;

const openers = new WeakMap<Command, DbOpener>();

/** Makes every command of `program` open its database through `opener` instead of {@link openDb}. */
export const setDbOpener = (program: Command, opener: DbOpener): void => {
  openers.set(program, opener);
};

const rootOf = (command: Command): Command => (command.parent === null ? command : rootOf(command.parent));

/** Builds the context from the root program's parsed global options. */
export const contextFrom = (command: Command): CommandContext => {
  const options = command.optsWithGlobals<GlobalOptions>();
  const open = openers.get(rootOf(command)) ?? openDb;
  const fromEnv = process.env.NFLAB_HOME;
  const context: CommandContext = {
    out: createOutput(options.json === true),
    home: options.home ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_NFLAB_HOME),
    async withDb(fn, { migrate = true } = {}) {
      const db = await open({
        url: options.databaseUrl,
        dataDir: options.home === undefined ? undefined : join(options.home, 'db'),
        migrate,
      });
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    async withDataDb(fn) {
      const reader = await openDataReader();
      if (reader === undefined) return context.withDb(fn);
      try {
        return await fn(reader);
      } finally {
        await reader.close();
      }
    },
  };
  return context;
};
